// Package gostd holds yaegi symbol tables of standard packages regenerated
// for the Go release that builds golit (interp/internal/gensyms), loaded
// after yaegi's own Go 1.22 tables so that newer API (sync.OnceFunc,
// atomic.Int64.And, time.Time.Compare, ...) is reachable from cells.
package gostd

import "reflect"

//go:generate go run ../internal/gensyms -kind std -out .

// Symbols maps "import/path/name" to exported symbols, as yaegi's
// Interpreter.Use takes them.
var Symbols = map[string]map[string]reflect.Value{}
