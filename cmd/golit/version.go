package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// version is golit's version. Release builds may set it with
// -ldflags "-X main.version=v1.2.3"; otherwise the module version from the
// build information is used when there is one.
var version = "0.1.0"

func init() {
	if version != "0.1.0" {
		return
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		// Only a tagged release; a pseudo-version of a local build says
		// less than the version above.
		if v != "" && v != "(devel)" && !strings.ContainsAny(v, "-+") {
			version = strings.TrimPrefix(v, "v")
		}
	}
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
