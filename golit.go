// Package golit holds what the golit command carries inside its binary
// from the repository root: the workshop that `golit workshop` writes out.
//
// The kernel itself lives in the packages below (kernel, interp,
// cmd/golit); this package exists because Go's embed directive only
// reaches files in its own directory and below, and the workshop's
// notebooks live in notebooks/.
package golit

import "embed"

// Workshop holds the eight workshop notebooks (notebooks/*.ipynb), the
// data they read (notebooks/data/...) and the README written for
// attendees (notebooks/workshop-README.md), under their repository paths.
//
//go:embed notebooks/*.ipynb notebooks/data notebooks/workshop-README.md
var Workshop embed.FS

// WorkshopRoot is the directory inside Workshop that holds the files.
const WorkshopRoot = "notebooks"
