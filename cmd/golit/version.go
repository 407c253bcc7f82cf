package main

import (
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/golit/golit"
)

// version is golit's version: the repository's VERSION file (see
// golit.Version), or the module version of a tagged release when the
// binary was built by `go install github.com/golit/golit/cmd/golit@vX.Y.Z`.
var version = moduleVersion(golit.Version)

// moduleVersion returns the tagged module version from the build
// information, or fallback when there is none (a build in a checkout).
func moduleVersion(fallback string) string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return fallback
	}
	v := bi.Main.Version
	// Only a tagged release; a pseudo-version of a local build says less
	// than the VERSION file.
	if v == "" || v == "(devel)" || strings.ContainsAny(v, "-+") {
		return fallback
	}
	return strings.TrimPrefix(v, "v")
}

// goVersion is the Go version golit was built with, without the "go"
// prefix ("1.26.8"): the version of the language cells are written in.
func goVersion() string {
	v := strings.TrimPrefix(runtime.Version(), "go")
	if i := strings.IndexAny(v, " "); i >= 0 {
		v = v[:i]
	}
	return v
}
