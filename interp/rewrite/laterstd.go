package rewrite

import (
	"go/ast"
	"go/token"

	"github.com/golit/golit/interp/parse"
)

// laterStd rewrites calls of generic functions that Go added to compiled
// standard packages after yaegi v0.16.1, which a compiled table cannot
// hold, into the non-generic code they stand for:
//
//	reflect.TypeFor[T]()   becomes  reflect.TypeOf((*T)(nil)).Elem()
//	errors.AsType[E](err)  becomes  func(err error) (E, bool) {
//	                                    var t E
//	                                    ok := errors.As(err, &t)
//	                                    return t, ok
//	                                }(err)
//
// (a generic version in the notebook's package fails in yaegi: it cannot
// instantiate a function from explicit type arguments alone).
//
// Proved by TestLaterStdGenerics (interp/run/laterstd_test.go) and
// tests/test_gofidelity.py.
func (r *Rewriter) laterStd(n ast.Node) {
	if !contains(n, isIndexedSelectorCall) {
		return
	}
	parse.ReplaceExprs(n, func(x ast.Expr) ast.Expr {
		call, ok := x.(*ast.CallExpr)
		if !ok {
			return x
		}
		ix, ok := call.Fun.(*ast.IndexExpr)
		if !ok {
			return x
		}
		sel, ok := ix.X.(*ast.SelectorExpr)
		if !ok {
			return x
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok {
			return x
		}
		switch r.Paths[pkg.Name] + "." + sel.Sel.Name {
		case "reflect.TypeFor":
			if len(call.Args) != 0 {
				return x
			}
			typeOf := &ast.CallExpr{
				Fun:  &ast.SelectorExpr{X: ast.NewIdent(pkg.Name), Sel: &ast.Ident{NamePos: sel.Sel.NamePos, Name: "TypeOf"}},
				Args: []ast.Expr{&ast.CallExpr{Fun: &ast.ParenExpr{X: &ast.StarExpr{X: ix.Index}}, Args: []ast.Expr{ast.NewIdent("nil")}}},
			}
			return &ast.CallExpr{Fun: &ast.SelectorExpr{X: typeOf, Sel: ast.NewIdent("Elem")}, Rparen: call.Rparen}
		case "errors.AsType":
			if len(call.Args) != 1 {
				return x
			}
			e, t, ok := r.fresh("err"), r.fresh("t"), r.fresh("ok")
			body := []ast.Stmt{
				&ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(t)}, Type: ix.Index}}}},
				&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(ok)}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.CallExpr{
					Fun:  &ast.SelectorExpr{X: ast.NewIdent(pkg.Name), Sel: &ast.Ident{NamePos: sel.Sel.NamePos, Name: "As"}},
					Args: []ast.Expr{ast.NewIdent(e), &ast.UnaryExpr{Op: token.AND, X: ast.NewIdent(t)}},
				}}},
				&ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent(t), ast.NewIdent(ok)}},
			}
			lit := &ast.FuncLit{
				Type: &ast.FuncType{
					Params:  &ast.FieldList{List: []*ast.Field{{Names: []*ast.Ident{ast.NewIdent(e)}, Type: ast.NewIdent("error")}}},
					Results: &ast.FieldList{List: []*ast.Field{{Type: parse.CloneExpr(ix.Index)}, {Type: ast.NewIdent("bool")}}},
				},
				Body: &ast.BlockStmt{List: body},
			}
			return &ast.CallExpr{Fun: lit, Args: call.Args, Rparen: call.Rparen}
		}
		return x
	})
}

// isIndexedSelectorCall reports whether c is a call of the form
// pkg.Name[T](...), the only form laterStd rewrites.
func isIndexedSelectorCall(c ast.Node) bool {
	call, ok := c.(*ast.CallExpr)
	if !ok {
		return false
	}
	ix, ok := call.Fun.(*ast.IndexExpr)
	if !ok {
		return false
	}
	sel, ok := ix.X.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	_, ok = sel.X.(*ast.Ident)
	return ok
}
