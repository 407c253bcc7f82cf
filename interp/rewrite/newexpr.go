package rewrite

import (
	"go/ast"
	"reflect"

	"github.com/golit/golit/interp/parse"
)

// Go 1.26 lets new take an expression: new(42) is a *int pointing to 42,
// new(f()) a pointer to a copy of f's result. yaegi v0.16.1 takes the
// operand of new as a type only and, given a value, allocates a zero value
// of the value's type: new(42) pointed to 0. newExprs rewrites new(x) where
// x is not a type into golit__new(x), an interpreted generic function that
// returns a pointer to a copy of its argument (stdGenericSource).
//
// Proved by TestCorrectnessScenarios "new of an expression"
// (interp/run/correctness_test.go) and
// tests/test_correctness.py::test_new_of_an_expression.

// newExprs rewrites the calls of the builtin new whose operand is a value.
func (r *Rewriter) newExprs(n ast.Node) {
	if (r.IsDeclared != nil && r.IsDeclared("new")) || declaresName(n, "new") {
		return
	}
	local := LocalTypeNames(n)
	ast.Inspect(n, func(c ast.Node) bool {
		call, ok := c.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 || call.Ellipsis.IsValid() {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok || id.Name != "new" {
			return true
		}
		if !r.isTypeExpr(call.Args[0], local) {
			call.Fun = &ast.Ident{NamePos: id.NamePos, Name: Prefix + "new"}
		}
		return true
	})
}

// LocalTypeNames returns the names n declares as types or type parameters.
func LocalTypeNames(n ast.Node) map[string]bool {
	m := map[string]bool{}
	params := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, id := range f.Names {
				m[id.Name] = true
			}
		}
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.TypeSpec:
			m[x.Name.Name] = true
			params(x.TypeParams)
		case *ast.FuncType:
			params(x.TypeParams)
		}
		return true
	})
	return m
}

// predeclaredTypes are the types Go declares in the universe scope.
var predeclaredTypes = map[string]bool{
	"any": true, "bool": true, "byte": true, "comparable": true, "complex64": true,
	"complex128": true, "error": true, "float32": true, "float64": true, "int": true,
	"int8": true, "int16": true, "int32": true, "int64": true, "rune": true,
	"string": true, "uint": true, "uint8": true, "uint16": true, "uint32": true,
	"uint64": true, "uintptr": true,
}

// isTypeExpr reports whether x denotes a type, as far as the rewriter can
// tell without a type checker. A name it does not know is taken as a value
// (golit__new of an undefined name still fails to compile); a member of a
// package it cannot look up is taken as a type.
func (r *Rewriter) isTypeExpr(x ast.Expr, local map[string]bool) bool {
	switch t := x.(type) {
	case *ast.ParenExpr:
		return r.isTypeExpr(t.X, local)
	case *ast.StarExpr:
		return r.isTypeExpr(t.X, local)
	case *ast.ArrayType, *ast.StructType, *ast.FuncType, *ast.InterfaceType, *ast.MapType, *ast.ChanType:
		return true
	case *ast.IndexExpr:
		return r.isTypeExpr(t.X, local)
	case *ast.IndexListExpr:
		return r.isTypeExpr(t.X, local)
	case *ast.Ident:
		if local[t.Name] {
			return true
		}
		if r.Notebook.Decl != nil {
			if d := r.Notebook.Decl(t.Name); d != nil {
				return d.Kind == parse.TypeDecl
			}
		}
		if r.Notebook.Global != nil && r.Notebook.Global(t.Name).IsValid() {
			return false
		}
		return predeclaredTypes[t.Name]
	case *ast.SelectorExpr:
		pkg, ok := t.X.(*ast.Ident)
		if !ok {
			return false
		}
		path, ok := r.Paths[pkg.Name]
		if !ok || local[pkg.Name] {
			return false // a field or method value
		}
		if r.Notebook.Symbol == nil {
			return true
		}
		v, ok := r.Notebook.Symbol(path, t.Sel.Name)
		if !ok {
			return true
		}
		// Compiled tables hold a type as a nil pointer to it, a variable
		// as an addressable value.
		return v.Kind() == reflect.Pointer && v.IsNil() && !v.CanAddr()
	}
	return false
}
