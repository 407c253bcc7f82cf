// Package golit holds what the golit command carries inside its binary
// from the repository root: its version (the VERSION file, which the
// Python wheel's build reads too) and the workshop that `golit workshop`
// writes out.
//
// The kernel itself lives in the packages below (kernel, interp,
// cmd/golit); this package exists because Go's embed directive only
// reaches files in its own directory and below, and the workshop's
// notebooks live in notebooks/.
package golit

import (
	"embed"
	"strings"
)

//go:embed VERSION
var versionFile string

// Version is golit's release version ("0.1.0"), from the VERSION file at
// the repository root: the one place it is set, read by `golit version`
// and by the Python wheel's build (python/pyproject.toml).
var Version = strings.TrimSpace(versionFile)

// Workshop holds the eight workshop notebooks (notebooks/*.ipynb), the
// data they read (notebooks/data/...) and the README written for
// attendees (notebooks/workshop-README.md), under their repository paths.
//
//go:embed notebooks/*.ipynb notebooks/data notebooks/workshop-README.md
var Workshop embed.FS

// WorkshopRoot is the directory inside Workshop that holds the files.
const WorkshopRoot = "notebooks"
