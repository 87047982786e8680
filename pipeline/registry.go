package pipeline

import (
	"fmt"
	"sort"
)

// stageDef is how the config builds one kind of stage.
type stageDef struct {
	doc      string
	defaults func() any // a pointer to a Config with the defaults
	build    func(params any) (Stage, error)
}

var registry = map[string]stageDef{}

// register adds a stage kind. def returns the stage's default Config; build
// makes a stage from a Config. Both come straight from the stage's package,
// which knows nothing of this registry.
func register[C any, S Stage](name, doc string, def func() C, build func(C) (S, error)) {
	if _, dup := registry[name]; dup {
		panic("pipeline: stage registered twice: " + name)
	}
	registry[name] = stageDef{
		doc: doc,
		defaults: func() any {
			c := def()
			return &c
		},
		build: func(p any) (Stage, error) {
			c, ok := p.(*C)
			if !ok {
				return nil, fmt.Errorf("stage %s: parameters of type %T, want *%T", name, p, *new(C))
			}
			return build(*c)
		},
	}
}

// StageNames lists the registered stage names, sorted.
func StageNames() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// StageDoc returns the one-line description of a registered stage.
func StageDoc(name string) string { return registry[name].doc }

// DefaultParams returns a stage's default parameters, or nil if the stage is
// unknown.
func DefaultParams(name string) any {
	def, ok := registry[name]
	if !ok {
		return nil
	}
	return def.defaults()
}

// BuildStages makes the stages of a config, in order. An error names the
// stage's place in the list.
func BuildStages(specs []StageSpec) ([]Stage, error) {
	stages := make([]Stage, 0, len(specs))
	for i, s := range specs {
		def, ok := registry[s.Name]
		if !ok {
			return nil, fmt.Errorf("stages[%d]: unknown stage %q", i, s.Name)
		}
		st, err := def.build(s.Params)
		if err != nil {
			return nil, fmt.Errorf("stages[%d].%s: %w", i, s.Name, err)
		}
		stages = append(stages, st)
	}
	return stages, nil
}
