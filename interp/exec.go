package interp

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/golit/golit/interp/internal/yaegiheap"
	"github.com/golit/golit/interp/magic"
	"github.com/golit/golit/interp/symbols"
	"github.com/golit/golit/kernel"
	yaegi "github.com/traefik/yaegi/interp"
)

// cellRun is the state of one Execute.
type cellRun struct {
	ctx   context.Context
	count int
	src   string
	notes []string
	nodes []ast.Node // the parsed groups, for better error messages
	// funcRanges are the ranges over functions the cell's code has, for
	// errors yaegi reports in golit's helpers (see relocateInternal).
	funcRanges []token.Pos
}

// execError is an error of one compile-and-run step.
type execError struct {
	kind string // "compile", "panic", "interrupt"
	err  error
	val  any
	gid  uint64 // the goroutine that panicked, 0 if unknown (see takeStack)
}

func (e *execError) Error() string { return e.err.Error() }

// compileRun compiles node and runs it, cancelled with ctx.
func (e *Engine) compileRun(ctx context.Context, node ast.Node) (v reflect.Value, xerr *execError) {
	defer func() {
		if r := recover(); r != nil {
			if debugRewrite {
				fmt.Fprintln(os.Stderr, string(debug.Stack()))
			}
			xerr = &execError{kind: "compile", err: fmt.Errorf("internal interpreter error while compiling: %v", r)}
		}
	}()
	if debugRewrite {
		var sb strings.Builder
		printer.Fprint(&sb, token.NewFileSet(), node)
		fmt.Fprintln(os.Stderr, "golit: compiling:\n"+sb.String())
	}
	// Goroutines of earlier cells that ended (or panicked) went through
	// these locks; taking them orders their last steps before this
	// compilation, which rewrites state yaegi shares with running code.
	e.runMu.Lock()
	e.runMu.Unlock()
	e.framesMu.Lock()
	e.framesMu.Unlock()
	prog, err := e.yi.CompileAST(node)
	e.syncMu.Lock() // see afterFunc
	e.syncMu.Unlock()
	if err != nil {
		return reflect.Value{}, &execError{kind: "compile", err: err}
	}
	yaegiheap.GrowFrame(e.yi) // so that Execute does not copy the global frame
	v, gid, err := e.execute(ctx, prog)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return v, &execError{kind: "interrupt", err: err, gid: gid}
		}
		if pv, ok := panicValue(err); ok {
			return v, &execError{kind: "panic", err: err, val: pv, gid: gid}
		}
		return v, &execError{kind: "compile", err: err, gid: gid}
	}
	return v, nil
}

// debugRewrite prints the code given to yaegi (GOLIT_DEBUG_REWRITE=1).
var debugRewrite = os.Getenv("GOLIT_DEBUG_REWRITE") == "1"

// failureIn is failure with the cell's code at hand to explain yaegi's
// vaguer messages.
func (e *Engine) failureIn(cell *cellRun, x *execError) kernel.ExecuteReply {
	if x.kind == "compile" && strings.HasPrefix(x.err.Error(), "internal interpreter error") &&
		strings.HasSuffix(x.err.Error(), "nil pointer dereference") {
		// yaegi v0.16.1 crashes on some uses of an undefined package
		// (a, b := pkg.F()): say what is undefined.
		if name, pos := e.firstUndefined(cell.nodes); name != "" && name != "main" && name != mainName {
			x = &execError{kind: "compile", err: fmt.Errorf("%s: undefined: %s", e.yi.FileSet().Position(pos), name)}
		}
	}
	if x.kind == "compile" && strings.HasSuffix(x.err.Error(), "constant definition loop") {
		if name, pos := e.firstUndefined(cell.nodes); name != "" {
			x = &execError{kind: "compile", err: fmt.Errorf("%s: undefined: %s", e.yi.FileSet().Position(pos), name)}
		}
	}
	if x.kind == "compile" {
		x = e.relocate(cell, x)
		x = e.relocateInternal(cell, x)
		x = e.relocateCFGPanic(cell, x)
	}
	return e.failure(x)
}

// relocate moves an "undefined selector Z" error that yaegi reports at the
// declaration of a type (possibly in another cell) to the use of Z in the
// running cell.
func (e *Engine) relocate(cell *cellRun, x *execError) *execError {
	msg := x.err.Error()
	m := undefinedSelRE.FindStringSubmatch(msg)
	if m == nil || strings.HasPrefix(msg, cellName(cell.count)+":") {
		return x
	}
	name := m[2]
	var pos token.Pos
	for _, n := range cell.nodes {
		ast.Inspect(n, func(c ast.Node) bool {
			if sel, ok := c.(*ast.SelectorExpr); ok && sel.Sel.Name == name && pos == token.NoPos {
				pos = sel.Sel.Pos()
			}
			return pos == token.NoPos
		})
	}
	if pos == token.NoPos {
		return x
	}
	return &execError{kind: "compile", err: fmt.Errorf("%s: %s", e.yi.FileSet().Position(pos), m[1]+name)}
}

// undefinedSelRE matches yaegi's message for a missing field or method.
var undefinedSelRE = regexp.MustCompile(`(undefined selector:? )(\w+)$`)

// failure turns an execError into an error reply.
func (e *Engine) failure(x *execError) kernel.ExecuteReply {
	var kerr *kernel.Error
	switch x.kind {
	case "compile":
		e.takeStack(x.gid, nil, false)
		if strings.Contains(x.err.Error(), "nil type") {
			x.err = fmt.Errorf("%v\n(yaegi could not type this code; a range over a function whose type golit could not follow is the usual cause: declare the iterator's type where it is made, var seq iter.Seq[int] = ..., a parameter seq iter.Seq[int] or a result, see interp/LIMITS.md)", x.err)
		}
		kerr = compileError(explainNewerGo(x.err), e.cellSource)
	case "interrupt":
		e.takeStack(x.gid, nil, false)
		e.interrupted = true
		kerr = panicError(interruptSignal{}, stackTrace{}, e.cellSource, false)
	default:
		kerr = panicError(x.val, e.takeStack(x.gid, x.val, true), e.cellSource, false)
	}
	return kernel.ExecuteReply{Status: kernel.StatusError, Err: kerr}
}

// parsedGroup is a group of units parsed for yaegi.
type parsedGroup struct {
	group
	file  *ast.File      // declarations and imports
	block *ast.BlockStmt // statements
	src   string         // the text parsed
	base  int            // offset of the cell text in src
}

// parseGroup parses one group of a cell with positions that point into the
// cell.
func (e *Engine) parseGroup(cell *cellRun, g group) (*parsedGroup, error) {
	text := cell.src[g.start:g.end]
	dir := fmt.Sprintf("/*line :%d:%d*/", g.line, g.col)
	pg := &parsedGroup{group: g}
	mode := parser.ParseComments | parser.SkipObjectResolution
	if g.kind == unitStmt {
		pre := "package main;func main(){" + dir
		pg.src = pre + text + "\n}"
		pg.base = len(pre)
		f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), pg.src, mode)
		if err != nil {
			return nil, err
		}
		pg.block = f.Decls[0].(*ast.FuncDecl).Body
		return pg, nil
	}
	pre := "package main;" + dir
	pg.src = pre + text
	pg.base = len(pre)
	f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), pg.src, mode)
	if err != nil {
		return nil, err
	}
	pg.file = f
	return pg, nil
}

// run evaluates a cell, through the magics package when it has magics
// (%time, !cmd, ...).
func (e *Engine) run(ctx context.Context, req kernel.ExecuteRequest) kernel.ExecuteReply {
	e.noteStaleFuncs()
	e.rememberCell(req.ExecutionCount, req.Code)
	if plan := magic.Parse(req.Code); plan.HasMagic() {
		return e.runMagic(ctx, req, plan)
	}
	return e.runCell(ctx, req)
}

// runCell evaluates Go source as a cell: imports first, then runs of
// declarations and runs of statements in the order they appear. The value
// of a final expression becomes the result.
func (e *Engine) runCell(ctx context.Context, req kernel.ExecuteRequest) kernel.ExecuteReply {
	cell := &cellRun{ctx: ctx, count: req.ExecutionCount, src: req.Code}
	e.curFile = cellName(cell.count)
	e.forgetImports(e.curFile)
	e.forgetRoots()
	if x := e.ensureImports(ctx, e.curFile); x != nil {
		return e.failure(x)
	}
	e.resetPanics()
	e.resMu.Lock()
	e.res = result{}
	e.resMu.Unlock()

	var groups []*parsedGroup
	for _, g := range groupUnits(splitCell(cell.src)) {
		if g.kind == unitPackage {
			continue
		}
		pg, err := e.parseGroup(cell, g)
		if err != nil {
			return e.failure(&execError{kind: "compile", err: err})
		}
		groups = append(groups, pg)
	}

	// Imports, written and missing.
	var nodes []ast.Node
	for _, pg := range groups {
		if pg.file != nil {
			nodes = append(nodes, pg.file)
		} else {
			nodes = append(nodes, pg.block)
		}
	}
	e.recordSpans(cell.count, nodes)
	var specs []importSpec
	for _, pg := range groups {
		if pg.kind != unitImport {
			continue
		}
		for _, d := range pg.file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, s := range gd.Specs {
				is := s.(*ast.ImportSpec)
				p, _ := strconv.Unquote(is.Path.Value)
				sp := importSpec{path: p, pos: e.yi.FileSet().Position(is.Pos()).String()}
				if is.Name != nil {
					sp.name = is.Name.Name
				}
				specs = append(specs, sp)
			}
		}
	}
	auto, notes := e.missingImports(nodes, e.isKnownName)
	for _, p := range auto {
		specs = append(specs, importSpec{path: p, auto: true})
	}
	for _, n := range notes {
		e.note("note: " + n + "\n")
	}
	if x := e.importAll(ctx, specs); x != nil {
		return e.failure(x)
	}

	assigned := cellAssigns(groups)
	if kerr := e.checkLost(nodes, assigned); kerr != nil {
		return kernel.ExecuteReply{Status: kernel.StatusError, Err: kerr}
	}

	cell.nodes = nodes
	var mainDefined bool
	var lastVal reflect.Value
	var lastShown bool
	for gi, pg := range groups {
		switch pg.kind {
		case unitImport:
			continue
		case unitDecl:
			if renameMain(pg.file) {
				mainDefined = true
			}
			if x := e.runDecls(cell, pg); x != nil {
				return e.failureIn(cell, x)
			}
		case unitStmt:
			isLast := gi == len(groups)-1
			v, shown, x := e.runStmts(cell, pg, isLast && !req.Silent)
			if x != nil {
				return e.failureIn(cell, x)
			}
			lastVal, lastShown = v, shown
		}
		if ctx.Err() != nil {
			return e.failure(&execError{kind: "interrupt", err: ctx.Err()})
		}
	}
	if mainDefined {
		e.clearStmt() // main runs, no statement of the cell
		blk := e.newBlock(&ast.ExprStmt{X: &ast.CallExpr{Fun: ast.NewIdent(mainName)}})
		if _, x := e.compileRun(ctx, blk); x != nil {
			return e.failure(x)
		}
	}

	e.forgetLost(assigned, cell.count)
	reply := kernel.ExecuteReply{Status: kernel.StatusOK}
	e.resMu.Lock()
	res := e.res
	e.resMu.Unlock()
	if lastShown && !req.Silent {
		if !res.set && lastVal.IsValid() && !isInternal(lastVal) {
			res = result{set: true, v: unwrapYaegi(lastVal)}
		}
		if res.set {
			reply.Result = bundleOf(e.richResult(ctx, res))
		}
	}
	if len(req.UserExpressions) > 0 {
		e.clearStmt()
		reply.UserExpressions = e.userExpressions(cell, req.UserExpressions)
	}
	return reply
}

// isInternal reports whether v is one of yaegi's own values (what a call of
// a function without results evaluates to).
func isInternal(v reflect.Value) bool {
	t := v.Type()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strings.Contains(t.PkgPath(), "traefik/yaegi")
}

// importSpec is one import to make.
type importSpec struct {
	name, path string
	pos        string
	auto       bool
}

// importAll makes the imports the cell needs in the cell's file and adds
// them to the notebook's imports. Binding a name to another path replaces
// the old binding for the cells that follow.
func (e *Engine) importAll(ctx context.Context, specs []importSpec) *execError {
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
func (e *Engine) ensureImports(ctx context.Context, file string) *execError {
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
func (e *Engine) compileImports(ctx context.Context, file string, list map[string]string) *execError {
	if len(list) == 0 {
		return nil
	}
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
	if _, x := e.compileRun(ctx, f); x != nil {
		return x
	}
	if e.importedIn[file] == nil {
		e.importedIn[file] = map[string]string{}
	}
	for n, p := range list {
		e.importedIn[file][n] = p
	}
	return nil
}

// isKnownName reports whether name is already defined in the notebook.
func (e *Engine) isKnownName(name string) bool {
	if _, ok := e.imports[name]; ok {
		return true
	}
	if e.decls.byName[name] != nil {
		return true
	}
	_, ok := e.global(name)
	return ok
}

// newRewriter prepares the rewrites for code about to be compiled.
func (e *Engine) newRewriter() *rewriter {
	pkgs := map[string]bool{}
	for n := range e.imports {
		pkgs[n] = true
	}
	consts := map[string]bool{}
	paths := map[string]string{}
	for n := range sourcePackages {
		// yaegi makes the packages it interprets from source visible
		// without an import.
		if _, ok := e.global(n); !ok && e.decls.byName[n] == nil {
			paths[n] = n
		}
	}
	for n, p := range e.imports {
		paths[n] = p
	}
	return &rewriter{
		paths:  paths,
		n:      e.rewriteSeq(),
		pkgs:   pkgs,
		consts: consts,
		isNotebookConst: func(name string) bool {
			d := e.decls.byName[name]
			return d != nil && d.kind == declConst
		},
		nb:   e.notebookTypes(),
		fset: e.yi.FileSet(),
		isDeclared: func(name string) bool {
			_, ok := e.global(name)
			return ok || e.decls.byName[name] != nil
		},
		isIntGlobal: func(name string) bool {
			v, ok := e.global(name)
			if !ok || !v.IsValid() {
				return false
			}
			switch v.Kind() {
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
				return true
			}
			return false
		},
	}
}

// rewriteSeq hands out a number that keeps names made by rewrites unique
// across cells.
func (e *Engine) rewriteSeq() int {
	e.seq += 1000
	return e.seq
}

// runDecls compiles a group of declarations, then compiles again the
// earlier declarations that depend on what it redefined.
func (e *Engine) runDecls(cell *cellRun, pg *parsedGroup) *execError {
	entries := entriesOf(pg.file, e.yi.FileSet(), pg.src, pg.base, cell.src, pg.start, cell.count)
	changed := map[string]bool{}
	changedTypes := map[string]bool{}
	for _, d := range entries {
		for _, n := range d.names {
			if old := e.decls.byName[n]; old != nil && d.kind != declMethod {
				changed[n] = true
				if old.kind == declType && d.kind == declType {
					changedTypes[n] = true
				}
			}
		}
		if d.kind == declMethod && e.decls.byKey[d.key] != nil {
			changed[d.names[0]] = true
		}
	}
	// yaegi keeps the first definition of a method: a type whose method is
	// redefined here is declared again first (from the notebook's source
	// when this group does not declare it), and its other methods after.
	inGroup := map[string]bool{}
	for _, d := range entries {
		if d.kind == declType {
			for _, n := range d.names {
				inGroup[n] = true
			}
		}
	}
	var pre []*declEntry
	for _, d := range entries {
		if d.kind == declMethod && e.decls.byKey[d.key] != nil && !inGroup[d.recv] && !changedTypes[d.recv] {
			changedTypes[d.recv] = true
			if td := e.decls.byName[d.recv]; td != nil && td.kind == declType {
				pre = append(pre, td)
			}
		}
	}
	if x := e.resetTypes(cell.ctx, changedTypes); x != nil {
		return x
	}
	if len(pre) > 0 {
		for _, d := range pre {
			if x := e.ensureImports(cell.ctx, cellName(d.cell)); x != nil {
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
		orig = cloneValue(reflect.ValueOf(pg.file)).Interface().(*ast.File)
	}
	rw := e.newRewriter()
	e.rewrite(rw, pg.file)
	cell.funcRanges = append(cell.funcRanges, rw.funcRanges...)
	if rw.err != nil {
		return &execError{kind: "compile", err: rw.err}
	}
	if declaresGenerics(pg.file) {
		e.pinned[e.curFile] = true
	}
	if len(pg.file.Decls) > 0 {
		// Initializers run now: a panic in one is in these declarations.
		fset := e.yi.FileSet()
		e.setStmt(stmtMark{pos: fset.Position(pg.file.Decls[0].Pos()).String(), last: fset.Position(pg.file.End()).Line})
	}
	if x := e.compileDecls(cell, pg.file); x != nil {
		if !isNilType(x) || len(rw.unknownRanges) == 0 || orig == nil {
			return x
		}
		x = e.retryRangeFuncs(x, rw.unknownRanges, func(force rangeForce) *execError {
			f := cloneValue(reflect.ValueOf(orig)).Interface().(*ast.File)
			r := e.newRewriter()
			r.force = force
			e.rewrite(r, f)
			if r.err != nil {
				return &execError{kind: "compile", err: r.err}
			}
			return e.compileDecls(cell, f)
		})
		if x != nil {
			return x
		}
	}
	skip := map[*declEntry]bool{}
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
func (e *Engine) recompileDependents(cell *cellRun, changed, changedTypes map[string]bool, skip map[*declEntry]bool) *execError {
	if len(changed) == 0 && len(changedTypes) == 0 {
		return nil
	}
	deps := e.decls.dependents(changed, changedTypes, skip)
	// yaegi keeps the first definition of a method: a method to compile
	// again takes its type, declared again, and the type's other methods.
	var recvTypes []*declEntry
	for grew := true; grew; {
		grew = false
		for _, d := range deps {
			if d.kind != declMethod || changedTypes[d.recv] {
				continue
			}
			if td := e.decls.byName[d.recv]; td != nil && td.kind == declType && !skip[td] {
				changedTypes[d.recv] = true
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
	sort.Slice(deps, func(i, j int) bool { return deps[i].seq < deps[j].seq })
	if len(deps) == 0 {
		return nil
	}
	var depTypes []*declEntry
	for _, d := range deps {
		if d.kind == declType {
			depTypes = append(depTypes, d)
			for _, n := range d.names {
				changedTypes[n] = true
			}
		}
	}
	if x := e.resetTypes(cell.ctx, namesOf(depTypes)); x != nil {
		return x
	}
	for _, d := range deps {
		if x := e.ensureImports(cell.ctx, cellName(d.cell)); x != nil {
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
			names = append(names, d.key)
		}
		e.note(fmt.Sprintf("warning: %s, which use what this cell redefined, no longer compile:\n%s\n", strings.Join(names, ", "), cleanMessage(x.err.Error())))
		return nil
	}
	e.nameTypes(cell.ctx, depTypes)
	return nil
}

func namesOf(ds []*declEntry) map[string]bool {
	m := map[string]bool{}
	for _, d := range ds {
		for _, n := range d.names {
			m[n] = true
		}
	}
	return m
}

// resetTypes makes yaegi forget the types in names before they are
// declared again: yaegi keeps the first definition of a type name, unless
// the name was bound to something else in between.
func (e *Engine) resetTypes(ctx context.Context, names map[string]bool) *execError {
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
func (e *Engine) parseEntries(ds []*declEntry) (*ast.File, error) {
	var sb strings.Builder
	sb.WriteString("package main\n")
	for _, d := range ds {
		fmt.Fprintf(&sb, "/*line %s:%d:%d*/%s\n", cellName(d.cell), d.line, d.col, d.src)
	}
	return parser.ParseFile(e.yi.FileSet(), e.fileName(), sb.String(), parser.ParseComments|parser.SkipObjectResolution)
}

// nameTypes tells the result formatter the names of new notebook types.
func (e *Engine) nameTypes(ctx context.Context, entries []*declEntry) {
	var list []ast.Stmt
	for _, d := range entries {
		if d.kind != declType {
			continue
		}
		for _, n := range d.names {
			if isGenericType(d.src, n) {
				continue
			}
			src := fmt.Sprintf("%s.NameType(%q, (*%s)(nil))", rtPkgName, n, n)
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

// runStmts runs a group of statements. When wantResult is set and the last
// statement is an expression that is not a print call, its value is
// captured as the cell's result; shown tells whether that happened.
func (e *Engine) runStmts(cell *cellRun, pg *parsedGroup, wantResult bool) (reflect.Value, bool, *execError) {
	blk := pg.block
	for _, s := range blk.List {
		if as, ok := s.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					e.decls.forgetName(id.Name)
					e.varCell[id.Name] = cell.count
					e.decls.touchName(id.Name)
				}
			}
		}
	}
	var last ast.Expr
	if n := len(blk.List); wantResult && n > 0 {
		if es, ok := blk.List[n-1].(*ast.ExprStmt); ok && !isPrintCall(es.X) && !e.isVoidCall(es.X) {
			last = es.X
			blk.List = blk.List[:n-1]
		}
	}
	blk.List = splitMultiDefines(blk.List)
	var orig []ast.Stmt // for retryRangeFuncs
	if hasRange(blk) {
		orig = cloneStmts(blk.List)
	}
	marks := e.stmtMarks(blk.List)
	rw := e.newRewriter()
	rw.cellDefers(blk)
	e.rewrite(rw, blk)
	cell.funcRanges = append(cell.funcRanges, rw.funcRanges...)
	if rw.err != nil {
		return reflect.Value{}, false, &execError{kind: "compile", err: rw.err}
	}
	if len(marks) != len(blk.List) {
		marks = e.stmtMarks(blk.List)
		orig = nil // statements were added or removed: a retry cannot find them by index
	}
	// Statements that define notebook variables (x := ...) run in the
	// notebook's global frame; the others run in a function literal. yaegi
	// stops interrupted code by comparing run ids, and the next cell resets
	// the global frame's id: code stopped there could resume, while a
	// function's frame keeps its own id (see runFramed).
	var run []ast.Stmt
	first := -1 // number of the first statement in run that counts itself
	var runIdx []int
	flush := func() *execError {
		if len(run) == 0 {
			return nil
		}
		list, idx := run, runIdx
		run, runIdx = nil, nil
		e.startStmts(first)
		first = -1
		x := e.runFramed(cell.ctx, list)
		if isNilType(x) && len(rw.unknownRanges) > 0 && orig != nil {
			var stmts []ast.Stmt
			for _, i := range idx {
				stmts = append(stmts, orig[i])
			}
			x = e.retryRangeFuncs(x, rw.unknownRanges, func(force rangeForce) *execError {
				b := e.newBlock(cloneStmts(stmts)...)
				r := e.newRewriter()
				r.force = force
				r.cellDefers(b)
				e.rewrite(r, b)
				if r.err != nil {
					return &execError{kind: "compile", err: r.err}
				}
				return e.runFramed(cell.ctx, b.List)
			})
		}
		return x
	}
	for i, st := range blk.List {
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			if x := flush(); x != nil {
				return reflect.Value{}, false, x
			}
			e.setStmt(marks[i])
			// x := v for an x the notebook has: yaegi makes a new
			// variable, while the functions compiled before keep reading
			// the old one. They are compiled again below.
			redefined := map[string]bool{}
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
					if _, ok := e.global(id.Name); ok {
						redefined[id.Name] = true
					}
				}
			}
			if _, x := e.compileRun(cell.ctx, e.newBlock(st)); x != nil {
				if len(as.Lhs) > 1 && len(as.Rhs) == 1 {
					x = e.typedMultiDefine(cell, as, x)
				} else {
					x = e.typedDefine(cell, as, x)
				}
				if x != nil {
					return reflect.Value{}, false, x
				}
			}
			if len(redefined) > 0 {
				if x := e.recompileDependents(cell, redefined, map[string]bool{}, nil); x != nil {
					return reflect.Value{}, false, x
				}
			}
			continue
		}
		if m, n := e.markStmt(marks[i], st); m != nil {
			if first < 0 {
				first = n
			}
			run = append(run, m)
		}
		run = append(run, st)
		runIdx = append(runIdx, i)
	}
	if x := flush(); x != nil {
		return reflect.Value{}, false, x
	}
	if last == nil {
		return reflect.Value{}, false, nil
	}
	// The display helper runs in the interpreter so that methods of notebook
	// types (Render, HTML, String, ...) are seen.
	lastMark := e.stmtMarks([]ast.Stmt{&ast.ExprStmt{X: last}})[0]
	if e.isVoidCall(last) {
		wantResult = false
	} else {
		show := []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
			Fun: ast.NewIdent(golitPrefix + "result"), Args: []ast.Expr{last}}}}
		e.rewrite(rw, &ast.BlockStmt{List: show})
		if m, n := e.markStmt(lastMark, show[0]); m != nil {
			show = append([]ast.Stmt{m}, show...)
			e.startStmts(n)
		}
		x := e.runFramed(cell.ctx, show)
		if x == nil {
			return reflect.Value{}, true, nil
		}
		if x.kind != "compile" {
			return reflect.Value{}, false, x
		}
		if m := x.err.Error(); strings.Contains(m, "cannot use func(") && strings.Contains(m, "as type") {
			// A call without results: run it, show nothing.
			wantResult = false
		}
	}
	plain := e.newBlock(&ast.ExprStmt{X: last})
	e.rewrite(rw, plain)
	e.setStmt(lastMark)
	v, x := e.compileRun(cell.ctx, plain)
	if x != nil {
		return reflect.Value{}, false, x
	}
	return v, wantResult, nil
}

// isVoidCall reports whether x calls a notebook function declared without
// results.
func (e *Engine) isVoidCall(x ast.Expr) bool {
	c, ok := x.(*ast.CallExpr)
	if !ok {
		return false
	}
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
		// pkg.F of a compiled package: its type says.
		pid, ok := sel.X.(*ast.Ident)
		if !ok {
			return false
		}
		p, ok := e.imports[pid.Name]
		if !ok {
			return false
		}
		f, ok := e.allSymbols()[p][sel.Sel.Name]
		return ok && f.Kind() == reflect.Func && f.Type().NumOut() == 0
	}
	id, ok := c.Fun.(*ast.Ident)
	if !ok {
		return false
	}
	d := e.decls.byName[id.Name]
	if d == nil || d.kind != declFunc {
		return false
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p;"+d.src, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) == 0 {
		return false
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	return ok && (fd.Type.Results == nil || len(fd.Type.Results.List) == 0)
}

// isPrintCall reports whether x is a call whose results are only a byte
// count and an error from printing: fmt.Print*, fmt.Fprint*, log.Print*,
// print, println, and Write/Print methods.
func isPrintCall(x ast.Expr) bool {
	c, ok := x.(*ast.CallExpr)
	if !ok {
		return false
	}
	var name string
	switch f := c.Fun.(type) {
	case *ast.Ident:
		name = f.Name
		return name == "print" || name == "println"
	case *ast.SelectorExpr:
		name = f.Sel.Name
	default:
		return false
	}
	for _, p := range []string{"Print", "Fprint", "Write", "Fatal", "Panic", "Output"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// userExpressions evaluates user_expressions after a cell.
func (e *Engine) userExpressions(cell *cellRun, exprs map[string]string) map[string]kernel.ExpressionResult {
	out := map[string]kernel.ExpressionResult{}
	for k, src := range exprs {
		x, err := parser.ParseExprFrom(e.yi.FileSet(), e.fileName(), src, 0)
		if err != nil {
			out[k] = kernel.ExpressionResult{Err: compileError(err, e.cellSource)}
			continue
		}
		v, xe := e.compileRun(cell.ctx, e.newBlock(&ast.ExprStmt{X: x}))
		if xe != nil {
			out[k] = kernel.ExpressionResult{Err: e.failure(xe).Err}
			continue
		}
		text := "nil"
		if v.IsValid() && !isInternal(v) {
			text = formatValue(v, e.typeNameOf)
		}
		out[k] = kernel.ExpressionResult{Data: kernel.Bundle{"text/plain": text}}
	}
	return out
}

// rememberCell keeps a cell's text for error messages.
func (e *Engine) rememberCell(n int, src string) {
	e.cellsMu.Lock()
	e.cells[n] = src
	e.cellsMu.Unlock()
}

// rewrite applies rw's rewrites to n and records where n calls panic.
func (e *Engine) rewrite(rw *rewriter, n ast.Node) {
	e.markPanics(n, rw.isDeclared)
	e.markLogCalls(n, rw.paths)
	rw.rewrite(n)
}

// cellSource returns the text of cell n.
func (e *Engine) cellSource(n int) (string, bool) {
	e.cellsMu.Lock()
	defer e.cellsMu.Unlock()
	s, ok := e.cells[n]
	return s, ok
}

// newBlock returns a block of statements to run in the notebook's global
// scope. yaegi finds the notebook's imports through the file name of the
// block's position, so the block gets a position in a file of the current
// import generation.
func (e *Engine) newBlock(list ...ast.Stmt) *ast.BlockStmt {
	f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), "package main;func main(){}", parser.SkipObjectResolution)
	if err != nil {
		panic(err) // constant source
	}
	b := f.Decls[0].(*ast.FuncDecl).Body
	b.List = list
	return b
}

func exprStmt(x ast.Expr) ast.Stmt { return &ast.ExprStmt{X: x} }

// runFramed runs statements in a function literal called from the global
// scope, with a deferred call that tells the engine the frame has ended:
//
//	func() { defer golit__rt.Done(n); stmts }()
//
// After an interrupt it waits, briefly, until that frame and the goroutines
// the cell started have stopped, so that the next cell does not race with
// them on the interpreter's memory.
func (e *Engine) runFramed(ctx context.Context, list []ast.Stmt) *execError {
	tok, done := e.frameToken()
	deferDone := &ast.DeferStmt{Call: &ast.CallExpr{
		Fun:  &ast.SelectorExpr{X: ast.NewIdent(rtPkgName), Sel: ast.NewIdent("Done")},
		Args: []ast.Expr{&ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(tok)}},
	}}
	body := append([]ast.Stmt{deferDone}, list...)
	// Positions for the wrapper, so that a panic's stack line for it
	// points at the cell's code rather than nowhere.
	var pos token.Pos
	if len(list) > 0 {
		pos = list[len(list)-1].Pos()
	}
	x := e.callCellFunc(ctx, tok, body, pos) // cellfunc.go
	if x != nil && x.kind == "interrupt" {
		deadline := time.After(80 * time.Millisecond)
		select {
		case <-done:
		case <-deadline:
		}
		e.waitGoroutines(deadline)
	}
	if x != nil && x.kind == "compile" {
		e.dropFrameToken(tok)
	}
	return x
}

// execute runs a compiled program until it ends or ctx is cancelled (see
// cancel.go). After a cancel it waits briefly for the stopped code to leave,
// so that the next cell does not run alongside it.
//
// The goroutine id returned is that of the goroutine that ran the program,
// when it failed (the interpreted stack of a panic is kept by goroutine), or
// 0.
func (e *Engine) execute(ctx context.Context, prog *yaegi.Program) (reflect.Value, uint64, error) {
	if !yfields.ok {
		v, err := e.yi.ExecuteWithContext(ctx, prog)
		return v, 0, err
	}
	type outcome struct {
		v   reflect.Value
		gid uint64
		err error
	}
	e.ctl.arm()
	ch := make(chan outcome, 1)
	e.runMu.Lock()
	e.executing++
	e.runMu.Unlock()
	defer func() {
		e.runMu.Lock()
		e.executing--
		e.runMu.Unlock()
	}()
	go func() {
		returned := false
		defer func() {
			if !returned {
				// runtime.Goexit ended the goroutine: Execute never
				// returned, its deferred calls have run.
				ch <- outcome{gid: goid(), err: yaegi.Panic{Value: goexitSignal{}}}
			}
		}()
		v, err := e.yi.Execute(prog)
		returned = true
		var g uint64
		if err != nil {
			g = goid()
		}
		ch <- outcome{v, g, err}
	}()
	select {
	case o := <-ch:
		return o.v, o.gid, o.err
	case sig := <-e.exitCh:
		// The goroutine that called os.Exit stays parked (see exit).
		e.runMu.Lock()
		e.exited = true
		e.runMu.Unlock()
		return reflect.Value{}, sig.gid, yaegi.Panic{Value: sig}
	case <-ctx.Done():
	}
	e.ctl.stop()
	select {
	case <-ch:
	case <-time.After(80 * time.Millisecond):
	}
	return reflect.Value{}, 0, ctx.Err()
}

// splitMultiDefines rewrites each top-level a, b := f() (one call, map
// index, type assertion or receive giving several values) into
//
//	golit__mv0, golit__mv1 := f()
//	a := golit__mv0
//	b := golit__mv1
//
// yaegi v0.16.1 does not mark the variables of a multi-value := in the
// global scope as globals (compDefineX, unlike the single-value path in
// gta.go), so functions compiled later read them from their own frame and
// get garbage. The single-value := that follows defines a proper notebook
// variable; top-level code reads the temporaries correctly. Blank names
// stay blank.
//
// The comma-ok forms (v, ok := m[k], v, ok := x.(T)) cannot even be typed
// by yaegi at the top level ("nil type"); commaOKDefine rewrites those.
func splitMultiDefines(list []ast.Stmt) []ast.Stmt {
	var out []ast.Stmt
	for _, s := range list {
		as, ok := s.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) < 2 || len(as.Rhs) != 1 {
			out = append(out, s)
			continue
		}
		if r, ok := commaOKDefine(as); ok {
			out = append(out, r...)
			continue
		}
		tmp := &ast.AssignStmt{TokPos: as.TokPos, Tok: token.DEFINE, Rhs: as.Rhs}
		var copies []ast.Stmt
		for i, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || id.Name == "_" {
				tmp.Lhs = append(tmp.Lhs, l)
				continue
			}
			t := ast.NewIdent(fmt.Sprintf("%smv%d", golitPrefix, i))
			tmp.Lhs = append(tmp.Lhs, t)
			copies = append(copies, &ast.AssignStmt{Lhs: []ast.Expr{id}, TokPos: as.TokPos, Tok: token.DEFINE, Rhs: []ast.Expr{ast.NewIdent(t.Name)}})
		}
		out = append(out, tmp)
		out = append(out, copies...)
	}
	return out
}

// commaOKDefine rewrites a top-level comma-ok definition into single-value
// definitions, which yaegi types and makes notebook variables, followed by
// a plain assignment, which it handles:
//
//	v, ok := m[k]   →   v := m[k]; ok := false; _, ok = m[k]
//	v, ok := x.(T)  →   v := *new(T); ok := false; v, ok = x.(T)
//
// The map form evaluates m[k] twice, so it is used only when the key has no
// calls in it (or v is blank). A receive (v, ok := <-ch) is left alone: its
// value cannot be read twice and its type is not written in the source;
// when yaegi fails on it, typedMultiDefine (typeddefine.go) declares the
// variables with the types yaegi names and assigns them.
func commaOKDefine(as *ast.AssignStmt) ([]ast.Stmt, bool) {
	if len(as.Lhs) != 2 {
		return nil, false
	}
	v, ok1 := as.Lhs[0].(*ast.Ident)
	okID, ok2 := as.Lhs[1].(*ast.Ident)
	if !ok1 || !ok2 {
		return nil, false
	}
	define := func(name string, x ast.Expr) ast.Stmt {
		return &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(name)}, TokPos: as.TokPos, Tok: token.DEFINE, Rhs: []ast.Expr{x}}
	}
	var out []ast.Stmt
	switch x := as.Rhs[0].(type) {
	case *ast.IndexExpr:
		if v.Name != "_" && okID.Name != "_" && hasCall(x) {
			return nil, false
		}
		if v.Name != "_" {
			out = append(out, define(v.Name, x))
		}
		if okID.Name != "_" {
			out = append(out, define(okID.Name, ast.NewIdent("false")),
				&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_"), ast.NewIdent(okID.Name)}, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: []ast.Expr{x}})
		}
	case *ast.TypeAssertExpr:
		if x.Type == nil {
			return nil, false // x.(type) belongs to a type switch
		}
		lhs := []ast.Expr{ast.NewIdent("_"), ast.NewIdent("_")}
		if v.Name != "_" {
			out = append(out, define(v.Name, &ast.StarExpr{X: &ast.CallExpr{Fun: ast.NewIdent("new"), Args: []ast.Expr{x.Type}}}))
			lhs[0] = ast.NewIdent(v.Name)
		}
		if okID.Name != "_" {
			out = append(out, define(okID.Name, ast.NewIdent("false")))
			lhs[1] = ast.NewIdent(okID.Name)
		}
		out = append(out, &ast.AssignStmt{Lhs: lhs, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: []ast.Expr{x}})
	default:
		return nil, false
	}
	return out, true
}

// hasCall reports whether evaluating x calls a function (or receives), so
// that evaluating it twice could differ from evaluating it once.
func hasCall(x ast.Expr) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			found = true
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		case *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}
