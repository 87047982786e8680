package clean

import "strings"

// span locates one line of a text: text[start:end] is the line without its
// terminator and text[start:next] the line with it ("\n", "\r\n", or nothing
// for a last line that has none).
type span struct {
	start, end, next int
	blank            bool
}

// splitLines cuts text into lines at "\n". A trailing "\r" belongs to the
// terminator, so that CRLF text is classified like LF text and still comes out
// byte for byte. A line is blank when it holds only spaces, tabs, "\r", form
// feeds or no-break spaces. A text ending in "\n" has no empty last line.
func splitLines(text string, out []span) []span {
	out = out[:0]
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		s := span{start: i}
		if j < 0 {
			s.end, s.next = len(text), len(text)
		} else {
			s.end, s.next = i+j, i+j+1
		}
		if s.end > s.start && text[s.end-1] == '\r' {
			s.end--
		}
		s.blank = isBlank(text[s.start:s.end])
		out = append(out, s)
		i = s.next
	}
	return out
}

// isBlank reports whether line holds no visible character.
func isBlank(line string) bool {
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case ' ', '\t', '\r', '\f', '\v':
		case 0xc2: // U+00A0 NO-BREAK SPACE is 0xc2 0xa0
			if i+1 < len(line) && line[i+1] == 0xa0 {
				i++
				continue
			}
			return false
		default:
			return false
		}
	}
	return true
}

// assemble writes the kept lines of text, byte for byte with their own
// terminators, in their original order.
//
// Blank lines are treated as paragraph breaks. Between two kept lines that
// stood next to each other, or were separated only by blank lines, the
// original bytes in between are kept unchanged. Where dropped lines stood
// between two kept lines, the gap becomes one blank line if it held any blank
// line, and nothing otherwise: dropping a block never glues two paragraphs
// together and never leaves a run of empty lines behind. Blank lines before
// the first kept line and after the last one are dropped.
func assemble(text string, lines []span, keep []bool) string {
	var b strings.Builder
	b.Grow(len(text))
	last := -1 // index of the last kept line
	for i, s := range lines {
		if s.blank || !keep[i] {
			continue
		}
		if last >= 0 {
			dropped, blankAt := false, -1
			for k := last + 1; k < i; k++ {
				if lines[k].blank {
					if blankAt < 0 {
						blankAt = k
					}
				} else {
					dropped = true
				}
			}
			switch {
			case !dropped && blankAt >= 0:
				b.WriteString(text[lines[last+1].start:lines[i-1].next])
			case blankAt >= 0:
				b.WriteString(text[lines[blankAt].start:lines[blankAt].next])
			}
			// The previous kept line may be a last line without a
			// terminator only if it is the last line, so nothing follows it.
		}
		b.WriteString(text[s.start:s.next])
		last = i
	}
	return b.String()
}
