package parse

import (
	"strings"
	"testing"
)

// FuzzSplitCell feeds arbitrary text to the cell splitter. It must never
// panic, and the units it returns must be in order, inside the cell, not
// overlapping, start on a token (never on a space) and carry the line and
// column of their first byte. See FUZZING.md at the repository root for a
// longer run:
//
//	go test -run '^$' -fuzz '^FuzzSplitCell$' -fuzztime 30s ./interp/parse
func FuzzSplitCell(f *testing.F) {
	for _, s := range []string{
		"x := 1\nfmt.Println(x)",
		"import \"fmt\"; func f() int { return 1 }; f()",
		"type T struct{ a int }\nfunc (t T) M() {}\nvar v = T{}",
		"package main\nfunc main() {\n\tfor i := range 3 {\n\t\tgo func() {}()\n\t}\n}",
		"s := `raw\n;;`; /* c; */ // x;\n'a'",
		"func (",
		"))}}]] ; ;;",
		"const (\n\ta = iota\n\tb\n)\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		units := Split(src)
		prevEnd := 0
		for i, u := range units {
			if u.Start < prevEnd || u.End < u.Start || u.End > len(src) {
				t.Fatalf("%q: unit %d spans [%d,%d) after %d (len %d)", src, i, u.Start, u.End, prevEnd, len(src))
			}
			prevEnd = u.End
			if u.Start < len(src) && isSpace(src[u.Start]) {
				t.Fatalf("%q: unit %d starts on a space at %d", src, i, u.Start)
			}
			if u.Kind < Stmt || u.Kind > Package {
				t.Fatalf("%q: unit %d has kind %d", src, i, u.Kind)
			}
			// Line and column of the first byte, as go/token counts them
			// (columns in bytes, 1-based).
			before := src[:u.Start]
			line := strings.Count(before, "\n") + 1
			col := u.Start - strings.LastIndexByte(before, '\n')
			if u.Line != line || u.Col != col {
				t.Fatalf("%q: unit %d at offset %d says %d:%d, want %d:%d", src, i, u.Start, u.Line, u.Col, line, col)
			}
		}
	})
}
