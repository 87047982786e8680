// Package quality implements the published heuristic quality filters for web
// text: Gopher quality and Gopher repetition (Rae et al. 2021), C4 (Raffel et
// al. 2020) and the FineWeb additions (Penedo et al. 2024), with the parameters
// of datatrove, the reference implementation FineWeb was built with.
//
// Each filter is a stage: a constructor takes a Config (yaml keys in
// snake_case, DefaultConfig gives the published values) and returns a value
// with Name and Process methods, safe for concurrent use. Process returns
// false after r.Reject with a stable reason code such as "gopher_min_words";
// the codes are the Reason* constants of this package.
//
// # Words
//
// All filters count words the same way (see tokenize): text is split at white
// space and punctuation is split off into tokens of its own, much as NLTK's
// word_tokenize does for datatrove. A "word" is a token with at least one
// character that is not punctuation or a symbol. Scripts written without
// spaces are segmented so that their documents are not dropped by word-count
// rules by accident: every Han, Hiragana and Katakana character is a word, and
// Thai and Lao runs are split before each leading vowel and after the
// vowels that often end a syllable (a simple heuristic, not a dictionary segmenter).
//
// # Signals
//
// With Config.Signals set, a stage computes every statistic its rules use,
// even after a rule has failed, and writes them into the record's metadata
// under keys starting with "q_" (see the Signal* constants), for kept and
// rejected documents alike, so that a corpus can be re-filtered with other
// thresholds without running the filters again (as RedPajama-V2 does). Without
// it a stage stops at the first failing rule.
//
// # Where winnow departs from datatrove
//
// Thresholds and comparisons are those of the project's reference table
// (shared/reference/filters.md), which in a few places reads the published
// rules more literally than datatrove's code: ratios "per word" divide by the
// words as defined above (datatrove divides by all tokens, punctuation
// included); stop words are matched case-insensitively; FineWeb's
// terminal-punctuation ratio is over non-empty lines. These are noted on the
// fields they concern.
package quality
