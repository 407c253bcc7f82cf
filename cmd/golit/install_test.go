package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golit/golit/kernelspec"
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
	if code := runInstall([]string{"--prefix", prefix}, false, io.Discard, io.Discard); code != 0 {
		t.Fatalf("install exit %d", code)
	}
	if code := runInstall([]string{"--prefix=" + prefix}, true, io.Discard, io.Discard); code != 0 {
		t.Fatalf("uninstall exit %d", code)
	}
	if code := runInstall([]string{"--prefix", prefix}, true, io.Discard, io.Discard); code != 1 {
		t.Errorf("second uninstall exit %d, want 1", code)
	}
	if code := runInstall([]string{"extra"}, false, io.Discard, io.Discard); code != 2 {
		t.Errorf("stray argument exit %d, want 2", code)
	}
}

// install runs `golit install ARGS` in this process.
func install(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := runInstall(args, false, &out, &out)
	return code, out.String()
}

func TestInstallAnotherGolit(t *testing.T) {
	prefix := t.TempDir()
	dir := filepath.Join(prefix, "share", "jupyter", "kernels", kernelspec.Name)
	other := filepath.Join(t.TempDir(), "old-checkout", "bin", "golit")
	if err := kernelspec.Write(dir, kernelspec.New(other)); err != nil {
		t.Fatal(err)
	}
	code, out := install(t, "--prefix", prefix)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, out)
	}
	if !strings.Contains(out, other) || !strings.Contains(out, "--replace") || !strings.Contains(out, "no longer exists") {
		t.Errorf("the message does not say which golit and how to replace it:\n%s", out)
	}
	if spec, _ := kernelspec.Read(dir); spec.Argv[0] != other {
		t.Errorf("the other golit's kernelspec was changed to %v", spec.Argv)
	}

	code, out = install(t, "--prefix", prefix, "--replace")
	if code != 0 {
		t.Fatalf("--replace: exit %d: %s", code, out)
	}
	exe, _ := os.Executable()
	spec, err := kernelspec.Read(dir)
	if err != nil || !sameFile(spec.Argv[0], exe) {
		t.Errorf("after --replace the kernelspec runs %v (%v), want %s", spec.Argv, err, exe)
	}
	// Installing the same golit again needs no --replace.
	if code, out := install(t, "--prefix", prefix); code != 0 {
		t.Errorf("reinstall of the same golit: exit %d: %s", code, out)
	}
	// Nor does a command name that PATH resolves to this binary.
	t.Setenv("PATH", filepath.Dir(exe))
	if code, out := install(t, "--prefix", prefix, "--kernel-command", filepath.Base(exe)); code != 0 {
		t.Errorf("the same golit by name: exit %d: %s", code, out)
	}
	if spec, _ := kernelspec.Read(dir); spec.Argv[0] != filepath.Base(exe) {
		t.Errorf("--kernel-command: argv %v", spec.Argv)
	}
}

func TestInstallRefusesSymlinkedKernelJSON(t *testing.T) {
	prefix := t.TempDir()
	dir := filepath.Join(prefix, "share", "jupyter", "kernels", kernelspec.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "important.json")
	os.WriteFile(victim, []byte(`{"argv": ["`+filepath.Join(t.TempDir(), "x")+`"]}`), 0o644)
	before, _ := os.ReadFile(victim)
	if err := os.Symlink(victim, filepath.Join(dir, "kernel.json")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	for _, extra := range [][]string{nil, {"--replace"}} {
		code, out := install(t, append([]string{"--prefix", prefix}, extra...)...)
		if code != 1 || !strings.Contains(out, "symbolic link") || !strings.Contains(out, victim) {
			t.Errorf("%v: exit %d: %s", extra, code, out)
		}
	}
	if after, _ := os.ReadFile(victim); !bytes.Equal(after, before) {
		t.Errorf("golit install wrote through the link: %s", after)
	}
}

func TestInstallEmptyPrefix(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	for _, args := range [][]string{{"--prefix", ""}, {"--prefix="}} {
		code, out := install(t, args...)
		if code != 2 || !strings.Contains(out, "--prefix needs a folder") {
			t.Errorf("%q: exit %d: %s", args, code, out)
		}
	}
	if entries, _ := os.ReadDir(os.Getenv("JUPYTER_DATA_DIR")); len(entries) != 0 {
		t.Errorf("an empty --prefix installed for the user")
	}
}
