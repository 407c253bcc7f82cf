package rewrite

import "go/ast"

// Function literals assigned beside composite literals: yaegi v0.16.1
// leaves a variable nil when one assignment gives it a function literal
// and another variable a composite literal (f, s := func() {...},
// []int{1}, the same with = and var), so that calling f panicked with
// "call of nil function". A composite literal in parentheses compiles
// the other way, and keeps its meaning: funcLitPairs puts the composite
// literals of such an assignment in parentheses.
//
// Proved by TestPasses "function literal beside a composite literal" and
// TestFuncLitBesideCompositeLit (interp/run/callframe_test.go).

// funcLitPairs parenthesizes the composite literals of the assignments and
// var specs in n that also assign a function literal.
func (r *Rewriter) funcLitPairs(n ast.Node) {
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.AssignStmt:
			parenCompositeBesideFuncLit(x.Rhs)
		case *ast.ValueSpec:
			parenCompositeBesideFuncLit(x.Values)
		}
		return true
	})
}

// parenCompositeBesideFuncLit wraps the composite literals of values in
// parentheses when another of values is a function literal.
func parenCompositeBesideFuncLit(values []ast.Expr) {
	if len(values) < 2 {
		return
	}
	hasFunc := false
	for _, v := range values {
		if _, ok := v.(*ast.FuncLit); ok {
			hasFunc = true
		}
	}
	if !hasFunc {
		return
	}
	for i, v := range values {
		if cl, ok := v.(*ast.CompositeLit); ok {
			values[i] = &ast.ParenExpr{Lparen: cl.Pos(), X: cl, Rparen: cl.End() - 1}
		}
	}
}
