package interp

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The stages of the pipeline (see Engine) import one another one way only:
// parse <- rewrite <- present <- run <- interp. A rewrite pass must never
// reach yaegi or the session, so that it can be tested on syntax alone.
// TestStageImports asks the go command for each stage's dependencies, the
// test files' included, and fails on an arrow that points the wrong way.
func TestStageImports(t *testing.T) {
	const mod = "github.com/golit/golit/"
	const yaegi = "github.com/traefik/yaegi"
	forbidden := map[string][]string{
		"interp/parse":   {mod, yaegi},
		"interp/rewrite": {mod + "interp/run", mod + "interp/present", mod + "kernel", yaegi},
		"interp/present": {mod + "interp/run"},
		"interp/run":     {mod + "interp\n"},
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command(goCmd, "list", "-deps", "-test", "-f", "{{.ImportPath}}", mod+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Split(string(out), "\n") {
			dep = strings.TrimSuffix(dep, ".test")
			if dep == mod+pkg || strings.HasPrefix(dep, mod+pkg+" ") || strings.HasPrefix(dep, mod+pkg+"_test") {
				continue // the package itself and its test variants
			}
			for _, b := range bad {
				if dep+"\n" == b || (!strings.HasSuffix(b, "\n") && strings.HasPrefix(dep, b)) {
					t.Errorf("%s depends on %s: the stages' imports must point one way (see interp/README.md)", pkg, dep)
				}
			}
		}
	}
}
