package langid_test

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/langid"
	"github.com/winnow-corpus/winnow/langid/mancorpus"
)

// The parity tests compare this package with Debian's fastText 0.9.2 (the
// `fasttext` command of package fasttext) on thousands of real lines in 23
// languages: paragraphs of the translated manual pages Debian installs
// (packages manpages, manpages-de, -fr, -es, -ja, -zh, -ru, ...; see package
// mancorpus). They run where the tool and the pages are installed and skip
// with a message elsewhere:
//
//	apt-get install -y fasttext manpages manpages-de manpages-fr manpages-es \
//	    manpages-ja manpages-zh manpages-ru manpages-it manpages-pl ...
//	scripts/fetch-lid-model.sh   # lid.176.ftz into ~/.cache/winnow
//
// The lid.176.ftz test needs the model (WINNOW_LID_MODEL or the cache path);
// the others train small models of every loss and format with the tool itself.

// parityTol is the largest difference allowed between a probability computed
// here and the one fastText prints.
const parityTol = 1e-4

func fasttextTool(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("fasttext")
	if err != nil {
		t.Skip("fastText command not found (apt-get install -y fasttext): parity with libfasttext not checked")
	}
	return bin
}

func manLines(t *testing.T, perLang int) []mancorpus.Sample {
	t.Helper()
	samples, err := mancorpus.Load("/usr/share/man", mancorpus.Options{PerLang: perLang})
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) < 1000 {
		t.Skipf("only %d manual page paragraphs found: install manpages-de, manpages-fr, ... for the parity test", len(samples))
	}
	return samples
}

// fasttextPredict runs `fasttext predict-prob model file k` and parses its
// output: one list of predictions per input line.
func fasttextPredict(t *testing.T, bin, model, input string, k int) [][]langid.Prediction {
	t.Helper()
	out, err := exec.Command(bin, "predict-prob", model, input, strconv.Itoa(k)).Output()
	if err != nil {
		t.Fatalf("fasttext predict-prob: %v", err)
	}
	var all [][]langid.Prediction
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		var preds []langid.Prediction
		for i := 0; i+1 < len(f); i += 2 {
			p, err := strconv.ParseFloat(f[i+1], 64)
			if err != nil {
				t.Fatalf("bad fastText output %q", sc.Text())
			}
			preds = append(preds, langid.Prediction{Label: f[i], Prob: p})
		}
		all = append(all, preds)
	}
	return all
}

// writeLines writes one sample per line and returns the file's path.
func writeLines(t *testing.T, samples []mancorpus.Sample, labelled bool) string {
	t.Helper()
	var b strings.Builder
	for _, s := range samples {
		if labelled {
			b.WriteString("__label__" + s.Lang + " ")
		}
		b.WriteString(s.Text)
		b.WriteByte('\n')
	}
	name := "lines.txt"
	if labelled {
		name = "train.txt"
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkParity predicts every line with model and with the fastText tool and
// requires the same top label and probabilities within parityTol for each
// label both return.
func checkParity(t *testing.T, bin, modelPath string, samples []mancorpus.Sample, k int) {
	t.Helper()
	m, err := langid.LoadModel(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	input := writeLines(t, samples, false)
	want := fasttextPredict(t, bin, modelPath, input, k)
	if len(want) != len(samples) {
		t.Fatalf("fastText gave %d predictions for %d lines", len(want), len(samples))
	}
	var maxDiff float64
	bad := 0
	for i, s := range samples {
		got := m.Predict(s.Text, k, 0)
		if len(got) == 0 || len(want[i]) == 0 || got[0].Label != want[i][0].Label {
			bad++
			if bad <= 5 {
				t.Errorf("line %d (%s): got %v, fastText %v\n%s", i, s.File, got, want[i], s.Text)
			}
			continue
		}
		for _, w := range want[i] {
			for _, g := range got {
				if g.Label == w.Label {
					d := math.Abs(g.Prob - w.Prob)
					maxDiff = max(maxDiff, d)
					if d > parityTol {
						bad++
						if bad <= 5 {
							t.Errorf("line %d label %s: prob %.6g, fastText %.6g", i, w.Label, g.Prob, w.Prob)
						}
					}
				}
			}
		}
	}
	t.Logf("%s: %d lines, %d mismatches, largest probability difference %.2g", filepath.Base(modelPath), len(samples), bad, maxDiff)
}

func TestParityLid176(t *testing.T) {
	bin := fasttextTool(t)
	model := langid.DefaultModelPath()
	if _, err := os.Stat(model); err != nil {
		t.Skipf("lid.176.ftz not at %s (run scripts/fetch-lid-model.sh or set WINNOW_LID_MODEL): parity not checked", model)
	}
	samples := manLines(t, 300)
	checkParity(t, bin, model, samples, 3)
}

// TestParityTrained trains small models of each loss on half of the lines,
// dense (.bin) and quantized with norms (.ftz), and checks predictions on the
// other half: this covers the softmax, one-vs-all and word n-gram paths that
// lid.176 does not use.
func TestParityTrained(t *testing.T) {
	if testing.Short() {
		t.Skip("trains models with the fastText tool")
	}
	bin := fasttextTool(t)
	samples := manLines(t, 120)
	var train, test []mancorpus.Sample
	for i, s := range samples {
		if i%2 == 0 {
			train = append(train, s)
		} else {
			test = append(test, s)
		}
	}
	trainFile := writeLines(t, train, true)
	// A model with one label per manual page has more than 256 labels, enough
	// for fastText to quantize its output matrix too (-qout).
	var pages []mancorpus.Sample
	for _, s := range train {
		s.Lang = strings.ReplaceAll(filepath.Base(s.File), ".", "_")
		pages = append(pages, s)
	}
	pagesFile := writeLines(t, pages, true)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"softmax_ngrams", []string{"-loss", "softmax", "-wordNgrams", "2", "-minn", "2", "-maxn", "4"}},
		{"hs", []string{"-loss", "hs", "-minn", "3", "-maxn", "5"}},
		{"ova_words", []string{"-loss", "ova", "-maxn", "0"}},
		{"pages_qout", []string{"-loss", "softmax", "-minn", "2", "-maxn", "3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), tc.name)
			input, qargs := trainFile, []string{"-qnorm"}
			if tc.name == "pages_qout" {
				input, qargs = pagesFile, []string{"-qnorm", "-qout"}
			}
			args := append([]string{"supervised", "-input", input, "-output", out, "-dim", "16",
				"-bucket", "20000", "-epoch", "10", "-lr", "0.5", "-thread", "1", "-verbose", "0"}, tc.args...)
			if msg, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				t.Fatalf("fasttext supervised: %v\n%s", err, msg)
			}
			checkParity(t, bin, out+".bin", test, 3)
			q := exec.Command(bin, append([]string{"quantize", "-input", input, "-output", out,
				"-cutoff", "5000", "-retrain", "-epoch", "1", "-thread", "1", "-verbose", "0"}, qargs...)...)
			if msg, err := q.CombinedOutput(); err != nil {
				t.Fatalf("fasttext quantize: %v\n%s", err, msg)
			}
			checkParity(t, bin, out+".ftz", test, 3)
		})
	}
}
