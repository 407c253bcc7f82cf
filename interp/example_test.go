package interp_test

import (
	"context"
	"fmt"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/kernel"
)

// printIO is a minimal kernel.IO that prints what a cell sends.
type printIO struct{}

func (printIO) Stream(name, text string)                            { fmt.Print(text) }
func (printIO) Display(b kernel.Bundle, _ map[string]any, _ string) { fmt.Println(b["text/plain"]) }
func (printIO) Update(b kernel.Bundle, _ map[string]any, _ string)  { fmt.Println(b["text/plain"]) }
func (printIO) ClearOutput(bool)                                    {}
func (printIO) Input(string, bool) (string, error)                  { return "", kernel.ErrNoStdin }

// Cells mix declarations and statements, keep their variables, and the
// value of a final expression is the cell's result.
func Example() {
	e, err := interp.New(interp.Options{})
	if err != nil {
		panic(err)
	}
	defer e.Shutdown(false)
	run := func(n int, code string) {
		r := e.Execute(context.Background(), kernel.ExecuteRequest{Code: code, ExecutionCount: n}, printIO{})
		if r.Err != nil {
			fmt.Println(r.Err.Name+":", r.Err.Value)
		}
		if r.Result != nil {
			fmt.Println("Out:", r.Result["text/plain"])
		}
	}
	run(1, "type Point struct{ X, Y int }\np := Point{1, 2}\nfmt.Println(\"made\", p.X)")
	run(2, "func (p Point) Sum() int { return p.X + p.Y }\np.Sum()")
	run(3, "p")
	run(4, "q := p.Z")
	// Output:
	// made 1
	// Out: 3
	// Out: Point{X: 1, Y: 2}
	// CompileError: In[4]:1:8: undefined selector Z
}
