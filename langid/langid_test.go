package langid

import (
	"bufio"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"

	"github.com/winnow-corpus/winnow/record"
)

// The tiny models and golden.txt come from testdata/make-models.sh, which
// trains them with Debian's fastText and records its predictions.

func TestGoldenPredictions(t *testing.T) {
	probe, err := os.ReadFile("testdata/probe.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(probe), "\n"), "\n")
	golden := map[string][][]Prediction{}
	f, err := os.Open("testdata/golden.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		model, rest, _ := strings.Cut(sc.Text(), "\t")
		fields := strings.Fields(rest)
		var preds []Prediction
		for i := 0; i+1 < len(fields); i += 2 {
			p, err := strconv.ParseFloat(fields[i+1], 64)
			if err != nil {
				t.Fatal(err)
			}
			preds = append(preds, Prediction{Label: fields[i], Prob: p})
		}
		golden[model] = append(golden[model], preds)
	}
	for _, name := range []string{"tiny.bin", "tiny.ftz"} {
		t.Run(name, func(t *testing.T) {
			m, err := LoadModel("testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			want := golden[name]
			if len(want) != len(lines) {
				t.Fatalf("golden has %d predictions for %d probe lines", len(want), len(lines))
			}
			for i, line := range lines {
				got := m.Predict(line, 2, 0)
				if len(got) != len(want[i]) {
					t.Fatalf("line %q: got %v, fastText %v", line, got, want[i])
				}
				for j := range got {
					if got[j].Label != want[i][j].Label || math.Abs(got[j].Prob-want[i][j].Prob) > 1e-4 {
						t.Errorf("line %q: got %v, fastText %v", line, got, want[i])
						break
					}
				}
			}
		})
	}
}

// TestLoadMatchesParse checks that streaming a file and parsing its bytes
// give the same model.
func TestLoadMatchesParse(t *testing.T) {
	for _, name := range []string{"tiny.bin", "tiny.ftz"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		a, err := ParseModel(data)
		if err != nil {
			t.Fatal(err)
		}
		b, err := LoadModel("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"le chien dort", "the dog sleeps", "überall Straße"} {
			pa, pb := a.Predict(text, 4, 0), b.Predict(text, 4, 0)
			for i := range pa {
				if pa[i] != pb[i] {
					t.Errorf("%s %q: parsed %v, loaded %v", name, text, pa, pb)
					break
				}
			}
		}
	}
}

func TestModelArgs(t *testing.T) {
	tests := []struct {
		file      string
		quantized bool
	}{
		{"tiny.bin", false},
		{"tiny.ftz", true},
	}
	for _, tc := range tests {
		m, err := LoadModel("testdata/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		a := m.Args
		if a.Dim != 8 || a.Minn != 2 || a.Maxn != 4 || a.Loss != LossSoftmax || a.Bucket != 2000 {
			t.Errorf("%s: args %+v, want dim 8, minn 2, maxn 4, softmax, 2000 buckets", tc.file, a)
		}
		if _, q := m.input.(*quantMatrix); q != tc.quantized {
			t.Errorf("%s: quantized input %v, want %v", tc.file, q, tc.quantized)
		}
		if got := strings.Join(m.Labels(), " "); len(m.Labels()) != 4 || !strings.Contains(got, "__label__fr") {
			t.Errorf("%s: labels %q", tc.file, got)
		}
	}
}

// TestPredictAll checks that k <= 0 returns every label with probabilities
// that sum to one (plus fastText's 1e-5 per label) in decreasing order.
func TestPredictAll(t *testing.T) {
	m, err := LoadModel("testdata/tiny.bin")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{0, -1, 99} {
		p := m.Predict("the children are playing", k, 0)
		if len(p) != 4 {
			t.Fatalf("k=%d: %d predictions, want 4", k, len(p))
		}
		sum := 0.0
		for i, x := range p {
			sum += x.Prob
			if i > 0 && x.Prob > p[i-1].Prob {
				t.Errorf("k=%d: not sorted: %v", k, p)
			}
		}
		if math.Abs(sum-(1+4e-5)) > 1e-5 {
			t.Errorf("k=%d: probabilities sum to %v", k, sum)
		}
	}
	if p := m.Predict("the children are playing", 4, 0.99); len(p) != 0 {
		t.Errorf("threshold 0.99 kept %v", p)
	}
}

func TestHashIsFNV1aOnASCII(t *testing.T) {
	for _, s := range []string{"", "a", "<the>", "</s>", "hello world"} {
		h := fnv.New32a()
		h.Write([]byte(s))
		if got, want := hash(s), h.Sum32(); got != want {
			t.Errorf("hash(%q) = %d, FNV-1a %d", s, got, want)
		}
	}
	// Bytes >= 0x80 are sign-extended before the XOR, unlike FNV-1a.
	h := fnv.New32a()
	h.Write([]byte("é"))
	if hash("é") == h.Sum32() {
		t.Error("hash of a non-ASCII string equals plain FNV-1a: sign extension lost")
	}
}

func TestCharNgrams(t *testing.T) {
	m := &Model{Args: Args{Minn: 2, Maxn: 3, Bucket: 1 << 30}, pruneLen: -1, nwords: 0}
	// "<ab>" gives the n-grams "<a", "<ab", "ab", "ab>", "b>": the single
	// characters are left out; "é" counts as one character.
	tests := []struct {
		word string
		want []string
	}{
		{"<ab>", []string{"<a", "<ab", "ab", "ab>", "b>"}},
		{"<é>", []string{"<é", "<é>", "é>"}},
	}
	for _, tc := range tests {
		got := m.charNgrams(nil, []byte(tc.word))
		if len(got) != len(tc.want) {
			t.Fatalf("%q: %d n-grams, want %d", tc.word, len(got), len(tc.want))
		}
		for i, s := range tc.want {
			if got[i] != int32(hash(s)%(1<<30)) {
				t.Errorf("%q: n-gram %d is not %q", tc.word, i, s)
			}
		}
	}
}

func TestParseModelRejectsCorruptFiles(t *testing.T) {
	data, err := os.ReadFile("testdata/tiny.ftz")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseModel(data); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"magic only", data[:4]},
		{"header only", data[:56]},
		{"half", data[:len(data)/2]},
		{"one byte short", data[:len(data)-1]},
		{"text", []byte("__label__en hello world\n")},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		if _, err := ParseModel(tc.data); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		// The same through LoadModel, which streams the file.
		path := filepath.Join(dir, "m.ftz")
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadModel(path); err == nil {
			t.Errorf("%s: LoadModel: no error", tc.name)
		}
	}
	// Every truncation and single-byte change fails cleanly or loads a model
	// that predicts without panicking.
	for i := 0; i < len(data); i += 7 {
		if _, err := ParseModel(data[:i]); err == nil {
			t.Errorf("truncated at %d: no error", i)
		}
		mut := append([]byte(nil), data...)
		mut[i] ^= 0xFF
		if m, err := ParseModel(mut); err == nil {
			m.Predict("le chien dort", 2, 0)
		}
	}
}

func FuzzParseModel(f *testing.F) {
	data, err := os.ReadFile("testdata/tiny.ftz")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Fuzz(func(t *testing.T, b []byte) {
		if m, err := ParseModel(b); err == nil {
			m.Predict("some words", 3, 0)
		}
	})
}

func TestSample(t *testing.T) {
	long := strings.Repeat("alpha beta gamma ", 2000) + "middle " + strings.Repeat("delta epsilon ", 2000) + "omega"
	cjk := strings.Repeat("日本語のテキスト", 3000)
	tests := []struct {
		name     string
		text     string
		max      int
		whole    bool
		contains []string
	}{
		{"short", "a short text", 100, true, nil},
		{"unbounded", long, 0, true, nil},
		{"long", long, 3000, false, []string{"alpha", "delta", "omega"}},
		{"no spaces", cjk, 3000, false, []string{"日本語"}},
		{"invalid utf8", strings.Repeat("ab\xff\xfe ", 5000), 300, false, nil},
	}
	for _, tc := range tests {
		got := Sample(tc.text, tc.max)
		if tc.whole {
			if got != tc.text {
				t.Errorf("%s: text changed", tc.name)
			}
			continue
		}
		if len(got) > tc.max+2 || len(got) < tc.max/2 {
			t.Errorf("%s: sample of %d bytes for a bound of %d", tc.name, len(got), tc.max)
		}
		if utf8.ValidString(tc.text) && !utf8.ValidString(got) {
			t.Errorf("%s: sample cut a character", tc.name)
		}
		for _, w := range tc.contains {
			if !strings.Contains(got, w) {
				t.Errorf("%s: sample lacks %q", tc.name, w)
			}
		}
		for _, w := range strings.Fields(got) {
			if strings.Contains(tc.text, " ") && !strings.Contains(tc.text, " "+w+" ") && !strings.HasPrefix(tc.text, w+" ") && !strings.HasSuffix(tc.text, " "+w) {
				t.Errorf("%s: sample has a cut word %q", tc.name, w)
				break
			}
		}
	}
}

func TestDetectors(t *testing.T) {
	ft, err := NewDetector("testdata/tiny.ftz")
	if err != nil {
		t.Fatal(err)
	}
	fb, _ := NewDetector("")
	tests := []struct {
		det  Detector
		text string
		want string
	}{
		{ft, "the dog sleeps in the kitchen every evening", "en"},
		{ft, "", Undetermined},
		{ft, "123 456 !!!", Undetermined},
		{fb, "The children are playing in the garden with the dog, and the weather is nice today.", "en"},
		{fb, "Les enfants jouent dans le jardin avec le chien, et il fait beau aujourd'hui.", "fr"},
		{fb, "Die Kinder spielen mit dem Hund im Garten, und das Wetter ist heute schön.", "de"},
		{fb, "Дети играют в саду с собакой, и сегодня хорошая погода.", "ru"},
		{fb, "  \n\t ", Undetermined},
		{fb, longGerman, "de"},
		{fb, strings.Repeat("The committee will meet again next week to discuss the budget for the new school. ", 80), "en"},
	}
	for _, tc := range tests {
		got := tc.det.Detect(tc.text)
		if got.Lang != tc.want {
			t.Errorf("%s(%q) = %v, want %s", tc.det.Name(), tc.text, got, tc.want)
		}
		if got.Score < 0 || got.Score > 1 || (got.Lang == Undetermined) != (got.Score == 0) && got.Lang == Undetermined {
			t.Errorf("%s(%q): score %v", tc.det.Name(), tc.text, got.Score)
		}
	}
	if ft.Name() != "fasttext:tiny.ftz" || fb.Name() != "whatlanggo" {
		t.Errorf("names %q, %q", ft.Name(), fb.Name())
	}
}

// longGerman is long text on which whatlanggo reports a negative confidence.
var longGerman = strings.Repeat("Die Kinder spielen mit dem Hund im Garten, und das Wetter ist heute schön. ", 200) +
	strings.Repeat("Auflistung von Informationen über die Dateien, alphabetisch sortiert. ", 200)

func TestFallbackCodes(t *testing.T) {
	tests := []struct {
		lang whatlanggo.Lang
		want string
	}{
		{whatlanggo.Eng, "en"},
		{whatlanggo.Cmn, "zh"},
		{whatlanggo.Ceb, "ceb"}, // no ISO 639-1 code, as in lid.176
		{whatlanggo.Nob, "no"},  // lid.176 has "no", not "nb"
		{whatlanggo.Pes, "fa"},
		{whatlanggo.Ydd, "yi"},
	}
	for _, tc := range tests {
		if got := fallbackCodes()[tc.lang]; got != tc.want {
			t.Errorf("%v: %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestDetectorsNeverPanic(t *testing.T) {
	ft, err := NewDetector("testdata/tiny.bin")
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{
		"\xff\xfe\xfd invalid \xc3 utf8 \xe6\x97",
		"binary\x00\x01\x02\x03\x00data",
		strings.Repeat("x", 1<<20),
		strings.Repeat("word ", 100000),
		"__label__en __label__xx",
		"</s> </s>",
		longGerman,
	}
	for _, in := range inputs {
		for _, d := range []Detector{ft, NewFallback()} {
			r := d.Detect(Sample(in, 12000))
			if r.Score < 0 || r.Score > 1 || math.IsNaN(r.Score) {
				t.Errorf("%s: score %v", d.Name(), r.Score)
			}
		}
	}
}

func TestSharedModel(t *testing.T) {
	a, err := SharedModel("testdata/tiny.ftz")
	if err != nil {
		t.Fatal(err)
	}
	b, err := SharedModel("./testdata/../testdata/tiny.ftz")
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("the same file was loaded twice")
	}
	if _, err := SharedModel("testdata/missing.ftz"); err == nil {
		t.Error("missing model: no error")
	}
}

func TestStage(t *testing.T) {
	const en = "the dog sleeps in the kitchen every evening"
	tests := []struct {
		name       string
		cfg        Config
		text       string
		keep       bool
		reason     string
		lang       string
		wantDetect string
	}{
		{"fasttext keeps any language", Config{Model: "testdata/tiny.ftz"}, en, true, "", "en", "fasttext:tiny.ftz"},
		{"keep-list match", Config{Model: "testdata/tiny.ftz", Languages: []string{"EN", "de"}}, en, true, "", "en", "fasttext:tiny.ftz"},
		{"keep-list miss", Config{Model: "testdata/tiny.ftz", Languages: []string{"__label__fr"}}, en, false, ReasonNotKept, "en", "fasttext:tiny.ftz"},
		{"below threshold", Config{Model: "testdata/tiny.ftz", Threshold: 0.95}, en, false, ReasonLowScore, "en", "fasttext:tiny.ftz"},
		{"per-language override", Config{Model: "testdata/tiny.ftz", Threshold: 0.95, Thresholds: map[string]float64{"en": 0.5}}, en, true, "", "en", "fasttext:tiny.ftz"},
		{"fallback", Config{Threshold: 0.5}, "The children are playing in the garden with the dog, and the weather is nice today.", true, "", "en", "whatlanggo"},
		{"fallback keep-list", Config{Languages: []string{"fr"}}, "The children are playing in the garden with the dog.", false, ReasonNotKept, "en", "whatlanggo"},
		{"empty text", DefaultConfig(), "", false, ReasonLowScore, Undetermined, "whatlanggo"},
		{"empty text, no threshold", Config{}, "", true, "", Undetermined, "whatlanggo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name() != "langid" {
				t.Errorf("name %q", s.Name())
			}
			r := &record.Record{Text: tc.text}
			if got := s.Process(r); got != tc.keep {
				t.Errorf("kept %v, want %v (%+v)", got, tc.keep, r.Rejection)
			}
			if !tc.keep && (r.Rejection == nil || r.Rejection.Reason != tc.reason || r.Rejection.Stage != "langid") {
				t.Errorf("rejection %+v, want reason %s", r.Rejection, tc.reason)
			}
			if r.Metadata["language"] != tc.lang || r.Metadata["language_detector"] != tc.wantDetect {
				t.Errorf("metadata %v", r.Metadata)
			}
			if sc, ok := r.Metadata["language_score"].(float64); !ok || sc < 0 || sc > 1 {
				t.Errorf("language_score %v", r.Metadata["language_score"])
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Threshold: 1.5},
		{Threshold: -0.1},
		{Thresholds: map[string]float64{"en": 2}},
		{SampleBytes: -1},
		{Model: "testdata/missing.ftz"},
		{Model: "testdata/probe.txt"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v): no error", cfg)
		}
	}
}

// TestStageConcurrent runs one stage from many goroutines (run with -race):
// the shared model and the pooled buffers must give every goroutine the
// result a single goroutine gets.
func TestStageConcurrent(t *testing.T) {
	for _, model := range []string{"testdata/tiny.ftz", ""} {
		s, err := New(Config{Model: model})
		if err != nil {
			t.Fatal(err)
		}
		texts := []string{
			"the dog sleeps in the kitchen every evening",
			"der hund schläft jeden abend in der küche",
			"el perro duerme en la cocina cada noche",
			strings.Repeat("le chien dort dans la cuisine chaque soir ", 400),
		}
		want := make([]any, len(texts))
		for i, text := range texts {
			r := &record.Record{Text: text}
			s.Process(r)
			want[i] = r.Metadata["language"]
		}
		done := make(chan bool)
		for g := 0; g < 8; g++ {
			go func() {
				ok := true
				for n := 0; n < 50; n++ {
					i := (g + n) % len(texts)
					r := &record.Record{Text: texts[i]}
					s.Process(r)
					ok = ok && r.Metadata["language"] == want[i]
				}
				done <- ok
			}()
		}
		for g := 0; g < 8; g++ {
			if !<-done {
				t.Errorf("model %q: a goroutine got another language than a single run", model)
			}
		}
	}
}
