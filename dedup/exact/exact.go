// Package exact removes documents whose normalized text is identical to an
// earlier document's.
//
// Each document's text is normalized (by default: lower case, white space
// collapsed) and hashed with 64-bit xxh3; documents with equal hashes form a
// cluster, of which the first in corpus order is kept (see dedup.Clusterer).
// Documents whose normalized text is empty are left alone: an empty page is
// for the quality filters to judge, not a duplicate. With 64-bit hashes, two
// different texts collide with probability about n²/2^65: once in 10^7
// corpora of a billion documents.
package exact

import (
	"fmt"

	"github.com/zeebo/xxh3"

	"github.com/winnow-corpus/winnow/dedup"
)

// Name and Reason are the stage name and the rejection reason.
const (
	Name   = "exact_dedup"
	Reason = "exact_duplicate"
)

// Config configures exact deduplication.
type Config struct {
	// Normalization is applied before hashing.
	Normalization dedup.Normalization `yaml:"normalization"`
	// Common holds memory_mb, temp_dir, index_dir and workers.
	dedup.Common `yaml:",inline"`
}

// DefaultConfig folds case and white space only, so that documents
// differing in punctuation or numbers are not exact duplicates (the MinHash
// stage judges those).
func DefaultConfig() Config {
	return Config{
		Normalization: dedup.Normalization{Lowercase: true},
		Common:        dedup.Common{MemoryMB: 64},
	}
}

// Stage is the exact-duplicate corpus stage.
type Stage struct {
	*dedup.Clusterer
}

// New returns the stage for cfg, opening cfg.IndexDir if set.
func New(cfg Config) (*Stage, error) {
	n := cfg.Normalization
	keys := func(dst []uint64, _ []byte, text, _ string) []uint64 {
		if h, ok := Hash(n, text); ok {
			dst = append(dst, h)
		}
		return dst
	}
	fp := xxh3.HashString(fmt.Sprintf("exact/%+v", n))
	c, err := dedup.NewStage(dedup.ClusterConfig{Name: Name, Reason: Reason, Keys: keys}, cfg.Common, 'e', fp)
	if err != nil {
		return nil, err
	}
	return &Stage{Clusterer: c}, nil
}

// Hash returns the xxh3 hash of text normalized by n, and false when the
// normalized text is empty.
func Hash(n dedup.Normalization, text string) (uint64, bool) {
	s := n.Normalize(text)
	if s == "" {
		return 0, false
	}
	return xxh3.HashString(s), true
}
