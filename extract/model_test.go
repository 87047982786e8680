package extract

import (
	"slices"
	"strings"
	"testing"
)

func TestBuiltinModel(t *testing.T) {
	m, err := loadModel(builtinModel)
	if err != nil {
		t.Fatal(err)
	}
	if m == nil {
		t.Skip("no block model built in")
	}
	if len(m.Types) == 0 || m.Threshold <= 0 || m.Threshold >= 1 {
		t.Errorf("model types %v, threshold %v", m.Types, m.Threshold)
	}
	if len(FeatureNames()) != numFeatures || len(StackFeatureNames()) != numStack {
		t.Errorf("feature names: %d and %d, want %d and %d", len(FeatureNames()), len(StackFeatureNames()), numFeatures, numStack)
	}
	for _, bad := range []string{`{"stage1":{"trees":[{"f":[0],"t":[1],"v":[1]}]}}`, `{`,
		`{"stage1":{"trees":[{"f":[100000],"t":[1],"v":[1,2]}]},"features":` + jsonNames() + `}`} {
		if _, err := loadModel([]byte(bad)); err == nil {
			t.Errorf("loadModel(%.40q) accepted a malformed model", bad)
		}
	}
}

// TestModelTypes checks that modelTypes, which the rules read, names the
// page types the built-in model decides.
func TestModelTypes(t *testing.T) {
	m, err := loadModel(builtinModel)
	if err != nil || m == nil {
		t.Skip("no block model built in")
	}
	for _, pt := range append(slices.Clone(pageTypes), "page", "") {
		if got, want := modelTypes(pt), slices.Contains(m.Types, pt); got != want {
			t.Errorf("modelTypes(%q) = %v, the model's types %v", pt, got, m.Types)
		}
	}
}

func jsonNames() string {
	names := append(FeatureNames(), StackFeatureNames()...)
	return `["` + strings.Join(names, `","`) + `"]`
}

// An article among site chrome the pruning rules do not catch (no nav
// tags, no telling classes): the model keeps the story and leaves the link
// lists.
func TestModelArticle(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`<html><head><title>Flood in the lower town</title></head><body><div class="top">`)
	for _, w := range []string{"Home", "World", "Business", "Sport", "Weather", "Culture", "Travel"} {
		sb.WriteString(`<div class="x"><a href="/` + strings.ToLower(w) + `">` + w + `</a></div>`)
	}
	sb.WriteString(`</div><div class="story"><h1>Flood in the lower town</h1>`)
	paras := []string{para1, para2,
		"Officials said the water should recede by the weekend, but warned that more rain was forecast for the mountains upstream.",
		"The mayor thanked the volunteers and said the town would review how the levees were built after the water had gone down.",
		"Residents who left their homes can stay at the school gym, where the council has set up beds and a kitchen for the week.",
	}
	for _, p := range paras {
		sb.WriteString("<p>" + p + "</p>")
	}
	sb.WriteString(`</div><div class="bottom">`)
	for _, w := range []string{"About us", "Contact", "Careers", "Terms of use", "Privacy policy", "Cookie settings"} {
		sb.WriteString(`<div class="y"><a href="/x">` + w + `</a></div>`)
	}
	sb.WriteString(`</div></body></html>`)
	ex, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	res, _ := ex.Extract([]byte(sb.String()), "https://news.example.com/2024/flood")
	for _, p := range paras {
		if !strings.Contains(res.Text, p) {
			t.Errorf("text lacks %q:\n%s", p, res.Text)
		}
	}
	for _, chrome := range []string{"Privacy policy", "Business"} {
		if strings.Contains(res.Text, chrome) {
			t.Errorf("text has %q:\n%s", chrome, res.Text)
		}
	}
}
