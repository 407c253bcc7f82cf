package interp

import (
	"go/ast"
	"reflect"
	"strings"
)

// Syntax tree helpers of the rewrites.

// cloneExpr returns a deep copy of a type expression.
func cloneExpr(e ast.Expr) ast.Expr {
	if e == nil {
		return nil
	}
	return cloneValue(reflect.ValueOf(e)).Interface().(ast.Expr)
}

// cloneValue deep-copies syntax nodes (pointers, slices and structs of the
// go/ast package), leaving resolution data (Obj, Scope) shared.
func cloneValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !strings.HasPrefix(v.Type().Elem().PkgPath(), "go/ast") {
			return v
		}
		if v.Type().Elem() == reflect.TypeOf(ast.Object{}) || v.Type().Elem() == reflect.TypeOf(ast.Scope{}) {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(cloneValue(v.Elem()))
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := cloneValue(v.Elem())
		out := reflect.New(v.Type()).Elem()
		out.Set(c)
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(cloneValue(v.Index(i)))
		}
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		for i := 0; i < v.NumField(); i++ {
			if n.Field(i).CanSet() {
				n.Field(i).Set(cloneValue(v.Field(i)))
			}
		}
		return n
	}
	return v
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}
