package rewrite

import "go/ast"

// Cell-level defer: a defer statement at a cell's top level belongs to
// the cell, as in a main function; yaegi v0.16.1 would keep it on the
// notebook's global frame and run it after later cells.
// Proved by TestScenarios "cell-level defer runs at the end of the cell
// only" (interp/run/engine_test.go).

// CellDefers turns defer statements that belong to the cell itself (not to
// a function it declares) into golit__rt.Defer(...): yaegi would keep them
// on the notebook's global frame and run them again after later cells. The
// engine runs them, last first, when the cell ends.
func (r *Rewriter) CellDefers(b *ast.BlockStmt) {
	var visit func(n ast.Node)
	visit = func(n ast.Node) {
		ast.Inspect(n, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BlockStmt:
				for i, s := range x.List {
					if d, ok := s.(*ast.DeferStmt); ok {
						x.List[i] = &ast.ExprStmt{X: &ast.CallExpr{
							Fun:  &ast.SelectorExpr{X: ast.NewIdent(RuntimePkg), Sel: ast.NewIdent("Defer")},
							Args: []ast.Expr{r.callMaker(d.Call)},
						}}
					}
				}
			case *ast.CaseClause:
				visit(&ast.BlockStmt{List: x.Body})
			case *ast.CommClause:
				visit(&ast.BlockStmt{List: x.Body})
			}
			return true
		})
	}
	visit(b)
}
