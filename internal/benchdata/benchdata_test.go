package benchdata

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadCleanDev(t *testing.T) {
	path := filepath.Join(t.TempDir(), "docs.jsonl.gz")
	f, _ := os.Create(path)
	z := gzip.NewWriter(f)
	z.Write([]byte(`{"id":"1","url":"u","page_type":"article","text":"a\nb","labels":[1,0],"main_content":"a"}` + "\n" +
		`{"id":"2","text":"c","labels":[1],"main_content":"c"}` + "\n"))
	z.Close()
	f.Close()
	pages, err := LoadCleanDev(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || pages[0].PageType != "article" || len(pages[0].Labels) != 2 || pages[1].MainContent != "c" {
		t.Errorf("%+v", pages)
	}
	if _, err := LoadCleanDev(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("no error for a missing file")
	}
	if CPUTime() <= 0 {
		t.Error("CPUTime")
	}
}
