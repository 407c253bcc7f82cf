package run

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/golit/golit/interp/parse"
	"github.com/golit/golit/interp/present"
	"github.com/golit/golit/interp/rewrite"
)

// Declarations and redefinition: a group of declarations is compiled, the
// registry (decls.go) updated, and the earlier declarations that use what
// changed are compiled again, types unbound first (yaegi keeps the first
// definition of a type and of a method).

// rewriteDecls is the rewrite stage of a group of declarations: it finds
// what the group redefines and rewrites it. Two steps run on yaegi first,
// as they did before the rewrite and run stages were two calls: the types
// the group declares again are unbound (resetTypes), and a type whose
// method the group redefines is declared again. They stay before the
// rewrite because the rewriter reads the interpreter's globals (IsDeclared,
// IsIntGlobal, the packages visible without an import: rewriter.go), which
// they change: an unbound type is a variable, var T int, until the group
// declares it again.
func (e *Session) rewriteDecls(cell *cellRun, g *Group) *execError {
	pg := &g.pg
	entries := parse.Declarations(pg.file, e.yi.FileSet(), pg.src, pg.base, cell.src, pg.start, cell.count)
	changed := map[string]bool{}
	changedTypes := map[string]bool{}
	for _, d := range entries {
		for _, n := range d.Names {
			if old := e.decls.byName[n]; old != nil && d.Kind != parse.MethodDecl {
				changed[n] = true
				if old.Kind == parse.TypeDecl && d.Kind == parse.TypeDecl {
					changedTypes[n] = true
				}
			}
		}
		if d.Kind == parse.MethodDecl && e.decls.byKey[d.Key] != nil {
			changed[d.Names[0]] = true
		}
	}
	// yaegi keeps the first definition of a method: a type whose method is
	// redefined here is declared again first (from the notebook's source
	// when this group does not declare it), and its other methods after.
	inGroup := map[string]bool{}
	for _, d := range entries {
		if d.Kind == parse.TypeDecl {
			for _, n := range d.Names {
				inGroup[n] = true
			}
		}
	}
	var pre []*parse.Declaration
	for _, d := range entries {
		if d.Kind == parse.MethodDecl && e.decls.byKey[d.Key] != nil && !inGroup[d.Recv] && !changedTypes[d.Recv] {
			changedTypes[d.Recv] = true
			if td := e.decls.byName[d.Recv]; td != nil && td.Kind == parse.TypeDecl {
				pre = append(pre, td)
			}
		}
	}
	g.entries, g.pre = entries, pre
	if len(changed) > 0 || len(changedTypes) > 0 {
		// Copies, kept for runDecls: the maps themselves stay on the stack
		// when the group redefines nothing (the usual group).
		g.changed, g.changedTypes = copySet(changed), copySet(changedTypes)
	}
	if x := e.resetTypes(cell.ctx, changedTypes); x != nil {
		return x
	}
	if len(pre) > 0 {
		for _, d := range pre {
			if x := e.ensureImports(cell.ctx, cellName(d.Cell)); x != nil {
				return x
			}
		}
		f, err := e.parseEntries(pre)
		if err != nil {
			return &execError{kind: "compile", err: err}
		}
		if _, x := e.compileRun(cell.ctx, f); x != nil {
			return x
		}
	}
	if err := genericAliases(pg.file, e.yi.FileSet()); err != nil {
		return &execError{kind: "compile", err: err}
	}
	var orig *ast.File // for retryRangeFuncs
	if hasRange(pg.file) {
		orig = parse.CloneValue(reflect.ValueOf(pg.file)).Interface().(*ast.File)
	}
	rw := e.newRewriter()
	e.rewrite(rw, pg.file)
	g.rw, g.origFile = rw, orig
	cell.funcRanges = append(cell.funcRanges, rw.FuncRanges...)
	cell.genericCalls = append(cell.genericCalls, rw.GenericCalls...)
	if rw.Err != nil {
		return &execError{kind: "compile", err: rw.Err}
	}
	return nil
}

// runDecls compiles a group of declarations that rewriteDecls prepared,
// then compiles again the earlier declarations that depend on what it
// redefined.
func (e *Session) runDecls(cell *cellRun, g *Group) *execError {
	pg, rw, orig := &g.pg, g.rw, g.origFile
	entries, changed, changedTypes, pre := g.entries, g.changed, g.changedTypes, g.pre
	if declaresGenerics(pg.file) {
		e.pinned[e.curFile] = true
	}
	if len(pg.file.Decls) > 0 {
		// Initializers run now: a panic in one is in these declarations.
		fset := e.yi.FileSet()
		e.setStmt(stmtMark{pos: fset.Position(pg.file.Decls[0].Pos()).String(), last: fset.Position(pg.file.End()).Line})
	}
	if x := e.compileDecls(cell, pg.file); x != nil {
		if !isNilType(x) || len(rw.UnknownRanges) == 0 || orig == nil {
			return x
		}
		x = e.retryRangeFuncs(x, rw.UnknownRanges, func(force rewrite.RangeForce) *execError {
			f := parse.CloneValue(reflect.ValueOf(orig)).Interface().(*ast.File)
			r := e.newRewriter()
			r.Force = force
			e.rewrite(r, f)
			if r.Err != nil {
				return &execError{kind: "compile", err: r.Err}
			}
			return e.compileDecls(cell, f)
		})
		if x != nil {
			return x
		}
	}
	skip := map[*parse.Declaration]bool{}
	for _, d := range entries {
		e.decls.add(d)
		skip[d] = true
	}
	for _, d := range pre {
		skip[d] = true
	}
	e.nameTypes(cell.ctx, entries)
	return e.recompileDependents(cell, changed, changedTypes, skip)
}

// recompileDependents compiles again the functions, methods and types that
// use a name in changed or a type in changedTypes (transitively), except
// those in skip, so that they use the new definitions. If they no longer
// compile, the cell says so and the old ones stay.
func (e *Session) recompileDependents(cell *cellRun, changed, changedTypes map[string]bool, skip map[*parse.Declaration]bool) *execError {
	if len(changed) == 0 && len(changedTypes) == 0 {
		return nil
	}
	deps := e.decls.dependents(changed, changedTypes, skip)
	// yaegi keeps the first definition of a method: a method to compile
	// again takes its type, declared again, and the type's other methods.
	var recvTypes []*parse.Declaration
	for grew := true; grew; {
		grew = false
		for _, d := range deps {
			if d.Kind != parse.MethodDecl || changedTypes[d.Recv] {
				continue
			}
			if td := e.decls.byName[d.Recv]; td != nil && td.Kind == parse.TypeDecl && !skip[td] {
				changedTypes[d.Recv] = true
				recvTypes = append(recvTypes, td)
				grew = true
			}
		}
		if grew {
			deps = e.decls.dependents(changed, changedTypes, skip)
		}
	}
	for _, td := range recvTypes {
		if !slices.Contains(deps, td) {
			deps = append(deps, td)
		}
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Seq < deps[j].Seq })
	if len(deps) == 0 {
		return nil
	}
	var depTypes []*parse.Declaration
	for _, d := range deps {
		if d.Kind == parse.TypeDecl {
			depTypes = append(depTypes, d)
			for _, n := range d.Names {
				changedTypes[n] = true
			}
		}
	}
	if x := e.resetTypes(cell.ctx, namesOf(depTypes)); x != nil {
		return x
	}
	for _, d := range deps {
		if x := e.ensureImports(cell.ctx, cellName(d.Cell)); x != nil {
			return x
		}
	}
	f, err := e.parseEntries(deps)
	if err != nil {
		return &execError{kind: "compile", err: err}
	}
	e.rewrite(e.newRewriter(), f)
	if _, x := e.compileRun(cell.ctx, f); x != nil {
		var names []string
		for _, d := range deps {
			names = append(names, d.Key)
		}
		e.note(fmt.Sprintf("warning: %s, which use what this cell redefined, no longer compile:\n%s\n", strings.Join(names, ", "), present.CleanMessage(x.err.Error())))
		return nil
	}
	e.nameTypes(cell.ctx, depTypes)
	return nil
}

// copySet returns a copy of m, never nil.
func copySet(m map[string]bool) map[string]bool {
	c := make(map[string]bool, len(m))
	for k := range m {
		c[k] = true
	}
	return c
}

func namesOf(ds []*parse.Declaration) map[string]bool {
	m := map[string]bool{}
	for _, d := range ds {
		for _, n := range d.Names {
			m[n] = true
		}
	}
	return m
}

// resetTypes makes yaegi forget the types in names before they are
// declared again: yaegi keeps the first definition of a type name, unless
// the name was bound to something else in between.
func (e *Session) resetTypes(ctx context.Context, names map[string]bool) *execError {
	if len(names) == 0 {
		return nil
	}
	var sb strings.Builder
	sb.WriteString("package main\n")
	for n := range names {
		fmt.Fprintf(&sb, "var %s int\n", n)
	}
	f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), sb.String(), parser.SkipObjectResolution)
	if err != nil {
		return &execError{kind: "compile", err: err}
	}
	_, x := e.compileRun(ctx, f)
	return x
}

// parseEntries parses stored declarations as one file, each with the
// positions of the cell it came from.
func (e *Session) parseEntries(ds []*parse.Declaration) (*ast.File, error) {
	var sb strings.Builder
	sb.WriteString("package main\n")
	for _, d := range ds {
		fmt.Fprintf(&sb, "/*line %s:%d:%d*/%s\n", cellName(d.Cell), d.Line, d.Col, d.Src)
	}
	return parser.ParseFile(e.yi.FileSet(), e.fileName(), sb.String(), parser.ParseComments|parser.SkipObjectResolution)
}

// nameTypes tells the result formatter the names of new notebook types.
func (e *Session) nameTypes(ctx context.Context, entries []*parse.Declaration) {
	e.noteTypeSources(ctx, entries)
	var list []ast.Stmt
	for _, d := range entries {
		if d.Kind != parse.TypeDecl {
			continue
		}
		for _, n := range d.Names {
			if isGenericType(d.Src, n) {
				continue
			}
			src := fmt.Sprintf("%s.NameType(%q, (*%s)(nil))", rewrite.RuntimePkg, n, n)
			x, err := parser.ParseExprFrom(e.yi.FileSet(), e.fileName(), src, 0)
			if err != nil {
				continue
			}
			list = append(list, &ast.ExprStmt{X: x})
		}
	}
	if len(list) == 0 {
		return
	}
	e.compileRun(ctx, e.newBlock(list...))
}

// isGenericType reports whether src declares name with type parameters.
func isGenericType(src, name string) bool {
	i := strings.Index(src, name)
	if i < 0 {
		return false
	}
	rest := strings.TrimSpace(src[i+len(name):])
	return strings.HasPrefix(rest, "[")
}
