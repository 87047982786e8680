// Package score implements the metrics of the benchmarks in ../shared/bench,
// exactly as its README defines them, so that every winnow benchmark scores
// the same way.
//
//   - AEB (Article Extraction Benchmark): multisets of 4-word shingles over
//     Unicode \w+ tokens with case kept; per-page precision and recall averaged
//     over pages, F1 of the two averages (AEBTotal).
//   - WCXB: bag of lowercase \w+ tokens; per-page precision, recall and F1 from
//     the multiset overlap (WordPRF), averaged by the caller.
package score

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isWord reports whether r belongs to a \w+ token as Python's re module
// matches it on str: letters, numbers and the underscore. Combining marks are
// not word characters there, so they split tokens here too.
func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Words splits s into its \w+ tokens, case kept.
func Words(s string) []string {
	var out []string
	start := -1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isWord(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
		i += n
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func lowerWords(s string) []string {
	w := Words(s)
	for i := range w {
		w[i] = strings.ToLower(w[i])
	}
	return w
}

func bag(tokens []string) map[string]int {
	m := make(map[string]int, len(tokens))
	for _, t := range tokens {
		m[t]++
	}
	return m
}

// overlap returns the size of the multiset intersection of a and b.
func overlap(a, b map[string]int) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for k, ca := range a {
		if cb := b[k]; cb > 0 {
			n += min(ca, cb)
		}
	}
	return n
}

// WordPRF scores a prediction against the truth with WCXB's bag-of-words
// metric: lowercase \w+ tokens, multiset overlap, P = overlap/|pred|,
// R = overlap/|truth|. Both empty scores 1, 1, 1; one side empty scores 0.
func WordPRF(pred, truth string) (p, r, f1 float64) {
	pw, tw := lowerWords(pred), lowerWords(truth)
	switch {
	case len(pw) == 0 && len(tw) == 0:
		return 1, 1, 1
	case len(pw) == 0 || len(tw) == 0:
		return 0, 0, 0
	}
	ov := float64(overlap(bag(pw), bag(tw)))
	p = ov / float64(len(pw))
	r = ov / float64(len(tw))
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}

// shingles returns the multiset of 4-token shingles of tokens; a text of 1 to
// 3 tokens gives one shingle of all its tokens, an empty text none.
func shingles(tokens []string) map[string]int {
	m := make(map[string]int)
	if len(tokens) == 0 {
		return m
	}
	if len(tokens) < 4 {
		m[strings.Join(tokens, "\x00")]++
		return m
	}
	for i := 0; i+4 <= len(tokens); i++ {
		m[strings.Join(tokens[i:i+4], "\x00")]++
	}
	return m
}

func total(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// AEBCounts returns the shingle counts of one page for the AEB metric:
// true positives (multiset intersection), false positives (predicted only)
// and false negatives (truth only).
func AEBCounts(pred, truth string) (tp, fp, fn int) {
	ps, ts := shingles(Words(pred)), shingles(Words(truth))
	tp = overlap(ps, ts)
	return tp, total(ps) - tp, total(ts) - tp
}

// AEBTotal averages per-page AEB precision and recall.
type AEBTotal struct {
	pSum, rSum float64
	pN, rN     int
}

// Add records one page's counts.
func (t *AEBTotal) Add(tp, fp, fn int) {
	if tp+fp > 0 {
		t.pSum += pageRatio(tp, fp, fn)
		t.pN++
	}
	if tp+fn > 0 {
		t.rSum += pageRatio(tp, fn, fp)
		t.rN++
	}
}

// pageRatio is the per-page precision (other = fp) or recall (other = fn):
// 1 when nothing was wrong on either side, 0 when nothing was right.
func pageRatio(tp, miss, otherMiss int) float64 {
	if miss == 0 && otherMiss == 0 {
		return 1
	}
	if tp+miss == 0 {
		return 0
	}
	return float64(tp) / float64(tp+miss)
}

// PRF returns the averaged precision, recall and the F1 of the two averages.
func (t AEBTotal) PRF() (p, r, f1 float64) {
	if t.pN > 0 {
		p = t.pSum / float64(t.pN)
	}
	if t.rN > 0 {
		r = t.rSum / float64(t.rN)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}

// Accuracy reports whether the two texts have identical token lists.
func Accuracy(pred, truth string) bool {
	a, b := Words(pred), Words(truth)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Snippets counts how many of the snippets occur in pred, case-folded.
func Snippets(pred string, snippets []string) (found int) {
	lp := strings.ToLower(pred)
	for _, s := range snippets {
		if strings.Contains(lp, strings.ToLower(s)) {
			found++
		}
	}
	return found
}
