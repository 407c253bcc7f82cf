package docindex

import (
	"strings"
	"testing"
)

func TestBuildTiming(t *testing.T) {
	p, err := Build("../../../../timing", "github.com/golit/golit/timing", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "timing" || !strings.Contains(p.Doc, "IPython") {
		t.Errorf("package %q doc %q", p.Name, p.Doc)
	}
	checks := map[string]Entry{
		"Time":          {Kind: "func", Decl: "func Time(fn func()) Result"},
		"Stopwatch.Lap": {Kind: "method", Decl: "func (sw *Stopwatch) Lap() time.Duration"},
		"DefaultRuns":   {Kind: "const", Decl: "const DefaultRuns = 7"},
		"Start":         {Kind: "func", Decl: "func Start() *Stopwatch"},
	}
	for name, want := range checks {
		got, ok := p.Entries[name]
		if !ok || got.Kind != want.Kind || got.Decl != want.Decl || got.Doc == "" {
			t.Errorf("%s: got %+v, want %+v with a doc", name, got, want)
		}
	}
	if e := p.Entries["Result"]; !strings.Contains(e.Decl, "type Result struct") || !strings.Contains(e.Decl, "Wall time.Duration") {
		t.Errorf("Result: %q", e.Decl)
	}
	for name := range p.Entries {
		if strings.Contains(name, "config") || strings.Contains(name, "formatSeconds") {
			t.Errorf("unexported %s indexed", name)
		}
	}
	data, err := Marshal(map[string]*Package{p.Path: p})
	if err != nil {
		t.Fatal(err)
	}
	back, err := Unmarshal(data)
	if err != nil || back[p.Path].Entries["Time"] != p.Entries["Time"] {
		t.Errorf("round trip: %v", err)
	}
}
