// Package quality implements the published heuristic quality filters for web
// text: Gopher quality and Gopher repetition (Rae et al. 2021), C4 (Raffel et
// al. 2020) and the FineWeb additions (Penedo et al. 2024), with the parameters
// of datatrove, the reference implementation FineWeb was built with.
//
// Each filter is a stage with its own configuration (GopherQualityConfig,
// GopherRepetitionConfig, C4Config, FineWebConfig: yaml keys in snake_case),
// a function giving the published defaults (DefaultGopherQualityConfig, ...)
// and a constructor (NewGopherQuality, ...) returning a value with Name and
// Process methods, safe for concurrent use. Process returns false after
// r.Reject with a stable reason code such as "gopher_min_words"; the codes
// are the Reason* constants of this package. FineWebChain builds the four
// stages as FineWeb runs them.
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
// rules more literally than datatrove's code does:
//
//   - Gopher quality: the symbol, alphabetic-word and stop-word rules count
//     words as defined above (datatrove divides by all tokens, punctuation
//     included, and matches stop words case-sensitively); the mean word
//     length rule is not applied to languages written without spaces.
//   - FineWeb: the terminal-punctuation share is over non-empty lines and
//     fails below 0.12 (datatrove: all lines, at or below); the short-line
//     and duplicate-character rules fail above their thresholds (datatrove:
//     at or above).
//   - C4: words per line are counted after citation marks are removed, as
//     TFDS does (datatrove counts before); "。", "！" and "？" end lines too.
//
// Where the table leaves a detail open, winnow follows datatrove's code,
// quirks included:
// lines for Gopher repetition are split at runs of newlines, the most
// frequent n-gram is measured with the spaces between its words and the
// duplicated n-grams without them, and C4's document rules ("lorem ipsum",
// "{") look only at lines that passed the line rules before them. The word
// tokenizer approximates NLTK's (see tokenize), so word counts can differ
// from datatrove's by a few percent on real text.
//
// # Speed
//
// The stages work on hashes in open-addressing tables reused between
// documents, and skip what cannot change a decision: n-grams are counted
// only at positions where the shorter n-gram repeats, C4 searches its
// phrases once per text, and without signals sentences and words are
// counted only as far as a rule needs. Gopher quality reuses the tokens of a
// Gopher repetition stage run just before on the same text. The target is 50
// times datatrove's documents per CPU-second for FineWebChain; "winnow bench
// filters" measures it on clean-dev's crawl-style pages.
package quality
