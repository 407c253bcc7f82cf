package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// workshop runs `golit workshop ARGS` in this process and returns its
// exit code, stdout and stderr.
func workshop(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runWorkshop(args, &out, &errb)
	return code, out.String(), errb.String()
}

// repoNotebooks returns the workshop notebooks of the checkout by name,
// as an attendee gets them: without the jupytext pairing.
func repoNotebooks(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "notebooks", "*.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 8 {
		t.Fatalf("the checkout has %d notebooks, want 8", len(paths))
	}
	m := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if m[filepath.Base(p)], err = unpaired(b); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestWorkshopWritesNotebooksAndData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	code, out, errs := workshop(t, dir)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if !strings.Contains(out, "Wrote the workshop") {
		t.Errorf("output: %s", out)
	}
	for name, want := range repoNotebooks(t) {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if bytes.Contains(got, []byte(`"formats"`)) {
			t.Errorf("%s keeps the jupytext pairing of the repository", name)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from notebooks/%s", name, name)
		}
	}
	// 08 reads data/unicode-names.txt relative to the notebook.
	want, err := os.ReadFile(filepath.Join("..", "..", "notebooks", "data", "unicode-names.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "data", "unicode-names.txt")); err != nil || !bytes.Equal(got, want) {
		t.Errorf("data/unicode-names.txt: %v (same content: %v)", err, bytes.Equal(got, want))
	}
	if b, err := os.ReadFile(filepath.Join(dir, "README.md")); err != nil || !strings.Contains(string(b), "golit workshop --lab") {
		t.Errorf("README.md for attendees: %v %.80q", err, b)
	}

	// A second run changes nothing.
	code, out, _ = workshop(t, dir)
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("second run: exit %d, %s", code, out)
	}
}

func TestWorkshopKeepsEditedCopies(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := workshop(t, dir); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	nb := filepath.Join(dir, "02-no-gil.ipynb")
	edited := []byte(`{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "note": "my work"}`)
	if err := os.WriteFile(nb, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "04-futures.ipynb")); err != nil {
		t.Fatal(err)
	}

	// Without --force: the edited notebook is kept and named, the deleted one comes back.
	code, out, errs := workshop(t, dir)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if got, _ := os.ReadFile(nb); !bytes.Equal(got, edited) {
		t.Fatal("golit workshop overwrote an edited notebook")
	}
	if !strings.Contains(out, "Kept your changed copies of:\n  02-no-gil.ipynb") || !strings.Contains(out, "--force") {
		t.Errorf("no clear message about the kept copy:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "04-futures.ipynb")); err != nil {
		t.Errorf("deleted notebook not written again: %v", err)
	}
	// Still kept on the next run (the manifest still says golit wrote something else).
	workshop(t, dir)
	if got, _ := os.ReadFile(nb); !bytes.Equal(got, edited) {
		t.Fatal("a third run overwrote the edited notebook")
	}

	// --force (after DIR, as people type it) replaces it with the original.
	code, out, errs = workshop(t, dir, "--force")
	if code != 0 {
		t.Fatalf("--force: exit %d: %s%s", code, out, errs)
	}
	if got, _ := os.ReadFile(nb); !bytes.Equal(got, repoNotebooks(t)["02-no-gil.ipynb"]) {
		t.Error("--force did not restore the original notebook")
	}
	if !strings.Contains(out, "replaced your changed copy of 02-no-gil.ipynb") {
		t.Errorf("--force output:\n%s", out)
	}
}

// A file that an earlier golit wrote and nobody changed is updated to
// this golit's version; that is not an edit.
func TestWorkshopUpdatesUntouchedFiles(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := workshop(t, dir); code != 0 {
		t.Fatal(errs)
	}
	// Pretend an older golit wrote another 01 notebook and recorded it.
	older := []byte(`{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`)
	nb := filepath.Join(dir, "01-timing-and-spinners.ipynb")
	if err := os.WriteFile(nb, older, 0o644); err != nil {
		t.Fatal(err)
	}
	mpath := filepath.Join(dir, manifestName)
	m, err := os.ReadFile(mpath)
	if err != nil {
		t.Fatal(err)
	}
	files, err := workshopFiles()
	if err != nil {
		t.Fatal(err)
	}
	var cur string
	for _, f := range files {
		if f.name == "01-timing-and-spinners.ipynb" {
			cur = f.sum
		}
	}
	m = bytes.Replace(m, []byte(cur), []byte(sha(older)), 1)
	if err := os.WriteFile(mpath, m, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := workshop(t, dir)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if got, _ := os.ReadFile(nb); !bytes.Equal(got, repoNotebooks(t)["01-timing-and-spinners.ipynb"]) {
		t.Errorf("untouched older notebook not updated; output:\n%s", out)
	}
	if !strings.Contains(out, "1 updated") || strings.Contains(out, "Kept") {
		t.Errorf("output:\n%s", out)
	}
}

func TestWorkshopRefusesUnrelatedFolder(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "thesis.tex")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := workshop(t, dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s%s", code, out, errs)
	}
	if !strings.Contains(errs, "is not empty and was not written by golit workshop") || !strings.Contains(errs, "thesis.tex") {
		t.Errorf("unclear error: %s", errs)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the refused folder now has %d entries", len(entries))
	}
	// --force writes into it and leaves the unrelated file alone.
	if code, _, errs := workshop(t, "--force", dir); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(mine); string(b) != "mine" {
		t.Error("--force touched an unrelated file")
	}
	if _, err := os.Stat(filepath.Join(dir, "08-async-networking.ipynb")); err != nil {
		t.Error(err)
	}

	// A file where the folder should be.
	file := filepath.Join(t.TempDir(), "afile")
	os.WriteFile(file, nil, 0o644)
	if code, _, errs := workshop(t, file); code != 1 || !strings.Contains(errs, "is not a folder") {
		t.Errorf("file as folder: exit %d, %s", code, errs)
	}
}

func TestWorkshopArguments(t *testing.T) {
	d := t.TempDir()
	if code, _, errs := workshop(t, filepath.Join(d, "a"), filepath.Join(d, "b")); code != 2 || !strings.Contains(errs, "one folder only") {
		t.Errorf("two folders: exit %d, %s", code, errs)
	}
	if code, _, errs := workshop(t, filepath.Join(d, "a"), "--", "--port=1"); code != 2 || !strings.Contains(errs, "need --lab") {
		t.Errorf("-- without --lab: exit %d, %s", code, errs)
	}
	if code, _, _ := workshop(t, "--nosuch"); code != 2 {
		t.Errorf("unknown flag: exit %d", code)
	}
	if entries, _ := os.ReadDir(d); len(entries) != 0 {
		t.Errorf("bad arguments wrote %d entries", len(entries))
	}
	// The default folder is ./golit-workshop.
	t.Chdir(d)
	if code, _, errs := workshop(t); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(filepath.Join(d, defaultWorkshopDir, "03-processes.ipynb")); err != nil {
		t.Error(err)
	}
}

func TestWorkshopLabWithoutJupyterLab(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // neither jupyter-lab nor python
	dir := filepath.Join(t.TempDir(), "ws")
	code, out, errs := workshop(t, "--lab", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s%s", code, out, errs)
	}
	if !strings.Contains(errs, "JupyterLab is not installed") || !strings.Contains(errs, "pip install jupyterlab") {
		t.Errorf("unclear message: %s", errs)
	}
	// The notebooks were written all the same.
	if _, err := os.Stat(filepath.Join(dir, "01-timing-and-spinners.ipynb")); err != nil {
		t.Error(err)
	}
}
