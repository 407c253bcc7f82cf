package run

import (
	"fmt"
	"strings"
)

// The runtime half of the builtin print rewrite (interp/rewrite/
// builtinprint.go): what golit__rt.Print and golit__rt.Println do.

// builtinPrint is what print(args...) does in a cell: the arguments
// formatted with %v, without separators, as compiled Go writes them, to
// standard error.
func (e *Session) builtinPrint(args ...any) {
	var b strings.Builder
	for _, a := range args {
		fmt.Fprintf(&b, "%v", a)
	}
	e.writeStderr(b.String())
}

// builtinPrintln is println(args...): the arguments separated by spaces and
// a newline, to standard error.
func (e *Session) builtinPrintln(args ...any) {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%v", a)
	}
	b.WriteByte('\n')
	e.writeStderr(b.String())
}

// writeStderr writes s where the cell's os.Stderr writes, so that it keeps
// its order with other standard error output.
func (e *Session) writeStderr(s string) {
	if _, err := e.orderedWrite(true, []byte(s)); err == nil {
		return
	}
	e.note(s)
}
