package interp

import (
	"fmt"
	"io"
	"reflect"

	yaegi "github.com/traefik/yaegi/interp"

	"github.com/golit/golit/interp/typefmt"
)

// Go's names for the notebook's types in fmt's output (see
// interp/typefmt): the fmt and log functions cells call, and errors.As,
// are replaced by versions that print, and match, the types cells declare
// as a compiled program does. The hooks in the engine: cellTypes (the
// registry), nameTypes calls noteTypeSources, nameType calls Declare,
// useExtraSymbols loads cellFmtExports.

// noteTypeSources records the field names of the struct types entries
// declare and the pointer-receiver methods of the notebook's types.
func (e *Engine) noteTypeSources(entries []*declEntry) {
	for _, d := range entries {
		if d.kind == declType {
			e.cellTypes.Source(d.src)
		}
	}
	ptrs := map[string][]string{}
	for _, d := range e.decls.byKey {
		if d.kind != declMethod || d.recv == "" {
			continue
		}
		if _, ok := ptrs[d.recv]; !ok {
			ptrs[d.recv] = nil
		}
		if d.ptrRecv && len(d.names) > 0 {
			ptrs[d.recv] = append(ptrs[d.recv], d.names[0])
		}
	}
	for recv, ms := range ptrs {
		e.cellTypes.Methods(recv, ms)
	}
}

// fmtMapTypes are the interfaces yaegi wraps an interpreted operand in
// when it has their methods, so that the replaced functions can call them
// (yaegi's list for fmt, and error, whose method fmt calls too). Not
// GoStringer: a wrapped struct value loses its fields (see
// typefmt.trusted), and GoString matters to %#v only.
var fmtMapTypes = []reflect.Type{
	reflect.TypeOf((*fmt.Formatter)(nil)).Elem(),
	reflect.TypeOf((*fmt.Stringer)(nil)).Elem(),
	reflect.TypeOf((*error)(nil)).Elem(),
}

// cellFmtExports replaces, in the interpreter's fmt and log tables, the
// printing functions by versions that know the notebook's types, and
// returns errors.As and the interfaces yaegi is to wrap their operands in.
// (The tables are changed in place: loading a table named fmt/fmt again
// would make yaegi redo its standard library set-up.)
func (e *Engine) cellFmtExports() yaegi.Exports {
	reg := e.cellTypes
	mt := map[reflect.Value][]reflect.Type{}
	for _, pkg := range []string{"fmt", "log"} {
		syms := e.yi.Symbols(pkg)[pkg]
		for name, v := range syms {
			if v.Kind() != reflect.Func {
				continue
			}
			w := wrapPrinter(reg, v.Interface())
			if w == nil {
				continue
			}
			rv := reflect.ValueOf(w)
			syms[name] = rv
			mt[rv] = fmtMapTypes
		}
	}
	return yaegi.Exports{
		"errors/errors": {"As": reflect.ValueOf(typefmt.As), "Is": reflect.ValueOf(typefmt.Is)},
		".":             {"MapTypes": reflect.ValueOf(mt)},
	}
}

// wrapPrinter returns f with its operands passed through reg, or nil when
// f is not one of fmt's printing signatures.
func wrapPrinter(reg *typefmt.Registry, f any) any {
	switch f := f.(type) {
	case func(...any) (int, error): // Print, Println
		return func(a ...any) (int, error) { return f(reg.Args(a)...) }
	case func(string, ...any) (int, error): // Printf
		return func(format string, a ...any) (int, error) { format, a = reg.Printf(format, a); return f(format, a...) }
	case func(...any) string: // Sprint, Sprintln
		return func(a ...any) string { return f(reg.Args(a)...) }
	case func(string, ...any) string: // Sprintf
		return func(format string, a ...any) string { format, a = reg.Printf(format, a); return f(format, a...) }
	case func(string, ...any) error: // Errorf
		return func(format string, a ...any) error { format, a = reg.Printf(format, a); return f(format, a...) }
	case func(io.Writer, ...any) (int, error): // Fprint, Fprintln
		return func(w io.Writer, a ...any) (int, error) { return f(w, reg.Args(a)...) }
	case func(io.Writer, string, ...any) (int, error): // Fprintf
		return func(w io.Writer, format string, a ...any) (int, error) {
			format, a = reg.Printf(format, a)
			return f(w, format, a...)
		}
	case func([]byte, ...any) []byte: // Append, Appendln
		return func(b []byte, a ...any) []byte { return f(b, reg.Args(a)...) }
	case func([]byte, string, ...any) []byte: // Appendf
		return func(b []byte, format string, a ...any) []byte {
			format, a = reg.Printf(format, a)
			return f(b, format, a...)
		}
	case func(...any): // log.Print, Println, Fatal, Panic, ...
		return func(a ...any) { f(reg.Args(a)...) }
	case func(string, ...any): // log.Printf, Fatalf, Panicf
		return func(format string, a ...any) { format, a = reg.Printf(format, a); f(format, a...) }
	}
	return nil
}
