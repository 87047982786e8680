package pipeline

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config is a pipeline as its YAML file states it: how to read the inputs,
// how to write the output, and the stages in order.
type Config struct {
	Input  InputConfig  `yaml:"input"`
	Output OutputConfig `yaml:"output"`
	// Stages run top to bottom. Each is a one-key map from a stage name to
	// its parameters; StageSpec keeps the name and the decoded parameters.
	Stages []StageSpec `yaml:"stages"`
}

// InputConfig says where JSONL and Parquet inputs keep their fields.
type InputConfig struct {
	IDField   string `yaml:"id_field"`
	TextField string `yaml:"text_field"`
	URLField  string `yaml:"url_field"`
}

// OutputConfig shapes the written corpus.
type OutputConfig struct {
	// Format is "jsonl.zst" (default) or "parquet".
	Format string `yaml:"format"`
	// ShardRecords is how many input records go to one output shard (the
	// unit of work and of resume).
	ShardRecords int `yaml:"shard_records"`
	// DecisionLog writes the lines each stage removed into the metadata of
	// every document as "removed_lines".
	DecisionLog bool `yaml:"decision_log"`
}

// StageSpec is one entry of the stages list: a registered stage name and its
// parameters (a pointer to the stage's Config, defaults filled in).
type StageSpec struct {
	Name   string
	Params any
}

// DefaultConfig returns the configuration with every default filled in and
// the recommended stages.
func DefaultConfig() Config {
	c := Config{
		Input:  InputConfig{IDField: "id", TextField: "text", URLField: "url"},
		Output: OutputConfig{Format: "jsonl.zst", ShardRecords: 10000},
	}
	c.Stages = recommendedStages()
	return c
}

// SetSignals sets the `signals` parameter of every stage that has one, so
// that the filters write the statistics they compute into metadata.
func (c *Config) SetSignals(on bool) { c.Set("signals", on, false) }

// Set gives the parameter key the value v in every stage that has a
// parameter of that name and type (`index_dir` for all dedup stages, say).
// With onlyEmpty, a parameter already set is left as it is.
func (c *Config) Set(key string, v any, onlyEmpty bool) {
	val := reflect.ValueOf(v)
	for _, s := range c.Stages {
		p := reflect.ValueOf(s.Params).Elem()
		idx, ok := yamlFields(p.Type())[key]
		if !ok {
			continue
		}
		f := p.FieldByIndex(idx)
		if f.Type() != val.Type() || (onlyEmpty && !f.IsZero()) {
			continue
		}
		f.Set(val)
	}
}

// LoadConfig reads a pipeline config file. An unknown key or a bad value is
// an error naming the key's path, e.g. `stages[2].clean.threshold`.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	c, err := ParseConfig(b)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig parses a YAML pipeline config. Keys left out keep their
// defaults; a file with no stages key runs the recommended stages.
func ParseConfig(b []byte) (Config, error) {
	c := DefaultConfig()
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return c, err
	}
	if len(doc.Content) == 0 { // empty file
		return c, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return c, fmt.Errorf("line %d: the config must be a mapping with input, output and stages", root.Line)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		var err error
		switch key.Value {
		case "input":
			err = decodeStrict(val, &c.Input, "input")
		case "output":
			err = decodeStrict(val, &c.Output, "output")
		case "stages":
			c.Stages, err = decodeStages(val)
		default:
			err = fmt.Errorf("%s: unknown key (line %d; want input, output or stages)", key.Value, key.Line)
		}
		if err != nil {
			return c, err
		}
	}
	return c, c.validate()
}

func (c *Config) validate() error {
	if c.Output.Format != "jsonl.zst" && c.Output.Format != "parquet" {
		return fmt.Errorf("output.format: %q is not jsonl.zst or parquet", c.Output.Format)
	}
	if c.Output.ShardRecords < 1 {
		return fmt.Errorf("output.shard_records: must be at least 1, not %d", c.Output.ShardRecords)
	}
	for _, f := range []struct{ name, v string }{{"id_field", c.Input.IDField}, {"text_field", c.Input.TextField}, {"url_field", c.Input.URLField}} {
		if f.v == "" {
			return fmt.Errorf("input.%s: must not be empty", f.name)
		}
	}
	return nil
}

func decodeStages(n *yaml.Node) ([]StageSpec, error) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("stages: want a list of stages (line %d)", n.Line)
	}
	var specs []StageSpec
	for i, item := range n.Content {
		path := fmt.Sprintf("stages[%d]", i)
		var name string
		var params *yaml.Node
		switch {
		case item.Kind == yaml.ScalarNode: // "- clean"
			name = item.Value
		case item.Kind == yaml.MappingNode && len(item.Content) == 2: // "- clean: {...}"
			name, params = item.Content[0].Value, item.Content[1]
		default:
			return nil, fmt.Errorf("%s: want `- name: {parameters}` (line %d)", path, item.Line)
		}
		def, ok := registry[name]
		if !ok {
			return nil, fmt.Errorf("%s: unknown stage %q (line %d; known: %s)", path, name, item.Line, strings.Join(StageNames(), ", "))
		}
		p := def.defaults()
		if params != nil && !(params.Kind == yaml.ScalarNode && params.Tag == "!!null") {
			if err := decodeStrict(params, p, path+"."+name); err != nil {
				return nil, err
			}
		}
		specs = append(specs, StageSpec{Name: name, Params: p})
	}
	return specs, nil
}

// decodeStrict decodes n into out (a pointer), failing on keys the target
// struct does not have. Errors name the key's path from the config's root.
func decodeStrict(n *yaml.Node, out any, path string) error {
	v := reflect.ValueOf(out).Elem()
	if v.Kind() == reflect.Struct {
		if n.Kind != yaml.MappingNode {
			return fmt.Errorf("%s: want a mapping of parameters (line %d)", path, n.Line)
		}
		fields := yamlFields(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			idx, ok := fields[key.Value]
			if !ok {
				return fmt.Errorf("%s.%s: unknown key (line %d; known: %s)", path, key.Value, key.Line, strings.Join(sortedKeys(fields), ", "))
			}
			if err := decodeStrict(val, v.FieldByIndex(idx).Addr().Interface(), path+"."+key.Value); err != nil {
				return err
			}
		}
		return nil
	}
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct {
		if n.Kind != yaml.SequenceNode {
			return fmt.Errorf("%s: want a list (line %d)", path, n.Line)
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if err := decodeStrict(item, s.Index(i).Addr().Interface(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	}
	if err := n.Decode(out); err != nil {
		msg := err.Error()
		if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
			msg = te.Errors[0]
		}
		return fmt.Errorf("%s: bad value: %s", path, msg)
	}
	return nil
}

// yamlFields maps the yaml key of each exported field of t to its index
// path; the fields of an `yaml:",inline"` struct count as t's own.
func yamlFields(t reflect.Type) map[string][]int {
	m := make(map[string][]int)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if opts == "inline" && f.Type.Kind() == reflect.Struct {
			for k, idx := range yamlFields(f.Type) {
				m[k] = append([]int{i}, idx...)
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = []int{i}
	}
	return m
}

func sortedKeys(m map[string][]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MarshalYAML writes the config back as YAML, stages as one-key maps, so
// that `winnow config default` prints a file ParseConfig reads.
func (c Config) MarshalYAML() ([]byte, error) {
	type stageOut = map[string]any
	out := struct {
		Input  InputConfig  `yaml:"input"`
		Output OutputConfig `yaml:"output"`
		Stages []stageOut   `yaml:"stages"`
	}{Input: c.Input, Output: c.Output}
	for _, s := range c.Stages {
		out.Stages = append(out.Stages, stageOut{s.Name: s.Params})
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
