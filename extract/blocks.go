package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// A page is turned into a list of text blocks in document order: one block
// per paragraph, heading, list item, table row, code block or quotation.
// Blocks are both the unit of scoring (is this block content?) and the unit
// of output (one block per line or paragraph).

// Kind is the kind of a text block.
type Kind uint8

// Block kinds.
const (
	Paragraph Kind = iota
	Heading
	ListItem
	TableRow
	Code
	Quote
)

// Block is one paragraph-like unit of extracted text.
type Block struct {
	Kind  Kind
	Level int    // heading level 1-6 for Heading
	Text  string // whitespace collapsed except in Code
	// Soft is true when the block continues the previous one after a <br>;
	// text output joins it with a single newline.
	Soft bool

	owner     int32 // element whose direct content the block is
	chars     int   // bytes of text
	linkChars int   // bytes of text inside links
	idx       int32 // index among the page's blocks (see linearize)
}

// blockTag reports whether an element starts a new block.
func blockTag(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Li, atom.Dt, atom.Dd,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Pre, atom.Blockquote,
		atom.Tr, atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Form, atom.Header, atom.Footer,
		atom.Nav, atom.Aside, atom.Figure, atom.Figcaption, atom.Address, atom.Details,
		atom.Summary, atom.Fieldset, atom.Hr, atom.Body, atom.Html, atom.Caption, atom.Center,
		atom.Hgroup, atom.Legend, atom.Noscript, atom.Thead, atom.Tbody, atom.Tfoot, atom.Listing:
		return true
	}
	return false
}

// linearizer walks the tree and collects blocks.
type linearizer struct {
	t       *tree
	blocks  []Block
	buf     []byte
	links   int
	owners  []int32
	space   bool // buf ends with a space (or is empty)
	soft    bool // next block follows a <br>
	inPre   int
	inQuote int
	cells   int
}

func (l *linearizer) flush() {
	s := strings.TrimSpace(string(l.buf))
	l.buf = l.buf[:0]
	l.space = true
	links := l.links
	l.links = 0
	l.cells = 0
	soft := l.soft
	l.soft = false
	if s == "" {
		return
	}
	owner := l.owners[len(l.owners)-1]
	b := Block{Kind: Paragraph, Text: s, owner: owner, chars: len(s), linkChars: min(links, len(s)), Soft: soft, idx: int32(len(l.blocks))}
	switch a := l.t.nodes[owner].tag; {
	case isHeading(a):
		b.Kind, b.Level = Heading, int(a.String()[1]-'0')
	case a == atom.Li || a == atom.Dt || a == atom.Dd:
		b.Kind = ListItem
	case a == atom.Tr:
		b.Kind = TableRow
	case l.inPre > 0:
		b.Kind = Code
	case l.inQuote > 0:
		b.Kind = Quote
	}
	l.blocks = append(l.blocks, b)
}

// appendText adds the text of a text node, collapsing whitespace unless in
// a <pre>.
func (l *linearizer) appendText(s string, link bool) {
	n := len(l.buf)
	if l.inPre > 0 {
		l.buf = append(l.buf, s...)
		l.space = false
	} else {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
				if !l.space {
					l.buf = append(l.buf, ' ')
					l.space = true
				}
				continue
			}
			if c == 0xc2 && i+1 < len(s) && s[i+1] == 0xa0 { // no-break space
				i++
				if !l.space {
					l.buf = append(l.buf, ' ')
					l.space = true
				}
				continue
			}
			l.buf = append(l.buf, c)
			l.space = false
		}
	}
	if link {
		l.links += len(l.buf) - n
	}
}

// linearize returns the blocks of the tree that are not removed. It walks
// the tree without recursion.
func linearize(t *tree) []Block {
	l := &linearizer{t: t, owners: []int32{0}, space: true, blocks: make([]Block, 0, 64)}
	i := t.nodes[0].first
	for i >= 0 {
		n := &t.nodes[i]
		descend := false
		if n.attr == -2 { // text
			l.appendText(n.text, n.flags&fLink != 0 || t.nodes[n.parent].flags&fLink != 0)
		} else if n.flags&fRemoved == 0 {
			l.enter(i)
			descend = n.first >= 0
			if !descend {
				l.exit(i)
			}
		}
		if descend {
			i = n.first
			continue
		}
		// Move to the next sibling, closing finished ancestors.
		for i >= 0 {
			if nx := t.nodes[i].next; nx >= 0 {
				i = nx
				break
			}
			i = t.nodes[i].parent
			if i <= 0 {
				i = -1
				break
			}
			l.exit(i)
		}
	}
	l.flush()
	return l.blocks
}

func (l *linearizer) enter(i int32) {
	a := l.t.nodes[i].tag
	switch {
	case a == atom.Br:
		l.flush()
		l.soft = true
		return
	case a == atom.Td || a == atom.Th:
		if l.cells > 0 {
			l.buf = append(l.buf, " | "...)
			l.space = true
		}
		l.cells++
		return
	case !blockTag(a):
		return
	}
	l.flush()
	l.owners = append(l.owners, i)
	if a == atom.Pre || a == atom.Listing {
		l.inPre++
	}
	if a == atom.Blockquote {
		l.inQuote++
	}
}

func (l *linearizer) exit(i int32) {
	a := l.t.nodes[i].tag
	if !blockTag(a) || len(l.owners) <= 1 {
		return
	}
	l.flush()
	l.owners = l.owners[:len(l.owners)-1]
	if a == atom.Pre || a == atom.Listing {
		l.inPre--
	}
	if a == atom.Blockquote {
		l.inQuote--
	}
}

// renderText joins blocks as plain text: a blank line between paragraphs,
// headings, list items and table rows each on their own line.
func renderText(blocks []Block) string {
	var sb strings.Builder
	for k, b := range blocks {
		if k > 0 {
			prev := blocks[k-1]
			switch {
			case b.Soft:
				sb.WriteByte('\n')
			case b.Kind == prev.Kind && (b.Kind == ListItem || b.Kind == TableRow):
				sb.WriteByte('\n')
			default:
				sb.WriteString("\n\n")
			}
		}
		sb.WriteString(b.Text)
	}
	return sb.String()
}

// renderMarkdown renders blocks as Markdown.
func renderMarkdown(blocks []Block) string {
	var sb strings.Builder
	for k, b := range blocks {
		if k > 0 {
			prev := blocks[k-1]
			switch {
			case b.Soft && b.Kind == prev.Kind && b.Kind != Code:
				sb.WriteString("  \n")
			case b.Kind == prev.Kind && (b.Kind == ListItem || b.Kind == TableRow || b.Kind == Quote):
				sb.WriteByte('\n')
			default:
				sb.WriteString("\n\n")
			}
		}
		switch b.Kind {
		case Heading:
			sb.WriteString(strings.Repeat("#", max(1, min(b.Level, 6))))
			sb.WriteByte(' ')
			sb.WriteString(b.Text)
		case ListItem:
			sb.WriteString("- ")
			sb.WriteString(b.Text)
		case TableRow:
			sb.WriteString("| ")
			sb.WriteString(b.Text)
			sb.WriteString(" |")
		case Code:
			sb.WriteString("```\n")
			sb.WriteString(b.Text)
			sb.WriteString("\n```")
		case Quote:
			sb.WriteString("> ")
			sb.WriteString(strings.ReplaceAll(b.Text, "\n", "\n> "))
		default:
			sb.WriteString(b.Text)
		}
	}
	return sb.String()
}
