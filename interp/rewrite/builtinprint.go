package rewrite

import (
	"go/ast"
	"go/token"
)

// Compiled Go's builtin print and println write to standard error, not to
// standard output; yaegi writes them to the interpreter's standard output.
// The rewrite below turns calls of the builtins into calls of
// golit__rt.Print and golit__rt.Println, which write to the cell's stderr
// stream as a compiled program would.
//
// Proved by TestBuiltinPrintWritesStderr (interp/run/builtinprint_test.go).

// builtinPrints rewrites the calls of the builtins print and println in n,
// unless the names are declared in n or in the notebook (then they are not
// the builtins).
func (r *Rewriter) builtinPrints(n ast.Node) {
	names := map[string]string{"print": "Print", "println": "Println"}
	for name := range names {
		if (r.IsDeclared != nil && r.IsDeclared(name)) || declaresName(n, name) {
			delete(names, name)
		}
	}
	if len(names) == 0 {
		return
	}
	ast.Inspect(n, func(c ast.Node) bool {
		call, ok := c.(*ast.CallExpr)
		if !ok {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok {
			return true
		}
		if fn, ok := names[id.Name]; ok {
			call.Fun = &ast.SelectorExpr{X: &ast.Ident{NamePos: id.NamePos, Name: RuntimePkg}, Sel: &ast.Ident{NamePos: id.NamePos, Name: fn}}
		}
		return true
	})
}

// declaresName reports whether n declares name anywhere (a function,
// variable, constant, type, parameter, result or label), which shadows a
// builtin of that name.
func declaresName(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(c ast.Node) bool {
		if found {
			return false
		}
		switch x := c.(type) {
		case *ast.FuncDecl:
			found = x.Recv == nil && x.Name.Name == name
		case *ast.ValueSpec:
			for _, id := range x.Names {
				found = found || id.Name == name
			}
		case *ast.TypeSpec:
			found = x.Name.Name == name
		case *ast.Field:
			for _, id := range x.Names {
				found = found || id.Name == name
			}
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == name {
						found = true
					}
				}
			}
		case *ast.ImportSpec:
			found = x.Name != nil && x.Name.Name == name
		}
		return !found
	})
	return found
}
