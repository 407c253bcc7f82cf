package run

import (
	"go/ast"
	"go/token"

	"github.com/golit/golit/interp/rewrite"
)

// universe holds Go's predeclared identifiers.
var universe = map[string]bool{}

func init() {
	for _, n := range []string{"bool", "byte", "complex64", "complex128", "error", "float32", "float64",
		"int", "int8", "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32",
		"uint64", "uintptr", "any", "comparable", "true", "false", "iota", "nil", "append", "cap", "clear",
		"close", "complex", "copy", "delete", "imag", "len", "make", "max", "min", "new", "panic", "print",
		"println", "real", "recover", "_"} {
		universe[n] = true
	}
}

// firstUndefined finds an identifier the nodes use that nothing defines:
// yaegi reports some of those as "constant definition loop".
func (e *Session) firstUndefined(nodes []ast.Node) (string, token.Pos) {
	defined := map[string]bool{}
	for _, n := range nodes {
		ast.Inspect(n, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE {
					for _, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							defined[id.Name] = true
						}
					}
				}
			case *ast.RangeStmt:
				for _, l := range []ast.Expr{x.Key, x.Value} {
					if id, ok := l.(*ast.Ident); ok {
						defined[id.Name] = true
					}
				}
			case *ast.ValueSpec:
				for _, id := range x.Names {
					defined[id.Name] = true
				}
			case *ast.TypeSpec:
				defined[x.Name.Name] = true
			case *ast.FuncDecl:
				defined[x.Name.Name] = true
			case *ast.Field:
				for _, id := range x.Names {
					defined[id.Name] = true
				}
			case *ast.LabeledStmt:
				defined[x.Label.Name] = true
			case *ast.TypeSwitchStmt:
				if as, ok := x.Assign.(*ast.AssignStmt); ok {
					for _, l := range as.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							defined[id.Name] = true
						}
					}
				}
			}
			return true
		})
	}
	var name string
	var pos token.Pos
	for _, n := range nodes {
		ast.Inspect(n, func(c ast.Node) bool {
			if name != "" {
				return false
			}
			switch x := c.(type) {
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok {
					e.checkIdent(id, defined, &name, &pos)
					return false
				}
				// Walk X only; Sel is a field or method name.
				ast.Inspect(x.X, func(c ast.Node) bool {
					if id, ok := c.(*ast.Ident); ok {
						e.checkIdent(id, defined, &name, &pos)
					}
					return name == ""
				})
				return false
			case *ast.KeyValueExpr:
				// Keys of struct literals are field names.
				if _, ok := x.Key.(*ast.Ident); ok {
					ast.Inspect(x.Value, func(c ast.Node) bool {
						if id, ok := c.(*ast.Ident); ok {
							e.checkIdent(id, defined, &name, &pos)
						}
						return name == ""
					})
					return false
				}
			case *ast.BranchStmt:
				return false
			case *ast.Ident:
				e.checkIdent(x, defined, &name, &pos)
			}
			return true
		})
	}
	return name, pos
}

func (e *Session) checkIdent(id *ast.Ident, defined map[string]bool, name *string, pos *token.Pos) {
	if *name != "" || defined[id.Name] || universe[id.Name] || rewrite.HasPrefix(id.Name) || e.isKnownName(id.Name) {
		return
	}
	if _, ok := e.packageIndex()[id.Name]; ok {
		return
	}
	*name, *pos = id.Name, id.Pos()
}
