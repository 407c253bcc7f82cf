package rewrite

import (
	"go/ast"
	"go/token"
	"reflect"

	"github.com/golit/golit/interp/parse"
)

// Generic members of compiled standard packages. yaegi resolves an
// import path to its compiled table (sync, sync/atomic) before any source
// package, and a compiled table cannot hold a generic function or type,
// so sync.OnceValue, sync.OnceValues and atomic.Pointer[T] are missing from
// the package a cell imports. golit declares interpreted versions in the
// notebook's own package (stdGenericSource, compiled with the prelude) and
// the rewriter replaces the selectors by their names (stdGenerics).
//
// They live in package main rather than in a source package of their own
// because yaegi v0.16.1 instantiates a generic type of another package in
// the scope of the code that uses it, where that package's names are not
// visible: methods of such a type fail at run time. For the same reason
// Pointer's lock is golit__rt.Mutex (sync.Mutex under the name of the
// runtime support package, which every cell's file imports).
//
// Proved by TestModernGo "sync.OnceValue and sync.OnceValues",
// "atomic.Pointer" and "the built-ins min, max and clear"
// (interp/run/modern_test.go).

// StdGenericNames maps "import path.Name" to the notebook-level name that
// implements it.
var StdGenericNames = map[string]string{
	"sync.OnceValue":      Prefix + "OnceValue",
	"sync.OnceValues":     Prefix + "OnceValues",
	"sync/atomic.Pointer": Prefix + "Pointer",
}

// StdGenericSource implements stdGenericNames with the behaviour the Go
// documentation gives them: OnceValue calls f once, and if f panics every
// call panics with the same value; Pointer's methods are atomic (a mutex
// per Pointer guards it, which is atomic for every observer).
const StdGenericSource = `package main

import (
	"cmp"
	"sync"

	golit__rt "github.com/golit/golit/interp/rt"
)

func golit__new[T any](v T) *T {
	return &v
}

func golit__min[T cmp.Ordered](x T, y ...T) T {
	m := x
	for _, v := range y {
		if v != v {
			return v // NaN
		}
		if v < m {
			m = v
		}
	}
	return m
}

func golit__max[T cmp.Ordered](x T, y ...T) T {
	m := x
	for _, v := range y {
		if v != v {
			return v // NaN
		}
		if v > m {
			m = v
		}
	}
	return m
}

func golit__OnceValue[T any](f func() T) func() T {
	var once sync.Once
	var value T
	failed := false
	var cause any
	return func() T {
		once.Do(func() {
			failed = true
			defer func() {
				if failed {
					cause = recover()
					golit__rt.Panic(cause)
				}
			}()
			value = f()
			failed = false
		})
		if failed {
			golit__rt.Panic(cause)
		}
		return value
	}
}

func golit__OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2) {
	var once sync.Once
	var v1 T1
	var v2 T2
	failed := false
	var cause any
	return func() (T1, T2) {
		once.Do(func() {
			failed = true
			defer func() {
				if failed {
					cause = recover()
					golit__rt.Panic(cause)
				}
			}()
			v1, v2 = f()
			failed = false
		})
		if failed {
			golit__rt.Panic(cause)
		}
		return v1, v2
	}
}

type golit__Pointer[T any] struct {
	golit__lock golit__rt.Mutex
	golit__v    *T
}

func (p *golit__Pointer[T]) Load() *T {
	p.golit__lock.Lock()
	v := p.golit__v
	p.golit__lock.Unlock()
	return v
}

func (p *golit__Pointer[T]) Store(val *T) {
	p.golit__lock.Lock()
	p.golit__v = val
	p.golit__lock.Unlock()
}

func (p *golit__Pointer[T]) Swap(new *T) (old *T) {
	p.golit__lock.Lock()
	old, p.golit__v = p.golit__v, new
	p.golit__lock.Unlock()
	return old
}

func (p *golit__Pointer[T]) CompareAndSwap(old, new *T) (swapped bool) {
	p.golit__lock.Lock()
	if p.golit__v == old {
		p.golit__v, swapped = new, true
	}
	p.golit__lock.Unlock()
	return swapped
}
`

// builtinNames maps the built-in functions of Go 1.21 that yaegi v0.16.1
// lacks to golit's versions: min and max (generic, stdGenericSource) and
// clear (compiled, golit__rt.Clear).
var builtinNames = map[string]ast.Expr{
	"min":   ast.NewIdent(Prefix + "min"),
	"max":   ast.NewIdent(Prefix + "max"),
	"clear": &ast.SelectorExpr{X: ast.NewIdent(RuntimePkg), Sel: ast.NewIdent("Clear")},
}

// stdGenerics replaces, in n, the selectors of stdGenericNames (sync.OnceValue
// where sync is the cell's name for "sync", ...) by the notebook-level
// names that implement them, and calls of the built-ins of builtinNames
// (unless the code or the notebook declares the name) by golit's.
func (r *Rewriter) stdGenerics(n ast.Node) {
	declared := declaredNames(n)
	selectors := false // whether n has a selector ReplaceExprs below may replace
	ast.Inspect(n, func(c ast.Node) bool {
		if sel, ok := c.(*ast.SelectorExpr); ok && !selectors {
			selectors = r.stdGenericSelector(sel)
		}
		call, ok := c.(*ast.CallExpr)
		if !ok {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok || declared[id.Name] || (r.IsDeclared != nil && r.IsDeclared(id.Name)) {
			return true
		}
		repl, ok := builtinNames[id.Name]
		if !ok {
			return true
		}
		call.Fun = parse.CloneExpr(repl)
		if id.Name != "clear" {
			r.typedFirst(call)
		}
		return true
	})
	if !selectors {
		return
	}
	parse.ReplaceExprs(n, func(x ast.Expr) ast.Expr {
		sel, ok := x.(*ast.SelectorExpr)
		if !ok {
			return x
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return x
		}
		p, ok := r.Paths[id.Name]
		if !ok {
			return x
		}
		if name, ok := StdGenericNames[p+"."+sel.Sel.Name]; ok {
			return &ast.Ident{NamePos: id.NamePos, Name: name}
		}
		return x
	})
}

// stdGenericSelector reports whether sel names one of StdGenericNames
// through the cell's name for its package.
func (r *Rewriter) stdGenericSelector(sel *ast.SelectorExpr) bool {
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	p, ok := r.Paths[id.Name]
	if !ok {
		return false
	}
	_, ok = StdGenericNames[p+"."+sel.Sel.Name]
	return ok
}

// pointerFields are the names reflection gives golit__Pointer's fields.
var pointerFields = [2]string{"X" + Prefix + "lock", "X" + Prefix + "v"}

// IsPointerValue reports whether t is the runtime type of an
// atomic.Pointer of a cell (a golit__Pointer instance).
func IsPointerValue(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 2 &&
		t.Field(0).Name == pointerFields[0] && t.Field(1).Name == pointerFields[1] &&
		t.Field(1).Type.Kind() == reflect.Pointer
}

// typedFirst moves, in a call of min or max, the first argument that is
// not a constant to the front, so that golit's generic versions take
// their type from it (max(0, x) with x a float64 is max(x, 0)); with
// literals only, the first one is converted to the default type (float64
// when one is a floating-point literal). Constants have no side effects,
// so the order of evaluation of the others stays.
func (r *Rewriter) typedFirst(call *ast.CallExpr) {
	pick := -1
	for i, a := range call.Args {
		if !r.isConstExpr(a) {
			pick = i
			break
		}
	}
	if pick < 0 {
		// Constants only: yaegi would instantiate T with an untyped
		// type; give the first one its default type, float64 when any
		// is a floating-point literal.
		kind := "int"
		for _, a := range call.Args {
			if lit, ok := parse.Unparen(a).(*ast.BasicLit); ok {
				switch lit.Kind {
				case token.FLOAT:
					kind = "float64"
				case token.STRING:
					kind = "string"
				}
			}
			if kind == "float64" {
				break
			}
		}
		if len(call.Args) > 0 {
			if _, ok := parse.Unparen(call.Args[0]).(*ast.BasicLit); ok {
				call.Args[0] = &ast.CallExpr{Fun: ast.NewIdent(kind), Args: []ast.Expr{call.Args[0]}}
			}
		}
		return
	}
	if pick == 0 {
		return
	}
	a := call.Args[pick]
	copy(call.Args[1:pick+1], call.Args[:pick])
	call.Args[0] = a
}

// declaredNames returns the names n declares anywhere: functions, types,
// variables, constants, parameters, results and := definitions.
func declaredNames(n ast.Node) map[string]bool {
	m := map[string]bool{}
	add := func(ids ...*ast.Ident) {
		for _, id := range ids {
			m[id.Name] = true
		}
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.StructType, *ast.InterfaceType:
			return false // field and method names do not shadow
		case *ast.FuncDecl:
			if x.Recv == nil {
				add(x.Name)
			}
		case *ast.TypeSpec:
			add(x.Name)
		case *ast.ValueSpec:
			add(x.Names...)
		case *ast.Field:
			add(x.Names...)
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				for _, e := range []ast.Expr{x.Key, x.Value} {
					if id, ok := e.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		}
		return true
	})
	return m
}
