// Package tokens counts the tokens of each document in the vocabularies of
// OpenAI's tokenizers (cl100k_base, o200k_base), so that a run reports the size
// of its corpus in the unit training budgets are planned in.
//
// The stage never rejects a document. For every vocabulary v it stores the
// count in metadata "tokens_<v>" and adds it to the record's corpus-wide tally
// "tokens_<v>/<language>" (record.Record.Count), where language is the
// document's "language" metadata (set by langid) or "und" when there is none.
// The runner sums the tallies over the documents it writes, so summary.json
// holds tokens per vocabulary and language; the total of a vocabulary is the sum
// over its languages.
//
// Counting uses github.com/tiktoken-go/tokenizer, which embeds the
// vocabularies, so no network or model files are needed. Invalid UTF-8 is
// counted as tiktoken counts it after errors="replace": each maximal invalid
// sequence becomes one U+FFFD.
//
// Counting is exact and fast: the text is cut into words at places no token
// spans (see segments), and each word's count is cached, so that the
// tokenizer's regular expressions run only on words not seen before. A word
// longer than 40 bytes, or text without spaces (Chinese, Japanese), goes to
// the tokenizer directly.
//
// Long segments are counted in pieces of about Config.ChunkBytes, cut only
// after a newline that is followed by a character other than white space or
// a slash.
// Neither vocabulary's pre-tokenizer lets a token span such a cut (no token
// continues from a line break into the next word), so the total is the same as
// for the whole text while the tokenizer's working memory stays bounded.
package tokens

import (
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tiktoken-go/tokenizer"

	"github.com/winnow-corpus/winnow/record"
)

// StageName is the name the stage reports itself under.
const StageName = "tokens"

// Vocabularies known to the stage, by their short names.
var vocabularies = map[string]tokenizer.Encoding{
	"cl100k": tokenizer.Cl100kBase,
	"o200k":  tokenizer.O200kBase,
}

// Config chooses the vocabularies to count in.
type Config struct {
	// Vocabularies are short names: "cl100k" (GPT-4, GPT-3.5) and "o200k"
	// (GPT-4o and later).
	Vocabularies []string `yaml:"vocabularies"`
	// LanguageKey is the metadata key holding the document's language.
	LanguageKey string `yaml:"language_key"`
	// ChunkBytes bounds the piece of text handed to the tokenizer at once
	// (see the package documentation); 0 means 1 MiB.
	ChunkBytes int `yaml:"chunk_bytes"`
}

// DefaultConfig counts in cl100k and o200k, with the language from langid.
func DefaultConfig() Config {
	return Config{Vocabularies: []string{"cl100k", "o200k"}, LanguageKey: "language", ChunkBytes: 1 << 20}
}

// MetaKey is the metadata key of a document's token count in vocabulary vocab
// ("tokens_cl100k"); CountKey prefixes the corpus-wide tallies:
// CountKey(vocab) + "/" + language.
func MetaKey(vocab string) string { return "tokens_" + vocab }

// CountKey is the prefix of a vocabulary's corpus-wide tallies in
// summary.json "counters" ("tokens_cl100k", followed by "/en", "/und", ...).
func CountKey(vocab string) string { return "tokens_" + vocab }

// Counter is the token-count stage. It is safe for concurrent use.
type Counter struct {
	names   []string
	codecs  []tokenizer.Codec
	cache   *segCache
	langKey string
	chunk   int
}

// New checks cfg and loads the vocabularies.
func New(cfg Config) (*Counter, error) {
	if len(cfg.Vocabularies) == 0 {
		return nil, fmt.Errorf("tokens: no vocabularies (known: cl100k, o200k)")
	}
	c := &Counter{langKey: cfg.LanguageKey, chunk: cfg.ChunkBytes, cache: newSegCache()}
	if c.chunk <= 0 {
		c.chunk = 1 << 20
	}
	seen := map[string]bool{}
	for _, v := range cfg.Vocabularies {
		enc, ok := vocabularies[v]
		if !ok {
			return nil, fmt.Errorf("tokens: unknown vocabulary %q (known: cl100k, o200k)", v)
		}
		if seen[v] {
			continue
		}
		seen[v] = true
		codec, err := tokenizer.Get(enc)
		if err != nil {
			return nil, fmt.Errorf("tokens: %s: %w", v, err)
		}
		// Set before any concurrent use: the mode is read on every call.
		codec.SetErrorMode(tokenizer.ErrorModeReplace)
		c.names = append(c.names, v)
		c.codecs = append(c.codecs, codec)
	}
	return c, nil
}

// Name returns "tokens".
func (c *Counter) Name() string { return StageName }

// Vocabularies returns the short names of the vocabularies counted, in order.
func (c *Counter) Vocabularies() []string { return append([]string(nil), c.names...) }

// Process counts r's tokens in every vocabulary. It always keeps r.
func (c *Counter) Process(r *record.Record) bool {
	lang := "und"
	if c.langKey != "" {
		if s, ok := r.Metadata[c.langKey].(string); ok && s != "" {
			lang = s
		}
	}
	counts := c.count(r.Text)
	for i, n := range counts {
		r.SetMeta(MetaKey(c.names[i]), n)
		r.Count(CountKey(c.names[i])+"/"+lang, int64(n))
	}
	return true
}

// Count returns the number of tokens of text in vocabulary vocab, or an
// error for a vocabulary the counter was not made with.
func (c *Counter) Count(vocab, text string) (int, error) {
	for i, v := range c.names {
		if v == vocab {
			return c.count(text)[i], nil
		}
	}
	return 0, fmt.Errorf("tokens: vocabulary %q not loaded", vocab)
}

// count counts text in every vocabulary: the sums over its segments (see
// segments). A segment's counts come from the cache when it is there; the
// segments that are not are joined, in order, and handed to the tokenizers
// in one call each (batchBytes at most), whose tokens are then shared out to
// the segments they came from and cached.
//
// Joining is exact for the same reason as cutting: every segment but the
// document's last ends before a cut (with a character other than white
// space) and every one but the first starts at one (with a space), so each
// junction is again a place no token spans.
func (c *Counter) count(text string) []int {
	totals := make([]int, len(c.codecs))
	var batch []string
	size := 0
	segments(text, func(seg string) {
		if len(seg) > maxCachedBytes || !utf8.ValidString(seg) {
			for v, codec := range c.codecs {
				totals[v] += c.countLong(codec, seg)
			}
			return
		}
		if e, ok := c.cache.get(seg); ok {
			for v := range totals {
				totals[v] += int(e[v])
			}
			return
		}
		batch = append(batch, seg)
		size += len(seg)
		if size >= batchBytes {
			c.countBatch(batch, size, totals)
			batch, size = batch[:0], 0
		}
	})
	if len(batch) > 0 {
		c.countBatch(batch, size, totals)
	}
	return totals
}

// batchBytes bounds the text of one tokenizer call for uncached segments.
const batchBytes = 64 << 10

// countBatch adds the counts of the joined segments (valid UTF-8, size bytes
// in all) to totals and caches each segment's counts.
func (c *Counter) countBatch(segs []string, size int, totals []int) {
	var sb strings.Builder
	sb.Grow(size)
	for _, s := range segs {
		sb.WriteString(s)
	}
	joined := sb.String()
	per := make([]entry, len(segs))
	cacheable := true
	for v, codec := range c.codecs {
		_, toks, err := codec.Encode(joined)
		if err != nil {
			// As in countLong: a failed call counts each segment alone.
			for _, s := range segs {
				totals[v] += c.countLong(codec, s)
			}
			cacheable = false
			continue
		}
		totals[v] += len(toks)
		// Share the tokens out by their byte offsets; they lie back to
		// back (if they do not cover the text exactly, nothing is cached).
		covered := 0
		for _, t := range toks {
			covered += len(t)
		}
		if covered != size {
			cacheable = false
			continue
		}
		i, end, off := 0, len(segs[0]), 0
		for _, t := range toks {
			for off >= end && i+1 < len(segs) {
				i++
				end += len(segs[i])
			}
			per[i][v]++
			off += len(t)
		}
	}
	if cacheable {
		for i, s := range segs {
			c.cache.put(s, per[i])
		}
	}
}

// segments calls fn with consecutive pieces of text that no token of either
// vocabulary spans, so that counting them one by one gives the count of the
// whole text. It cuts before every ASCII space that follows a character
// other than white space. In both pre-tokenizer patterns, a token holding
// such a character (a letter, mark, digit or punctuation) can only go on with
// more characters that are not white space (letters after a letter, an
// apostrophe's contraction, line breaks or slashes after punctuation), so a
// token ends before the space; and the patterns have no look-behind or
// anchors, so the tokens after the cut are the same whether the text before
// it is there or not.
//
// A document is thus split into words with their leading space and trailing
// punctuation (" river,"), which repeat across a corpus and are cached.
func segments(text string, fn func(string)) {
	start := 0
	prevSolid := false
	for i := 0; i < len(text); {
		b := text[i]
		if b < utf8.RuneSelf {
			if b == ' ' && prevSolid {
				fn(text[start:i])
				start = i
			}
			prevSolid = asciiSolid[b]
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		prevSolid = !unicode.IsSpace(r) // an invalid byte counts as U+FFFD, a symbol
		i += size
	}
	if start < len(text) {
		fn(text[start:])
	}
}

// asciiSolid marks the ASCII characters that are not white space.
var asciiSolid = func() (t [utf8.RuneSelf]bool) {
	for b := range t {
		t[b] = !strings.ContainsRune(" \t\n\v\f\r", rune(b))
	}
	return t
}()

// Cache bounds: segments up to maxCachedBytes are cached, up to
// cacheEntries per vocabulary (about 20 MB each); when a shard is full, new
// segments are counted without being added (counts never depend on the
// cache). The words met first fill it, and the frequent ones are met first.
const (
	maxCachedBytes = 40
	cacheShards    = 64
	cacheEntries   = 1 << 18
)

// entry holds a segment's token count in each vocabulary, in Counter order.
type entry [maxVocabularies]int32

// maxVocabularies is the number of vocabularies the stage knows.
const maxVocabularies = 2

// segCache maps a segment to its token counts. It is sharded to keep lock
// contention low when all cores count at once.
type segCache struct {
	seed   maphash.Seed
	shards [cacheShards]struct {
		mu sync.RWMutex
		m  map[string]entry
		_  [32]byte // keep shards on separate cache lines
	}
}

func newSegCache() *segCache {
	sc := &segCache{seed: maphash.MakeSeed()}
	for i := range sc.shards {
		sc.shards[i].m = make(map[string]entry)
	}
	return sc
}

// get returns the cached counts of seg.
func (sc *segCache) get(seg string) (entry, bool) {
	sh := &sc.shards[maphash.String(sc.seed, seg)%cacheShards]
	sh.mu.RLock()
	e, ok := sh.m[seg]
	sh.mu.RUnlock()
	return e, ok
}

// put caches the counts of seg, unless its shard is full.
func (sc *segCache) put(seg string, e entry) {
	sh := &sc.shards[maphash.String(sc.seed, seg)%cacheShards]
	sh.mu.Lock()
	if len(sh.m) < cacheEntries/cacheShards {
		// A copy: the key must not keep the document's text alive.
		sh.m[strings.Clone(seg)] = e
	}
	sh.mu.Unlock()
}

// countLong counts text with the tokenizer, in pieces of at most about
// c.chunk bytes (see cut).
func (c *Counter) countLong(codec tokenizer.Codec, text string) int {
	total := 0
	for len(text) > 0 {
		end := cut(text, c.chunk)
		// The codec's errors come from its regular expression engine
		// (a time-out, which is not set); a piece it fails on counts zero
		// rather than stopping the run.
		if n, err := codec.Count(text[:end]); err == nil {
			total += n
		}
		text = text[end:]
	}
	return total
}

// cut returns where the first piece of text ends: len(text) when it is at
// most max bytes, otherwise just after the first newline at or beyond max
// that is followed by a character other than white space or '/' (o200k
// lets a punctuation token run on over line breaks and slashes), so that no
// token can span the cut; len(text) if there is none.
func cut(text string, max int) int {
	if len(text) <= max {
		return len(text)
	}
	for i := max; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			return len(text)
		}
		k := i + j + 1
		if k >= len(text) {
			return len(text)
		}
		r, _ := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsSpace(r) && r != '/' && r != utf8.RuneError {
			return k
		}
		i = k
	}
	return len(text)
}
