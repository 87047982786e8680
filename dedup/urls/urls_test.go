package urls

import (
	"testing"

	"github.com/winnow-corpus/winnow/dedup/deduptest"
)

func TestURLDuplicates(t *testing.T) {
	urls := []string{
		"https://www.example.com/page/",           // kept
		"http://example.com/page?utm_source=feed", // duplicate of 0
		"https://example.com/page#comments",       // duplicate of 0
		"https://example.com/page?id=2",           // a different page
		"",                                        // no URL: kept
		"",                                        // no URL: kept
		"not a url",                               // kept
		"not a url",                               // duplicate of 6
	}
	recs := deduptest.Records(make([]string, len(urls))...)
	for i, u := range urls {
		recs[i].URL = u
	}
	s, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keep, err := deduptest.Run(s, recs, t.TempDir(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{true, false, false, true, true, true, true, false}
	for i := range want {
		if keep[i] != want[i] {
			t.Errorf("%q: keep = %v, want %v", urls[i], keep[i], want[i])
		}
	}
	if rj := recs[2].Rejection; rj == nil || rj.Reason != Reason || rj.DuplicateOf != "d0" {
		t.Errorf("rejection %+v", rj)
	}
}
