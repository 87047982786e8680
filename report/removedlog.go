package report

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/zstd"
)

// The lines stages removed from kept documents are written beside the
// corpus, in OUTDIR/removed/<shard>.jsonl.zst, one {"id", "removed_lines"}
// object per document that lost lines (unless the run put them in the
// documents' metadata with output.decision_log).

// RemovedLogPath names the decision log of a data shard.
func RemovedLogPath(dataShard string) string {
	base := filepath.Base(dataShard)
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".jsonl.zst"), ".parquet")
	return filepath.Join(filepath.Dir(filepath.Dir(dataShard)), "removed", base+".jsonl.zst")
}

// LoadRemovedLog reads a data shard's decision log: document id to its
// removed lines, in the form of metadata.removed_lines. A shard with no log
// gives an empty map.
func LoadRemovedLog(dataShard string) (map[string][]any, error) {
	out := map[string][]any{}
	f, err := os.Open(RemovedLogPath(dataShard))
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<20)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			var e struct {
				ID      string `json:"id"`
				Removed []any  `json:"removed_lines"`
			}
			if err := json.Unmarshal(line, &e); err != nil {
				return nil, err
			}
			out[e.ID] = e.Removed
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// removedLogs keeps the decision logs ReadDocAt loaded last, so that viewing
// documents one by one (winnow inspect) does not re-read a shard's log for
// each of them. An entry is used while the log file's size and modification
// time are unchanged.
var removedLogs = &logCache{max: 4}

type logCache struct {
	mu      sync.Mutex
	max     int
	entries []cachedLog // most recently used last
}

type cachedLog struct {
	path string
	size int64
	mod  time.Time
	log  map[string][]any
}

// load returns LoadRemovedLog(dataShard), from the cache when the log has not
// changed since it was read. The map returned is shared: read it only.
func (c *logCache) load(dataShard string) (map[string][]any, error) {
	var size int64
	var mod time.Time
	fi, err := os.Stat(RemovedLogPath(dataShard))
	if err == nil {
		size, mod = fi.Size(), fi.ModTime()
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	c.mu.Lock()
	for i, e := range c.entries {
		if e.path == dataShard && e.size == size && e.mod.Equal(mod) {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			c.mu.Unlock()
			return e.log, nil
		}
	}
	c.mu.Unlock()
	log, err := LoadRemovedLog(dataShard)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = slices.DeleteFunc(c.entries, func(e cachedLog) bool { return e.path == dataShard })
	if len(c.entries) >= c.max {
		c.entries = slices.Delete(c.entries, 0, len(c.entries)-c.max+1)
	}
	c.entries = append(c.entries, cachedLog{path: dataShard, size: size, mod: mod, log: log})
	return log, nil
}

// attachRemoved puts a kept document's logged removed lines into its
// metadata, where Removed finds them.
func attachRemoved(d *Doc, log map[string][]any) {
	if lines, ok := log[d.ID]; ok && d.Metadata["removed_lines"] == nil {
		if d.Metadata == nil {
			d.Metadata = map[string]any{}
		}
		d.Metadata["removed_lines"] = lines
	}
}
