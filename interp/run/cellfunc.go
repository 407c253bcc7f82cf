package run

import (
	"context"
	"go/ast"
	"go/token"
)

// callCellFunc runs body (the statements of runFramed, its deferred Done
// first) as the init function of a file of its own,
//
//	package main
//	func init() { defer golit__rt.Done(N); stmts }
//
// compiled and run as one program. A function literal called from the
// global scope would do the same, but yaegi copies the whole global frame
// (every package-level variable of the session) into each function literal
// it makes there, which made every cell cost more than the one before it
// (8% of the engine's CPU over 5,000 cells, bench/session); an init
// function's frame, like a declared function's, points to the global one.
// yaegi does not declare init functions (nothing to forget afterwards) and
// runs them when the program runs, so one compilation does what a declared
// function and a second program calling it did (bench/trivialcell).
//
// Positions are pos (the cell's last statement), so that a panic's stack
// line for the wrapper points at the cell's code rather than nowhere.
func (e *Session) callCellFunc(ctx context.Context, body []ast.Stmt, pos token.Pos) *execError {
	fd := &ast.FuncDecl{
		Name: &ast.Ident{NamePos: pos, Name: "init"},
		Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{Opening: pos, Closing: pos}},
		Body: &ast.BlockStmt{Lbrace: pos, List: body, Rbrace: pos},
	}
	// In a file of the current import generation, as newBlock's blocks
	// are, so that the body sees the notebook's imports.
	f := &ast.File{Package: e.anchorOf(e.fileName()).pkg, Name: ast.NewIdent("main"), Decls: []ast.Decl{fd}}
	_, x := e.compileRun(ctx, f)
	return x
}
