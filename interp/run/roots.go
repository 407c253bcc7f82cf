package run

import (
	"reflect"
	"unsafe"

	"github.com/golit/golit/interp/internal/yaegiheap"
	yaegi "github.com/traefik/yaegi/interp"
)

// Forgetting compiled syntax trees.
//
// yaegi v0.16.1 appends the root node of everything it compiles to
// Interpreter.roots and never removes it; only its debugger reads the list,
// and golit does not use the debugger. A node tree holds the whole cell's
// compiled program (a few kilobytes for a one-line statement), so a notebook
// kept every cell it ever ran, and the statements the engine compiles for
// itself, alive: a heap profile of 1,500 cells that each declare a variable
// and a function showed 28 MB of the 43 MB live heap allocated by yaegi's
// ast conversion, held from there (bench/session, BENCHMARKS.md). What the
// notebook still needs (functions, methods, types, variables) is reachable
// from the scope's symbols, not from this list, so the engine empties it
// before each cell.

// yaegiRoots locates Interpreter.roots, checked against yaegi v0.16.1's
// layout when the package loads (a slice of pointers). Without that layout
// forgetRoots does nothing and the list grows, as before.
var yaegiRoots = func() (f struct {
	ok  bool
	off uintptr
	typ reflect.Type
}) {
	fld, ok := reflect.TypeOf(yaegi.Interpreter{}).FieldByName("roots")
	if !ok || fld.Type.Kind() != reflect.Slice || fld.Type.Elem().Kind() != reflect.Pointer {
		return f
	}
	f.ok, f.off, f.typ = true, fld.Offset, fld.Type
	return f
}()

// forgetRoots drops yaegi's list of compiled roots. It runs under execMu,
// between compilations, so nothing appends to the list meanwhile.
func (e *Session) forgetRoots() {
	yaegiheap.ForgetScopeChildren(e.yi)
	if !yaegiRoots.ok {
		return
	}
	roots := reflect.NewAt(yaegiRoots.typ, unsafe.Add(unsafe.Pointer(e.yi), yaegiRoots.off)).Elem()
	if roots.Len() == 0 {
		return
	}
	roots.SetZero()
}

// compiledRoots is how many roots yaegi holds (for tests).
func (e *Session) compiledRoots() int {
	if !yaegiRoots.ok {
		return -1
	}
	return reflect.NewAt(yaegiRoots.typ, unsafe.Add(unsafe.Pointer(e.yi), yaegiRoots.off)).Elem().Len()
}
