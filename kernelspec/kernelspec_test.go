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
