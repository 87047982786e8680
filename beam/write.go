package winnowbeam

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/write"
)

// writeShards writes recs under OUTPUT/dir in shards named as the local
// runner names them: part-IIIII-SSSSS, input number and shard of
// output.shard_records input records, documents in input order.
func writeShards(s beam.Scope, job jobConfig, output, dir string, rejected, decisionLog bool, recs beam.PCollection) {
	keyed := beam.ParDo(s.Scope("shard"), &shardFn{Job: job}, recs)
	beam.ParDo0(s.Scope("write"), &writeFn{Job: job, Output: output, Dir: dir, Rejected: rejected, DecisionLog: decisionLog},
		beam.GroupByKey(s, keyed))
}

// sourceKey reads only Source.Key from a record's JSON.
func sourceKey(b []byte) (uint64, error) {
	var k struct {
		Source struct {
			Key uint64 `json:"key"`
		} `json:"source"`
	}
	if err := json.Unmarshal(b, &k); err != nil {
		return 0, fmt.Errorf("winnow-beam: bad record: %w", err)
	}
	return k.Source.Key, nil
}

type shardFn struct {
	Job jobConfig `json:"job"`
}

func (f *shardFn) ProcessElement(b []byte, emit func(string, []byte)) error {
	cfg, err := f.Job.config()
	if err != nil {
		return err
	}
	k, err := sourceKey(b)
	if err != nil {
		return err
	}
	input, index := k>>40, k&(1<<40-1)
	emit(fmt.Sprintf("part-%05d-%05d", input, index/uint64(cfg.Output.ShardRecords)), b)
	return nil
}

// writeFn writes one shard: locally straight to its final name (write.Create
// writes under a temporary name and renames), elsewhere to a local temporary
// file copied through the Beam filesystem. A retried bundle writes the
// same shard again with the same bytes.
type writeFn struct {
	Job         jobConfig `json:"job"`
	Output, Dir string
	Rejected    bool
	DecisionLog bool
}

func (f *writeFn) ProcessElement(ctx context.Context, name string, values func(*[]byte) bool) error {
	cfg, err := f.Job.config()
	if err != nil {
		return err
	}
	format, err := write.ParseFormat(cfg.Output.Format)
	if err != nil {
		return err
	}
	recs, err := sortedRecords(values)
	if err != nil {
		return err
	}
	remote := strings.Contains(f.Output, "://")
	final := filepath.Join(f.Output, f.Dir, name+format.Ext())
	local := final
	if remote {
		tmp, err := os.MkdirTemp("", "winnow-beam-out-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		local = filepath.Join(tmp, name+format.Ext())
		final = strings.TrimSuffix(f.Output, "/") + "/" + f.Dir + "/" + name + format.Ext()
	}
	w, err := write.Create(local, format, write.Options{Rejected: f.Rejected, DecisionLog: f.DecisionLog})
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			w.Abort()
			return err
		}
	}
	if err := w.Commit(); err != nil {
		return err
	}
	if remote {
		return upload(ctx, local, final)
	}
	return nil
}

// upload copies a local file to a filesystem URL.
func upload(ctx context.Context, local, dst string) error {
	fs, err := filesystem.New(ctx, dst)
	if err != nil {
		return err
	}
	defer fs.Close()
	src, err := os.Open(local)
	if err != nil {
		return err
	}
	defer src.Close()
	w, err := fs.OpenWrite(ctx, dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, src); err != nil {
		w.Close()
		return fmt.Errorf("writing %s: %w", dst, err)
	}
	return w.Close()
}
