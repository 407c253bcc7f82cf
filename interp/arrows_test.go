package interp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The stages of the pipeline (see Engine and README.md) import one another
// one way only. parse and rewrite must never reach yaegi or the session, so
// that the rewrite passes can be tested on syntax alone.
// TestStageImports asks the go command for each stage's dependencies, the
// test files' included, and fails on an arrow that points the wrong way.
func TestStageImports(t *testing.T) {
	const mod = "github.com/golit/golit/"
	const yaegi = "github.com/traefik/yaegi/"
	rules := []struct {
		pkg string
		// onlyGolit, when not nil, lists the only golit packages pkg may
		// depend on; forbidden lists prefixes it must not depend on.
		onlyGolit []string
		forbidden []string
	}{
		{pkg: "interp/parse", onlyGolit: []string{}, forbidden: []string{yaegi}},
		{pkg: "interp/rewrite", onlyGolit: []string{"interp/parse"}, forbidden: []string{yaegi}},
		// typefmt (fmt's printing of the notebook's types) is a library
		// beside the stages, on reflect and go/ast alone; run uses it.
		{pkg: "interp/typefmt", onlyGolit: []string{}, forbidden: []string{yaegi}},
		{pkg: "interp/present", forbidden: []string{mod + "interp/run", mod + "interp/supervise"}},
		{pkg: "interp/run", forbidden: []string{mod + "interp/supervise"}},
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	for _, r := range rules {
		out, err := exec.Command(goCmd, "list", "-deps", "-test", "-f", "{{.ImportPath}}", mod+r.pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", r.pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "[") {
				continue // "pkg [pkg.test]": a test variant, named again below
			}
			dep = strings.TrimSuffix(dep, ".test")
			dep = strings.TrimSuffix(dep, "_test")
			if dep == mod+r.pkg {
				continue
			}
			bad := false
			for _, f := range r.forbidden {
				if strings.HasPrefix(dep, f) {
					bad = true
				}
			}
			if dep == mod+"interp" { // the root, Engine, comes after every stage
				bad = true
			}
			if r.onlyGolit != nil && strings.HasPrefix(dep, mod) {
				ok := false
				for _, a := range r.onlyGolit {
					ok = ok || dep == mod+a
				}
				bad = bad || !ok
			}
			if bad {
				t.Errorf("%s depends on %s: the stages' imports must point one way (see interp/README.md)", r.pkg, dep)
			}
		}
	}
}

// TestExecuteStages keeps three lists of a cell's stages alike: the calls
// Engine.Execute makes on the session, run.Session.RunCode's calls (the
// same steps for the Go code a magic runs), and the list in README.md
// that a reader follows. A step added, dropped or moved in one of them
// fails here until the others say the same.
func TestExecuteStages(t *testing.T) {
	execute := sessionCalls(t, "engine.go", "Execute", "s")
	runCode := sessionCalls(t, filepath.Join("run", "exec.go"), "RunCode", "e")

	// Execute, from the cell's file on, is RunCode.
	from := slices.Index(execute, "NewCell")
	if from < 0 {
		t.Fatalf("Engine.Execute does not call NewCell: %v", execute)
	}
	// Execute ends with Finish, which RunCode leaves to its callers.
	if n := len(execute); execute[n-1] != "Finish" {
		t.Fatalf("Engine.Execute does not end with Finish: %v", execute)
	}
	if got := execute[from : len(execute)-1]; !slices.Equal(got, runCode) {
		t.Errorf("Engine.Execute calls %v after Begin and magics, run.Session.RunCode %v", got, runCode)
	}

	// README.md lists each step once, in Execute's order (a step called
	// twice, Finish, where it is called last).
	var steps []string
	for i, name := range execute {
		if !slices.Contains(execute[i+1:], name) {
			steps = append(steps, name)
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const lead = "`Engine.Execute` (engine.go) reads as that list"
	_, list, ok := strings.Cut(string(readme), lead)
	if !ok {
		t.Fatalf("README.md has no %q", lead)
	}
	_, list, _ = strings.Cut(list, "```\n")
	list, _, _ = strings.Cut(list, "```")
	var listed []string
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(line, " ") {
			listed = append(listed, f[0])
		}
	}
	if !slices.Equal(listed, steps) {
		t.Errorf("README.md lists the steps %v, Engine.Execute calls %v", listed, steps)
	}
}

// sessionCalls returns the names of the methods that function fn of file
// calls on the variable recv, in the order of the source.
func sessionCalls(t *testing.T, file, fn, recv string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != fn || fd.Recv == nil {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == recv {
						calls = append(calls, sel.Sel.Name)
					}
				}
			}
			return true
		})
	}
	if len(calls) == 0 {
		t.Fatalf("%s: no method %s calling %s.Method", file, fn, recv)
	}
	return calls
}
