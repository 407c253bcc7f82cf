package interp

import (
	"go/ast"
	"reflect"
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

// stdGenericNames maps "import path.Name" to the notebook-level name that
// implements it.
var stdGenericNames = map[string]string{
	"sync.OnceValue":      golitPrefix + "OnceValue",
	"sync.OnceValues":     golitPrefix + "OnceValues",
	"sync/atomic.Pointer": golitPrefix + "Pointer",
}

// stdGenericSource implements stdGenericNames with the behaviour the Go
// documentation gives them: OnceValue calls f once, and if f panics every
// call panics with the same value; Pointer's methods are atomic (a mutex
// per Pointer guards it, which is atomic for every observer).
const stdGenericSource = `package main

import (
	"sync"

	golit__rt "github.com/golit/golit/interp/rt"
)

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

// stdGenerics replaces, in n, the selectors of stdGenericNames (sync.OnceValue
// where sync is the cell's name for "sync", ...) by the notebook-level
// names that implement them.
func (r *rewriter) stdGenerics(n ast.Node) {
	replaceExprs(n, func(x ast.Expr) ast.Expr {
		sel, ok := x.(*ast.SelectorExpr)
		if !ok {
			return x
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return x
		}
		p, ok := r.paths[id.Name]
		if !ok {
			return x
		}
		if name, ok := stdGenericNames[p+"."+sel.Sel.Name]; ok {
			return &ast.Ident{NamePos: id.NamePos, Name: name}
		}
		return x
	})
}

// pointerFields are the names reflection gives golit__Pointer's fields.
var pointerFields = [2]string{"X" + golitPrefix + "lock", "X" + golitPrefix + "v"}

// isPointerValue reports whether t is the runtime type of an
// atomic.Pointer of a cell (a golit__Pointer instance).
func isPointerValue(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 2 &&
		t.Field(0).Name == pointerFields[0] && t.Field(1).Name == pointerFields[1] &&
		t.Field(1).Type.Kind() == reflect.Pointer
}
