package kernelspec

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "share", "jupyter", "kernels", Name)
	bin := filepath.Join(t.TempDir(), "golit")
	if err := Write(dir, New(bin)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	argv := spec["argv"].([]any)
	if len(argv) != 4 || argv[0] != bin || argv[1] != "kernel" || argv[2] != "-f" || argv[3] != "{connection_file}" {
		t.Errorf("argv %v", argv)
	}
	if spec["display_name"] != "Go (golit)" || spec["language"] != "go" || spec["interrupt_mode"] != "message" {
		t.Errorf("kernel.json %s", data)
	}
	for _, name := range Logos {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := Logo(name)
		if !bytes.Equal(got, want) || len(got) == 0 {
			t.Errorf("%s not written", name)
		}
	}
	if err := Write(dir, New("relative/golit")); err == nil {
		t.Error("a relative binary path was accepted")
	}
	// A bare command name is what a wheel's kernelspec runs (found on PATH).
	if err := Write(dir, New("golit")); err != nil {
		t.Errorf("a command name was refused: %v", err)
	}
	if spec, err := Read(dir); err != nil || spec.Argv[0] != "golit" {
		t.Errorf("Read: %v %v", spec.Argv, err)
	}
}

func TestWriteRefusesSymlinks(t *testing.T) {
	victim := filepath.Join(t.TempDir(), "victim.json")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), Name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, "kernel.json")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	err := Write(dir, New("/opt/golit"))
	if err == nil || !strings.Contains(err.Error(), "symbolic link") || !strings.Contains(err.Error(), victim) {
		t.Errorf("Write through a kernel.json link: %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Errorf("the link's target was written: %q", b)
	}
	// The kernelspec directory itself as a link.
	linked := filepath.Join(t.TempDir(), Name)
	if err := os.Symlink(t.TempDir(), linked); err != nil {
		t.Fatal(err)
	}
	if err := Write(linked, New("/opt/golit")); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Write into a linked directory: %v", err)
	}
}

func TestLogos(t *testing.T) {
	for name, size := range map[string]int{"logo-32x32.png": 32, "logo-64x64.png": 64} {
		b, _ := Logo(name)
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r := img.Bounds(); r.Dx() != size || r.Dy() != size {
			t.Errorf("%s is %v", name, r)
		}
		// The corners are transparent (rounded), the centre is not.
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("%s: corner not transparent", name)
		}
		if _, _, _, a := img.At(size/2, size/2).RGBA(); a == 0 {
			t.Errorf("%s: centre transparent", name)
		}
	}
	svg, _ := Logo("logo-svg.svg")
	if !strings.HasPrefix(string(svg), "<svg") || !strings.Contains(string(svg), `viewBox="0 0 64 64"`) {
		t.Errorf("svg logo: %.80s", svg)
	}
}
