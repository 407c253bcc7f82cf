package typefmt

import (
	"go/ast"
	"go/parser"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// typed is an operand whose declared type golit read in the cell's source
// (see Typed): what reflection cannot tell, the name of a type that is not
// a struct (type celsius float64), of a generic instance, or which of two
// struct types with the same fields a value has, and the value of a struct
// whose methods fmt calls (yaegi's interface wrapper loses it).
type typed struct {
	st string
	v  any
}

// Typed returns v as an operand of fmt's replaced functions that knows v's
// declared type st, a Go type expression of the notebook ("celsius",
// "[]state", "*point", "Pair[string, int]"). golit's rewriter wraps the
// operands of fmt and log calls whose types it knows this way.
func (r *Registry) Typed(st string, v any) any { return typed{st: st, v: v} }

var (
	stMu    sync.Mutex
	stCache = map[string]ast.Expr{}
)

// parseType parses a type expression, once per text.
func parseType(s string) ast.Expr {
	stMu.Lock()
	defer stMu.Unlock()
	if e, ok := stCache[s]; ok {
		return e
	}
	e, err := parser.ParseExpr(s)
	if err != nil {
		e = nil
	}
	if len(stCache) < 10000 {
		stCache[s] = e
	}
	return e
}

// unTyped splits a typed operand into its value and declared type.
func unTyped(x any) (any, ast.Expr) {
	if t, ok := x.(typed); ok {
		return t.v, parseType(t.st)
	}
	return x, nil
}

// staticString writes the declared type st of a value of reflect type t
// as %T does, or "" when st says nothing reflection does not.
func (r *Registry) staticString(st ast.Expr, t reflect.Type) string {
	switch x := st.(type) {
	case *ast.Ident:
		return r.identString(x.Name)
	case *ast.ParenExpr:
		return r.staticString(x.X, t)
	case *ast.StarExpr:
		if t.Kind() == reflect.Pointer {
			if s := r.staticString(x.X, t.Elem()); s != "" {
				return "*" + s
			}
		}
	case *ast.ArrayType:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return ""
		}
		s := r.staticString(x.Elt, t.Elem())
		if s == "" {
			return ""
		}
		if x.Len == nil {
			return "[]" + s
		}
		if t.Kind() == reflect.Array {
			return "[" + strconv.Itoa(t.Len()) + "]" + s
		}
	case *ast.MapType:
		if t.Kind() == reflect.Map {
			k, v := r.staticString(x.Key, t.Key()), r.staticString(x.Value, t.Elem())
			if k != "" && v != "" {
				return "map[" + k + "]" + v
			}
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.Name + "." + x.Sel.Name
		}
	case *ast.IndexExpr:
		return r.instance(x.X, []ast.Expr{x.Index})
	case *ast.IndexListExpr:
		return r.instance(x.X, x.Indices)
	}
	return ""
}

// instance writes a generic type's instance as %T does: main.Pair[string,int].
func (r *Registry) instance(base ast.Expr, args []ast.Expr) string {
	id, ok := base.(*ast.Ident)
	if !ok {
		return ""
	}
	var parts []string
	for _, a := range args {
		s := r.staticArg(a)
		if s == "" {
			return ""
		}
		parts = append(parts, s)
	}
	return r.pkg + "." + id.Name + "[" + strings.Join(parts, ",") + "]"
}

// staticArg writes a type argument without a reflect type to check it by.
func (r *Registry) staticArg(a ast.Expr) string {
	switch x := a.(type) {
	case *ast.Ident:
		return r.identString(x.Name)
	case *ast.StarExpr:
		if s := r.staticArg(x.X); s != "" {
			return "*" + s
		}
	case *ast.ArrayType:
		if s := r.staticArg(x.Elt); s != "" && x.Len == nil {
			return "[]" + s
		}
	case *ast.MapType:
		if k, v := r.staticArg(x.Key), r.staticArg(x.Value); k != "" && v != "" {
			return "map[" + k + "]" + v
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.Name + "." + x.Sel.Name
		}
	}
	return ""
}

// plainTyped reports whether fmt prints v of declared type st (outside
// %T and %#v) as it prints v: a named basic type without fmt's methods.
func (r *Registry) plainTyped(v any, st ast.Expr) bool {
	id, ok := st.(*ast.Ident)
	if !ok || v == nil {
		return false
	}
	if _, ok := r.declared(id.Name); !ok {
		return false
	}
	switch reflect.TypeOf(v).Kind() {
	case reflect.Struct, reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer, reflect.Interface:
		return false
	}
	for _, m := range []string{"String", "Error", "GoString"} {
		if _, ok := r.method(id.Name, m, false); ok {
			return false
		}
	}
	return true
}

// identString writes a type name: a predeclared type as it is, any other
// (the notebook's, or one declared inside a function) in the package.
func (r *Registry) identString(name string) string {
	if predeclared[name] {
		switch name {
		case "any":
			return "interface {}"
		case "byte":
			return "uint8"
		case "rune":
			return "int32"
		}
		return name
	}
	return r.pkg + "." + name
}

var predeclared = map[string]bool{
	"bool": true, "byte": true, "complex64": true, "complex128": true, "error": true,
	"float32": true, "float64": true, "int": true, "int8": true, "int16": true,
	"int32": true, "int64": true, "rune": true, "string": true, "uint": true,
	"uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"any": true, "comparable": true,
}
