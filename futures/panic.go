package futures

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
)

// PanicError is the error of a task that panicked. The executor recovers the
// panic, so one bad task never takes the program (or the notebook kernel)
// down; the value passed to panic and the stack of the panicking goroutine
// are kept here.
//
// Error gives the one-line form; print it with %+v to see the stack too.
// When Value is an error, errors.Is and errors.As see through to it.
type PanicError struct {
	// Value is the value the task passed to panic (for a task that ran in a
	// worker process: its text).
	Value any
	// Stack is the stack trace of the goroutine that panicked, as printed by
	// runtime/debug.Stack.
	Stack []byte
}

// Error returns "panic: " followed by the panic value.
func (e *PanicError) Error() string {
	return fmt.Sprintf("panic: %v", e.Value)
}

// Unwrap returns Value when it is an error, so errors.Is(err, io.EOF) works
// for a task that did panic(io.EOF).
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// Format implements fmt.Formatter: %+v adds the stack trace to the message.
func (e *PanicError) Format(s fmt.State, verb rune) {
	_, _ = io.WriteString(s, e.Error())
	if verb == 'v' && s.Flag('+') && len(e.Stack) > 0 {
		_, _ = io.WriteString(s, "\n\n")
		_, _ = s.Write(e.Stack)
	}
}

// errGoexit is the error of a task that called runtime.Goexit (t.FailNow in
// a test, for example) instead of returning.
var errGoexit = errors.New("futures: task called runtime.Goexit instead of returning")

// Protect calls fn and returns what it returns; if fn panics, Protect
// recovers and returns a *PanicError with the panic value and stack. It is
// what every executor and pool in golit wraps around a task, exported so
// other packages handle panics the same way.
func Protect(fn func() (any, error)) (value any, err error) {
	defer func() {
		if p := recover(); p != nil {
			value, err = nil, &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return fn()
}
