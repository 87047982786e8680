package quality

import "github.com/winnow-corpus/winnow/record"

// A Filter is one of the package's stages, as the pipeline sees it.
type Filter interface {
	Name() string
	Process(r *record.Record) bool
}

// FineWebChain returns FineWeb's heuristic filters in FineWeb's order, each
// with its default parameters: Gopher repetition, Gopher quality, C4 without
// the terminal-punctuation line rule, FineWeb. signals turns signals on in
// all four.
func FineWebChain(signals bool) []Filter {
	rep := DefaultGopherRepetitionConfig()
	qual := DefaultGopherQualityConfig()
	c4 := DefaultC4Config()
	c4.TerminalPunct = false
	fw := DefaultFineWebConfig()
	rep.Signals, qual.Signals, c4.Signals, fw.Signals = signals, signals, signals, signals
	// The default configurations are valid: the constructors cannot fail.
	return []Filter{
		must(NewGopherRepetition(rep)),
		must(NewGopherQuality(qual)),
		must(NewC4(c4)),
		must(NewFineWeb(fw)),
	}
}

// must returns v, panicking on err; for configurations known to be valid.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
