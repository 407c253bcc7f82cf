package run

import (
	"strings"
	"testing"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/kernel"
)

// TestImportPaths checks imports across cells: a helper package imported by
// its short path after its long path (or the other way round) is the same
// package, and a real collision names the cell and path that bound the name.
func TestImportPaths(t *testing.T) {
	type cell struct {
		code   string
		errHas []string // empty: the cell must succeed
		errNot []string
		out    string
	}
	tests := []struct {
		name  string
		cells []cell
	}{
		{"short path after long path", []cell{
			{code: `import "github.com/golit/golit/display"`},
			{code: "import \"golit/display\"\ndisplay.ShowBundle(display.Bundle{\"text/plain\": \"x\"})"},
		}},
		{"long path after short path", []cell{
			{code: `import "golit/display"`},
			{code: "import \"github.com/golit/golit/display\"\nid := display.ShowBundle(display.Bundle{\"text/plain\": \"0\"})\ndisplay.UpdateBundle(id, display.Bundle{\"text/plain\": \"1\"})"},
		}},
		{"both paths in one cell", []cell{
			{code: "import (\n\t\"golit/display\"\n\t\"github.com/golit/golit/display\"\n)\nfmt.Println(\"ok\")", out: "ok\n"},
		}},
		{"a value made in one cell used in the next under the other path", []cell{
			{code: "import \"golit/display\"\nb := display.Bundle{\"text/plain\": \"v\"}"},
			{code: "import \"github.com/golit/golit/display\"\nfunc show(c display.Bundle) { fmt.Println(c[\"text/plain\"]) }\nshow(b)", out: "v\n"},
		}},
		{"the same standard package again", []cell{
			{code: `import "strings"`},
			{code: "import \"strings\"\nfmt.Println(strings.ToUpper(\"a\"))", out: "A\n"},
		}},
		{"a different package under a name bound in an earlier cell", []cell{
			{code: "import \"math/rand\"\n_ = rand.Intn(2)"},
			{code: `import "crypto/rand"`, errHas: []string{"In[2]:1:8", `"math/rand"`, "In[1]", `"crypto/rand"`, "another name"}, errNot: []string{"this cell"}},
			{code: "import crand \"crypto/rand\"\nb := make([]byte, 2)\n_, err := crand.Read(b)\nfmt.Println(err)", out: "<nil>\n"},
		}},
		{"two packages with one name in one cell", []cell{
			{code: "import (\n\t\"math/rand\"\n\t\"crypto/rand\"\n)", errHas: []string{"In[1]:3:2", "twice in this cell", `"math/rand"`, `"crypto/rand"`}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t)
			for _, c := range tt.cells {
				s.io.reset()
				r := s.run(c.code)
				if len(c.errHas) == 0 {
					if r.Status != kernel.StatusOK {
						t.Fatalf("cell %q: %s: %s", c.code, r.Err.Name, r.Err.Value)
					}
					if c.out != "" && s.io.out() != c.out {
						t.Errorf("cell %q: stdout = %q, want %q", c.code, s.io.out(), c.out)
					}
					continue
				}
				if r.Status != kernel.StatusError || r.Err.Name != present.ENameCompile {
					t.Fatalf("cell %q: want a %s, got %+v", c.code, present.ENameCompile, r)
				}
				for _, h := range c.errHas {
					if !strings.Contains(r.Err.Value, h) {
						t.Errorf("cell %q: error %q lacks %q", c.code, r.Err.Value, h)
					}
				}
				for _, h := range c.errNot {
					if strings.Contains(r.Err.Value, h) {
						t.Errorf("cell %q: error %q says %q", c.code, r.Err.Value, h)
					}
				}
			}
		})
	}
}

// TestAutoImportHelpers uses each helper package without importing it. The
// two import paths of a helper (golit/x and github.com/golit/golit/x) are
// one package, so the import is silent, as for any unambiguous name; a
// name that really fits several packages still gets its note.
func TestAutoImportHelpers(t *testing.T) {
	cells := []struct{ code, out string }{
		{`display.HTML("<i>x</i>")`, ""},
		{`fmt.Println(chart.NewTimeline("t") != nil)`, "true\n"},
		{`fmt.Println(timing.Format(1500 * time.Millisecond))`, "1.5 s\n"},
		{`fmt.Println(len(futures.Items([]int{1, 2})))`, "2\n"},
		{`fmt.Println(pool.NewGroup(context.Background(), 2) != nil)`, "true\n"},
		{`fmt.Println(eventloop.New(eventloop.Options{}) != nil)`, "true\n"},
		{`fmt.Printf("%T\n", flags.LocalMode())`, "flags.Options\n"},
	}
	s := newSession(t)
	for _, c := range cells {
		s.io.reset()
		r := s.run(c.code)
		if r.Status != kernel.StatusOK {
			t.Fatalf("cell %q: %s: %s", c.code, r.Err.Name, r.Err.Value)
		}
		if got := s.io.errOut(); got != "" {
			t.Errorf("cell %q: stderr = %q, want nothing", c.code, got)
		}
		if c.out != "" && s.io.out() != c.out {
			t.Errorf("cell %q: stdout = %q, want %q", c.code, s.io.out(), c.out)
		}
	}
	s.io.reset()
	if r := s.run("rand.Int() >= 0"); r.Status != kernel.StatusOK {
		t.Fatalf("rand.Int: %+v", r.Err)
	}
	if got := s.io.errOut(); !strings.Contains(got, "note: auto-imported math/rand for rand (also possible: ") {
		t.Errorf("an ambiguous name lost its note: stderr = %q", got)
	}
}
