package interp

import (
	"os/exec"
	"path/filepath"
	"runtime"
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
