// Package mancorpus assembles a multilingual test set of real text from the
// translated manual pages that Debian installs under /usr/share/man.
//
// Debian's manpages-l10n packages (manpages-de, manpages-fr, manpages-es,
// manpages-ja, manpages-zh, manpages-ru, ...) hold manual pages translated by
// people into many languages; most are under the GPL or other free licences
// stated in each page's source. The English originals live in
// /usr/share/man/man*, each translation in /usr/share/man/<lang>/man*. The
// set is built at run time from whatever is installed and is never stored in
// winnow's repository.
//
// A page's roff source is reduced to paragraphs of running text (see
// Paragraphs). A translated paragraph that also occurs verbatim in the
// English page of the same name was left untranslated, so it is dropped:
// the language of each remaining paragraph is the language of its directory.
package mancorpus

import (
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Dirs maps the language directories of /usr/share/man to the language codes
// fastText's lid.176 uses (ISO 639-1 where one exists). "" is English, the
// pages directly under the root.
var Dirs = map[string]string{
	"": "en", "cs": "cs", "da": "da", "de": "de", "el": "el", "es": "es",
	"fi": "fi", "fr": "fr", "hu": "hu", "id": "id", "it": "it", "ja": "ja",
	"ko": "ko", "nl": "nl", "pl": "pl", "pt_BR": "pt", "ro": "ro", "ru": "ru",
	"sv": "sv", "tr": "tr", "uk": "uk", "vi": "vi", "zh_CN": "zh", "zh_TW": "zh",
}

// Sample is one paragraph of a manual page.
type Sample struct {
	Lang string // expected language code
	File string // the page it came from
	Text string // one line of text
}

// Options bound the size of the set.
type Options struct {
	PerLang int // paragraphs per language (default 300)
	PerPage int // paragraphs taken from one page (default 3), so many pages are sampled
	MinLen  int // minimum length in characters (default 40)
	MaxLen  int // longer paragraphs are cut at a space near this many bytes (default 1000)
}

func (o *Options) defaults() {
	if o.PerLang <= 0 {
		o.PerLang = 300
	}
	if o.PerPage <= 0 {
		o.PerPage = 3
	}
	if o.MinLen <= 0 {
		o.MinLen = 40
	}
	if o.MaxLen <= 0 {
		o.MaxLen = 1000
	}
}

// Load builds the set from the manual pages under root (normally
// /usr/share/man). Pages are visited in sorted path order, so the same
// installed packages always give the same set. Languages with no pages
// installed are absent from the result.
func Load(root string, opt Options) ([]Sample, error) {
	opt.defaults()
	dirs := make([]string, 0, len(Dirs))
	for d := range Dirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	perLang := map[string]int{}
	var out []Sample
	for _, dir := range dirs {
		lang := Dirs[dir]
		base := filepath.Join(root, dir)
		pages, err := pageFiles(base)
		if err != nil {
			return nil, err
		}
		for _, page := range pages {
			if perLang[lang] >= opt.PerLang {
				break
			}
			paras := fileParagraphs(page)
			var english map[string]bool
			if dir != "" {
				rel, _ := filepath.Rel(base, page)
				english = map[string]bool{}
				for _, p := range fileParagraphs(filepath.Join(root, rel)) {
					english[p] = true
				}
			}
			taken := 0
			for _, p := range paras {
				if taken >= opt.PerPage || perLang[lang] >= opt.PerLang {
					break
				}
				if english[p] || !usable(p, opt.MinLen) || (nonLatin[lang] && !mostlyNonLatin(p)) {
					continue
				}
				out = append(out, Sample{Lang: lang, File: page, Text: cut(p, opt.MaxLen)})
				taken++
				perLang[lang]++
			}
		}
	}
	return out, nil
}

// pageFiles lists the gzipped pages in the man?/ sections of dir, sorted.
func pageFiles(dir string) ([]string, error) {
	sections, err := filepath.Glob(filepath.Join(dir, "man[1-9]*"))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, s := range sections {
		filepath.WalkDir(s, func(path string, e fs.DirEntry, err error) error {
			if err == nil && e.Type().IsRegular() && strings.HasSuffix(path, ".gz") {
				files = append(files, path)
			}
			return nil
		})
	}
	sort.Strings(files)
	return files, nil
}

// fileParagraphs reads a gzipped roff page (at most 4 MB of it); it returns
// nothing for a missing, unreadable or non-UTF-8 page.
func fileParagraphs(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil
	}
	src, err := io.ReadAll(io.LimitReader(z, 4<<20))
	if err != nil || !utf8.Valid(src) {
		return nil
	}
	return Paragraphs(string(src))
}

// nonLatin lists the languages written in another script than Latin.
var nonLatin = map[string]bool{"el": true, "ja": true, "ko": true, "ru": true, "uk": true, "zh": true}

// mostlyNonLatin reports whether at least half of the letters of p are not
// ASCII: a paragraph of a Greek or Russian page that is mostly Latin letters
// was left in English (or is code).
func mostlyNonLatin(p string) bool {
	ascii, other := 0, 0
	for _, r := range p {
		if r < utf8.RuneSelf {
			if unicode.IsLetter(r) {
				ascii++
			}
		} else if unicode.IsLetter(r) {
			other++
		}
	}
	return other >= ascii
}

// usable keeps paragraphs of running text: at least minLen characters, of
// which at least 70% (spaces aside) are letters, not starting like an option
// list ("-x", "[-x]") or a comment block ("*").
func usable(p string, minLen int) bool {
	if utf8.RuneCountInString(p) < minLen || strings.IndexByte("-[*", p[0]) >= 0 {
		return false
	}
	letters, other := 0, 0
	for _, r := range p {
		switch {
		case unicode.IsLetter(r):
			letters++
		case !unicode.IsSpace(r):
			other++
		}
	}
	return letters*10 >= (letters+other)*7
}

// cut shortens p to about max bytes at a space, or at a character boundary
// for text without spaces.
func cut(p string, max int) string {
	if len(p) <= max {
		return p
	}
	i := strings.LastIndexByte(p[:max], ' ')
	if i < max/2 {
		i = max
		for i > 0 && !utf8.RuneStart(p[i]) {
			i--
		}
	}
	return p[:i]
}

// Paragraphs turns roff source (man or mdoc macros) into paragraphs of plain
// text, each on one line. Requests and macros that start a paragraph or a
// section (.PP, .P, .LP, .TP, .IP, .SH, .SS, .sp, .Pp, .Sh, ...) end the
// current paragraph; font macros (.B, .I, .BR, ...) contribute their
// arguments; unfilled blocks (.nf … .fi, .EX … .EE), which hold code and
// synopses, are left out, as are comments, ignored blocks (.ig … ..) and
// other requests. Escapes are
// resolved to their characters or removed.
func Paragraphs(src string) []string {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			p := strings.Join(strings.Fields(strings.Join(cur, " ")), " ")
			if p != "" {
				paras = append(paras, p)
			}
			cur = cur[:0]
		}
	}
	nofill, ignore := false, false
	for _, line := range strings.Split(src, "\n") {
		if ignore {
			ignore = !strings.HasPrefix(line, "..")
			continue
		}
		if line == "" {
			flush()
			continue
		}
		if line[0] != '.' && line[0] != '\'' {
			if !nofill {
				cur = append(cur, unescape(line))
			}
			continue
		}
		req, args := splitRequest(line[1:])
		switch req {
		case "ig":
			flush()
			ignore = true
		case "nf", "EX", "Bd", "Vb":
			flush()
			nofill = true
		case "fi", "EE", "Ed", "Ve":
			nofill = false
		case "B", "I", "BR", "RB", "BI", "IB", "IR", "RI", "SM", "SB", "Nm", "Ar", "Em", "Sy":
			if !nofill {
				cur = append(cur, unescape(joinArgs(args)))
			}
		case "SH", "SS", "Sh", "Ss":
			flush()
			cur = append(cur, unescape(joinArgs(args)))
			flush()
		case "PP", "P", "LP", "TP", "IP", "HP", "sp", "br", "Pp", "It", "Bl", "El", "RS", "RE", "TH", "Dd", "Dt", "Os", "in", "ti":
			flush()
		}
	}
	flush()
	return paras
}

// splitRequest splits the text after a control character into the request
// name and its raw arguments.
func splitRequest(s string) (string, string) {
	s = strings.TrimLeft(s, " \t")
	if strings.HasPrefix(s, `\"`) {
		return "", ""
	}
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i+1:])
}

// joinArgs joins macro arguments with spaces, dropping the double quotes that
// group words into one argument.
func joinArgs(args string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(args, `"`, " ")), " ")
}

// specials names the roff special characters that man pages commonly use.
var specials = map[string]string{
	"em": "—", "en": "–", "hy": "-", "aq": "'", "dq": "\"", "lq": "“", "rq": "”",
	"oq": "‘", "cq": "’", "Fo": "«", "Fc": "»", "fo": "‹", "fc": "›", "bu": "•",
	"co": "©", "rg": "®", "tm": "™", "de": "°", "mu": "×", "di": "÷", "+-": "±",
	"ga": "`", "ha": "^", "ti": "~", "rs": "\\", "sl": "/", "ss": "ß", ":a": "ä",
	":o": "ö", ":u": "ü", ":A": "Ä", ":O": "Ö", ":U": "Ü", "'e": "é", "`e": "è",
	"'a": "á", "`a": "à", "^e": "ê", ",c": "ç", "~n": "ñ",
	"<=": "≤", ">=": "≥", "->": "→", "<-": "←", "lA": "⇐", "rA": "⇒", "...": "…",
}

// unescape resolves roff escapes in a text line: \- \e \(xx \[name] \fX,
// string and number interpolations, size changes, \" comments.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			break // a line ending in a backslash continues on the next one
		}
		i++
		switch e := s[i]; e {
		case '"', '#': // comment to end of line
			return b.String()
		case '-':
			b.WriteByte('-')
		case 'e', '\\':
			b.WriteByte('\\')
		case ' ', '~', '0':
			b.WriteByte(' ')
		case '&', '|', '^', ',', '/', '%', ':', 'c', ')', 'd', 'u', 'p', 'a', 't', 'r':
			// zero-width or layout-only escapes
		case '(':
			if i+2 < len(s) {
				b.WriteString(specials[s[i+1:i+3]])
				i += 2
			} else {
				i = len(s)
			}
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				i = len(s)
				break
			}
			name := s[i+1 : i+j]
			if r, ok := specials[name]; ok {
				b.WriteString(r)
			} else if strings.HasPrefix(name, "u") && len(name) >= 5 {
				var v rune
				ok := true
				for _, h := range name[1:] {
					switch {
					case h >= '0' && h <= '9':
						v = v*16 + h - '0'
					case h >= 'A' && h <= 'F':
						v = v*16 + h - 'A' + 10
					default:
						ok = false
					}
				}
				if ok && utf8.ValidRune(v) {
					b.WriteRune(v)
				}
			}
			i += j
		case 'f', 'F', '*', 'n', 'g', 'k', 'm', 'M', 'V', 'Y':
			// \fB, \f(BI, \f[BI], \*x, \*(xx, \*[name], \nx, ...: drop the name.
			i = skipName(s, i+1) - 1
		case 's':
			// \s+2, \s-1, \s0, \s(12, \s[12]
			j := i + 1
			if j < len(s) && (s[j] == '+' || s[j] == '-') {
				j++
			}
			if j < len(s) && (s[j] == '(' || s[j] == '[') {
				j = skipName(s, j)
			} else {
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
			}
			i = j - 1
		case 'h', 'v', 'w', 'N', 'o', 'l', 'L', 'D', 'X', 'Z', 'b', 'x', 'R', 'A', 'B', 'C':
			// \h'...' and friends take a delimited argument: drop it.
			if i+1 < len(s) {
				d := s[i+1]
				j := strings.IndexByte(s[i+2:], d)
				if j < 0 {
					i = len(s)
				} else {
					i += j + 2
				}
			}
		default:
			b.WriteByte(e)
		}
	}
	return b.String()
}

// skipName returns the index after a roff name starting at i: one character,
// "(xx" or "[name]".
func skipName(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '(':
		return min(i+3, len(s))
	case '[':
		if j := strings.IndexByte(s[i:], ']'); j >= 0 {
			return i + j + 1
		}
		return len(s)
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return i + n
}
