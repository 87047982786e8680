package langid

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/winnow-corpus/winnow/record"
)

// StageName is the name of the language-ID stage in configs and decision logs.
const StageName = "langid"

// Reason codes of the stage's rejections.
const (
	// ReasonNotKept: the detected language is not in Config.Languages.
	ReasonNotKept = "langid_not_kept"
	// ReasonLowScore: the detector's confidence is below the language's threshold.
	ReasonLowScore = "langid_low_score"
)

// Metadata keys the stage writes on every record it sees.
const (
	MetaLanguage = "language"          // detected code, e.g. "en"; "und" for text without letters
	MetaScore    = "language_score"    // confidence in [0, 1], rounded to 4 decimals
	MetaDetector = "language_detector" // "fasttext:<model file name>" or "whatlanggo"
)

// Config configures the language-ID stage.
type Config struct {
	// Model is the path of a fastText model (.bin or .ftz), e.g. lid.176.ftz
	// as put in ~/.cache/winnow by scripts/fetch-lid-model.sh, or a GlotLID
	// model. Empty: use the embedded fallback detector (whatlanggo).
	Model string `yaml:"model"`
	// Languages is the keep-list of language codes; empty keeps every language.
	Languages []string `yaml:"languages"`
	// Threshold is the minimum confidence to keep a document (0.65 as FineWeb
	// keeps English; cc_net uses 0.5). Thresholds overrides it per language.
	Threshold  float64            `yaml:"threshold"`
	Thresholds map[string]float64 `yaml:"thresholds"`
	// SampleBytes bounds the text read from a long document (see Sample);
	// 0 reads whole documents.
	SampleBytes int `yaml:"sample_bytes"`
}

// DefaultConfig returns the FineWeb setting: any language, confidence at
// least 0.65, fallback detector, 12 KB samples.
func DefaultConfig() Config {
	return Config{Threshold: 0.65, SampleBytes: 12000}
}

// Stage tags each document with its language and drops those outside the
// keep-list or below the confidence threshold.
type Stage struct {
	cfg  Config
	det  Detector
	keep map[string]bool
}

// New returns the stage for cfg. With cfg.Model set it loads the model once
// per process (see SharedModel); every worker shares it.
func New(cfg Config) (*Stage, error) {
	if cfg.Threshold < 0 || cfg.Threshold > 1 {
		return nil, fmt.Errorf("langid: threshold %v outside [0, 1]", cfg.Threshold)
	}
	for lang, t := range cfg.Thresholds {
		if t < 0 || t > 1 {
			return nil, fmt.Errorf("langid: threshold %v for %q outside [0, 1]", t, lang)
		}
	}
	if cfg.SampleBytes < 0 {
		return nil, fmt.Errorf("langid: sample_bytes %d is negative", cfg.SampleBytes)
	}
	det, err := NewDetector(cfg.Model)
	if err != nil {
		return nil, err
	}
	s := &Stage{cfg: cfg, det: det}
	if len(cfg.Thresholds) > 0 {
		s.cfg.Thresholds = make(map[string]float64, len(cfg.Thresholds))
		for l, t := range cfg.Thresholds {
			s.cfg.Thresholds[normalizeCode(l)] = t
		}
	}
	if len(cfg.Languages) > 0 {
		s.keep = make(map[string]bool, len(cfg.Languages))
		for _, l := range cfg.Languages {
			s.keep[normalizeCode(l)] = true
		}
	}
	return s, nil
}

// NewDetector returns a fastText detector over the model at path (shared
// per process), or the fallback detector when path is empty.
func NewDetector(path string) (Detector, error) {
	if path == "" {
		return NewFallback(), nil
	}
	m, err := SharedModel(path)
	if err != nil {
		return nil, fmt.Errorf("langid: %w", err)
	}
	return NewFastText(m, "fasttext:"+filepath.Base(path)), nil
}

// normalizeCode accepts "en", "EN" or "__label__en" in a keep-list.
func normalizeCode(s string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), labelPrefix))
}

// Name returns "langid".
func (s *Stage) Name() string { return StageName }

// Detector returns the detector the stage uses.
func (s *Stage) Detector() Detector { return s.det }

// threshold returns the confidence a document in lang needs.
func (s *Stage) threshold(lang string) float64 {
	if t, ok := s.cfg.Thresholds[lang]; ok {
		return t
	}
	return s.cfg.Threshold
}

// Process detects the language of a bounded sample of r.Text, records it in
// the metadata, and keeps r when the language is in the keep-list (if any)
// and its score reaches the language's threshold.
func (s *Stage) Process(r *record.Record) bool {
	res := s.det.Detect(Sample(r.Text, s.cfg.SampleBytes))
	score := math.Round(res.Score*1e4) / 1e4
	r.SetMeta(MetaLanguage, res.Lang)
	r.SetMeta(MetaScore, score)
	r.SetMeta(MetaDetector, s.det.Name())
	if s.keep != nil && !s.keep[res.Lang] {
		return r.Reject(StageName, ReasonNotKept, fmt.Sprintf("%s %.4f", res.Lang, score))
	}
	if t := s.threshold(res.Lang); res.Score < t {
		return r.Reject(StageName, ReasonLowScore, fmt.Sprintf("%s %.4f < %g", res.Lang, score, t))
	}
	return true
}
