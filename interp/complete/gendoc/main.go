// Command gendoc writes helperdocs.json, the documentation index of golit's
// helper packages that the completer embeds (see package
// interp/complete). Run it through go generate from interp/complete:
//
//	go generate ./interp/complete
//
// It finds the module root by walking up to go.mod.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/golit/golit/interp/complete/internal/docindex"
)

func main() {
	out := flag.String("o", "helperdocs.json", "output file")
	flag.Parse()
	root, err := moduleRoot()
	if err != nil {
		fail(err)
	}
	idx, err := docindex.Helpers(root, "github.com/golit/golit")
	if err != nil {
		fail(err)
	}
	data, err := docindex.Marshal(idx)
	if err != nil {
		fail(err)
	}
	if old, err := os.ReadFile(*out); err == nil && bytes.Equal(old, data) {
		return
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fail(err)
	}
}

// moduleRoot returns the nearest directory at or above the working
// directory that holds a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gendoc:", err)
	os.Exit(1)
}
