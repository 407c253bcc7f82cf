package complete_test

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/golit/golit/interp/complete"
)

// notebook is the smallest Source: one package and one declared type, as
// if a cell had run `type Point struct{ X, Y int }` and `p := Point{}`.
type notebook struct{}

func (notebook) Packages() map[string]map[string]reflect.Value {
	return map[string]map[string]reflect.Value{"strings/strings": {
		"Split":     reflect.ValueOf(strings.Split),
		"SplitN":    reflect.ValueOf(strings.SplitN),
		"Builder":   reflect.ValueOf((*strings.Builder)(nil)),
		"NewReader": reflect.ValueOf(strings.NewReader),
	}}
}
func (notebook) Imports() map[string]string { return map[string]string{"strings": "strings"} }
func (notebook) Globals() map[string]reflect.Value {
	return map[string]reflect.Value{"p": reflect.ValueOf(struct{ X, Y int }{})}
}
func (notebook) Decls() string {
	return "type Point struct{ X, Y int }\n\nfunc (p Point) Norm() int { return p.X*p.X + p.Y*p.Y }\n"
}

func ExampleCompleter_Complete() {
	c := complete.New(notebook{})
	r := c.Complete("strings.Sp", 10)
	fmt.Println(r.Matches, r.Start, r.End)
	r = c.Complete("p.", 2)
	fmt.Println(r.Matches, r.Types)
	// Output:
	// [Split SplitN] 8 10
	// [Norm X Y] [method field field]
}

func ExampleCompleter_Inspect() {
	c := complete.New(notebook{})
	in := c.Inspect("p.Norm", 6, 0)
	fmt.Println(in.Text)
	// Output:
	// func (p Point) Norm() int
}

func ExampleIsComplete() {
	for _, code := range []string{"x := 1", "func f() {", "s := `raw", "x := )"} {
		status, indent := complete.IsComplete(code)
		fmt.Printf("%-12q %s %q\n", code, status, indent)
	}
	// Output:
	// "x := 1"     complete ""
	// "func f() {" incomplete "    "
	// "s := `raw"  incomplete ""
	// "x := )"     invalid ""
}
