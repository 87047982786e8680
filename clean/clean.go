package clean

import (
	"fmt"
	"sync"

	"github.com/winnow-corpus/winnow/record"
)

// Config configures the cleaning stage.
type Config struct {
	// Threshold is the content probability below which a line is dropped.
	// Zero uses the threshold stored with the model (tuned by
	// cross-validation on clean-dev). Higher values drop more.
	Threshold float64 `yaml:"threshold"`
	// Lead is the lower threshold that applies to a line right before a
	// kept line (a heading or lead-in). Zero uses the model's.
	Lead float64 `yaml:"lead"`
	// Model is the path of a model file written by `winnow bench clean
	// --write-model`. Empty uses the built-in model.
	Model string `yaml:"model"`
	// Rules turns on the boilerplate phrase rules: a line of at most
	// RuleMaxWords words holding a phrase such as "all rights reserved",
	// "accept cookies" or "subscribe to" is dropped whatever the model
	// says, and a "©" sign counts as such a phrase; a cookie notice is
	// dropped up to twice as many words.
	Rules        bool `yaml:"rules"`
	RuleMaxWords int  `yaml:"rule_max_words"`
	// ModelOnExtracted runs the line model also on text the extract stage
	// extracted from HTML (records with record.MetaExtractConfidence).
	// Off by default: the extractor has already chosen the content
	// blocks, and the line model, trained on whole pages' text, then
	// drops more content than boilerplate (see MODEL.md). The phrase
	// rules and the template signal apply to every record.
	ModelOnExtracted bool `yaml:"model_on_extracted"`
	// Template configures the cross-document signal of CorpusCleaner.
	Template TemplateConfig `yaml:"template"`
}

// DefaultConfig returns the configuration `winnow clean` uses.
func DefaultConfig() Config {
	return Config{
		Rules:        true,
		RuleMaxWords: 12,
		Template:     DefaultTemplateConfig(),
	}
}

// A Cleaner drops the boilerplate lines of already-extracted text: menus,
// cookie banners, newsletter forms, share prompts, copyright notices,
// related links and the like. It keeps the content lines byte for byte.
// A Cleaner is safe for concurrent use.
type Cleaner struct {
	cfg             Config
	model           *Model
	flat            *flatEnsemble
	flat2           *flatEnsemble // the second stage, or nil
	threshold, lead float64
	pool            sync.Pool
}

// New returns a Cleaner for cfg.
func New(cfg Config) (*Cleaner, error) {
	var (
		m   *Model
		err error
	)
	if cfg.Model != "" {
		m, err = LoadModel(cfg.Model)
	} else {
		m, err = BuiltinModel()
	}
	if err != nil {
		return nil, err
	}
	return NewWithModel(cfg, m)
}

// NewWithModel returns a Cleaner that scores lines with m instead of the
// model cfg names; the trainer uses it to score a model it just fitted.
func NewWithModel(cfg Config, m *Model) (*Cleaner, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	if cfg.Threshold < 0 || cfg.Threshold > 1 {
		return nil, fmt.Errorf("clean: threshold %v outside [0, 1]", cfg.Threshold)
	}
	if cfg.RuleMaxWords < 0 {
		return nil, fmt.Errorf("clean: rule_max_words %d is negative", cfg.RuleMaxWords)
	}
	if cfg.Lead < 0 || cfg.Lead > 1 {
		return nil, fmt.Errorf("clean: lead %v outside [0, 1]", cfg.Lead)
	}
	c := &Cleaner{cfg: cfg, model: m, flat: flatten(&m.Trees), threshold: cfg.Threshold, lead: cfg.Lead}
	if c.threshold == 0 {
		c.threshold = m.Threshold
	}
	if c.lead == 0 {
		c.lead = m.Lead
	}
	c.lead = min(c.lead, c.threshold)
	if m.Stage2 != nil {
		c.flat2 = flatten(m.Stage2)
	}
	c.pool.New = func() any { return new(doc) }
	return c, nil
}

// Name returns "clean".
func (c *Cleaner) Name() string { return "clean" }

// Threshold returns the probability below which lines are dropped, and the
// lower one for a line right before a kept line.
func (c *Cleaner) Threshold() (threshold, lead float64) { return c.threshold, c.lead }

// A Decision is the verdict on one line of a text.
type Decision struct {
	Line  int    // 0-based line number in the text
	Text  string // the line without its terminator
	Blank bool   // the line is blank: a paragraph break, not classified
	Keep  bool   // the line is kept (always false for blank lines)
	// Reason says why a dropped line was dropped; Content for kept and
	// blank lines.
	Reason Category
	// Score is the model's probability that the line is content, in [0, 1].
	Score float64
	// Forced is true when a rule or the template signal dropped the line
	// whatever its score.
	Forced bool
}

// Lines classifies every line of text.
func (c *Cleaner) Lines(text string) []Decision {
	d := c.pool.Get().(*doc)
	defer c.pool.Put(d)
	c.classify(text, d, nil)
	out := make([]Decision, len(d.lines))
	for i, s := range d.lines {
		out[i] = Decision{Line: i, Text: text[s.start:s.end], Blank: s.blank}
	}
	for k, li := range d.idx {
		out[li].Keep = d.keep[k]
		out[li].Score = d.p[k]
		out[li].Reason = d.why[k]
		out[li].Forced = d.forced[k]
	}
	return out
}

// Clean returns text without its boilerplate lines.
func (c *Cleaner) Clean(text string) string {
	d := c.pool.Get().(*doc)
	defer c.pool.Put(d)
	c.classify(text, d, nil)
	return d.output(text)
}

// Process cleans r.Text in place. Every dropped line is appended to
// r.Removed with its reason code and score. A record left with no text is
// rejected with reason "clean_empty".
func (c *Cleaner) Process(r *record.Record) bool {
	return c.process(r, nil)
}

func (c *Cleaner) process(r *record.Record, drop func(norm uint64) bool) bool {
	d := c.pool.Get().(*doc)
	defer c.pool.Put(d)
	text := r.Text
	c.classify(text, d, drop)
	if _, extracted := r.Metadata[record.MetaExtractConfidence]; extracted && !c.cfg.ModelOnExtracted {
		// Only the rules and the template decide; the scores stay, for
		// the decision log.
		for k := range d.keep {
			if d.keep[k] = !d.forced[k]; d.keep[k] {
				d.why[k] = Content
			}
		}
	}
	for k, li := range d.idx {
		if !d.keep[k] {
			s := d.lines[li]
			r.Removed = append(r.Removed, record.RemovedLine{
				Stage: "clean", Line: li, Text: text[s.start:s.end],
				Reason: d.why[k].String(), Score: d.p[k],
			})
		}
	}
	r.Text = d.output(text)
	if r.Text == "" {
		return r.Reject("clean", "clean_empty", fmt.Sprintf("all %d lines dropped", len(d.idx)))
	}
	return true
}

// classify fills d.keep, d.why and d.p (the content probability) for the
// non-blank lines of text. drop, when not nil, marks lines of a site's
// template by their normalized hash.
func (c *Cleaner) classify(text string, d *doc, drop func(norm uint64) bool) {
	d.lex = c.model.Lexicon
	d.analyze(text)
	n := len(d.idx)
	d.p = growF(d.p, n)
	c.flat.probs(d.x, d.p)
	if c.flat2 != nil {
		d.stack.size = growF(d.stack.size, n)
		for k := range d.stack.size {
			d.stack.size[k] = float64(d.st[k].runes + 1)
		}
		d.stack.fill(d.stack.size, d.p, d.x, 0)
		c.flat2.probs(d.x, d.p)
	}
	if cap(d.keep) < n {
		d.keep = make([]bool, n)
		d.forced = make([]bool, n)
		d.why = make([]Category, n)
	}
	d.keep, d.forced, d.why = d.keep[:n], d.forced[:n], d.why[:n]
	for k := 0; k < n; k++ {
		st := &d.st[k]
		forced, why := false, Content
		switch {
		case drop != nil && drop(st.norm):
			forced, why = true, Template
		case c.cfg.Rules && ruled(st, c.cfg.RuleMaxWords):
			forced, why = true, strongCategory(st)
		}
		d.forced[k], d.why[k] = forced, why
	}
	t, lead := c.threshold, c.lead
	if c.model.Expected > 0 {
		d.size = growF(d.size, n)
		for k := range d.size {
			d.size[k] = float64(d.st[k].runes)
		}
		t, lead = PageThreshold(d.p, d.size, t, lead, c.model.Expected)
	}
	Select(d.p, d.forced, t, lead, c.model.Relative, d.keep)
	if c.model.TitleHeading {
		TitleHeading(d.keep, d.forced, d.headline >= 0)
	}
	for k := 0; k < n; k++ {
		if !d.keep[k] && !d.forced[k] {
			d.why[k] = weakCategory(&d.st[k])
		}
	}
}

// output assembles the kept lines.
func (d *doc) output(text string) string {
	if len(d.lines) == 0 {
		return ""
	}
	if cap(d.keepLines) < len(d.lines) {
		d.keepLines = make([]bool, len(d.lines))
	}
	d.keepLines = d.keepLines[:len(d.lines)]
	clear(d.keepLines)
	for k, li := range d.idx {
		d.keepLines[li] = d.keep[k]
	}
	return assemble(text, d.lines, d.keepLines)
}

// ruled reports whether the phrase rules drop a line: it holds a strong
// phrase or a © sign and has at most maxWords words, or twice as many for
// a cookie notice ("We use cookies to give you the best experience. Accept
// all / Manage settings"), which is longer than other furniture and never
// content.
func ruled(st *lineStats, maxWords int) bool {
	words := int(st.words)
	return words <= maxWords && (st.strong != 0 || st.copyright) ||
		words <= 2*maxWords && st.strong&fCookie != 0
}

// strongCategory names the category of a line that matched a strong phrase.
func strongCategory(st *lineStats) Category {
	for k, f := range categoryFlags {
		if st.strong&f != 0 {
			return Category(k + 1)
		}
	}
	return Legal // the © sign
}

// weakCategory guesses why the model dropped a line from its vocabulary
// and shape.
func weakCategory(st *lineStats) Category {
	if st.copyright {
		return Legal
	}
	// The specific categories first: navigation words are common in them.
	best, bestN := Other, int32(0)
	for k := 1; k < len(categoryFlags); k++ {
		if st.cats[k] > bestN {
			best, bestN = Category(k+1), st.cats[k]
		}
	}
	if bestN > 0 {
		return best
	}
	if st.cats[0] > 0 || st.words <= 6 && st.end != endTerminal {
		return Navigation
	}
	return Other
}

func growF(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
