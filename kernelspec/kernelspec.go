// Package kernelspec holds golit's Jupyter kernelspec: the kernel.json it
// writes and the logos JupyterLab's launcher shows. The logos are embedded
// in the golit binary, so installing the kernelspec needs no source tree
// and no Python.
package kernelspec

//go:generate go run ./internal/genlogo

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/golit/golit/internal/atomicfile"
)

// Name is the kernelspec's directory name: `jupyter kernelspec list`
// shows it and `--kernel golit` selects it.
const Name = "golit"

// DisplayName is the name frontends show.
const DisplayName = "Go (golit)"

// Logos lists the logo files Jupyter looks for in a kernelspec directory.
var Logos = []string{"logo-32x32.png", "logo-64x64.png", "logo-svg.svg"}

//go:embed logo-32x32.png logo-64x64.png logo-svg.svg
var logos embed.FS

// Spec is the content of kernel.json.
type Spec struct {
	Argv          []string       `json:"argv"`
	DisplayName   string         `json:"display_name"`
	Language      string         `json:"language"`
	InterruptMode string         `json:"interrupt_mode"`
	Env           map[string]any `json:"env,omitempty"`
	Metadata      map[string]any `json:"metadata"`
}

// New returns the kernelspec that runs binary: an absolute path, or a
// command name without a directory (such as "golit") that Jupyter looks
// up on PATH when it starts a kernel, as a kernelspec installed by a
// Python wheel needs.
func New(binary string) Spec {
	return Spec{
		Argv:          []string{binary, "kernel", "-f", "{connection_file}"},
		DisplayName:   DisplayName,
		Language:      "go",
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}
}

// Logo returns the content of one of the Logos.
func Logo(name string) ([]byte, error) { return logos.ReadFile(name) }

// Read returns the kernelspec in dir.
func Read(dir string) (Spec, error) {
	var spec Spec
	data, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		return spec, err
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		return spec, fmt.Errorf("%s: %w", filepath.Join(dir, "kernel.json"), err)
	}
	if len(spec.Argv) == 0 {
		return spec, fmt.Errorf("%s: no argv", filepath.Join(dir, "kernel.json"))
	}
	return spec, nil
}

// Files lists the files Write writes into a kernelspec directory.
func Files() []string { return append([]string{"kernel.json"}, Logos...) }

// Write creates dir and writes kernel.json and the logos into it,
// replacing an earlier installation. It refuses to write when dir or one
// of its files is a symbolic link (golit never makes one, so someone else
// did, and writing would change the file it points to), and it writes
// each file through a temporary file renamed into place, so an
// interrupted install leaves the old file or the new one.
func Write(dir string, spec Spec) error {
	if len(spec.Argv) == 0 {
		return fmt.Errorf("kernelspec: no kernel command")
	}
	if bin := spec.Argv[0]; !filepath.IsAbs(bin) && filepath.Base(bin) != bin {
		return fmt.Errorf("kernelspec: the kernel binary %q is neither an absolute path nor a command name", bin)
	}
	if err := CheckNoSymlinks(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, "kernel.json"), append(data, '\n')); err != nil {
		return err
	}
	for _, name := range Logos {
		b, err := logos.ReadFile(name)
		if err != nil {
			return err
		}
		if err := atomicfile.Write(filepath.Join(dir, name), b); err != nil {
			return err
		}
	}
	return nil
}

// CheckNoSymlinks returns an error naming the first symbolic link among
// dir and the files Write writes into it.
func CheckNoSymlinks(dir string) error {
	paths := []string{dir}
	for _, name := range Files() {
		paths = append(paths, filepath.Join(dir, name))
	}
	for _, p := range paths {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		to, _ := os.Readlink(p)
		return fmt.Errorf("%s is a symbolic link (to %s) that golit did not make; "+
			"golit does not write through it. Remove the link and install again", p, to)
	}
	return nil
}
