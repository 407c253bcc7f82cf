package run

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/golit/golit/kernel"
)

// The declarations the supervised engine hands its parent after a cell must
// cost what the cell declared, not what the notebook holds: on a long
// session every cell used to send the whole source again (issue 14, item 3).
// The parts the engine reports, applied in order, must still rebuild exactly
// what Declarations returns, which is what a restart restores.
func TestDeclarationChangesStayBounded(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown(false)
	io := &declsIO{}
	ctx := context.Background()
	parent := map[string]string{}
	apply := func() int {
		changed, dropped, full := e.DeclarationChanges(false)
		if full {
			clear(parent)
		}
		for k, p := range changed {
			parent[k] = p
		}
		for _, k := range dropped {
			delete(parent, k)
		}
		b, _ := json.Marshal(struct {
			P map[string]string
			D []string
		}{changed, dropped})
		return len(b)
	}
	cells := []string{`import "fmt"`, "type T struct{ A int }\nfunc (t T) Get() int { return t.A }", "x := 5"}
	const n = 400
	for i := range n {
		cells = append(cells, fmt.Sprintf("var v%d = %d\nfunc f%d(x int) int { return x + v%d }\nfmt.Println(\"cell\", f%d(1))", i, i, i, i, i))
	}
	// Redefinitions and a var that becomes a statement's variable.
	cells = append(cells, "func f3(x int) int { return 2 * x }", "v7 := \"now a string\"", "x := 1.5")
	sizes := make([]int, 0, len(cells))
	for i, c := range cells {
		r := e.Execute(ctx, kernel.ExecuteRequest{Code: c, ExecutionCount: i + 1}, io)
		if r.Status != kernel.StatusOK {
			t.Fatalf("cell %d: %s: %s", i+1, r.Err.Name, r.Err.Value)
		}
		sizes = append(sizes, apply())
		if i%97 == 0 || i >= len(cells)-3 {
			if got, want := joinParts(parent), e.Declarations(); got != want {
				t.Fatalf("after cell %d the parts rebuild\n%s\nbut Declarations is\n%s", i+1, got, want)
			}
		}
	}
	first, last := sizes[3], sizes[3+n-1]
	t.Logf("bytes of declaration changes: cell 4 %d, cell %d %d", first, 3+n, last)
	if last > 2*first || last > 1000 {
		t.Fatalf("the changes after a cell grow with the session: %d bytes after the first such cell, %d after the %dth", first, last, n)
	}
	if s := sizes[len(sizes)-2]; s > 1000 {
		t.Fatalf("redefining one variable sent %d bytes", s)
	}
}

type declsIO struct{}

func (declsIO) Stream(string, string)                         {}
func (declsIO) Display(kernel.Bundle, map[string]any, string) {}
func (declsIO) Update(kernel.Bundle, map[string]any, string)  {}
func (declsIO) ClearOutput(bool)                              {}
func (declsIO) Input(string, bool) (string, error)            { return "", kernel.ErrNoStdin }
