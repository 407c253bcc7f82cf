package run

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/parse"

	"github.com/golit/golit/interp/magic"
	"github.com/golit/golit/kernel"
)

// The run stage's own state of a cell, and the parsing of its groups; the
// stages themselves are in cell.go.

// cellRun is the state of one Execute.
type cellRun struct {
	ctx   context.Context
	count int
	src   string
	notes []string
	nodes []ast.Node // the parsed groups, for better error messages
	// funcRanges are the ranges over functions the cell's code has, for
	// errors yaegi reports in golit's helpers (see relocateInternal).
	funcRanges []token.Pos
	// genericCalls are the generic calls whose type arguments the
	// rewrite left to yaegi (for inferhint.go).
	genericCalls []rewrite.GenericCall
}

// parsedGroup is a group of units parsed for yaegi.
type parsedGroup struct {
	group
	file  *ast.File      // declarations and imports
	block *ast.BlockStmt // statements
	src   string         // the text parsed
	base  int            // offset of the cell text in src
}

// parseGroup parses one group of a cell into pg, with positions that
// point into the cell.
func (e *Session) parseGroup(cell *cellRun, g group, pg *parsedGroup) error {
	text := cell.src[g.start:g.end]
	dir := fmt.Sprintf("/*line :%d:%d*/", g.line, g.col)
	pg.group = g
	mode := parser.ParseComments | parser.SkipObjectResolution
	if g.kind == parse.Stmt {
		pre := "package main;func main(){" + dir
		pg.src = pre + text + "\n}"
		pg.base = len(pre)
		f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), pg.src, mode)
		if err != nil {
			return err
		}
		pg.block = f.Decls[0].(*ast.FuncDecl).Body
		return nil
	}
	pre := "package main;" + dir
	pg.src = pre + text
	pg.base = len(pre)
	f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), pg.src, mode)
	if err != nil {
		return err
	}
	pg.file = f
	return nil
}

// Run evaluates a cell, through the magics package when it has magics
// (%time, !cmd, ...), which runs the cell's Go code with RunCode; else
// with RunCode directly.
func (e *Session) Run(ctx context.Context, req kernel.ExecuteRequest) kernel.ExecuteReply {
	e.Remember(req)
	if plan := magic.Parse(req.Code); plan.HasMagic() {
		return e.RunMagics(ctx, req, plan)
	}
	return e.RunCode(ctx, req)
}

// Remember keeps a cell's text, for the errors that quote its lines, and
// tells the user, once after an interrupt, which notebook variables hold
// function values the interrupt stopped (stalefuncs.go). It comes first,
// before magics and the Go code.
func (e *Session) Remember(req kernel.ExecuteRequest) {
	e.noteStaleFuncs()
	e.rememberCell(req.ExecutionCount, req.Code)
}

// RunCode takes a cell's Go code through the stages (cell.go), in the
// order interp.Engine.Execute calls them: imports first, then runs of
// declarations and runs of statements in the order they appear. The value
// of a final expression becomes the result. The magics run their Go code
// with it, and Session.Execute and Restore the code of a cell.
func (e *Session) RunCode(ctx context.Context, req kernel.ExecuteRequest) kernel.ExecuteReply {
	cell, f := e.NewCell(ctx, req)
	if f == nil {
		f = e.ParseCell(cell)
	}
	if f == nil {
		f = e.Import(cell)
	}
	if f == nil {
		f = e.CheckLost(cell)
	}
	for i := 0; f == nil && i < len(cell.Groups); i++ {
		g := cell.Groups[i]
		f = e.Rewrite(cell, g)
		if f == nil {
			f = e.RunGroup(cell, g)
		}
	}
	if f == nil {
		f = e.RunMain(cell)
	}
	if f == nil {
		return e.Present(cell)
	}
	return e.PresentFailure(f)
}

// isInternal reports whether v is one of yaegi's own values (what a call of
// a function without results evaluates to).
func isInternal(v reflect.Value) bool {
	t := v.Type()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strings.Contains(t.PkgPath(), "traefik/yaegi")
}

// userExpressions evaluates user_expressions after a cell.
func (e *Session) userExpressions(cell *cellRun, exprs map[string]string) map[string]kernel.ExpressionResult {
	out := map[string]kernel.ExpressionResult{}
	for k, src := range exprs {
		x, err := parser.ParseExprFrom(e.yi.FileSet(), e.fileName(), src, 0)
		if err != nil {
			out[k] = kernel.ExpressionResult{Err: present.CompileError(err, e.cellSource)}
			continue
		}
		v, xe := e.compileRun(cell.ctx, e.newBlock(&ast.ExprStmt{X: x}))
		if xe != nil {
			out[k] = kernel.ExpressionResult{Err: e.failure(xe).Err}
			continue
		}
		text := "nil"
		if v.IsValid() && !isInternal(v) {
			text = present.FormatValue(v, e.typeNameOf, e.cellTypes.FieldName)
		}
		out[k] = kernel.ExpressionResult{Data: kernel.Bundle{"text/plain": text}}
	}
	return out
}

// rememberCell keeps a cell's text for error messages.
func (e *Session) rememberCell(n int, src string) {
	e.cellsMu.Lock()
	e.cells[n] = src
	e.cellsMu.Unlock()
}

// cellSource returns the text of cell n.
func (e *Session) cellSource(n int) (string, bool) {
	e.cellsMu.Lock()
	defer e.cellsMu.Unlock()
	s, ok := e.cells[n]
	return s, ok
}
