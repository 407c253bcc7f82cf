package interp

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
//	go test -run '^$' -fuzz '^FuzzSplitCell$' -fuzztime 30s ./interp
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
		units := splitCell(src)
		prevEnd := 0
		for i, u := range units {
			if u.start < prevEnd || u.end < u.start || u.end > len(src) {
				t.Fatalf("%q: unit %d spans [%d,%d) after %d (len %d)", src, i, u.start, u.end, prevEnd, len(src))
			}
			prevEnd = u.end
			if u.start < len(src) && isSpace(src[u.start]) {
				t.Fatalf("%q: unit %d starts on a space at %d", src, i, u.start)
			}
			if u.kind < unitStmt || u.kind > unitPackage {
				t.Fatalf("%q: unit %d has kind %d", src, i, u.kind)
			}
			// Line and column of the first byte, as go/token counts them
			// (columns in bytes, 1-based).
			before := src[:u.start]
			line := strings.Count(before, "\n") + 1
			col := u.start - strings.LastIndexByte(before, '\n')
			if u.line != line || u.col != col {
				t.Fatalf("%q: unit %d at offset %d says %d:%d, want %d:%d", src, i, u.start, u.line, u.col, line, col)
			}
		}
	})
}
