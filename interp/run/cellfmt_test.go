package run

import (
	"strings"
	"testing"
)

// Cells that print values of notebook types print what a compiled
// program prints (the full table, against go run, is in
// tests/test_typefmt.py).
func TestCellTypesInFmt(t *testing.T) {
	s := newSession(t)
	s.ok("type point struct{ x, y int }\ntype state int\nfunc (s state) String() string { return [...]string{\"idle\", \"busy\"}[s] }\ntype job struct {\n\tName string\n\tAt   point\n\tSt   state\n}")
	for _, c := range []struct{ code, out string }{
		{`fmt.Printf("%T %v %+v %#v\n", point{1, 2}, point{1, 2}, point{1, 2}, point{1, 2})`, "main.point {1 2} {x:1 y:2} main.point{x:1, y:2}\n"},
		{`fmt.Printf("%v %#v\n", &point{1, 2}, []point{{3, 4}})`, "&{1 2} []main.point{main.point{x:3, y:4}}\n"},
		{`fmt.Println(job{"a", point{1, 2}, 1})`, "{a {1 2} busy}\n"},
		{`fmt.Printf("%+v\n", job{"a", point{1, 2}, 0})`, "{Name:a At:{x:1 y:2} St:idle}\n"},
		{`fmt.Print(fmt.Sprintf("%#v", map[string]point{"k": {0, 1}}), "\n")`, "map[string]main.point{\"k\":main.point{x:0, y:1}}\n"},
		{`fmt.Println(fmt.Errorf("at %+v: %w", point{5, 6}, errors.New("boom")))`, "at {x:5 y:6}: boom\n"},
	} {
		if got, _ := s.ok(c.code); got != c.out {
			t.Errorf("%s\ngot  %q\nwant %q", c.code, got, c.out)
		}
	}
}

// errors.As and errors.Is find errors of notebook types along a chain.
func TestCellErrorsAsIs(t *testing.T) {
	s := newSession(t)
	s.ok("type argError struct{ arg int }\nfunc (e *argError) Error() string { return fmt.Sprint(\"bad \", e.arg) }\nvar ErrStop = &argError{-1}")
	got, _ := s.ok("w := fmt.Errorf(\"ctx: %w\", &argError{42})\nvar ae *argError\nfmt.Println(errors.As(w, &ae), ae.arg, errors.Is(fmt.Errorf(\"x: %w\", ErrStop), ErrStop), errors.Is(w, ErrStop))")
	if want := "true 42 true false\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Calls of generic functions whose type arguments yaegi cannot infer get
// them written by the rewriter.
func TestExplicitTypeArgs(t *testing.T) {
	s := newSession(t)
	s.ok("func Map[T, U any](xs []T, f func(T) U) []U {\n\tvar out []U\n\tfor _, x := range xs {\n\t\tout = append(out, f(x))\n\t}\n\treturn out\n}\ntype Number interface{ ~int | ~float64 }\nfunc Sum[T Number](xs ...T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}")
	s.ok("xs := []int{1, 2, 3}")
	for _, c := range []struct{ code, out string }{
		{`fmt.Println(Map(xs, func(i int) string { return strconv.Itoa(i * 2) }))`, "[2 4 6]\n"},
		{`fmt.Println(Sum(1.5, 2.5), Sum(1, 2), Sum(1, 2.5))`, "4 3 3.5\n"},
		{"fmt.Printf(\"%T %T\\n\", Sum(1, 2), Sum(1, 2.5))", "int float64\n"},
		{`fl := []float64{0.5, 1}` + "\n" + `fmt.Println(Sum(fl...), Sum(xs[0], xs[2]))`, "1.5 4\n"},
	} {
		if got, _ := s.ok(c.code); got != c.out {
			t.Errorf("%s\ngot  %q\nwant %q", c.code, got, c.out)
		}
	}
}

// Operands whose declared type the cell shows carry it: named types that
// are not structs, struct values with methods, generic instances.
func TestTypedPrintOperands(t *testing.T) {
	s := newSession(t)
	s.ok("type celsius float64\ntype temp struct{ c float64 }\nfunc (t temp) String() string { return fmt.Sprint(t.c, \"C\") }\ntype Pair[K comparable, V any] struct{ Key K; Val V }")
	for _, c := range []struct{ code, out string }{
		{"c := celsius(1.5)\nfmt.Printf(\"%T %v %#v\\n\", c, c, c)", "main.celsius 1.5 1.5\n"},
		{"tp := temp{21.5}\nfmt.Printf(\"%T %v %#v\\n\", tp, tp, tp)", "main.temp 21.5C main.temp{c:21.5}\n"},
		{"pr := Pair[string, int]{\"k\", 1}\nfmt.Printf(\"%T %+v\\n\", pr, pr)", "main.Pair[string,int] {Key:k Val:1}\n"},
		{"fmt.Println(celsius(2), []temp{{1}})", "2 [1C]\n"},
	} {
		if got, _ := s.ok(c.code); got != c.out {
			t.Errorf("%s\ngot  %q\nwant %q", c.code, got, c.out)
		}
	}
}

// A type declared again keeps its String method in fmt's output, directly
// and as a field.
func TestRedeclaredTypeKeepsMethods(t *testing.T) {
	s := newSession(t)
	s.ok("type tt struct{ a int }\nfunc (x tt) String() string { return fmt.Sprint(\"T\", x.a) }\ntype holder struct{ In tt }")
	s.ok("type tt struct{ a, b int }")
	if got, _ := s.ok("fmt.Println(holder{tt{1, 2}}, tt{3, 4})"); got != "{T1} T3\n" {
		t.Errorf("got %q", got)
	}
}

// encoding/json writes and fills only the fields a cell's declaration
// exported, with embedded structs promoted (the full program, against go
// run, is in tests/test_typefmt.py).
func TestCellTypesInJSON(t *testing.T) {
	s := newSession(t)
	s.ok("type base struct {\n\tID   int `json:\"id\"`\n\tkind string\n}\ntype node struct {\n\tbase\n\tName string `json:\"name,omitempty\"`\n\tnote string\n\tNext *node `json:\"next,omitempty\"`\n}")
	for _, c := range []struct{ code, out string }{
		{"b, err := json.Marshal(node{base{1, \"k\"}, \"a\", \"n\", &node{Name: \"b\"}})\nfmt.Println(string(b), err)", "{\"id\":1,\"name\":\"a\",\"next\":{\"id\":0,\"name\":\"b\"}} <nil>\n"},
		{"b, _ := json.Marshal(map[string]any{\"l\": []node{{note: \"x\"}}})\nfmt.Println(string(b))", "{\"l\":[{\"id\":0}]}\n"},
		{"var n node\nn.note = \"keep\"\nerr := json.Unmarshal([]byte(`{\"id\":7,\"xnote\":\"no\",\"Xnote\":\"no\",\"kind\":\"no\"}`), &n)\nfmt.Println(n.ID, n.note, n.kind == \"\", err)", "7 keep true <nil>\n"},
		{"json.NewEncoder(os.Stdout).Encode([]*node{{Name: \"e\", note: \"x\"}})", "[{\"id\":0,\"name\":\"e\"}]\n"},
		{"var enc *json.Encoder = json.NewEncoder(os.Stdout)\nenc.SetIndent(\"\", \" \")\nenc.Encode(node{note: \"x\"})\nvar dec *json.Decoder = json.NewDecoder(strings.NewReader(`{\"id\":3}`))\nvar n node\nfmt.Println(dec.Decode(&n), n.ID)", "{\n \"id\": 0\n}\n<nil> 3\n"},
		{"type cents int\nfunc (c cents) MarshalJSON() ([]byte, error) { return []byte(strconv.Itoa(int(c) / 100)), nil }\ntype item struct {\n\tP cents `json:\"p,omitempty\"`\n\tQ *cents\n}\nb, _ := json.Marshal([]item{{P: 250}, {}})\nfmt.Println(string(b))", "[{\"p\":2,\"Q\":null},{\"Q\":null}]\n"},
	} {
		if got, _ := s.ok(c.code); got != c.out {
			t.Errorf("%s\ngot  %q\nwant %q", c.code, got, c.out)
		}
	}
}

// A recursive notebook struct marshalled inside a map[string]any that also
// holds a slice of pointers to it: whichever value the map yields first,
// the nested level leaves out the unexported fields and keeps the embedded
// ones embedded (the shadow of a pointer to the type met while the type
// itself is being built used to be the type as yaegi built it, so the map's
// iteration order decided the output).
func TestRecursiveTypeInJSONMapOrder(t *testing.T) {
	s := newSession(t)
	s.ok("type base struct {\n\tID   int `json:\"id\"`\n\tkind string\n}\ntype Meta struct{ Tag string }\ntype item struct {\n\tbase\n\tMeta\n\tName  string `json:\"name\"`\n\tnote  string\n\tPrice float64 `json:\"price,omitempty\"`\n\tSub   *item   `json:\"sub,omitempty\"`\n}")
	s.ok("it := item{base{1, \"k\"}, Meta{\"t\"}, \"a\", \"secret\", 0, &item{Name: \"b\", note: \"x\"}}")
	const want = `{"list":[{"id":1,"Tag":"t","name":"a","sub":{"id":0,"Tag":"","name":"b"}}],"x":{"id":1,"Tag":"t","name":"a","sub":{"id":0,"Tag":"","name":"b"}}}`
	got, _ := s.ok("for i := 0; i < 40; i++ {\n\tb, _ := json.Marshal(map[string]any{\"x\": it, \"list\": []*item{&it}})\n\tfmt.Println(string(b))\n}")
	bad := 0
	for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if line != want {
			if bad == 0 {
				t.Errorf("got  %s\nwant %s", line, want)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d of 40 marshals wrong", bad)
	}
}
