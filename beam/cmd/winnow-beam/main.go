// Command winnow-beam runs a winnow pipeline config on Apache Beam: in
// process on Prism (the default, offline), or on Flink, Spark or Google
// Dataflow through their Beam runners.
//
//	winnow-beam --config pipeline.yaml --output OUT [--keep-rejected] [beam flags] INPUT...
//
// INPUT is a file, a directory or a glob, local or through Beam's
// filesystems (gs://, s3://). Flags come before the inputs. Beam's own flags
// (--runner, --endpoint, --environment_type, --environment_config,
// --job_name, --project, --region, --temp_location, ...) pass through; see
// beam/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	json "github.com/goccy/go-json"

	winnowbeam "github.com/winnow-corpus/winnow/beam"
	"github.com/winnow-corpus/winnow/pipeline"
	"github.com/winnow-corpus/winnow/write"
)

var (
	configPath   = flag.String("config", "", "pipeline config (YAML, as for `winnow run`); empty runs the recommended stages")
	output       = flag.String("output", "", "output directory: a local path, gs://bucket/dir or s3://bucket/dir")
	keepRejected = flag.Bool("keep-rejected", false, "also write removed documents to OUTPUT/rejected/")
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: winnow-beam --config pipeline.yaml --output DIR [--keep-rejected] [beam flags] INPUT...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	beam.Init()
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "winnow-beam:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	if *output == "" || flag.NArg() == 0 {
		flag.Usage()
		return fmt.Errorf("need --output and at least one input")
	}
	cfg := pipeline.DefaultConfig()
	if *configPath != "" {
		var err error
		if cfg, err = pipeline.LoadConfig(*configPath); err != nil {
			return err
		}
	}
	p, err := winnowbeam.NewPipeline(ctx, cfg, winnowbeam.Options{Inputs: flag.Args(), Output: *output, KeepRejected: *keepRejected})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := beamx.Run(ctx, p); err != nil {
		return err
	}
	if !strings.Contains(*output, "://") {
		return finishSummary(*output, time.Since(start))
	}
	return nil
}

// finishSummary adds the job's time to the summary.json the pipeline wrote
// (its workers cannot know it) and prints the funnel, as `winnow run` does.
func finishSummary(outDir string, took time.Duration) error {
	sum, err := pipeline.ReadSummary(outDir)
	if err != nil {
		return err
	}
	sum.Seconds = took.Seconds()
	if sum.Seconds > 0 {
		sum.DocsPerS = float64(sum.Read) / sum.Seconds
		sum.MBPerS = float64(sum.Bytes.InputFiles) / 1e6 / sum.Seconds
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	if err := write.WriteFileAtomic(filepath.Join(outDir, pipeline.SummaryFile), append(b, '\n')); err != nil {
		return err
	}
	fmt.Fprint(os.Stderr, sum.String())
	return nil
}
