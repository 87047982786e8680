package gbt

import (
	"net/url"
	"strings"
)

// HostGroup returns the host of rawURL without "www.", or rawURL itself
// when it has none: the group that keeps a site's pages in one fold of a
// cross-validation, so that its template cannot leak from training to test.
func HostGroup(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return rawURL
}

// Fold returns the cross-validation fold (0..k-1) of a page group, the same
// on every run.
func Fold(group string, k int) int {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(group); i++ {
		h = (h ^ uint64(group[i])) * 1099511628211
	}
	h ^= h >> 29
	return int(h % uint64(k))
}
