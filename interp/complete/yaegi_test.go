package complete

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// yaegiSource is a Source over a real yaegi interpreter, as the engine's.
type yaegiSource struct {
	i     *interp.Interpreter
	decls string
}

func (s *yaegiSource) Packages() map[string]map[string]reflect.Value { return stdlib.Symbols }
func (s *yaegiSource) Imports() map[string]string                    { return map[string]string{} }
func (s *yaegiSource) Globals() map[string]reflect.Value             { return s.i.Globals() }
func (s *yaegiSource) Decls() string                                 { return s.decls }

func TestWithYaegi(t *testing.T) {
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	decls := "type Point struct {\n\tX, Y int\n\tname string\n}\n\n" +
		"func (p Point) Norm() int { return p.X*p.X + p.Y*p.Y }\n"
	if _, err := i.Eval(decls); err != nil {
		t.Fatal(err)
	}
	// A variable the notebook made with p := Point{X: 3} has no
	// declaration in Decls: only its (unnamed, interpreted) value.
	if _, err := i.Eval(`var p = Point{X: 3, name: "a"}`); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval(`import "strings"`); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval(`var sb strings.Builder`); err != nil {
		t.Fatal(err)
	}
	c := New(&yaegiSource{i: i, decls: decls})

	got := c.Complete("p.", 2)
	if !slices.Equal(got.Matches, []string{"Norm", "X", "Y", "name"}) {
		t.Errorf("p. -> %q", got.Matches)
	}
	got = c.Complete("strings.Sp", 10)
	for _, w := range []string{"Split", "SplitAfter", "SplitAfterN", "SplitN"} {
		if !slices.Contains(got.Matches, w) {
			t.Errorf("strings.Sp -> %q lacks %s", got.Matches, w)
		}
	}
	got = c.Complete("sb.Wri", 6)
	if !slices.Contains(got.Matches, "WriteString") {
		t.Errorf("sb.Wri -> %q", got.Matches)
	}
	got = c.Complete("sort.Sl", 7) // not imported: auto-import
	if !slices.Contains(got.Matches, "Slice") {
		t.Errorf("sort.Sl -> %q", got.Matches)
	}
	in := c.Inspect("p", 1, 0)
	if !strings.HasPrefix(in.Text, "var p Point") || !strings.Contains(in.Text, "value: {3 0 a}") {
		t.Errorf("Inspect p: %q", in.Text)
	}
	in = c.Inspect("p.Norm", 6, 0)
	if !strings.HasPrefix(in.Text, "func (p Point) Norm() int") {
		t.Errorf("Inspect p.Norm: %q", in.Text)
	}
}
