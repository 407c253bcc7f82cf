package parse

import (
	"go/ast"
	"reflect"
	"strings"
)

// Syntax tree helpers shared by the rewrite passes and the run stage.

var (
	exprType      = reflect.TypeOf((*ast.Expr)(nil)).Elem()
	exprSliceType = reflect.TypeOf([]ast.Expr(nil))
	nodeType      = reflect.TypeOf((*ast.Node)(nil)).Elem()
)

// ReplaceExprs replaces every expression e below n (n itself excepted) by
// f(e), children first. It walks the syntax tree by reflection, so that it
// reaches every field of type ast.Expr, whatever the node.
func ReplaceExprs(n ast.Node, f func(ast.Expr) ast.Expr) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			walk(v.Elem())
		case reflect.Interface:
			if v.IsNil() {
				return
			}
			walk(v.Elem())
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				el := v.Index(i)
				walk(el)
				if v.Type() == exprSliceType {
					el.Set(reflect.ValueOf(f(el.Interface().(ast.Expr))))
				}
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				fv := v.Field(i)
				ft := v.Type().Field(i)
				if !ft.IsExported() || ft.Name == "Obj" || ft.Name == "Scope" {
					continue // resolution data, not syntax
				}
				if ft.Type.Kind() == reflect.Interface && !ft.Type.Implements(nodeType) && ft.Type != exprType {
					continue
				}
				walk(fv)
				if ft.Type == exprType && !fv.IsNil() {
					fv.Set(reflect.ValueOf(f(fv.Interface().(ast.Expr))))
				}
			}
		}
	}
	walk(reflect.ValueOf(n))
}

// CloneExpr returns a deep copy of a type expression.
func CloneExpr(e ast.Expr) ast.Expr {
	if e == nil {
		return nil
	}
	return CloneValue(reflect.ValueOf(e)).Interface().(ast.Expr)
}

// CloneValue deep-copies syntax nodes (pointers, slices and structs of the
// go/ast package), leaving resolution data (Obj, Scope) shared.
func CloneValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !strings.HasPrefix(v.Type().Elem().PkgPath(), "go/ast") {
			return v
		}
		if v.Type().Elem() == reflect.TypeOf(ast.Object{}) || v.Type().Elem() == reflect.TypeOf(ast.Scope{}) {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(CloneValue(v.Elem()))
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := CloneValue(v.Elem())
		out := reflect.New(v.Type()).Elem()
		out.Set(c)
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(CloneValue(v.Index(i)))
		}
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		for i := 0; i < v.NumField(); i++ {
			if n.Field(i).CanSet() {
				n.Field(i).Set(CloneValue(v.Field(i)))
			}
		}
		return n
	}
	return v
}

// CloneStmts deep-copies statements.
func CloneStmts(list []ast.Stmt) []ast.Stmt {
	out := make([]ast.Stmt, len(list))
	for i, s := range list {
		out[i] = CloneValue(reflect.ValueOf(&s).Elem()).Interface().(ast.Stmt)
	}
	return out
}

// StripStar returns the operand of a pointer type or dereference *X, else e.
func StripStar(e ast.Expr) ast.Expr {
	if s, ok := e.(*ast.StarExpr); ok {
		return s.X
	}
	return e
}

// Unparen returns e without enclosing parentheses.
func Unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}
