package quality

import (
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

// stage is what every stage of the package offers.
type stage interface {
	Name() string
	Process(r *record.Record) bool
}

// reasonOf runs st on text and returns the rejection reason, "" if kept.
func reasonOf(t *testing.T, st stage, text string, meta map[string]any) (string, *record.Record) {
	t.Helper()
	r := &record.Record{ID: "t", Text: text, Metadata: meta}
	keep := st.Process(r)
	if keep != (r.Rejection == nil) {
		t.Fatalf("%s: Process returned %v but Rejection is %+v", st.Name(), keep, r.Rejection)
	}
	if r.Rejection == nil {
		return "", r
	}
	if r.Rejection.Stage != st.Name() {
		t.Errorf("rejection stage %q, want %q", r.Rejection.Stage, st.Name())
	}
	return r.Rejection.Reason, r
}

// expectReason runs st on text and checks the rejection reason ("" for
// kept).
func expectReason(t *testing.T, st stage, text, want string) {
	t.Helper()
	got, r := reasonOf(t, st, text, nil)
	if got != want {
		detail := ""
		if r.Rejection != nil {
			detail = r.Rejection.Detail
		}
		t.Errorf("reason %q (%s), want %q", got, detail, want)
	}
}

// words hands out distinct four-letter words: "baaa", "baab", ... so that
// tests can build texts without accidental repeats.
type words struct{ n int }

func (w *words) next() string {
	b := []byte("baaa")
	for i, n := 3, w.n; i > 0 && n > 0; i, n = i-1, n/26 {
		b[i] = byte('a' + n%26)
	}
	w.n++
	return string(b)
}

// list returns n distinct words.
func (w *words) list(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = w.next()
	}
	return out
}

// padTo joins parts with single spaces and appends distinct filler words so
// that the result is exactly total bytes long.
func (w *words) padTo(t *testing.T, total int, parts ...string) string {
	t.Helper()
	s := strings.Join(parts, " ")
	sep := func() string {
		if s == "" {
			return ""
		}
		return " "
	}
	for total-len(s) > 10 {
		s += sep() + w.next()
	}
	if rest := total - len(s); rest > 0 {
		need := rest - len(sep())
		if need < 1 {
			t.Fatalf("cannot pad %d bytes to %d", len(s), total)
		}
		s += sep() + strings.Repeat("z", need)
	}
	if len(s) != total {
		t.Fatalf("padded to %d bytes, want %d", len(s), total)
	}
	return s
}

// interleave returns fillers and copies of unit, each copy preceded by a
// fresh filler word, so that the copies are not next to each other.
func (w *words) interleave(unit string, copies int) []string {
	var out []string
	for range copies {
		out = append(out, w.next(), unit)
	}
	return out
}
