package run

import (
	"context"
	"fmt"
	"go/parser"
	"sort"
	"strconv"
	"strings"

	"github.com/golit/golit/interp/symbols"
)

// A cell's imports: the written ones and those autoimport.go found missing,
// made in the cell's file (yaegi keys imports by file) and recorded as the
// notebook's.

// importSpec is one import to make.
type importSpec struct {
	name, path string
	pos        string
	auto       bool
}

// importAll makes the imports the cell needs in the cell's file and adds
// them to the notebook's imports. Binding a name to another path replaces
// the old binding for the cells that follow.
func (e *Session) importAll(ctx context.Context, specs []importSpec) *execError {
	file := e.curFile
	list := map[string]string{}
	written := map[string]importSpec{} // name -> the cell's own import of it
	modNames, x := e.prepareModules(ctx, specs)
	if x != nil {
		return x
	}
	for _, s := range specs {
		name := s.name
		if name == "" {
			name = e.pkgName(s.path)
			if n, ok := modNames[s.path]; ok {
				name = n
			}
		}
		if name == "_" {
			continue
		}
		if _, ok := written[name]; ok && s.auto {
			continue // the cell's own import wins
		}
		if w, ok := written[name]; ok && !samePackage(w.path, s.path) {
			return &execError{kind: "compile", err: fmt.Errorf("%s: %s is imported twice in this cell, as %q and as %q; give one another name: import %s2 %q",
				posOr(s.pos, file), name, w.path, s.path, name, s.path)}
		}
		if !s.auto {
			written[name] = s
		}
		if samePackage(e.imports[name], s.path) && samePackage(e.importedIn[file][name], s.path) {
			// Already imported, maybe by its other path (golit/x and
			// github.com/golit/golit/x are the same package): nothing to do.
			continue
		}
		list[name] = s.path
	}
	if len(list) == 0 {
		return nil
	}
	have := e.importedIn[file]
	for name, p := range list {
		if old, ok := have[name]; ok && !samePackage(old, p) {
			from := "an earlier cell"
			if c := e.importFrom[name]; c != "" && c != file && e.imports[name] == old {
				from = c
			}
			return &execError{kind: "compile", err: fmt.Errorf("%s: %s is already imported as %q (by %s); to use %q as well, import it under another name: import %s2 %q",
				posOr(written[name].pos, file), name, old, from, p, name, p)}
		}
	}
	if x := e.compileImports(ctx, file, list); x != nil {
		// The import file is generated: point at the cell's import instead.
		for _, s := range specs {
			if s.pos != "" && strings.Contains(x.err.Error(), strconv.Quote(s.path)) {
				msg := x.err.Error()
				if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, file) {
					msg = msg[i+2:]
				}
				x.err = fmt.Errorf("%s: %s", s.pos, msg)
				break
			}
		}
		if e.explainModuleFailure(list, x) {
			return x
		}
		if strings.Contains(x.err.Error(), "unable to find source") || strings.Contains(x.err.Error(), "cannot find package") {
			x.err = fmt.Errorf("%v\n(golit cells can import the standard library, golit's helper packages (github.com/golit/golit/... or golit/...) and modules by their full path (golang.org/x/sync/errgroup); see interp/LIMITS.md)", x.err)
		}
		return x
	}
	for name, p := range list {
		if !samePackage(e.imports[name], p) {
			e.importFrom[name] = file
		}
		e.imports[name] = p
	}
	return nil
}

// moduleHelperPrefix is the import path prefix of golit's helper packages,
// which cells may also import by the short path symbols.ShortPrefix + name.
const moduleHelperPrefix = "github.com/golit/golit/"

// samePackage reports whether import paths a and b name the same package:
// equal, or a helper package by its short and its long path ("golit/display"
// and "github.com/golit/golit/display"). An empty path is no package.
func samePackage(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	long := func(p string) string {
		if rest, ok := strings.CutPrefix(p, symbols.ShortPrefix); ok {
			return moduleHelperPrefix + rest
		}
		return p
	}
	return long(a) == long(b)
}

// posOr returns pos, or file when pos is empty.
func posOr(pos, file string) string {
	if pos != "" {
		return pos
	}
	return file
}

// ensureImports makes the notebook's imports in file, where they are not
// made yet.
func (e *Session) ensureImports(ctx context.Context, file string) *execError {
	have := e.importedIn[file]
	list := map[string]string{}
	for name, p := range e.imports {
		if _, ok := have[name]; !ok {
			list[name] = p
		}
	}
	if len(list) == 0 {
		return nil
	}
	return e.compileImports(ctx, file, list)
}

// compileImports imports name -> path in file.
func (e *Session) compileImports(ctx context.Context, file string, list map[string]string) *execError {
	if len(list) == 0 {
		return nil
	}
	if !e.bindImports(file, list) {
		if x := e.compileImportFile(ctx, file, list); x != nil {
			return x
		}
		e.keepImportSyms(file, list)
	}
	if e.importedIn[file] == nil {
		e.importedIn[file] = map[string]string{}
	}
	for n, p := range list {
		e.importedIn[file][n] = p
	}
	return nil
}

// compileImportFile compiles a file of imports, name -> path, named file.
func (e *Session) compileImportFile(ctx context.Context, file string, list map[string]string) *execError {
	names := make([]string, 0, len(list))
	for n := range list {
		names = append(names, n)
	}
	sort.Strings(names)
	var sb strings.Builder
	sb.WriteString("package main\nimport (\n")
	for _, n := range names {
		if n == "." {
			fmt.Fprintf(&sb, "\t. %q\n", list[n])
			continue
		}
		fmt.Fprintf(&sb, "\t%s %q\n", n, list[n])
	}
	sb.WriteString(")\n")
	f, err := parser.ParseFile(e.yi.FileSet(), file, sb.String(), parser.SkipObjectResolution)
	if err != nil {
		return &execError{kind: "compile", err: err}
	}
	// An import file runs no code of the cell's: no goroutine needed.
	e.declOnly = true
	_, x := e.compileRun(ctx, f)
	e.declOnly = false
	return x
}

// isKnownName reports whether name is already defined in the notebook.
func (e *Session) isKnownName(name string) bool {
	if _, ok := e.imports[name]; ok {
		return true
	}
	if e.decls.byName[name] != nil {
		return true
	}
	_, ok := e.global(name)
	return ok
}
