package langid

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// Undetermined is the code reported for text with no letters to judge by
// (ISO 639-2 "und").
const Undetermined = "und"

// Result is a detector's best guess for one text.
type Result struct {
	Lang  string  // language code: ISO 639-1 where one exists, else ISO 639-3; "und" for none
	Score float64 // confidence in [0, 1]
}

// A Detector guesses the language of a text. Implementations are safe for
// concurrent use.
type Detector interface {
	// Name identifies the detector in output metadata ("language_detector"),
	// e.g. "fasttext:lid.176.ftz" or "whatlanggo".
	Name() string
	// Detect returns the most probable language of text. Newlines count as
	// spaces: the whole text is judged as one line.
	Detect(text string) Result
}

// hasLetter reports whether text contains a letter; texts without one get
// Undetermined from every detector rather than a guess from the model's
// prior (fastText would still answer for an empty line, from "</s>" alone).
func hasLetter(text string) bool {
	for _, r := range text {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// FastText is a Detector backed by a fastText classifier such as lid.176 or
// GlotLID: it reports the top label without its "__label__" prefix.
type FastText struct {
	model *Model
	name  string
}

// NewFastText returns a Detector over m; name is reported by Name.
func NewFastText(m *Model, name string) *FastText { return &FastText{model: m, name: name} }

// Model returns the underlying model.
func (d *FastText) Model() *Model { return d.model }

// Name returns the name given to NewFastText.
func (d *FastText) Name() string { return d.name }

// Detect implements Detector.
func (d *FastText) Detect(text string) Result {
	if !hasLetter(text) {
		return Result{Lang: Undetermined}
	}
	p := d.model.Predict(text, 1, 0)
	if len(p) == 0 {
		return Result{Lang: Undetermined}
	}
	return Result{Lang: p[0].Lang(), Score: min(p[0].Prob, 1)}
}

// The models loaded so far, by absolute path: every stage and command in a
// process that names the same file shares one read-only Model.
var (
	modelsMu sync.Mutex
	models   = map[string]*Model{}
)

// DefaultModelPath returns where scripts/fetch-lid-model.sh puts
// lid.176.ftz: $WINNOW_LID_MODEL if set, else lid.176.ftz in $WINNOW_CACHE,
// $XDG_CACHE_HOME/winnow or ~/.cache/winnow. The file may not exist.
func DefaultModelPath() string {
	if p := os.Getenv("WINNOW_LID_MODEL"); p != "" {
		return p
	}
	dir := os.Getenv("WINNOW_CACHE")
	if dir == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, _ := os.UserHomeDir()
			base = filepath.Join(home, ".cache")
		}
		dir = filepath.Join(base, "winnow")
	}
	return filepath.Join(dir, "lid.176.ftz")
}

// SharedModel loads the fastText model at path once per process and returns
// the same *Model to every caller.
func SharedModel(path string) (*Model, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	modelsMu.Lock()
	defer modelsMu.Unlock()
	if m, ok := models[abs]; ok {
		return m, nil
	}
	m, err := LoadModel(abs)
	if err != nil {
		return nil, err
	}
	models[abs] = m
	return m, nil
}

// Fallback is the embedded detector used when no model file is configured:
// whatlanggo (github.com/abadojack/whatlanggo, MIT licence), a trigram
// detector of 84 languages that needs no download. It first picks the
// writing system, then compares the text's 300 most frequent trigrams with
// each candidate language's profile. Its confidence measures how far the best
// language is ahead of the second, so it is not a probability: compare it to
// its own thresholds, not fastText's. Han script is always reported as "zh".
type Fallback struct{}

// NewFallback returns the embedded detector.
func NewFallback() Fallback { return Fallback{} }

// Name returns "whatlanggo".
func (Fallback) Name() string { return "whatlanggo" }

// fallbackCodes maps whatlanggo's languages to ISO 639-1 codes where they
// exist and ISO 639-3 codes otherwise, as lid.176 labels them, so that one
// keep-list serves both detectors. Where whatlanggo names a variety that
// lid.176 folds into its macrolanguage, the macrolanguage's code is used.
var fallbackCodes = sync.OnceValue(func() map[whatlanggo.Lang]string {
	macro := map[string]string{"nb": "no", "pes": "fa", "ydd": "yi"}
	codes := map[whatlanggo.Lang]string{}
	for l := whatlanggo.Lang(0); l < 256; l++ {
		code := l.Iso6391()
		if code == "" {
			code = l.Iso6393()
		}
		if m, ok := macro[code]; ok {
			code = m
		}
		if code != "" {
			codes[l] = code
		}
	}
	return codes
})

// fallbackWindow is the size of the text whatlanggo judges at once. Its
// distance between trigram rankings assumes a text of a few hundred
// trigrams: on longer texts the ranks of the text's trigrams exceed its
// scale, the confidence becomes meaningless (even negative) and the language
// drifts (on clean-dev's crawl-style pages, 3 KB samples disagree with
// lid.176 on 11% of the pages, 1 KB windows on 1%).
const fallbackWindow = 1000

// Detect implements Detector. A text longer than 1,000 bytes is judged on
// three windows of about 1,000 bytes from its start, middle and end (see
// Sample); each window votes for its language with its confidence, and the
// score is the winner's votes divided by the number of windows.
func (Fallback) Detect(text string) Result {
	if !hasLetter(text) {
		return Result{Lang: Undetermined}
	}
	parts := []string{text}
	if len(text) > fallbackWindow {
		parts = windows(text, 3*fallbackWindow)
	}
	codes := fallbackCodes()
	votes := map[string]float64{}
	best := Result{Lang: Undetermined}
	for _, part := range parts {
		if !utf8.ValidString(part) {
			part = strings.ToValidUTF8(part, " ")
		}
		info := whatlanggo.Detect(part)
		code, ok := codes[info.Lang]
		if !ok {
			continue
		}
		// The confidence can fall below 0 or be NaN: clamp it to [0, 1].
		c := info.Confidence
		if !(c > 0) {
			c = 0
		}
		// A window of zero confidence still counts a little, so that a
		// language is reported when every window is unsure.
		votes[code] += min(c, 1) + 1e-6
		if votes[code] > votes[best.Lang] {
			best.Lang = code
		}
	}
	if best.Lang != Undetermined {
		best.Score = min(votes[best.Lang]/float64(len(parts)), 1)
	}
	return best
}

// Sample bounds the text a detector reads. A text of at most maxBytes bytes
// (or any text when maxBytes <= 0) is returned whole; a longer one gives three
// windows of about maxBytes/3 bytes from its start, middle and end, cut at
// whitespace and joined by spaces, so that a long document is judged by more
// than its opening lines at a bounded cost.
func Sample(text string, maxBytes int) string {
	if maxBytes <= 0 || len(text) <= maxBytes {
		return text
	}
	return strings.Join(windows(text, maxBytes), " ")
}

// windows returns the three windows of Sample for a text longer than maxBytes.
func windows(text string, maxBytes int) []string {
	w := maxBytes / 3
	mid := len(text)/2 - w/2
	return []string{window(text, 0, w), window(text, mid, mid+w), window(text, len(text)-w, len(text))}
}

// window returns text[start:end] shrunk to whole words: it starts after the
// first whitespace (unless at 0) and ends at the last whitespace (unless at
// the end), falling back to UTF-8 character boundaries when the window holds
// no whitespace.
func window(text string, start, end int) string {
	s, e := start, end
	if s > 0 {
		if i := strings.IndexFunc(text[s:e], unicode.IsSpace); i >= 0 {
			s += i
		} else {
			for s < e && !utf8.RuneStart(text[s]) {
				s++
			}
		}
	}
	if e < len(text) {
		if i := strings.LastIndexFunc(text[s:e], unicode.IsSpace); i > 0 {
			e = s + i
		} else {
			for e > s && !utf8.RuneStart(text[e]) {
				e--
			}
		}
	}
	return strings.TrimSpace(text[s:e])
}
