package quality

import (
	"fmt"
	"strings"

	"github.com/winnow-corpus/winnow/record"
)

// A verdict collects the outcome of one stage's rules on one record: the
// first rule that failed and, with signals on, every statistic computed.
type verdict struct {
	stage   string
	signals bool
	r       *record.Record
	reason  string
	detail  string
}

// fail records that a rule failed, unless an earlier one already did.
func (v *verdict) fail(reason, format string, args ...any) {
	if v.reason == "" {
		v.reason = reason
		v.detail = fmt.Sprintf(format, args...)
	}
}

// done reports whether the stage can stop computing: a rule failed and no
// signals are wanted.
func (v *verdict) done() bool { return v.reason != "" && !v.signals }

// signal writes one statistic into the record's metadata when signals are on.
func (v *verdict) signal(key string, value any) {
	if v.signals {
		v.r.SetMeta(key, value)
	}
}

// keep rejects the record if a rule failed and reports whether it is kept.
func (v *verdict) keep() bool {
	if v.reason != "" {
		return v.r.Reject(v.stage, v.reason, v.detail)
	}
	return true
}

// over reports whether x exceeds a maximum; a negative maximum is a rule
// turned off.
func over(x, max float64) bool { return max >= 0 && x > max }

// under reports whether x is below a minimum; a negative minimum is a rule
// turned off.
func under(x, min float64) bool { return min >= 0 && x < min }

// ratio is a/b, or 0 when b is 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// eachLine calls fn for every line of text split at "\n" (a trailing "\r" is
// not part of a line). Like Python's str.splitlines, a final newline does not
// start another, empty line, and an empty text has no lines.
func eachLine(text string, fn func(line string)) {
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		var line string
		if i < 0 {
			line, text = text, ""
		} else {
			line, text = text[:i], text[i+1:]
		}
		fn(strings.TrimSuffix(line, "\r"))
	}
}
