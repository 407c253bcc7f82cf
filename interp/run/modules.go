package run

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/symbols"
	yaegiunsafe "github.com/traefik/yaegi/stdlib/unsafe"
)

// Third-party modules in cells.
//
// A cell importing a path whose first element has a dot (a module path, not
// the standard library) and that is not a golit helper package is resolved
// by the Go toolchain, as `go get` would: the engine keeps a module of its
// own (a go.mod and go.sum in a temporary directory), runs `go get` for the
// package there (the user's module cache, GOPROXY, GOFLAGS, GOPRIVATE,
// GONOSUMDB and the checksum database apply as for any go command), then
// `go list -deps -json` with CGO_ENABLED=0 and the build tags purego and
// noasm, which picks the pure-Go files of every package. Each package's
// chosen files are rewritten like cells (min, max, clear, range over int
// and over functions, per-iteration loop variables; rewrite.go) and
// written under a GOPATH-style tree (src/<import path>/) that yaegi reads
// as its GoPath, so yaegi interprets them when the cell's import is
// compiled.

// isModuleImport reports whether an import path needs the module machinery:
// a dotted first element, and not one of golit's helper packages.
func isModuleImport(p string) bool {
	if strings.HasPrefix(p, moduleHelperPrefix) || p == strings.TrimSuffix(moduleHelperPrefix, "/") {
		return false
	}
	first, _, _ := strings.Cut(p, "/")
	return strings.Contains(first, ".")
}

// modules is the engine's module session. It outlives %reset: the laid
// out sources stay valid, only the interpreter forgets them.
type modules struct {
	mu     sync.Mutex
	dir    string            // the session directory: mod/ (go.mod) and gopath/src
	names  map[string]string // import path -> package name
	laid   map[string]string // import path -> module@version laid out
	failed map[string]error  // import path -> why it cannot be interpreted
	unsafe map[string]bool   // import path -> a package it needs imports unsafe
	goBin  string
}

var moduleSessions atomic.Int64

// newModules returns an empty module session. Its directory is made on
// first use.
func newModules() *modules {
	return &modules{
		dir:    filepath.Join(os.TempDir(), fmt.Sprintf("golit-modules-%d-%d", os.Getpid(), moduleSessions.Add(1))),
		names:  map[string]string{},
		laid:   map[string]string{},
		failed: map[string]error{},
		unsafe: map[string]bool{},
	}
}

// goPath is the directory yaegi uses as its GoPath.
func (m *modules) goPath() string { return filepath.Join(m.dir, "gopath") }

func (m *modules) modDir() string { return filepath.Join(m.dir, "mod") }

// remove deletes the session's directory.
func (m *modules) remove() { _ = os.RemoveAll(m.dir) }

// errGoMissing is goCmd's error when go is not on PATH.
var errGoMissing = errors.New("the go command is not on PATH")

// noGoMessage is what a user reads when go is missing.
const noGoMessage = "Go is not installed: there is no \"go\" command on this kernel's PATH, and golit resolves third-party modules with it.\n" +
	"Get Go from https://go.dev/dl/ , then restart the kernel so that it sees the new PATH"

// goCmd runs the go command in the session module. Lines go writes to
// stderr are passed to progress as they come.
func (m *modules) goCmd(ctx context.Context, progress func(string), env []string, args ...string) ([]byte, string, error) {
	if m.goBin == "" {
		b, err := exec.LookPath("go")
		if err != nil {
			return nil, "", errGoMissing
		}
		m.goBin = b
	}
	dir := m.modDir()
	if err := m.ensureGoMod(dir); err != nil {
		return nil, "", err
	}
	cmd := exec.CommandContext(ctx, m.goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOWORK=off")
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	var errText strings.Builder
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			errText.WriteString(line + "\n")
			if progress != nil {
				progress(line)
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	return out.Bytes(), errText.String(), err
}

// ensureGoMod writes the session's go.mod if it is missing.
func (m *modules) ensureGoMod(dir string) error {
	gm := filepath.Join(dir, "go.mod")
	if _, err := os.Stat(gm); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(gm, []byte("module golit.notebook\n\ngo 1.22\n"), 0o644)
}

// listedPackage is what `go list -json` says of a package.
type listedPackage struct {
	ImportPath     string
	Name           string
	Dir            string
	Standard       bool
	GoFiles        []string
	SFiles         []string
	CgoFiles       []string
	IgnoredGoFiles []string
	Imports        []string
	Module         *struct{ Path, Version string }
	Error          *struct{ Err string }
}

// buildEnv is the environment of go list: no cgo, and the tags that select
// pure-Go files.
var buildEnv = []string{"CGO_ENABLED=0"}

var buildTags = strings.Join(moduleBuildTags, ",")

// prepareModule makes sure import path p can be interpreted: resolved, its
// packages and their dependencies laid out. It returns p's package name.
func (e *Session) prepareModule(ctx context.Context, p string) (string, error) {
	m := e.mods
	m.mu.Lock()
	if name, ok := m.names[p]; ok {
		needsUnsafe := m.unsafe[p]
		m.mu.Unlock()
		if needsUnsafe {
			// After %reset the new interpreter needs the table again.
			if err := e.yi.Use(yaegiunsafe.Symbols); err != nil {
				return "", err
			}
		}
		return name, nil
	}
	if err, ok := m.failed[p]; ok {
		m.mu.Unlock()
		return "", err
	}
	m.mu.Unlock()
	progress := e.moduleProgress()
	var pkgs []listedPackage
	var err error
	got := !m.mayRequire(p)
	if !got {
		pkgs, err = m.list(ctx, p, progress)
		got = err != nil && needsGet(err)
	}
	if got {
		// Not required yet: go get resolves the module (and its
		// dependencies) and records it in the session's go.mod.
		if _, errText, gerr := m.goCmd(ctx, progress, nil, "get", p); gerr != nil {
			return "", m.explain(fmt.Sprintf("cannot import %q", p), "go get "+p, errText, gerr)
		}
		pkgs, err = m.list(ctx, p, progress)
	}
	if errors.Is(err, errGoMissing) {
		return "", m.explain(fmt.Sprintf("cannot import %q", p), "go list "+p, "", err)
	}
	if err != nil {
		return "", err
	}
	for _, lp := range pkgs {
		if lp.Standard {
			continue
		}
		if why := unsupported(lp); why != "" {
			err := fmt.Errorf("cannot import %q: package %s %s; golit interprets Go source and cannot run it", p, lp.ImportPath, why)
			m.mu.Lock()
			m.failed[p] = err
			m.mu.Unlock()
			return "", err
		}
	}
	for _, lp := range pkgs {
		if lp.Standard {
			continue
		}
		if slices.Contains(lp.Imports, "unsafe") {
			m.mu.Lock()
			m.unsafe[p] = true
			m.mu.Unlock()
			// yaegi's table of unsafe is loaded for modules that use it.
			if err := e.yi.Use(yaegiunsafe.Symbols); err != nil {
				return "", fmt.Errorf("cannot import %q: loading unsafe: %w", p, err)
			}
		}
		if err := m.layOut(lp); err != nil {
			return "", fmt.Errorf("cannot import %q: laying out %s: %w", p, lp.ImportPath, err)
		}
	}
	name := ""
	for _, lp := range pkgs {
		if lp.ImportPath == p {
			name = lp.Name
			if got && lp.Module != nil {
				e.sink.stream("stderr", fmt.Sprintf("golit: %s uses %s %s; to pin it for this notebook: %%go get %s@%s\n",
					p, lp.Module.Path, lp.Module.Version, lp.Module.Path, lp.Module.Version))
			}
		}
	}
	if name == "" {
		return "", fmt.Errorf("cannot import %q: go list did not report it", p)
	}
	m.mu.Lock()
	m.names[p] = name
	m.mu.Unlock()
	return name, nil
}

// moduleProgress forwards go's download lines to the cell's stderr.
func (e *Session) moduleProgress() func(string) {
	return func(line string) {
		if strings.HasPrefix(line, "go: downloading ") || strings.HasPrefix(line, "go: finding ") {
			e.sink.stream("stderr", "golit: "+strings.TrimPrefix(line, "go: ")+"\n")
		}
	}
}

// goListError carries go list's report.
type goListError struct{ text string }

func (g *goListError) Error() string { return g.text }

// needsGet reports whether go list failed because no requirement provides
// the package yet.
func needsGet(err error) bool {
	var g *goListError
	if !errors.As(err, &g) {
		return false
	}
	return strings.Contains(g.text, "no required module provides") || strings.Contains(g.text, "missing go.sum entry") ||
		strings.Contains(g.text, "cannot find module providing")
}

// list runs go list -deps on p in the session module.
func (m *modules) list(ctx context.Context, p string, progress func(string)) ([]listedPackage, error) {
	out, errText, err := m.goCmd(ctx, progress, buildEnv, "list", "-e", "-deps", "-json", "-tags", buildTags, p)
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, &goListError{text: strings.TrimSpace(errText)}
		}
		return nil, err
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var lp listedPackage
		if err := dec.Decode(&lp); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading go list output: %w", err)
		}
		pkgs = append(pkgs, lp)
	}
	for _, lp := range pkgs {
		if lp.ImportPath == p && lp.Error != nil {
			if len(lp.GoFiles) == 0 && len(lp.IgnoredGoFiles) > 0 {
				continue // judged by unsupported
			}
			return nil, &goListError{text: strings.TrimSpace(lp.Error.Err)}
		}
	}
	return pkgs, nil
}

// explain turns a failed go command into the error the cell shows;
// subject says what failed ("cannot import \"x\"").
func (m *modules) explain(subject, what, errText string, err error) error {
	if errors.Is(err, errGoMissing) {
		return fmt.Errorf("%s: %s", subject, noGoMessage)
	}
	msg := strings.TrimSpace(errText)
	if msg == "" {
		msg = err.Error()
	}
	network := []string{"dial tcp", "no such host", "connection refused", "i/o timeout", "network is unreachable", "TLS handshake", "server misbehaving", "connect: "}
	for _, n := range network {
		if strings.Contains(msg, n) {
			proxy := os.Getenv("GOPROXY")
			if proxy == "" {
				proxy = "https://proxy.golang.org,direct (the default)"
			}
			return fmt.Errorf("%s: the module proxy could not be reached (tried `%s` with GOPROXY=%s):\n%s\n"+
				"Check the network, or point GOPROXY at a proxy you can reach (GOPRIVATE/GONOSUMDB for private modules) before starting Jupyter", subject, what, proxy, msg)
		}
	}
	return fmt.Errorf("%s: `%s` failed:\n%s", subject, what, msg)
}

// unsupported says why a package cannot be interpreted, or "".
func unsupported(lp listedPackage) string {
	if len(lp.SFiles) > 0 {
		return fmt.Sprintf("uses assembly (%s) without a pure-Go fallback under the purego/noasm build tags", strings.Join(lp.SFiles, ", "))
	}
	if len(lp.GoFiles) == 0 {
		for _, f := range lp.IgnoredGoFiles {
			if importsC(filepath.Join(lp.Dir, f)) {
				return fmt.Sprintf("needs cgo (%s imports \"C\")", f)
			}
		}
		if lp.Error != nil {
			return "has no Go files golit can use: " + lp.Error.Err
		}
	}
	if len(lp.CgoFiles) > 0 {
		return fmt.Sprintf("needs cgo (%s imports \"C\")", lp.CgoFiles[0])
	}
	for _, f := range lp.GoFiles {
		src, err := os.ReadFile(filepath.Join(lp.Dir, f))
		if err == nil && bytes.Contains(src, []byte("\n//go:linkname ")) {
			return fmt.Sprintf("uses //go:linkname (%s) to reach into the Go runtime, which an interpreter cannot do", f)
		}
	}
	return ""
}

// importsC reports whether the Go file imports "C".
func importsC(file string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
	if err != nil {
		return false
	}
	for _, is := range f.Imports {
		if is.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

// layOut writes the package's files, rewritten, under the GoPath.
func (m *modules) layOut(lp listedPackage) error {
	ver := lp.Dir
	if lp.Module != nil {
		ver = lp.Module.Path + "@" + lp.Module.Version
	}
	m.mu.Lock()
	done := m.laid[lp.ImportPath] == ver
	m.mu.Unlock()
	if done {
		return nil
	}
	dst := filepath.Join(m.goPath(), "src", filepath.FromSlash(lp.ImportPath))
	// Remove the files of an earlier version only: the directories of
	// nested packages (laid out first, go list puts dependencies first)
	// stay.
	old, _ := filepath.Glob(filepath.Join(dst, "*.go"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	helpers := false
	files := append([]string(nil), lp.GoFiles...)
	sort.Strings(files)
	srcs := map[string][]byte{}
	pkgTypes := map[string]bool{}
	for _, name := range files {
		src, err := os.ReadFile(filepath.Join(lp.Dir, name))
		if err != nil {
			return err
		}
		srcs[name] = src
		if f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution); err == nil {
			for _, d := range f.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
					for _, sp := range gd.Specs {
						pkgTypes[sp.(*ast.TypeSpec).Name.Name] = true
					}
				}
			}
		}
	}
	for _, name := range files {
		out, usesHelpers, err := rewriteModuleFile(name, srcs[name], pkgTypes)
		if err != nil {
			return err
		}
		helpers = helpers || usesHelpers
		if err := os.WriteFile(filepath.Join(dst, name), out, 0o644); err != nil {
			return err
		}
	}
	if helpers {
		src := strings.Replace(rewrite.StdGenericSource, "package main", "package "+lp.Name, 1)
		if err := os.WriteFile(filepath.Join(dst, "golit__generic.go"), []byte(src), 0o644); err != nil {
			return err
		}
	}
	m.mu.Lock()
	m.laid[lp.ImportPath] = ver
	m.mu.Unlock()
	return nil
}

// rewriteModuleFile applies the cells' rewrites to one file of a module
// and drops its build constraints (go list chose the file already). It
// reports whether the result uses golit's generic helpers (min, max,
// sync.OnceValue, ...), which the package then gets a copy of.
//
// pkgTypes are the type names the package declares in all its files: the
// rewrites that tell types from values (new(T) against new(x)) look at the
// file they rewrite, so the names of the other files are declared to them
// for the time of the rewrite.
func rewriteModuleFile(name string, src []byte, pkgTypes map[string]bool) (out []byte, helpers bool, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, false, err
	}
	own := rewrite.LocalTypeNames(f)
	var extra []ast.Spec
	for _, t := range slices.Sorted(maps.Keys(pkgTypes)) {
		if !own[t] {
			extra = append(extra, &ast.TypeSpec{Name: ast.NewIdent(t), Type: &ast.StructType{Fields: &ast.FieldList{}}})
		}
	}
	var stand *ast.GenDecl
	if len(extra) > 0 {
		stand = &ast.GenDecl{Tok: token.TYPE, Specs: extra}
		f.Decls = append(f.Decls, stand)
	}
	paths := map[string]string{}
	pkgs := map[string]bool{}
	for _, is := range f.Imports {
		p := strings.Trim(is.Path.Value, `"`)
		n := path.Base(p)
		if is.Name != nil {
			n = is.Name.Name
		}
		paths[n] = p
		pkgs[n] = true
	}
	r := &rewrite.Rewriter{Paths: paths, Pkgs: pkgs, Consts: map[string]bool{}, Fset: fset}
	func() {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("golit's rewrite of %s failed: %v", name, v)
			}
		}()
		r.Rewrite(f)
		float64Consts(f, paths)
	}()
	if stand != nil {
		f.Decls = slices.DeleteFunc(f.Decls, func(d ast.Decl) bool { return d == stand })
	}
	if err != nil {
		return nil, false, err
	}
	if r.Err != nil {
		return nil, false, fmt.Errorf("%s: %w", name, r.Err)
	}
	// Drop build constraints before the package clause.
	var cs []*ast.CommentGroup
	for _, cg := range f.Comments {
		if cg.Pos() < f.Package && isConstraint(cg) {
			continue
		}
		cs = append(cs, cg)
	}
	f.Comments = cs
	var buf bytes.Buffer
	if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&buf, fset, f); err != nil {
		return nil, false, err
	}
	text := buf.String()
	if strings.Contains(text, rewrite.RuntimePkg+".") && !hasImport(f, rtImportPath) {
		// Add the runtime support import after the package clause.
		i := strings.Index(text, "\npackage ")
		if strings.HasPrefix(text, "package ") {
			i = -1
		}
		j := strings.Index(text[i+1:], "\n") + i + 1
		text = text[:j+1] + fmt.Sprintf("\nimport %s %q\n", rewrite.RuntimePkg, rtImportPath) + text[j+1:]
	}
	helpers = strings.Contains(text, rewrite.Prefix+"min") || strings.Contains(text, rewrite.Prefix+"max") ||
		strings.Contains(text, rewrite.Prefix+"Once") || strings.Contains(text, rewrite.Prefix+"Pointer") ||
		strings.Contains(text, rewrite.Prefix+"new(")
	return []byte(text), helpers, nil
}

func hasImport(f *ast.File, p string) bool {
	for _, is := range f.Imports {
		if strings.Trim(is.Path.Value, `"`) == p {
			return true
		}
	}
	return false
}

func isConstraint(cg *ast.CommentGroup) bool {
	for _, c := range cg.List {
		if strings.HasPrefix(c.Text, "//go:build") || strings.HasPrefix(c.Text, "// +build") {
			return true
		}
	}
	return false
}

// moduleBuildTags are the build tags yaegi evaluates constraints with.
var moduleBuildTags = []string{"purego", "noasm"}

// prepareModules resolves and lays out the module imports among specs and
// returns their package names (importAll's hook).
func (e *Session) prepareModules(ctx context.Context, specs []importSpec) (map[string]string, *execError) {
	var names map[string]string
	for _, s := range specs {
		if s.auto || !isModuleImport(s.path) {
			continue
		}
		if name, ok := compiledIn(s.path); ok {
			if names == nil {
				names = map[string]string{}
			}
			names[s.path] = name
			continue
		}
		if e.opts.Restricted {
			return nil, &execError{kind: "compile", err: fmt.Errorf("%s: cannot import %q: third-party modules are not available in restricted mode (they would run the go command)", posOr(s.pos, e.curFile), s.path)}
		}
		name, err := e.prepareModule(ctx, s.path)
		if err != nil {
			if ctx.Err() != nil {
				return nil, &execError{kind: "interrupt", err: ctx.Err()}
			}
			return nil, &execError{kind: "compile", err: fmt.Errorf("%s: %w", posOr(s.pos, e.curFile), err)}
		}
		if names == nil {
			names = map[string]string{}
		}
		names[s.path] = name
	}
	return names, nil
}

// float64Consts fixes, in module sources, a yaegi v0.16.1 bug: a
// floating-point literal combined with math.MaxFloat64 or
// math.SmallestNonzeroFloat64 (0.0 - math.MaxFloat64 in go-humanize)
// fails with "mismatched types untyped float and untyped float64". The
// literal becomes float64(literal), which those constants' uses need
// anyway (they do not fit a float32).
func float64Consts(f *ast.File, paths map[string]string) {
	isF64Const := func(x ast.Expr) bool {
		sel, ok := x.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		id, ok := sel.X.(*ast.Ident)
		return ok && paths[id.Name] == "math" && (sel.Sel.Name == "MaxFloat64" || sel.Sel.Name == "SmallestNonzeroFloat64")
	}
	wrap := func(x ast.Expr) ast.Expr {
		if lit, ok := x.(*ast.BasicLit); ok && lit.Kind == token.FLOAT {
			return &ast.CallExpr{Fun: ast.NewIdent("float64"), Args: []ast.Expr{lit}}
		}
		return x
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if b, ok := n.(*ast.BinaryExpr); ok {
			if isF64Const(b.Y) {
				b.X = wrap(b.X)
			}
			if isF64Const(b.X) {
				b.Y = wrap(b.Y)
			}
		}
		return true
	})
}

// GoGet is %go get: it runs go get in the session's module and reports the
// version each argument now requires.
func (m magicEnv) GoGet(ctx context.Context, args []string) (string, error) {
	mods := m.e.mods
	if m.e.opts.Restricted {
		return "", errors.New("third-party modules are not available in restricted mode (they would run the go command)")
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			return "", fmt.Errorf("%%go get takes module paths only (PATH, PATH@VERSION, PATH@latest, PATH@none), not the flag %s", a)
		}
	}
	_, errText, err := mods.goCmd(ctx, m.e.moduleProgress(), nil, append([]string{"get"}, args...)...)
	if err != nil {
		return "", mods.explain("%go get failed", "go get "+strings.Join(args, " "), errText, err)
	}
	mods.mu.Lock()
	earlier := len(mods.names) > 0
	mods.names = map[string]string{}
	mods.failed = map[string]error{}
	mods.mu.Unlock()
	reqs, err := mods.requirements(ctx)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, a := range args {
		p, v, _ := strings.Cut(a, "@")
		if v == "none" {
			fmt.Fprintf(&b, "%s: no longer required\n", p)
			continue
		}
		best := ""
		for rp := range reqs {
			if (p == rp || strings.HasPrefix(p, rp+"/")) && len(rp) > len(best) {
				best = rp
			}
		}
		if best == "" {
			fmt.Fprintf(&b, "%s: not required (go get made no requirement for it)\n", p)
			continue
		}
		fmt.Fprintf(&b, "%s %s\n", best, reqs[best])
	}
	if earlier {
		b.WriteString("(packages imported before keep the version they were interpreted with until %reset or a kernel restart)\n")
	}
	return b.String(), nil
}

// GoMod is %go mod: the notebook's requirements, one per line.
func (m magicEnv) GoMod(ctx context.Context) (string, error) {
	reqs, err := m.e.mods.requirements(ctx)
	if err != nil {
		return "", err
	}
	if len(reqs) == 0 {
		return "no requirements yet: import a module, or %go get PATH@VERSION\n", nil
	}
	paths := make([]string, 0, len(reqs))
	for p := range reqs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&b, "%s %s\n", p, reqs[p])
	}
	return b.String(), nil
}

// requirements reads the session's go.mod: module path -> version.
func (m *modules) requirements(ctx context.Context) (map[string]string, error) {
	out, errText, err := m.goCmd(ctx, nil, nil, "mod", "edit", "-json")
	if err != nil {
		return nil, m.explain("reading the notebook's requirements", "go mod edit -json", errText, err)
	}
	var gm struct {
		Require []struct{ Path, Version string }
	}
	if err := json.Unmarshal(out, &gm); err != nil {
		return nil, fmt.Errorf("reading the notebook's go.mod: %w", err)
	}
	reqs := map[string]string{}
	for _, r := range gm.Require {
		reqs[r.Path] = r.Version
	}
	return reqs, nil
}

// explainModuleFailure rewrites the error of an import of modules that
// yaegi could not interpret into one naming the package and the reason,
// and reports whether it did.
func (e *Session) explainModuleFailure(list map[string]string, x *execError) bool {
	var paths []string
	for _, p := range list {
		if isModuleImport(p) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 || x.kind == "interrupt" {
		return false
	}
	sort.Strings(paths)
	msg := x.err.Error()
	// yaegi names the module file it failed in: say which package that is.
	pkg := paths[0]
	pos := ""
	if strings.HasPrefix(msg, "In[") {
		if i := strings.Index(msg, ": "); i >= 0 {
			pos, msg = msg[:i+2], msg[i+2:]
		}
	}
	src := e.mods.goPath() + string(filepath.Separator) + "src" + string(filepath.Separator)
	if i := strings.Index(msg, src); i >= 0 {
		rest := msg[i+len(src):]
		if j := strings.Index(rest, ".go:"); j >= 0 {
			pkg = filepath.ToSlash(filepath.Dir(rest[:j]))
			msg = rest
		}
	}
	for _, p := range paths {
		if strings.Contains(x.err.Error(), strconv.Quote(p)) {
			e.mods.mu.Lock()
			delete(e.mods.names, p)
			e.mods.mu.Unlock()
		}
	}
	x.err = fmt.Errorf("%scannot import %s: golit could not interpret package %s (yaegi: %s)\n"+
		"Some packages use Go that the interpreter does not support (see interp/LIMITS.md); the rest of the notebook is unaffected",
		pos, strings.Join(quoteAll(paths), ", "), pkg, msg)
	return true
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// mayRequire reports whether the session's go.mod may already require the
// module of import path p (a require line names p or one of its prefixes).
// When it cannot, go get runs at once, without a go list that would fail.
func (m *modules) mayRequire(p string) bool {
	data, err := os.ReadFile(filepath.Join(m.modDir(), "go.mod"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) >= 2 && (p == f[0] || strings.HasPrefix(p, f[0]+"/")) {
			return true
		}
	}
	return false
}

// compiledIn reports whether golit was built with a symbol table for
// import path p (scripts/golit-with-modules.sh), and the package's name:
// yaegi then imports the compiled package, and the module machinery stays
// out of the way.
func compiledIn(p string) (string, bool) {
	prefix := p + "/"
	for k := range symbols.Symbols {
		if rest, ok := strings.CutPrefix(k, prefix); ok && !strings.Contains(rest, "/") {
			return rest, true
		}
	}
	return "", false
}
