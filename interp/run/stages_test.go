package run

import (
	"context"
	"strings"
	"testing"

	"github.com/golit/golit/interp/parse"
	"github.com/golit/golit/kernel"
)

// TestRewriteThenRunGroup takes cells through the stages one call at a
// time and checks what each of a group's two stages does: Rewrite runs
// none of the group's code and leaves the run stage what it needs (the
// group's rewriter with the ranges it could not type, the code before the
// rewrite), and RunGroup runs it, asking the rewriter again with a hint
// when yaegi rejects a range over a function the rewrite did not
// recognise, for statements and for declarations alike.
func TestRewriteThenRunGroup(t *testing.T) {
	s := newSession(t)
	s.ok("import \"iter\"\n" +
		"func count(n int) iter.Seq[int] { return func(yield func(int) bool) { for i := range n { if !yield(i) { return } } } }\n" +
		"type box struct{ f func(int) iter.Seq[int] }\n" +
		"var b = box{count}\n" +
		"var total int")
	total := func() int64 {
		t.Helper()
		v, ok := s.e.global("total")
		if !ok {
			t.Fatal("no notebook variable total")
		}
		return v.Int()
	}
	// stages runs code through the stages, checking each group between
	// its Rewrite and its RunGroup with between.
	stages := func(code string, between func(g *Group)) kernel.ExecuteReply {
		t.Helper()
		s.n++
		req := kernel.ExecuteRequest{Code: code, ExecutionCount: s.n}
		ctx, done := s.e.Begin(context.Background(), s.io)
		defer done()
		cell, f := s.e.NewCell(ctx, req)
		if f == nil {
			f = s.e.ParseCell(cell)
		}
		if f == nil {
			f = s.e.Import(cell)
		}
		if f == nil {
			f = s.e.CheckLost(cell)
		}
		for i := 0; f == nil && i < len(cell.Groups); i++ {
			g := cell.Groups[i]
			f = s.e.Rewrite(cell, g)
			if f == nil {
				between(g)
				f = s.e.RunGroup(cell, g)
			}
		}
		if f == nil {
			f = s.e.RunMain(cell)
		}
		if f != nil {
			return s.e.Finish(s.e.PresentFailure(f))
		}
		return s.e.Finish(s.e.Present(cell))
	}

	// b.f(3) is a call the guesser cannot type: the rewrite leaves the
	// range alone and notes it, yaegi cannot type it, and the run stage
	// rewrites the statements again as a range over a function.
	s.io.reset()
	r := stages("for v := range b.f(3) { total += v + 1 }\nfmt.Println(total)", func(g *Group) {
		if g.Kind != parse.Stmt {
			t.Fatalf("group kind %v, want statements", g.Kind)
		}
		if got := total(); got != 0 {
			t.Errorf("after Rewrite, total is %d: the statements ran", got)
		}
		if g.rw == nil || len(g.rw.UnknownRanges) != 1 || g.origStmts == nil {
			t.Errorf("Rewrite left rewriter %v, original statements %v: want the range it could not type and the statements before the rewrite", g.rw, g.origStmts)
		}
	})
	if r.Status != kernel.StatusOK {
		t.Fatalf("statements: %+v", r.Err)
	}
	if got := strings.TrimSpace(s.io.out()); got != "6" {
		t.Errorf("statements printed %q, want 6", got)
	}

	// The same range in a function the cell declares.
	s.io.reset()
	r = stages("func sum(n int) (t int) { for v := range b.f(n) { t += v }; return t }\nfmt.Println(sum(5))", func(g *Group) {
		if g.Kind != parse.Decl {
			return
		}
		if _, ok := s.e.global("sum"); ok {
			t.Error("after Rewrite, sum is declared")
		}
		if g.rw == nil || len(g.rw.UnknownRanges) != 1 || g.origFile == nil {
			t.Errorf("Rewrite left rewriter %v, original file %v: want the range it could not type and the declarations before the rewrite", g.rw, g.origFile)
		}
	})
	if r.Status != kernel.StatusOK {
		t.Fatalf("declarations: %+v", r.Err)
	}
	if got := strings.TrimSpace(s.io.out()); got != "10" {
		t.Errorf("declarations printed %q, want 10", got)
	}

	// A final expression is taken out by Rewrite and shown by RunGroup.
	r = stages("total * 7", func(g *Group) {
		if g.final == nil || !g.wantResult || len(g.pg.block.List) != 0 {
			t.Errorf("Rewrite left final expression %v (wanted: %v) and %d statements; want the expression taken out", g.final, g.wantResult, len(g.pg.block.List))
		}
	})
	if r.Status != kernel.StatusOK || r.Result["text/plain"] != "42" {
		t.Errorf("final expression: %+v, result %v; want 42", r.Err, r.Result)
	}
}
