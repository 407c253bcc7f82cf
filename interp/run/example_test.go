package run_test

import (
	"context"
	"fmt"

	"github.com/golit/golit/interp/parse"
	"github.com/golit/golit/interp/run"
	"github.com/golit/golit/kernel"
)

// printIO is a kernel.IO that prints the cells' output.
type printIO struct{}

func (printIO) Stream(name, text string)                            { fmt.Print(text) }
func (printIO) Display(b kernel.Bundle, _ map[string]any, _ string) { fmt.Println(b["text/plain"]) }
func (printIO) Update(b kernel.Bundle, _ map[string]any, _ string)  { fmt.Println(b["text/plain"]) }
func (printIO) ClearOutput(bool)                                    {}
func (printIO) Input(string, bool) (string, error)                  { return "", kernel.ErrNoStdin }

// A cell's Go code taken through the stages one call at a time, as
// interp.Engine.Execute does: the groups ParseCell makes, each rewritten
// and run in turn, then the result presented. The second cell fails: the
// stage that fails returns a Failure, and PresentFailure makes it the
// cell's error at In[2]:line:col.
func Example_stages() {
	s, err := run.New(run.Options{})
	if err != nil {
		panic(err)
	}
	defer s.Shutdown(false)
	kinds := map[parse.Kind]string{parse.Decl: "declarations", parse.Stmt: "statements"}

	execute := func(n int, code string) {
		req := kernel.ExecuteRequest{Code: code, ExecutionCount: n}
		ctx, done := s.Begin(context.Background(), printIO{})
		defer done()
		s.Remember(req)
		cell, f := s.NewCell(ctx, req)
		if f == nil {
			f = s.ParseCell(cell)
		}
		if f == nil {
			f = s.Import(cell)
		}
		if f == nil {
			f = s.CheckLost(cell)
		}
		for i := 0; f == nil && i < len(cell.Groups); i++ {
			g := cell.Groups[i]
			fmt.Printf("In[%d]:%d:%d: %s\n", n, g.Line, g.Col, kinds[g.Kind])
			f = s.Rewrite(cell, g)
			if f == nil {
				f = s.RunGroup(cell, g)
			}
		}
		if f == nil {
			f = s.RunMain(cell)
		}
		var reply kernel.ExecuteReply
		if f == nil {
			reply = s.Present(cell)
		} else {
			fmt.Println("failed:", f)
			reply = s.PresentFailure(f)
		}
		reply = s.Finish(reply)
		if reply.Err != nil {
			fmt.Println(reply.Err.Name+":", reply.Err.Value)
		}
		if reply.Result != nil {
			fmt.Println("Out:", reply.Result["text/plain"])
		}
	}
	execute(1, "x := 6\nfunc double(n int) int { return 2 * n }\nfmt.Println(\"x is\", x)\ndouble(x) + 1")
	execute(2, "y := double(x)\nfmt.Println(y, z)")
	// Output:
	// In[1]:1:1: statements
	// In[1]:2:1: declarations
	// In[1]:3:1: statements
	// x is 6
	// Out: 13
	// In[2]:1:1: statements
	// failed: In[2]:2:16: undefined: z
	// CompileError: In[2]:2:16: undefined: z
}
