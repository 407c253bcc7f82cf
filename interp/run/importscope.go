package run

import (
	"go/ast"
	"path"
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

// Binding the notebook's imports in a new cell's file.
//
// Making them by compiling a file of imports took a tenth of a trivial
// cell's time (a compilation, and a goroutine to run it), in every cell.
// For a compiled (binary) package, what yaegi's import does is add one
// symbol to the main scope, "name/file" -> {package, path}, which holds
// nothing of the file: the engine keeps the symbol the first compiled
// import made (keepImportSyms) and binds the same one under the new file's
// key (bindImports). Imports of packages yaegi interprets from source, dot
// and blank imports, and a name the notebook also declares still go
// through the compiler.

// importSym is the symbol yaegi made for an import of path.
type importSym struct {
	path string
	sym  reflect.Value // a *symbol of yaegi's
}

// binPkgField is yaegi's Interpreter.binPkg (compiled packages by import
// path), checked against v0.16.1's layout when the package loads.
var binPkgField = func() (f struct {
	ok  bool
	off uintptr
	typ reflect.Type
}) {
	fld, ok := reflect.TypeOf(yaegi.Interpreter{}).FieldByName("binPkg")
	if !ok || fld.Type != reflect.TypeOf(yaegi.Exports{}) {
		return f
	}
	f.ok, f.off, f.typ = true, fld.Offset, fld.Type
	return f
}()

// scopeSyms returns the symbol map of yaegi's main package (invalid if
// there is none yet). The caller holds the interpreter's mutex.
func (e *Session) scopeSyms() reflect.Value {
	srcPkg := reflect.NewAt(mainScope.typ, unsafe.Add(unsafe.Pointer(e.yi), mainScope.off)).Elem()
	syms := srcPkg.MapIndex(reflect.ValueOf("main"))
	if !syms.IsValid() || syms.IsNil() {
		return reflect.Value{}
	}
	return syms
}

// keepImportSyms remembers the symbols a compiled import file made in
// file, for bindImports.
func (e *Session) keepImportSyms(file string, list map[string]string) {
	if !mainScope.ok || !yfields.ok {
		return
	}
	mu := (*sync.RWMutex)(unsafe.Add(unsafe.Pointer(e.yi), yfields.muOff))
	mu.RLock()
	defer mu.RUnlock()
	syms := e.scopeSyms()
	if !syms.IsValid() {
		return
	}
	base := filepath.Base(file)
	for name, p := range list {
		if name == "." || name == "_" {
			continue
		}
		s := syms.MapIndex(reflect.ValueOf(filepath.Join(name, base)))
		if !s.IsValid() || s.IsNil() {
			delete(e.importSyms, name)
			continue
		}
		if e.importSyms == nil {
			e.importSyms = map[string]importSym{}
		}
		e.importSyms[name] = importSym{path: p, sym: s}
	}
}

// bindImports makes the imports name -> path in file from the symbols
// kept by keepImportSyms, all of them or (reporting false) none: each must
// be a compiled package imported before under that name and path, and
// neither the name nor its key in file may be in the scope already.
func (e *Session) bindImports(file string, list map[string]string) bool {
	if !mainScope.ok || !yfields.ok || !binPkgField.ok || len(e.importSyms) == 0 {
		return false
	}
	mu := (*sync.RWMutex)(unsafe.Add(unsafe.Pointer(e.yi), yfields.muOff))
	mu.Lock()
	defer mu.Unlock()
	syms := e.scopeSyms()
	if !syms.IsValid() {
		return false
	}
	bin := reflect.NewAt(binPkgField.typ, unsafe.Add(unsafe.Pointer(e.yi), binPkgField.off)).Elem()
	base := filepath.Base(file)
	for name, p := range list {
		s, ok := e.importSyms[name]
		if !ok || s.path != p {
			return false
		}
		ip := p
		if b := path.Base(ip); path.Dir(ip) == b {
			ip = b // as yaegi looks it up
		}
		if pkg := bin.MapIndex(reflect.ValueOf(ip)); !pkg.IsValid() || pkg.IsNil() {
			return false
		}
		if syms.MapIndex(reflect.ValueOf(name)).IsValid() || syms.MapIndex(reflect.ValueOf(filepath.Join(name, base))).IsValid() {
			return false
		}
	}
	for name := range list {
		syms.SetMapIndex(reflect.ValueOf(filepath.Join(name, base)), e.importSyms[name].sym)
	}
	return true
}
