package rewrite

import "go/ast"

// Ranges over the standard iterators of maps and slices (Go 1.23):
// for k := range maps.Keys(m) and the like range over the map or slice
// itself, which yaegi v0.16.1 can, without a call of an iterator.
// Proved by TestModernGo "iterator functions of slices and maps"
// (interp/run/modern_test.go).

// rangeOverIterator rewrites ranges over the standard iterators of maps and
// slices (yaegi cannot range over functions) into ranges over the map or
// slice itself: for k := range maps.Keys(m) becomes for k := range m.
func (r *Rewriter) rangeOverIterator(st *ast.RangeStmt) {
	call, ok := st.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return
	}
	blank := func() ast.Expr { return ast.NewIdent("_") }
	switch r.Paths[id.Name] + "." + sel.Sel.Name {
	case "maps.Keys", "maps.All", "slices.All":
		st.X = call.Args[0]
	case "maps.Values", "slices.Values":
		st.X = call.Args[0]
		if st.Key != nil {
			st.Value = st.Key
			st.Key = blank()
		}
	}
}
