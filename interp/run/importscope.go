package run

import (
	"go/ast"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	yaegi "github.com/traefik/yaegi/interp"
)

// Imports per cell, and forgetting them.
//
// yaegi scopes an import to the file it appears in: `import "fmt"` in file
// In[7] adds the symbol "fmt/In[7]" to the main package's scope. Every cell
// is its own file (positions in messages are In[n]:line:col), so the engine
// makes the notebook's imports again in each cell's file (ensureImports).
// Left alone, the scope grows by one symbol per import per cell, and every
// yaegi.Interpreter.Globals call, which the engine makes several times a
// cell, walks them all: measured, a trivial cell took 0.32 ms after 100
// cells of a notebook with two imports and 0.81 ms on average over 3,000
// (growing, not settling).
//
// Once a cell has been compiled its code refers to packages directly, so
// its per-file import symbols are dead weight, with one exception: yaegi
// instantiates generic functions and types lazily, when a later cell uses
// them with new type arguments, and the instantiation resolves package
// names in the file of the declaration. Cells that declare generics keep
// their imports ("pinned"). Code compiled again from an earlier cell (the
// dependents of a redefinition) goes through ensureImports for that cell's
// file first, which makes the imports afresh.

// mainScope gives access to the symbol map of yaegi's main package, checked
// against yaegi v0.16.1's layout when the package loads: Interpreter.srcPkg
// is a map from package path to a map from symbol name to *symbol. Without
// that layout, forgetImports does nothing (the scope only grows, as before).
var mainScope = func() (f struct {
	ok  bool
	off uintptr
	typ reflect.Type
}) {
	fld, ok := reflect.TypeOf(yaegi.Interpreter{}).FieldByName("srcPkg")
	if !ok || fld.Type.Kind() != reflect.Map || fld.Type.Key().Kind() != reflect.String {
		return f
	}
	inner := fld.Type.Elem()
	if inner.Kind() != reflect.Map || inner.Key().Kind() != reflect.String || inner.Elem().Kind() != reflect.Pointer {
		return f
	}
	f.ok, f.off, f.typ = true, fld.Offset, fld.Type
	return f
}()

// forgetImports removes the import symbols of every cell file except keep
// and the pinned ones, and forgets that those files have imports, so that
// ensureImports makes them again if code from such a cell is compiled anew.
func (e *Session) forgetImports(keep string) {
	if !mainScope.ok || !yfields.ok {
		return
	}
	var drop []string
	for file, names := range e.importedIn {
		if file == keep || e.pinned[file] || !strings.HasPrefix(file, "In[") {
			continue
		}
		base := filepath.Base(file)
		for name := range names {
			if name != "." && name != "_" {
				drop = append(drop, filepath.Join(name, base))
			}
		}
		delete(e.importedIn, file)
	}
	if len(drop) == 0 {
		return
	}
	mu := (*sync.RWMutex)(unsafe.Add(unsafe.Pointer(e.yi), yfields.muOff))
	mu.Lock()
	defer mu.Unlock()
	srcPkg := reflect.NewAt(mainScope.typ, unsafe.Add(unsafe.Pointer(e.yi), mainScope.off)).Elem()
	syms := srcPkg.MapIndex(reflect.ValueOf("main"))
	if !syms.IsValid() || syms.IsNil() {
		return
	}
	for _, k := range drop {
		syms.SetMapIndex(reflect.ValueOf(k), reflect.Value{})
	}
}

// declaresGenerics reports whether a file declares a generic function,
// a generic type or a method of a generic type.
func declaresGenerics(f *ast.File) bool {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Type.TypeParams != nil && len(d.Type.TypeParams.List) > 0 {
				return true
			}
			if d.Recv != nil {
				for _, r := range d.Recv.List {
					t := r.Type
					if s, ok := t.(*ast.StarExpr); ok {
						t = s.X
					}
					switch t.(type) {
					case *ast.IndexExpr, *ast.IndexListExpr:
						return true
					}
				}
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok && ts.TypeParams != nil && len(ts.TypeParams.List) > 0 {
					return true
				}
			}
		}
	}
	return false
}
