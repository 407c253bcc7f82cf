package run

import (
	"strings"
	"testing"
)

func TestIsModuleImport(t *testing.T) {
	for p, want := range map[string]bool{
		"golang.org/x/sync/errgroup":       true,
		"github.com/dustin/go-humanize":    true,
		"fmt":                              false,
		"net/http":                         false,
		"github.com/golit/golit/display":   false,
		"golit/display":                    false,
		"example.com/m":                    true,
		"github.com/golit/golit/interp/rt": false,
	} {
		if got := isModuleImport(p); got != want {
			t.Errorf("isModuleImport(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestRewriteModuleFile(t *testing.T) {
	src := `//go:build !amd64 || purego

package p

import "math"

func Top(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	go func() {}()
	for i := range 3 {
		_ = i
	}
	return m
}

func Low(x float64) bool { return x < 0.0-math.MaxFloat64 }

func Make() (*Other, *int) { return new(Other), new(5) }
`
	out, helpers, err := rewriteModuleFile("p.go", []byte(src), map[string]bool{"Other": true})
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"golit__max(", "import golit__rt \"github.com/golit/golit/interp/rt\"", "float64(0.0)-math.MaxFloat64", "for i := golit__n", "new(Other), golit__new(5)"} {
		if !strings.Contains(text, want) {
			t.Errorf("rewritten file lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "go:build") {
		t.Errorf("build constraint kept:\n%s", text)
	}
	if !helpers {
		t.Error("helpers = false for a file calling max")
	}
}
