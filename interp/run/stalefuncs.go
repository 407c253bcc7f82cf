package run

import (
	"reflect"
	"runtime"
	"sort"
	"strings"

	"github.com/golit/golit/interp/rewrite"
)

// Function values an interrupt stopped.
//
// yaegi stops interpreted code by changing the interpreter's run id; every
// frame carries the id it was made with, and a function value made by
// interpreted code (a function literal, a method value) keeps the frame it
// was made in. After an interrupt such a value, kept in a notebook
// variable, runs nothing when called: it returns zero values at once.
// Functions declared with func are looked up afresh and are not affected.
// The engine cannot revive those values, so the cell after an interrupt
// names the notebook variables that hold one, on stderr, instead of
// letting them fail silently (interp/LIMITS.md).

// staleFuncNames lists the notebook variables holding a function value
// made by interpreted code.
func (e *Session) staleFuncNames() []string {
	var names []string
	for name, v := range e.yi.Globals() {
		if strings.HasPrefix(name, rewrite.Prefix) || !v.IsValid() || v.Kind() != reflect.Func || v.IsNil() {
			continue
		}
		if !madeByInterpreter(v) {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// madeByInterpreter reports whether a function value was made by yaegi
// (with reflect.MakeFunc) rather than compiled.
func madeByInterpreter(v reflect.Value) bool {
	f := runtime.FuncForPC(v.Pointer())
	return f != nil && strings.HasPrefix(f.Name(), "reflect.")
}

// noteStaleFuncs tells the user, once after an interrupt, which notebook
// variables hold function values the interrupt stopped.
func (e *Session) noteStaleFuncs() {
	if !e.interrupted {
		return
	}
	e.interrupted = false
	names := e.staleFuncNames()
	if len(names) == 0 {
		return
	}
	const most = 8
	list := names
	if len(list) > most {
		list = append(list[:most:most], "...")
	}
	e.note("note: the interrupt stopped the function values kept in " + strings.Join(list, ", ") +
		": calling them now does nothing. Run the cells that make them again (functions declared with func are not affected).\n")
}
