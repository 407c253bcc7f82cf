// Package steps lets a notebook say which cells a cell depends on, so that
// after a kernel restart a cell run out of order fails with a message that
// names the cell to run first, instead of "undefined: numbers".
//
// A cell that prepares something for later sections (a calibration, a
// measurement a chart compares) ends with Done; a cell of a later section
// that needs it starts with Need, in a cell of its own: Go compiles a whole
// cell before running it, so a Need in the same cell as the first use of a
// missing variable would never get to speak.
//
//	// the calibration cell
//	numbers := calibrate()
//	steps.Done("calibration")
//
//	// first cell of a later section
//	steps.Need("calibration", "the cell under “Calibration”")
//
// The record lives in the kernel process: a kernel restart forgets it, as
// it forgets the notebook's variables.
package steps

import (
	"fmt"
	"sync"
)

var (
	mu   sync.Mutex
	done = map[string]bool{}
)

// Done records that the step called name has run.
func Done(name string) {
	mu.Lock()
	done[name] = true
	mu.Unlock()
}

// Has reports whether the step called name has run (Done was called).
func Has(name string) bool {
	mu.Lock()
	defer mu.Unlock()
	return done[name]
}

// Need panics unless the step called name has run, with a message that
// tells the reader to run the cell described by where first.
func Need(name, where string) {
	if !Has(name) {
		panic(&MissingError{Name: name, Where: where})
	}
}

// Forget erases the record of the steps called names (all steps when none
// is given), as a kernel restart does.
func Forget(names ...string) {
	mu.Lock()
	defer mu.Unlock()
	if len(names) == 0 {
		clear(done)
	}
	for _, n := range names {
		delete(done, n)
	}
}

// MissingError is the panic value of Need: the step that has not run and
// the cell that runs it.
type MissingError struct {
	Name  string
	Where string
}

// Error says what is missing and which cell to run.
func (e *MissingError) Error() string {
	return fmt.Sprintf("this cell needs %q, which has not run since the kernel started: run %s first", e.Name, e.Where)
}
