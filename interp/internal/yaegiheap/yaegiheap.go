// Package yaegiheap keeps a long notebook session on yaegi v0.16.1 as
// cheap as a short one. It does two things yaegi does not:
//
//   - ForgetScopeChildren drops references yaegi keeps for the life of an
//     interpreter but never reads again, so that the session does not keep
//     every cell it ran.
//   - GrowFrame grows the interpreter's global frame by doubling, where
//     yaegi copies the whole frame each time a cell declares a variable.
//
// Its tests' helpers (ScopeChildren, FrameSlots, Symbols) read the same
// fields. Symbols counts a package scope's symbols: interp/run's
// TestCellFuncsForgotten checks with it that running a cell's statements,
// which run as the init function of a file of their own
// (interp/run/cellfunc.go), declares nothing that stays in the scope.
//
// Child scopes.
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
// The global frame.
//
// Every package-level variable of the session (the notebook's and those
// of golit's interpreted helpers, a few thousand) has a slot in one frame.
// Before it runs a program, yaegi's Execute resizes that frame to the
// scope's size by allocating a new slice and copying every slot, so each
// cell that declares a variable copied the whole frame: an O(cells) cost
// per cell, which made a long session slower per cell and produced most
// of its garbage (a heap profile of cells 1,000 to 2,000 that each declare
// a variable and a function: 220 KB allocated per cell by resizeFrame).
// GrowFrame, called between compiling and running, makes the slots first,
// in a slice grown by doubling, so yaegi finds nothing to resize.
//
// The package reaches yaegi's unexported fields with reflect and unsafe,
// checked against v0.16.1's layout when it loads: with another layout its
// functions do nothing (and the memory is kept, as before).
package yaegiheap

import (
	"reflect"
	"sync"
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
	types    uintptr      // scope.types, a []reflect.Type
	frame    uintptr      // Interpreter.frame, a *frame
	data     uintptr      // frame.data, a []reflect.Value
	mutex    uintptr      // frame.mutex, a sync.RWMutex
	frameOK  bool         // types, frame, data and mutex are known
	sym      uintptr      // scope.sym, a map[string]*symbol
	symT     reflect.Type // its type
	imutex   uintptr      // Interpreter.mutex, a sync.RWMutex
	symOK    bool         // sym and imutex are known
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

	ty, ok1 := uni.Type.Elem().FieldByName("types")
	fr, ok2 := it.FieldByName("frame")
	if !ok1 || !ok2 || ty.Type != reflect.TypeOf([]reflect.Type(nil)) ||
		fr.Type.Kind() != reflect.Pointer || fr.Type.Elem().Kind() != reflect.Struct {
		return l
	}
	da, ok1 := fr.Type.Elem().FieldByName("data")
	mu, ok2 := fr.Type.Elem().FieldByName("mutex")
	if !ok1 || !ok2 || da.Type != reflect.TypeOf([]reflect.Value(nil)) || mu.Type != reflect.TypeOf(sync.RWMutex{}) {
		return l
	}
	l.frameOK = true
	l.types, l.frame, l.data, l.mutex = ty.Offset, fr.Offset, da.Offset, mu.Offset

	sy, ok1 := uni.Type.Elem().FieldByName("sym")
	im, ok2 := it.FieldByName("mutex")
	if !ok1 || !ok2 || sy.Type.Kind() != reflect.Map || sy.Type.Key().Kind() != reflect.String ||
		sy.Type.Elem().Kind() != reflect.Pointer || im.Type != reflect.TypeOf(sync.RWMutex{}) {
		return l
	}
	l.symOK = true
	l.sym, l.symT, l.imutex = sy.Offset, sy.Type, im.Offset
	return l
}()

// Supported reports whether this yaegi's layout is the one the package
// knows, that is, whether its functions do anything.
func Supported() bool { return layout.ok && layout.frameOK && layout.symOK }

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

// GrowFrame gives the global frame of yi a slot for every package-level
// variable compiled so far, as yaegi's Execute would, but in a slice with
// room to grow (its capacity doubles), so that Execute has nothing to copy.
// Call it after compiling a program and before running it, while nothing
// compiles. Like Execute, it holds the frame's lock while it writes.
func GrowFrame(yi *yaegi.Interpreter) {
	if !layout.ok || !layout.frameOK || yi == nil {
		return
	}
	base := unsafe.Pointer(yi)
	uni := *(*unsafe.Pointer)(unsafe.Add(base, layout.universe))
	fr := *(*unsafe.Pointer)(unsafe.Add(base, layout.frame))
	if uni == nil || fr == nil {
		return
	}
	types := *(*[]reflect.Type)(unsafe.Add(uni, layout.types))
	mu := (*sync.RWMutex)(unsafe.Add(fr, layout.mutex))
	mu.Lock()
	defer mu.Unlock()
	slot := (*[]reflect.Value)(unsafe.Add(fr, layout.data))
	data := *slot
	n, want := len(data), len(types)
	if want <= n {
		return
	}
	if want <= cap(data) {
		data = data[:want]
	} else {
		grown := make([]reflect.Value, want, max(want, 2*cap(data), 64))
		copy(grown, data)
		data = grown
	}
	for i, t := range types[n:want] {
		data[n+i] = reflect.New(t).Elem()
	}
	*slot = data
}

// FrameSlots reports the length and capacity of yi's global frame (for
// tests), or -1, -1 when the layout is unknown.
func FrameSlots(yi *yaegi.Interpreter) (n, capacity int) {
	if !layout.ok || !layout.frameOK || yi == nil {
		return -1, -1
	}
	fr := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(yi), layout.frame))
	if fr == nil {
		return -1, -1
	}
	data := *(*[]reflect.Value)(unsafe.Add(fr, layout.data))
	return len(data), cap(data)
}

// Symbols counts the symbols in the scope of package pkg of yi (for
// tests), or returns -1 when the layout or the package is unknown.
func Symbols(yi *yaegi.Interpreter, pkg string) int {
	if !layout.ok || !layout.symOK || yi == nil {
		return -1
	}
	base := unsafe.Pointer(yi)
	mu := (*sync.RWMutex)(unsafe.Add(base, layout.imutex))
	mu.RLock()
	defer mu.RUnlock()
	scopes := reflect.NewAt(layout.scopesT, unsafe.Add(base, layout.scopes)).Elem()
	sc := scopes.MapIndex(reflect.ValueOf(pkg))
	if !sc.IsValid() || sc.IsNil() {
		return -1
	}
	return reflect.NewAt(layout.symT, unsafe.Add(sc.UnsafePointer(), layout.sym)).Elem().Len()
}
