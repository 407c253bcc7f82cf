package main

import (
	"path/filepath"
	"testing"
)

func TestKernelsDir(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/data/jupyter")
	t.Setenv("VIRTUAL_ENV", "/venv")
	t.Setenv("CONDA_PREFIX", "/conda")

	check := func(user, sys bool, prefix, want string) {
		t.Helper()
		got, err := kernelsDir(user, sys, prefix)
		if err != nil {
			t.Fatal(err)
		}
		if got != filepath.FromSlash(want) {
			t.Errorf("kernelsDir(%v, %v, %q) = %s, want %s", user, sys, prefix, got, want)
		}
	}
	check(false, false, "", "/data/jupyter/kernels") // --user is the default
	check(true, false, "", "/data/jupyter/kernels")
	check(false, true, "", "/venv/share/jupyter/kernels")
	check(false, false, "/opt/x", "/opt/x/share/jupyter/kernels")

	t.Setenv("VIRTUAL_ENV", "")
	check(false, true, "", "/conda/share/jupyter/kernels")
	t.Setenv("CONDA_PREFIX", "")
	if _, err := kernelsDir(false, true, ""); err == nil {
		t.Error("--sys-prefix without an environment: no error")
	}
	if _, err := kernelsDir(true, false, "/x"); err == nil {
		t.Error("--user with --prefix: no error")
	}
}

func TestInstallUninstall(t *testing.T) {
	prefix := t.TempDir()
	if code := runInstall([]string{"--prefix", prefix}, false); code != 0 {
		t.Fatalf("install exit %d", code)
	}
	if code := runInstall([]string{"--prefix=" + prefix}, true); code != 0 {
		t.Fatalf("uninstall exit %d", code)
	}
	if code := runInstall([]string{"--prefix", prefix}, true); code != 1 {
		t.Errorf("second uninstall exit %d, want 1", code)
	}
	if code := runInstall([]string{"extra"}, false); code != 2 {
		t.Errorf("stray argument exit %d, want 2", code)
	}
}
