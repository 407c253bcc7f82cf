package magic

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, keeps every line of the cell
// exactly once (in Go source, a magic's line or a cell magic's body), and
// pads Go source to the cell's line numbers.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"x := 1\n%time y := f(x)\nfmt.Println(y)", "%%bash\necho hi", "!ls\n?fmt\np?",
		"ok := a &&\n  !b", "s := `\n!x\n`", "/*\n%t\n*/", "%timeit -n 3 f()", "\n\n%%writefile a\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		p := Parse(cell)
		if len(p.Steps) == 0 {
			t.Fatal("no steps")
		}
		if !p.HasMagic() {
			if p.Steps[0].Source != cell {
				t.Fatalf("plain Go changed: %q", p.Steps[0].Source)
			}
			return
		}
		prev := 0
		for _, st := range p.Steps {
			if st.Line < prev || st.Line < 1 {
				t.Fatalf("%q: step lines out of order: %+v", cell, p.Steps)
			}
			prev = st.Line
			if st.Kind == Go {
				pad := strings.Repeat("\n", st.Line-1)
				lines := strings.SplitAfter(cell, "\n")
				off := len(strings.Join(lines[:st.Line-1], ""))
				if !strings.HasPrefix(st.Source, pad) || !strings.HasPrefix(cell[off:], st.Source[len(pad):]) {
					t.Fatalf("%q: Go step at line %d is %q, not the cell's text from that line", cell, st.Line, st.Source)
				}
				if first, _, _ := strings.Cut(st.Source[len(pad):], "\n"); strings.TrimSpace(first) == "" {
					t.Fatalf("%q: Go step at line %d starts with a blank line: %q", cell, st.Line, st.Source)
				}
			}
		}
	})
}
