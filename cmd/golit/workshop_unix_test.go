//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWorkshopReadOnly runs golit workshop (this test binary, re-executed)
// as an unprivileged user when the test runs as root, because root writes
// into read-only folders.
func TestWorkshopReadOnly(t *testing.T) {
	base, err := os.MkdirTemp("", "golit-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(base, 0o755); os.RemoveAll(base) })
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "golit.test")
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	ro := filepath.Join(base, "ro")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}

	for _, target := range []string{ro, filepath.Join(ro, "ws")} {
		cmd := exec.Command(bin, "-test.run=^TestWorkshopHelperProcess$")
		cmd.Env = append(os.Environ(), "GOLIT_WORKSHOP_HELPER="+target)
		if os.Geteuid() == 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		}
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("%s: no error:\n%s", target, out)
		}
		if !strings.Contains(string(out), "permission denied") || !strings.Contains(string(out), "Pick a folder you can write to") {
			t.Errorf("%s: unclear message:\n%s", target, out)
		}
	}
	if entries, _ := os.ReadDir(ro); len(entries) != 0 {
		t.Errorf("the read-only folder has %d entries", len(entries))
	}
}

// TestWorkshopHelperProcess is golit workshop for TestWorkshopReadOnly.
func TestWorkshopHelperProcess(t *testing.T) {
	dir := os.Getenv("GOLIT_WORKSHOP_HELPER")
	if dir == "" {
		t.Skip("helper process for TestWorkshopReadOnly")
	}
	code := runWorkshop([]string{dir}, os.Stdout, os.Stdout)
	os.Exit(code)
}
