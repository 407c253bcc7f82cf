package complete

import (
	"bytes"
	"strings"
	"testing"

	"github.com/golit/golit/interp/complete/internal/docindex"
)

func TestInspect(t *testing.T) {
	c := New(notebook())
	tests := []struct {
		cell   string
		detail int
		has    []string // substrings of the text/plain answer, in order
		hasNot []string
	}{
		// Standard library, from GOROOT's source.
		{cell: "strings.Split", has: []string{"func Split(s, sep string) []string", "Split slices s into all substrings"}},
		{cell: "strings.Sp|lit", has: []string{"func Split(s, sep string) []string"}},
		{cell: "strings.Split(|", has: []string{"func Split(s, sep string) []string"}},
		{cell: "parts := strings.Split(line, |", has: []string{"func Split(s, sep string) []string"}},
		{cell: "fmt.Println(strings.ToUpper(\"a\"), |", has: []string{"func Println(a ...any) (n int, err error)"}},
		{cell: "strings.Builder", has: []string{"type Builder struct", "A Builder is used to efficiently build a string"}},
		{cell: "strings.Builder", detail: 1, has: []string{"type Builder struct", "Methods:", "func (b *Builder) WriteString(s string) (int, error)"}},
		{cell: "math.Pi", has: []string{"Pi", "3.14159"}},
		{cell: "fmt", has: []string{`package fmt // import "fmt"`, "Package fmt implements formatted I/O"}},
		{cell: "import \"strings|\"", has: []string{`package strings // import "strings"`}},
		{cell: "len", has: []string{"func len(v Type) int", "The len built-in function"}},
		{cell: "sb.WriteString", has: []string{"func (b *Builder) WriteString(s string) (int, error)", "WriteString appends"}},
		{cell: "strings.NewReader(\"x\").Len", has: []string{"func (r *Reader) Len() int"}},
		// golit's helper packages, from the embedded index.
		{cell: "timing.Time", has: []string{"func Time(fn func()) Result", "Time calls fn once and measures it"}},
		{cell: "sw := timing.Start()\nsw.Lap", has: []string{"func (sw *Stopwatch) Lap() time.Duration", "Lap records and returns"}},
		// Notebook identifiers: their declaration as written.
		{cell: "fib", has: []string{"func fib(n int) int", "fib returns the n-th Fibonacci number."}, hasNot: []string{"return fib"}},
		{cell: "fib", detail: 1, has: []string{"func fib(n int) int {", "return fib(n-1) + fib(n-2)"}},
		{cell: "x := fib(|", has: []string{"func fib(n int) int"}},
		{cell: "Point", has: []string{"type Point struct {", "label string", "Point is a point in the plane.", "Methods:", "func (p *Point) Move(dx, dy int)", "func (p Point) Norm() int"}},
		{cell: "p.Norm", has: []string{"func (p Point) Norm() int", "Norm returns the squared length."}},
		{cell: "p.X", has: []string{"field X int"}},
		{cell: "p.Move(1, |", has: []string{"func (p *Point) Move(dx, dy int)"}},
		{cell: "fmt.Println(p.No|rm())", has: []string{"func (p Point) Norm() int"}},
		{cell: "p", has: []string{"var p Point", "value: {1 2 }"}},
		{cell: "counter", has: []string{"var counter int", "value: 7"}},
		{cell: "limit", has: []string{"const limit = 10"}},
		{cell: "total := 40 + 2\ntotal", has: []string{"var total int"}},
		{cell: "type Box struct{ W, H int }\nBox", has: []string{"type Box struct{ W, H int }"}},
	}
	for _, tt := range tests {
		code, cursor := at(tt.cell)
		got := c.Inspect(code, cursor, tt.detail)
		if !got.Found {
			t.Errorf("Inspect(%q): not found", tt.cell)
			continue
		}
		rest := got.Text
		for _, h := range tt.has {
			i := strings.Index(rest, h)
			if i < 0 {
				t.Errorf("Inspect(%q, %d) lacks %q (in order) in:\n%s", tt.cell, tt.detail, h, got.Text)
				break
			}
			rest = rest[i+len(h):]
		}
		for _, h := range tt.hasNot {
			if strings.Contains(got.Text, h) {
				t.Errorf("Inspect(%q) has %q:\n%s", tt.cell, h, got.Text)
			}
		}
		b := got.Bundle()
		if b["text/plain"] != got.Text || !strings.HasPrefix(got.Markdown, "```go\n") {
			t.Errorf("Inspect(%q): bundle %v", tt.cell, b)
		}
	}
	for _, cell := range []string{"", "nosuch", "import \"../../timing|\"", "import \"/etc|\"", "x := 1 |", "// strings.Split", "s := \"strings.Split", "strings.NoSuch", "p.NoSuch"} {
		code, cursor := at(cell)
		if got := c.Inspect(code, cursor, 0); got.Found || len(got.Bundle()) != 0 {
			t.Errorf("Inspect(%q) found %q", cell, got.Text)
		}
	}
}

// TestHelperDocsUpToDate fails when helperdocs.json no longer matches the
// helper packages' source: run go generate ./interp/complete.
func TestHelperDocsUpToDate(t *testing.T) {
	idx, err := docindex.Helpers("../..", modulePath)
	if err != nil {
		t.Fatal(err)
	}
	want, err := docindex.Marshal(idx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, helperDocsJSON) {
		t.Fatal("interp/complete/helperdocs.json is stale: run `go generate ./interp/complete`")
	}
	if helperDocs()[modulePath+"/timing"] == nil {
		t.Error("the embedded index lacks the timing package")
	}
}

func TestIsComplete(t *testing.T) {
	tests := []struct {
		code, status, indent string
	}{
		{"", "complete", ""},
		{"x := 1", "complete", ""},
		{"fmt.Println(\"hi\")", "complete", ""},
		{"func f() {", "incomplete", "    "},
		{"func f() {\n\tif x {", "incomplete", "        "},
		{"func f() {\n}\n", "complete", ""},
		{"fmt.Println(", "incomplete", "    "},
		{"foo(func() {", "incomplete", "    "},
		{"xs := []int{\n\t1,\n\t2,", "incomplete", "    "},
		{"s := `raw", "incomplete", ""},
		{"/* comment", "incomplete", ""},
		{"x := 1 +", "incomplete", ""},
		{"ok := a &&", "incomplete", ""},
		{"x++", "complete", ""},
		{"x := 1 // (", "complete", ""},
		{"s := \"(\"", "complete", ""},
		{"x := )", "invalid", ""},
		{"f(]", "invalid", ""},
		{"x := @", "invalid", ""},
		{"s := \"abc\ny\"", "invalid", ""},
		{"%time x := f()", "complete", ""},
		{"x := 1\n!ls", "complete", ""},
		{"!ls\nfunc f() {", "incomplete", "    "},
		{"strings.Split?", "complete", ""},
		{"%%bash", "incomplete", ""},
		{"%%bash\necho hi", "incomplete", ""},
		{"%%bash\necho hi\n", "complete", ""},
		{"x := undefined_thing(", "incomplete", "    "},
		{"var x int = \"not an int\"", "complete", ""}, // running it explains
		// Syntax errors before the end can never be fixed by more lines.
		{"fmt.Println(\"a\" \"b\")", "invalid", ""},
		{"x := 1 2", "invalid", ""},
		{"func f() {\n\treturn 1 1\n}", "invalid", ""},
		{"if x\nfmt.Println() {}\nelse {}", "invalid", ""},
		{"%time fmt.Println(\"a\" \"b\")", "invalid", ""},
		{"x := 1\n!ls\ny := 2 3", "invalid", ""},
		// A syntax error at the end may be fixed by the next line.
		{"if x", "incomplete", ""},
		{"type T", "incomplete", ""},
		// Valid cells: declarations and statements mixed, imports, magics.
		{"package main\nimport \"fmt\"\ntype T struct{ X int }\nt := T{1}\nfunc (t T) M() int { return t.X }\nfmt.Println(t.M())", "complete", ""},
		{"import (\n\t\"fmt\"\n\t\"strings\"\n)\nfmt.Println(strings.ToUpper(\"x\"))", "complete", ""},
		{"x := 1\nfunc f() int { return 2 }\ny := f() + x\nfunc g() {}\ny", "complete", ""},
		{"for i := 0; i < 3; i++ {\n\tfmt.Println(i) // a comment (\n}", "complete", ""},
		{"go func() {\n\tfmt.Println(1)\n}()", "complete", ""},
		{"func() { fmt.Println(1) }()", "complete", ""},
		{"var wg sync.WaitGroup\nwg.Add(1)", "complete", ""},
		{"L:\nfor {\n\tbreak L\n}", "complete", ""},
		{"%time fmt.Println(\"a\")", "complete", ""},
		{"%timeit -n 3 f()", "complete", ""},
		{"!ls -l", "complete", ""},
		{"%%bash\necho \"a\" \"b\"\n", "complete", ""},
		{"x := 1\n%time y := x * 2\nfmt.Println(y)", "complete", ""},
		{"func f()", "complete", ""}, // parses; running it explains the missing body
	}
	for _, tt := range tests {
		status, indent := IsComplete(tt.code)
		if status != tt.status || indent != tt.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", tt.code, status, indent, tt.status, tt.indent)
		}
	}
}
