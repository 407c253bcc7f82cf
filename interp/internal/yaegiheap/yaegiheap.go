// Package yaegiheap drops references that yaegi v0.16.1 keeps for the
// life of an interpreter but never reads again, so that a long notebook
// session does not keep every cell it ran.
//
// yaegi's scopes form a tree: a scope points to its ancestor, and each
// push of a new scope (a block, a function body, a function literal)
// appends the new scope to its parent's list of children. Nothing in
// yaegi reads that list; lookups walk from a scope to its ancestors.
// But a child scope holds the function node it belongs to, and through
// it the whole compiled syntax graph of the code that pushed it, so the
// package scope of a notebook held the compiled graph of every statement
// cell it ever ran (about 12 KB for `fmt.Println("cell", f(1))`).
//
// What a notebook still needs after a cell ran (its functions, methods,
// types and variables) is reachable from the scope's symbols and from the
// nodes that refer to their own scopes, not from these lists.
//
// The package reaches yaegi's unexported fields with reflect and unsafe,
// checked against v0.16.1's layout when it loads: with another layout its
// functions do nothing (and the memory is kept, as before).
package yaegiheap

import (
	"reflect"
	"unsafe"

	yaegi "github.com/traefik/yaegi/interp"
)

// layout is where the fields ForgetScopeChildren needs sit.
var layout = func() (l struct {
	ok       bool
	universe uintptr      // Interpreter.universe, a *scope
	scopes   uintptr      // Interpreter.scopes, a map[string]*scope
	scopesT  reflect.Type // its type
	child    uintptr      // scope.child, a []*scope
	childT   reflect.Type // its type
}) {
	it := reflect.TypeOf(yaegi.Interpreter{})
	uni, ok1 := it.FieldByName("universe")
	scs, ok2 := it.FieldByName("scopes")
	if !ok1 || !ok2 || uni.Type.Kind() != reflect.Pointer || uni.Type.Elem().Kind() != reflect.Struct ||
		scs.Type.Kind() != reflect.Map || scs.Type.Elem() != uni.Type {
		return l
	}
	ch, ok := uni.Type.Elem().FieldByName("child")
	if !ok || ch.Type.Kind() != reflect.Slice || ch.Type.Elem() != uni.Type {
		return l
	}
	l.ok = true
	l.universe, l.scopes, l.scopesT = uni.Offset, scs.Offset, scs.Type
	l.child, l.childT = ch.Offset, ch.Type
	return l
}()

// Supported reports whether this yaegi's layout is the one the package
// knows, that is, whether ForgetScopeChildren does anything.
func Supported() bool { return layout.ok }

// ForgetScopeChildren empties the lists of child scopes of the universe
// and of every package scope of yi. The caller must hold off compilation
// meanwhile (compiling pushes scopes); running code does not touch the
// lists.
func ForgetScopeChildren(yi *yaegi.Interpreter) {
	if !layout.ok || yi == nil {
		return
	}
	base := unsafe.Pointer(yi)
	forget(*(*unsafe.Pointer)(unsafe.Add(base, layout.universe)))
	scopes := reflect.NewAt(layout.scopesT, unsafe.Add(base, layout.scopes)).Elem()
	for it := scopes.MapRange(); it.Next(); {
		forget(it.Value().UnsafePointer())
	}
}

// ScopeChildren counts the child scopes ForgetScopeChildren would drop
// (for tests), or returns -1 when the layout is unknown.
func ScopeChildren(yi *yaegi.Interpreter) int {
	if !layout.ok || yi == nil {
		return -1
	}
	base := unsafe.Pointer(yi)
	n := children(*(*unsafe.Pointer)(unsafe.Add(base, layout.universe))).Len()
	scopes := reflect.NewAt(layout.scopesT, unsafe.Add(base, layout.scopes)).Elem()
	for it := scopes.MapRange(); it.Next(); {
		n += children(it.Value().UnsafePointer()).Len()
	}
	return n
}

// children is the child list of the scope at sc.
func children(sc unsafe.Pointer) reflect.Value {
	if sc == nil {
		return reflect.ValueOf([]int(nil))
	}
	return reflect.NewAt(layout.childT, unsafe.Add(sc, layout.child)).Elem()
}

// forget empties the child list of the scope at sc.
func forget(sc unsafe.Pointer) {
	if sc == nil {
		return
	}
	if c := children(sc); c.Len() > 0 {
		c.SetZero()
	}
}
