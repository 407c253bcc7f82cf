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
	"os"
	"path/filepath"
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

// New returns the kernelspec for the golit binary at the absolute path
// binary.
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

// Write creates dir and writes kernel.json and the logos into it,
// replacing an earlier installation.
func Write(dir string, spec Spec) error {
	if !filepath.IsAbs(spec.Argv[0]) {
		return fmt.Errorf("kernelspec: the kernel binary path %q is not absolute", spec.Argv[0])
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	for _, name := range Logos {
		b, err := logos.ReadFile(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
