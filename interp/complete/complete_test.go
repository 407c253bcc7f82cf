package complete

import (
	"fmt"
	"go/constant"
	"go/token"
	"io"
	"math/rand"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	crand "crypto/rand"

	"github.com/golit/golit/timing"
)

// fakeSource is a notebook: symbol tables in yaegi's form ("path/name"
// keys, types as nil pointers, variables addressable, constants as
// go/constant values), imports, globals and declarations.
type fakeSource struct {
	imports map[string]string
	globals map[string]reflect.Value
	decls   string
}

var tables = map[string]map[string]reflect.Value{
	"strings/strings": {
		"Split":       reflect.ValueOf(strings.Split),
		"SplitN":      reflect.ValueOf(strings.SplitN),
		"SplitAfter":  reflect.ValueOf(strings.SplitAfter),
		"SplitAfterN": reflect.ValueOf(strings.SplitAfterN),
		"SplitSeq":    reflect.ValueOf(strings.SplitSeq),
		"ToUpper":     reflect.ValueOf(strings.ToUpper),
		"NewReader":   reflect.ValueOf(strings.NewReader),
		"Builder":     reflect.ValueOf((*strings.Builder)(nil)),
		"Reader":      reflect.ValueOf((*strings.Reader)(nil)),
	},
	"fmt/fmt": {
		"Print":   reflect.ValueOf(fmt.Print),
		"Printf":  reflect.ValueOf(fmt.Printf),
		"Println": reflect.ValueOf(fmt.Println),
		"Sprint":  reflect.ValueOf(fmt.Sprint),
	},
	"io/io": {
		"Reader":     reflect.ValueOf((*io.Reader)(nil)),
		"_io_Reader": reflect.ValueOf((*struct{ IValue any })(nil)),
		"EOF":        reflect.ValueOf(&io.EOF).Elem(),
	},
	"math/math": {
		"Pi": reflect.ValueOf(constant.MakeFromLiteral("3.14159265358979323846264338327950288419716939937510582097494459", token.FLOAT, 0)),
	},
	"os/os":            {"Args": reflect.ValueOf(&os.Args).Elem()},
	"math/rand/rand":   {"Intn": reflect.ValueOf(rand.Intn)},
	"crypto/rand/rand": {"Read": reflect.ValueOf(crand.Read)},
	"github.com/golit/golit/timing/timing": {
		"Start":     reflect.ValueOf(timing.Start),
		"Time":      reflect.ValueOf(timing.Time),
		"TimeIt":    reflect.ValueOf(timing.TimeIt),
		"Stopwatch": reflect.ValueOf((*timing.Stopwatch)(nil)),
	},
}

func (s *fakeSource) Packages() map[string]map[string]reflect.Value { return tables }
func (s *fakeSource) Imports() map[string]string                    { return s.imports }
func (s *fakeSource) Globals() map[string]reflect.Value             { return s.globals }
func (s *fakeSource) Decls() string                                 { return s.decls }

// A notebook where earlier cells declared Point and friends and ran
// p := Point{X: 1, Y: 2}. yaegi stores p as an unnamed struct type with
// unexported fields renamed (label -> Xlabel).
const notebookDecls = `// Point is a point in the plane.
type Point struct {
	X, Y  int
	label string
}

// Norm returns the squared length.
func (p Point) Norm() int { return p.X*p.X + p.Y*p.Y }

func (p *Point) Move(dx, dy int) { p.X += dx; p.Y += dy }

type Segment struct {
	From, To Point
	Name     string
}

// fib returns the n-th Fibonacci number.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func newSegment() *Segment { return &Segment{} }

var points []Point

const limit = 10
`

func notebook() *fakeSource {
	yaegiPoint := reflect.StructOf([]reflect.StructField{
		{Name: "X", Type: reflect.TypeOf(0)}, {Name: "Y", Type: reflect.TypeOf(0)},
		{Name: "Xlabel", Type: reflect.TypeOf("")}})
	p := reflect.New(yaegiPoint).Elem()
	p.Field(0).SetInt(1)
	p.Field(1).SetInt(2)
	counter := 7
	sb := &strings.Builder{}
	return &fakeSource{
		imports: map[string]string{"fmt": "fmt", "strings": "strings"},
		globals: map[string]reflect.Value{
			"p":       p,
			"counter": reflect.ValueOf(&counter).Elem(),
			"sb":      reflect.ValueOf(&sb).Elem(),
			"limit":   reflect.ValueOf(constant.MakeInt64(10)),
			"points":  reflect.ValueOf([]any{}),
		},
		decls: notebookDecls,
	}
}

// at splits a test cell at "|" (the cursor) and returns the code and the
// cursor in code points; without "|" the cursor is at the end.
func at(cell string) (string, int) {
	i := strings.Index(cell, "|")
	if i < 0 {
		return cell, utf8.RuneCountInString(cell)
	}
	return cell[:i] + cell[i+1:], utf8.RuneCountInString(cell[:i])
}

func TestComplete(t *testing.T) {
	c := New(notebook())
	tests := []struct {
		cell    string
		want    []string // exactly these, in order, when exact
		has     []string // at least these
		hasNot  []string
		exact   bool
		replace string // the text from Start to End that matches replace
	}{
		{cell: "strings.Sp", want: []string{"Split", "SplitAfter", "SplitAfterN", "SplitN", "SplitSeq"}, exact: true, replace: "Sp"},
		{cell: "x := strings.Sp", has: []string{"Split", "SplitN"}, replace: "Sp"},
		{cell: "héllo := \"é\"; strings.Sp", has: []string{"Split"}, replace: "Sp"},
		{cell: "strings.sp", has: []string{"Split"}, replace: "sp"}, // case-insensitive fallback
		{cell: "strings.|Sp", has: []string{"Split", "ToUpper", "Builder"}, hasNot: []string{"_io_Reader"}, replace: ""},
		{cell: "fmt.Pri", want: []string{"Print", "Printf", "Println"}, exact: true},
		{cell: "io.", want: []string{"EOF", "Reader"}, exact: true}, // wrappers hidden
		{cell: "r := rand.In", want: []string{"Intn"}, exact: true}, // math/rand preferred
		{cell: "import crand \"crypto/rand\"\ncrand.", want: []string{"Read"}, exact: true},
		{cell: "timing.St", want: []string{"Start", "Stopwatch"}, exact: true},
		{cell: "slices.Sor", want: []string{"Sort", "SortFunc", "SortStableFunc", "Sorted", "SortedFunc", "SortedStableFunc"}, exact: true},
		{cell: "import \"maps\"\nmaps.Ke", want: []string{"Keys"}, exact: true},
		// Fields and methods of notebook values and types.
		{cell: "p.", want: []string{"Move", "Norm", "X", "Y", "label"}, exact: true},
		{cell: "p.N", want: []string{"Norm"}, exact: true},
		{cell: "fmt.Println(p.N", want: []string{"Norm"}, exact: true},
		{cell: "Point{X: 1}.N", want: []string{"Norm"}, exact: true},
		{cell: "x := p.X + p.|Y", has: []string{"X", "Y", "Norm"}},
		{cell: "q := Point{X: 1}\nq.", has: []string{"X", "Y", "Norm", "Move"}},
		{cell: "q := &Point{}\nq.M", want: []string{"Move"}, exact: true},
		{cell: "var q Point\nq.", has: []string{"X", "Norm"}},
		{cell: "s := Segment{}\ns.From.", has: []string{"X", "Y", "Norm"}},
		{cell: "newSegment().To.", has: []string{"X", "Norm"}},
		{cell: "for _, pt := range points {\n\tpt.", has: []string{"X", "Norm"}},
		{cell: "for i, pt := range points {\n\ti.", want: nil, exact: true},
		{cell: "func (p *Point) Scale(k int) {\n\tp.", has: []string{"X", "Y", "Move", "Norm"}},
		{cell: "func show(s Segment) {\n\ts.Fr", want: []string{"From"}, exact: true},
		{cell: "type Box struct{ W, H int }\nfunc (b Box) Area() int { return b.W * b.H }\nb := Box{}\nb.", want: []string{"Area", "H", "W"}, exact: true},
		// Compiled types: methods through reflection.
		{cell: "sb.Write", want: []string{"Write", "WriteByte", "WriteRune", "WriteString"}, exact: true},
		{cell: "b := &strings.Builder{}\nb.Le", want: []string{"Len"}, exact: true},
		{cell: "var b strings.Builder\nb.Gr", want: []string{"Grow"}, exact: true},
		{cell: "strings.NewReader(\"abc\").Le", want: []string{"Len"}, exact: true},
		{cell: "sw := timing.Start()\nsw.", has: []string{"Elapsed", "Lap", "Laps", "Seconds", "Start", "Stop", "String"}},
		{cell: "timing.Time(func() {}).", has: []string{"Wall", "User", "System", "CPU", "String"}},
		{cell: "os.Args[0].", want: nil, exact: true},
		// Identifiers, keywords, builtins, packages.
		{cell: "fi", want: []string{"fib"}, exact: true},
		{cell: "f", has: []string{"fib", "false", "float64", "for", "func", "fmt"}},
		{cell: "cou", want: []string{"counter"}, exact: true},
		{cell: "Seg", want: []string{"Segment"}, exact: true},
		{cell: "pri", want: []string{"print", "println"}, exact: true},
		{cell: "x := 1\ny := x + co", has: []string{"counter", "const", "continue", "copy", "complex"}},
		{cell: "total := 0\nto", want: []string{"total"}, exact: true},
		{cell: "str", has: []string{"strings", "string", "struct"}},
		{cell: "ma", has: []string{"make", "map", "math"}},
		{cell: "%ti", want: []string{"%time", "%timeit"}, exact: true, replace: "%ti"},
		{cell: "%%wr", want: []string{"%%writefile"}, exact: true, replace: "%%wr"},
		{cell: "import \"str", want: []string{"strings"}, exact: true, replace: "str"},
		{cell: "import (\n\t\"fmt\"\n\t\"math/", want: []string{"math/rand"}, exact: true},
		// Nothing inside comments and strings.
		{cell: "// strings.Sp", want: nil, exact: true},
		{cell: "s := \"strings.Sp", want: nil, exact: true},
	}
	for _, tt := range tests {
		code, cursor := at(tt.cell)
		got := c.Complete(code, cursor)
		if tt.exact && !slices.Equal(got.Matches, tt.want) {
			t.Errorf("Complete(%q) = %q, want %q", tt.cell, got.Matches, tt.want)
		}
		for _, h := range tt.has {
			if !slices.Contains(got.Matches, h) {
				t.Errorf("Complete(%q) = %q, lacks %q", tt.cell, got.Matches, h)
			}
		}
		for _, h := range tt.hasNot {
			if slices.Contains(got.Matches, h) {
				t.Errorf("Complete(%q) offers %q", tt.cell, h)
			}
		}
		if len(got.Types) != len(got.Matches) {
			t.Errorf("Complete(%q): %d types for %d matches", tt.cell, len(got.Types), len(got.Matches))
		}
		if got.End != cursor || got.Start > got.End {
			t.Errorf("Complete(%q): start %d end %d, cursor %d", tt.cell, got.Start, got.End, cursor)
		}
		if tt.replace != "" || strings.Contains(tt.cell, "|") {
			runes := []rune(code)
			if s := string(runes[got.Start:got.End]); s != tt.replace {
				t.Errorf("Complete(%q) replaces %q, want %q", tt.cell, s, tt.replace)
			}
		}
	}
}

func TestCompleteTypes(t *testing.T) {
	c := New(notebook())
	got := c.Complete("p.", 2)
	want := map[string]string{"Move": "method", "Norm": "method", "X": "field", "label": "field"}
	for i, m := range got.Matches {
		if w, ok := want[m]; ok && got.Types[i] != w {
			t.Errorf("%s: type %q, want %q", m, got.Types[i], w)
		}
	}
	got = c.Complete("strings.Bu", 10)
	if len(got.Types) != 1 || got.Types[0] != "type" {
		t.Errorf("strings.Builder: %v", got.Types)
	}
	got = c.Complete("fmt", 3)
	if i := slices.Index(got.Matches, "fmt"); i < 0 || got.Types[i] != "module" {
		t.Errorf("fmt: %v %v", got.Matches, got.Types)
	}
}

func TestCompleteWithoutSource(t *testing.T) {
	c := New(nil)
	got := c.Complete("fo", 2)
	if !slices.Equal(got.Matches, []string{"for"}) {
		t.Errorf("got %q", got.Matches)
	}
	// Without symbol tables, package members come from the docs.
	if got := c.Complete("strings.Spl", 11); !slices.Contains(got.Matches, "Split") {
		t.Errorf("got %q", got.Matches)
	}
	if got := c.Complete("nosuchpkg.", 10); len(got.Matches) != 0 {
		t.Errorf("got %q", got.Matches)
	}
	if in := c.Inspect("nothing", 3, 0); in.Found {
		t.Errorf("found %q", in.Text)
	}
}

func TestCompleteNeverPanics(t *testing.T) {
	c := New(notebook())
	cells := []string{"", ".", "..", "p..", ")).", "}.", "x := (((.", "`", "\"", "/*", "a.b.c.d.e.", "[]int{1}.",
		"func(", "func (", "for i := range {", "var (", "type T struct {", "é.", "0.", "\"x\".", "p.X.Y.Z."}
	for _, cell := range cells {
		for i := 0; i <= utf8.RuneCountInString(cell); i++ {
			c.Complete(cell, i)
			c.Inspect(cell, i, 0)
			c.Inspect(cell, i, 1)
		}
	}
}

func TestVars(t *testing.T) {
	src := notebook()
	hidden := 1
	src.globals[HiddenPrefix+"Timeit"] = reflect.ValueOf(&hidden).Elem()
	got := fmt.Sprint(New(src).Vars())
	want := "[{counter int 7} {p Point {1 2 }} {points []complete.Point []} {sb *strings.Builder }]"
	want = strings.Replace(want, "[]complete.Point", "[]Point", 1)
	if got != want {
		t.Errorf("Vars() = %s\nwant      %s", got, want)
	}
	if m := New(src).Complete("_go", 3); len(m.Matches) != 0 {
		t.Errorf("hidden names offered: %q", m.Matches)
	}
}

func TestCompletePaths(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"data.csv", "data2.txt", ".hidden", "docs/a.go"} {
		p := dir + "/" + f
		os.MkdirAll(p[:strings.LastIndexByte(p, '/')], 0o755)
		os.WriteFile(p, nil, 0o644)
	}
	t.Chdir(dir)
	c := New(notebook())
	tests := []struct {
		cell    string
		want    []string
		replace string
	}{
		{"!cat da", []string{"data.csv", "data2.txt"}, "da"},
		{"!wc -l data.csv d", []string{"data.csv", "data2.txt", "docs/"}, "d"},
		{"x := 1\n!ls docs/", []string{"docs/a.go"}, "docs/"},
		{"!cat .h", []string{".hidden"}, ".h"},
		{"%%writefile do", []string{"docs/"}, "do"},
		{"%cd d", []string{"data.csv", "data2.txt", "docs/"}, "d"},
		{"b, err := os.ReadFile(\"da", []string{"data.csv", "data2.txt"}, "da"},
		{"s := \"no\\nsuch", nil, ""},
	}
	for _, tt := range tests {
		code, cursor := at(tt.cell)
		got := c.Complete(code, cursor)
		if !slices.Equal(got.Matches, tt.want) {
			t.Errorf("Complete(%q) = %q, want %q", tt.cell, got.Matches, tt.want)
			continue
		}
		if r := string([]rune(code)[got.Start:got.End]); tt.want != nil && r != tt.replace {
			t.Errorf("Complete(%q) replaces %q, want %q", tt.cell, r, tt.replace)
		}
		for _, ty := range got.Types {
			if ty != "path" {
				t.Errorf("Complete(%q): type %q", tt.cell, ty)
			}
		}
	}
}
