package run

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/parse"

	"github.com/golit/golit/interp/magic"
	"github.com/golit/golit/kernel"
)

// A cell's way through the session (Run, runCell): cut by parse.Split,
// grouped, each group parsed with positions in the cell; the imports made
// (imports.go); then, in order, groups of declarations (redefine.go) and
// of statements (stmts.go), each rewritten (rewriter.go) and compiled and
// run on yaegi (compile.go); a failure becomes the cell's error
// (failure.go).

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

// parseGroup parses one group of a cell with positions that point into the
// cell.
func (e *Session) parseGroup(cell *cellRun, g group) (*parsedGroup, error) {
	text := cell.src[g.start:g.end]
	dir := fmt.Sprintf("/*line :%d:%d*/", g.line, g.col)
	pg := &parsedGroup{group: g}
	mode := parser.ParseComments | parser.SkipObjectResolution
	if g.kind == parse.Stmt {
		pre := "package main;func main(){" + dir
		pg.src = pre + text + "\n}"
		pg.base = len(pre)
		f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), pg.src, mode)
		if err != nil {
			return nil, err
		}
		pg.block = f.Decls[0].(*ast.FuncDecl).Body
		return pg, nil
	}
	pre := "package main;" + dir
	pg.src = pre + text
	pg.base = len(pre)
	f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), pg.src, mode)
	if err != nil {
		return nil, err
	}
	pg.file = f
	return pg, nil
}

// Run evaluates a cell, through the magics package when it has magics
// (%time, !cmd, ...). Its Go code goes through the stages group by group
// (runCell): parse.Split cuts it, each group is parsed with positions in
// the cell, rewritten (rewrite.Rewriter), compiled and run on yaegi; a
// failure becomes a Jupyter error (present) at In[n]:line:col.
func (e *Session) Run(ctx context.Context, req kernel.ExecuteRequest) kernel.ExecuteReply {
	e.noteStaleFuncs()
	e.rememberCell(req.ExecutionCount, req.Code)
	if plan := magic.Parse(req.Code); plan.HasMagic() {
		return e.runMagic(ctx, req, plan)
	}
	return e.runCell(ctx, req)
}

// runCell evaluates Go source as a cell: imports first, then runs of
// declarations and runs of statements in the order they appear. The value
// of a final expression becomes the result.
func (e *Session) runCell(ctx context.Context, req kernel.ExecuteRequest) kernel.ExecuteReply {
	cell := &cellRun{ctx: ctx, count: req.ExecutionCount, src: req.Code}
	e.curFile = cellName(cell.count)
	e.forgetImports(e.curFile)
	e.forgetRoots()
	if x := e.ensureImports(ctx, e.curFile); x != nil {
		return e.failure(x)
	}
	e.resetPanics()
	e.resMu.Lock()
	e.res = result{}
	e.resMu.Unlock()

	var groups []*parsedGroup
	for _, g := range groupUnits(parse.Split(cell.src)) {
		if g.kind == parse.Package {
			continue
		}
		pg, err := e.parseGroup(cell, g)
		if err != nil {
			return e.failure(&execError{kind: "compile", err: err})
		}
		groups = append(groups, pg)
	}

	// Imports, written and missing.
	var nodes []ast.Node
	for _, pg := range groups {
		if pg.file != nil {
			nodes = append(nodes, pg.file)
		} else {
			nodes = append(nodes, pg.block)
		}
	}
	e.recordSpans(cell.count, nodes)
	var specs []importSpec
	for _, pg := range groups {
		if pg.kind != parse.Import {
			continue
		}
		for _, d := range pg.file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, s := range gd.Specs {
				is := s.(*ast.ImportSpec)
				p, _ := strconv.Unquote(is.Path.Value)
				sp := importSpec{path: p, pos: e.yi.FileSet().Position(is.Pos()).String()}
				if is.Name != nil {
					sp.name = is.Name.Name
				}
				specs = append(specs, sp)
			}
		}
	}
	auto, notes := e.missingImports(nodes, e.isKnownName)
	for _, p := range auto {
		specs = append(specs, importSpec{path: p, auto: true})
	}
	for _, n := range notes {
		e.note("note: " + n + "\n")
	}
	if x := e.importAll(ctx, specs); x != nil {
		return e.failure(x)
	}

	assigned := cellAssigns(groups)
	if kerr := e.checkLost(nodes, assigned); kerr != nil {
		return kernel.ExecuteReply{Status: kernel.StatusError, Err: kerr}
	}

	cell.nodes = nodes
	var mainDefined bool
	var lastVal reflect.Value
	var lastShown bool
	for gi, pg := range groups {
		switch pg.kind {
		case parse.Import:
			continue
		case parse.Decl:
			if rewrite.RenameMain(pg.file) {
				mainDefined = true
			}
			if x := e.runDecls(cell, pg); x != nil {
				return e.failureIn(cell, x)
			}
		case parse.Stmt:
			isLast := gi == len(groups)-1
			v, shown, x := e.runStmts(cell, pg, isLast && !req.Silent)
			if x != nil {
				return e.failureIn(cell, x)
			}
			lastVal, lastShown = v, shown
		}
		if ctx.Err() != nil {
			return e.failure(&execError{kind: "interrupt", err: ctx.Err()})
		}
	}
	if mainDefined {
		e.clearStmt() // main runs, no statement of the cell
		blk := e.newBlock(&ast.ExprStmt{X: &ast.CallExpr{Fun: ast.NewIdent(rewrite.MainName)}})
		if _, x := e.compileRun(ctx, blk); x != nil {
			return e.failure(x)
		}
	}

	e.forgetLost(assigned, cell.count)
	reply := kernel.ExecuteReply{Status: kernel.StatusOK}
	e.resMu.Lock()
	res := e.res
	e.resMu.Unlock()
	if lastShown && !req.Silent {
		if !res.set && lastVal.IsValid() && !isInternal(lastVal) {
			res = result{set: true, v: present.UnwrapYaegi(lastVal)}
		}
		if res.set {
			reply.Result = bundleOf(e.richResult(ctx, res))
		}
	}
	if len(req.UserExpressions) > 0 {
		e.clearStmt()
		reply.UserExpressions = e.userExpressions(cell, req.UserExpressions)
	}
	return reply
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
