package rewrite

import "go/ast"

// Generic functions over iter.Seq (Go 1.23): yaegi v0.16.1 infers type
// arguments from a parameter of a generic named type wrongly; iter.Seq and
// iter.Seq2 parameters of generic functions become the function types they
// stand for.
// Proved by TestModernGo "the iter package" and "range over function
// iterators" (interp/run/modern_test.go).

// iterParams rewrites the parameters of type iter.Seq[T] and iter.Seq2[K,
// V] of generic functions into the function types they stand for:
//
//	func Filter[V any](seq iter.Seq[V], keep func(V) bool) iter.Seq[V]
//
// takes seq func(yield func(V) bool). yaegi v0.16.1 infers type arguments
// from a parameter of a generic named type wrongly (calling Filter(Count(3),
// f) fails with "cannot use type func(func(int) bool) as type
// func(func(func(func(int) bool)) bool)"), and from a function type
// rightly. Callers cannot tell the difference: iter.Seq values and
// function values of that type are assignable to each other.
func (r *Rewriter) iterParams(n ast.Node) {
	f, ok := n.(*ast.File)
	if !ok {
		return
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Type.TypeParams == nil || fd.Type.Params == nil {
			continue
		}
		for _, p := range fd.Type.Params.List {
			if ft := r.iterFuncType(p.Type); ft != nil {
				p.Type = ft
			}
		}
	}
}

// iterFuncType returns the function type iter.Seq[T] or iter.Seq2[K, V]
// stands for, or nil when t is something else.
func (r *Rewriter) iterFuncType(t ast.Expr) ast.Expr {
	name, args := typeArgs(t)
	var sel *ast.SelectorExpr
	switch x := t.(type) {
	case *ast.IndexExpr:
		sel, _ = x.X.(*ast.SelectorExpr)
	case *ast.IndexListExpr:
		sel, _ = x.X.(*ast.SelectorExpr)
	}
	if sel == nil || name == "" {
		return nil
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || r.Paths[id.Name] != "iter" {
		return nil
	}
	if !(sel.Sel.Name == "Seq" && len(args) == 1) && !(sel.Sel.Name == "Seq2" && len(args) == 2) {
		return nil
	}
	var params []*ast.Field
	for _, a := range args {
		params = append(params, &ast.Field{Type: a})
	}
	return &ast.FuncType{Func: t.Pos(), Params: &ast.FieldList{List: []*ast.Field{{
		Names: []*ast.Ident{ast.NewIdent("yield")},
		Type: &ast.FuncType{
			Params:  &ast.FieldList{List: params},
			Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("bool")}}},
		},
	}}}}
}
