package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/langid"
)

var langidFlags struct {
	model       string
	lines       bool
	sampleBytes int
}

var langidCmd = &cobra.Command{
	Use: "langid [FILE|-] [--model PATH] [--lines]",
	Example: `  winnow langid article.txt
  echo "Das ist ein deutscher Satz." | winnow langid -
  winnow langid --model ~/.cache/winnow/lid.176.ftz --lines mixed.txt`,
	Short: "Print the language of a text and the confidence",
	Long: `langid prints one line "<code> <confidence>" for the text of FILE (a .gz file
is decompressed) or of standard input (no FILE, or -): the language code
(ISO 639-1 where one exists, else ISO 639-3; "und" for text without letters)
and the detector's confidence in [0, 1].

With --model PATH it runs a fastText model (.bin or .ftz), e.g. lid.176.ftz,
which scripts/fetch-lid-model.sh puts in ~/.cache/winnow; without, the
embedded whatlanggo detector, whose confidence is not a probability.

The whole input is judged as one text, its lines joined by spaces, with long
texts sampled (--sample-bytes). With --lines, every input line is judged on
its own and gets its own output line, as "fasttext predict-prob MODEL - 1"
does.`,
	Args: cobra.MaximumNArgs(1),
	RunE: runLangid,
}

func init() {
	f := langidCmd.Flags()
	f.StringVar(&langidFlags.model, "model", "", "fastText model file (.bin or .ftz); empty: the embedded fallback detector")
	f.BoolVar(&langidFlags.lines, "lines", false, "print one result per input line")
	f.IntVar(&langidFlags.sampleBytes, "sample-bytes", langid.DefaultConfig().SampleBytes, "bytes of a long text to judge (0: all)")
	rootCmd.AddCommand(langidCmd)
}

func runLangid(cmd *cobra.Command, args []string) error {
	if langidFlags.sampleBytes < 0 {
		return &exitError{2, fmt.Errorf("langid: --sample-bytes must not be negative")}
	}
	det, err := langid.NewDetector(langidFlags.model)
	if err != nil {
		return err
	}
	in := io.Reader(os.Stdin)
	if len(args) == 1 && args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
		if strings.HasSuffix(args[0], ".gz") {
			z, err := gzip.NewReader(f)
			if err != nil {
				return fmt.Errorf("langid: %s: %w", args[0], err)
			}
			in = z
		}
	}
	out := bufio.NewWriter(cmd.OutOrStdout())
	defer out.Flush()
	print := func(text string) {
		r := det.Detect(langid.Sample(text, langidFlags.sampleBytes))
		fmt.Fprintf(out, "%s %.4f\n", r.Lang, r.Score)
	}
	if !langidFlags.lines {
		b, err := io.ReadAll(in)
		if err != nil {
			return err
		}
		print(string(b))
		return nil
	}
	br := bufio.NewReaderSize(in, 1<<16)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			print(strings.TrimSuffix(line, "\n"))
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
