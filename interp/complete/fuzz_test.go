package complete

import (
	"testing"
	"unicode/utf8"
)

// FuzzComplete feeds arbitrary code and cursors to every entry point: none
// may panic, and replies must stay within the code.
func FuzzComplete(f *testing.F) {
	for _, s := range []string{"strings.Sp", "p.", "func (p *Point) M() {\n\tp.", "import (\n\t\"fm",
		"%ti", "!ls d", "x := `raw", "é.ü(", "Point{X: 1}.N", "for _, v := range points {\n v.", "os.ReadFile(\"da"} {
		f.Add(s, utf8.RuneCountInString(s))
	}
	c := New(notebook())
	f.Fuzz(func(t *testing.T, code string, cursor int) {
		n := utf8.RuneCountInString(code)
		if cursor < 0 || cursor > n {
			cursor = n
		}
		r := c.Complete(code, cursor)
		if r.Start < 0 || r.Start > r.End || r.End > n || len(r.Types) != len(r.Matches) {
			t.Fatalf("Complete(%q, %d) = start %d end %d, %d types for %d matches", code, cursor, r.Start, r.End, len(r.Types), len(r.Matches))
		}
		c.Inspect(code, cursor, 0)
		c.Inspect(code, cursor, 1)
		switch s, _ := IsComplete(code); s {
		case StatusComplete, StatusIncomplete, StatusInvalid:
		default:
			t.Fatalf("IsComplete(%q) = %q", code, s)
		}
	})
}
