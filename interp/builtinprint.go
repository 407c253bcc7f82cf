package interp

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// Compiled Go's builtin print and println write to standard error, not to
// standard output; yaegi writes them to the interpreter's standard output.
// The rewrite below turns calls of the builtins into calls of
// golit__rt.Print and golit__rt.Println, which write to the cell's stderr
// stream as a compiled program would.

// builtinPrints rewrites the calls of the builtins print and println in n,
// unless the names are declared in n or in the notebook (then they are not
// the builtins).
func (r *rewriter) builtinPrints(n ast.Node) {
	names := map[string]string{"print": "Print", "println": "Println"}
	for name := range names {
		if (r.isDeclared != nil && r.isDeclared(name)) || declaresName(n, name) {
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
			call.Fun = &ast.SelectorExpr{X: &ast.Ident{NamePos: id.NamePos, Name: rtPkgName}, Sel: &ast.Ident{NamePos: id.NamePos, Name: fn}}
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

// builtinPrint is what print(args...) does in a cell: the arguments
// formatted with %v, without separators, as compiled Go writes them, to
// standard error.
func (e *Engine) builtinPrint(args ...any) {
	var b strings.Builder
	for _, a := range args {
		fmt.Fprintf(&b, "%v", a)
	}
	e.writeStderr(b.String())
}

// builtinPrintln is println(args...): the arguments separated by spaces and
// a newline, to standard error.
func (e *Engine) builtinPrintln(args ...any) {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%v", a)
	}
	b.WriteByte('\n')
	e.writeStderr(b.String())
}

// writeStderr writes s where the cell's os.Stderr writes, so that it keeps
// its order with other standard error output.
func (e *Engine) writeStderr(s string) {
	if _, err := e.orderedWrite(true, []byte(s)); err == nil {
		return
	}
	e.note(s)
}
