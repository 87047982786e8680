package pipeline

import (
	"reflect"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

type Inlined struct {
	TempDir string `yaml:"temp_dir"`
}

type testParams struct {
	Inlined   `yaml:",inline"`
	Threshold float64  `yaml:"threshold"`
	Words     []string `yaml:"words"`
	Nested    struct {
		Depth int `yaml:"depth"`
	} `yaml:"nested"`
}

type testStage struct{ p testParams }

func (s *testStage) Name() string                  { return "test_stage" }
func (s *testStage) Process(r *record.Record) bool { return true }

func init() {
	register("test_stage", "a stage for the config tests",
		func() testParams { return testParams{Threshold: 0.5} },
		func(p testParams) (*testStage, error) {
			if p.Threshold > 1 {
				return nil, errTest
			}
			return &testStage{p}, nil
		})
}

var errTest = &configError{"threshold: must be at most 1"}

type configError struct{ s string }

func (e *configError) Error() string { return e.s }

func TestParseConfigErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		yaml, want string
	}{
		{"stages:\n  - test_stage: {treshold: 0.3}\n", "stages[0].test_stage.treshold: unknown key"},
		{"stages:\n  - test_stage: {threshold: high}\n", "stages[0].test_stage.threshold: bad value"},
		{"stages:\n  - test_stage: {}\n  - test_stage: {nested: {dpth: 1}}\n", "stages[1].test_stage.nested.dpth: unknown key"},
		{"stages:\n  - no_such_stage: {}\n", `stages[0]: unknown stage "no_such_stage"`},
		{"output: {format: csv}\n", "output.format"},
		{"output: {shard_records: 0}\n", "output.shard_records"},
		{"inputs: {}\n", "inputs: unknown key"},
		{"input: {id_feld: x}\n", "input.id_feld: unknown key"},
		{"stages:\n  - test_stage: {temp_dir: [1]}\n", "stages[0].test_stage.temp_dir: bad value"},
	}
	for _, tt := range tests {
		_, err := ParseConfig([]byte(tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseConfig(%q) error = %v, want it to contain %q", tt.yaml, err, tt.want)
		}
	}
}

func TestParseConfigDecodes(t *testing.T) {
	c, err := ParseConfig([]byte("output: {format: parquet}\nstages:\n  - test_stage: {threshold: 0.9, words: [a, b], nested: {depth: 3}, temp_dir: /x}\n  - test_stage\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Output.Format != "parquet" || c.Output.ShardRecords != DefaultConfig().Output.ShardRecords || c.Input.TextField != "text" {
		t.Errorf("output/input defaults lost: %+v %+v", c.Output, c.Input)
	}
	if len(c.Stages) != 2 {
		t.Fatalf("%d stages", len(c.Stages))
	}
	p := c.Stages[0].Params.(*testParams)
	if p.Threshold != 0.9 || len(p.Words) != 2 || p.Nested.Depth != 3 || p.TempDir != "/x" {
		t.Errorf("params %+v", p)
	}
	if q := c.Stages[1].Params.(*testParams); q.Threshold != 0.5 {
		t.Errorf("a bare stage name must get the defaults, got %+v", q)
	}
	if _, err := BuildStages(c.Stages); err != nil {
		t.Fatal(err)
	}
	c.Stages[0].Params.(*testParams).Threshold = 2
	if _, err := BuildStages(c.Stages); err == nil || !strings.Contains(err.Error(), "stages[0].test_stage: threshold") {
		t.Errorf("BuildStages error = %v", err)
	}
}

func TestDefaultConfigRoundTrips(t *testing.T) {
	c := DefaultConfig()
	c.Stages = append(c.Stages, StageSpec{Name: "test_stage", Params: &testParams{Threshold: 0.25, Words: []string{"x"}}})
	y, err := c.MarshalYAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseConfig(y)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	y2, _ := back.MarshalYAML()
	if string(y) != string(y2) {
		t.Errorf("round trip changed the config:\n%s\n---\n%s", y, y2)
	}
}

func TestSetSignals(t *testing.T) {
	c := DefaultConfig()
	c.SetSignals(true)
	n := 0
	for _, s := range c.Stages {
		v := reflect.ValueOf(s.Params).Elem()
		if i, ok := yamlFields(v.Type())["signals"]; ok {
			n++
			if !v.FieldByIndex(i).Bool() {
				t.Errorf("%s: signals not set", s.Name)
			}
		}
	}
	if n < 4 {
		t.Errorf("only %d stages have signals; the four filters should", n)
	}
}
