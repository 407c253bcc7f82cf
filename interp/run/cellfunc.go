package run

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"

	"github.com/golit/golit/interp/internal/yaegiheap"
	"github.com/golit/golit/interp/rewrite"
)

// callCellFunc runs body (the statements of runFramed, its deferred Done
// first) in a function declared for this one run,
//
//	func golit__frameN() { defer golit__rt.Done(N); stmts }
//	golit__frameN()
//
// and forgets the function afterwards. A function literal called from the
// global scope would do the same, but yaegi copies the whole global frame
// (every package-level variable of the session) into each function literal
// it makes there, which made every cell cost more than the one before it
// (8% of the engine's CPU over 5,000 cells, bench/session); a declared
// function's frame points to the global one.
//
// Positions are pos (the cell's last statement), so that a panic's stack
// line for the wrapper points at the cell's code rather than nowhere.
func (e *Session) callCellFunc(ctx context.Context, tok int, body []ast.Stmt, pos token.Pos) *execError {
	name := rewrite.Prefix + "frame" + strconv.Itoa(tok)
	// Parsed in a file of the current import generation, as newBlock's
	// blocks are, so that the body sees the notebook's imports.
	f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), "package main;func "+name+"(){}", parser.SkipObjectResolution)
	if err != nil {
		panic(err) // constant source
	}
	fd := f.Decls[0].(*ast.FuncDecl)
	fd.Name.NamePos = pos
	fd.Type.Func = pos
	fd.Body = &ast.BlockStmt{Lbrace: pos, List: body, Rbrace: pos}
	defer yaegiheap.ForgetSymbol(e.yi, "main", name)
	e.declOnly = true
	_, x := e.compileRun(ctx, f)
	e.declOnly = false
	if x != nil {
		return x
	}
	call := &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.Ident{NamePos: pos, Name: name}, Lparen: pos, Rparen: pos}}
	_, x = e.compileRun(ctx, e.newBlock(call))
	return x
}
