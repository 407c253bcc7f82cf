package gostd

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestTablesUpToDate regenerates the tables and fails when the checked-in
// ones differ: run go generate ./interp/gostd after changing Go release.
func TestTablesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating symbol tables type-checks packages from source")
	}
	checkGenerated(t, "std", ".")
}

func checkGenerated(t *testing.T, kind, dir string) {
	tmp := t.TempDir()
	cmd := exec.Command("go", "run", "../internal/gensyms", "-kind", kind, "-out", tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gensyms: %v\n%s", err, out)
	}
	files, err := filepath.Glob(filepath.Join(tmp, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated files (%v)", err)
	}
	for _, f := range files {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join(dir, filepath.Base(f)))
		if err != nil {
			t.Errorf("%s is missing: run go generate", filepath.Base(f))
			continue
		}
		if string(got) != string(want) {
			t.Errorf("%s is stale: run go generate", filepath.Base(f))
		}
	}
}
