// Package urls removes documents whose URL, normalized, is the URL of an
// earlier document: the same page crawled twice, over http and https, with
// and without "www.", or with tracking parameters (see dedup.NormalizeURL).
// The first document in corpus order is kept (see dedup.Clusterer).
// Documents without a URL are left alone.
package urls

import (
	"github.com/zeebo/xxh3"

	"github.com/winnow-corpus/winnow/dedup"
)

// Name and Reason are the stage name and the rejection reason.
const (
	Name   = "url_dedup"
	Reason = "url_duplicate"
)

// Config configures URL deduplication.
type Config struct {
	// Common holds memory_mb, temp_dir, index_dir and workers.
	dedup.Common `yaml:",inline"`
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{Common: dedup.Common{MemoryMB: 64}}
}

// Stage is the URL-duplicate corpus stage.
type Stage struct {
	*dedup.Clusterer
}

// New returns the stage for cfg, opening cfg.IndexDir if set.
func New(cfg Config) (*Stage, error) {
	c, err := dedup.NewStage(dedup.ClusterConfig{Name: Name, Reason: Reason, Keys: Keys}, cfg.Common, 'u', 1)
	if err != nil {
		return nil, err
	}
	return &Stage{Clusterer: c}, nil
}

// Keys is the stage's dedup.KeyFunc: the hash of the normalized URL, none
// for a document without a URL.
func Keys(dst []uint64, _ []byte, _, url string) []uint64 {
	if u := dedup.NormalizeURL(url); u != "" {
		dst = append(dst, xxh3.HashString(u))
	}
	return dst
}
