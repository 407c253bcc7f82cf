package run

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"io"
	"reflect"
	"sort"

	yaegi "github.com/traefik/yaegi/interp"

	"github.com/golit/golit/interp/parse"
	"github.com/golit/golit/interp/rewrite"
	"github.com/golit/golit/interp/typefmt"
)

// Go's names for the notebook's types in fmt's output (see
// interp/typefmt): the fmt and log functions cells call, and errors.As,
// are replaced by versions that print, and match, the types cells declare
// as a compiled program does. The hooks in the engine: cellTypes (the
// registry), nameTypes calls noteTypeSources, nameType calls Declare,
// useExtraSymbols loads cellFmtExports (with golit__rt.TypeMethod,
// cellTypes.SetMethod), and the Out[n] formatter asks FieldName and
// DisplayType.

// noteTypeSources records the names, field names and field types of the
// types entries declare, and registers callable versions of the String,
// Error and GoString methods entries declare (golit__rt.TypeMethod), with
// which fmt's replacements print values of the notebook's types inside
// structs (a field's reflect type has lost its methods).
func (e *Session) noteTypeSources(ctx context.Context, entries []*parse.Declaration) {
	fresh := map[*parse.Declaration]bool{}
	for _, d := range entries {
		switch d.Kind {
		case parse.TypeDecl:
			e.cellTypes.Source(d.Src) // forgets the type's methods
		case parse.MethodDecl:
			fresh[d] = true
		}
	}
	// The methods of this cell, and those the registry lacks: a type
	// declared again has its methods compiled again only after the cell's
	// declarations (recompileDependents), which call nameTypes again.
	var list []ast.Stmt
	for _, d := range e.formatMethods() {
		if d.Recv == "" {
			continue
		}
		m, t := d.Names[0], d.Recv
		if !fresh[d] && e.cellTypes.HasMethod(t, m) {
			continue
		}
		if td := e.decls.byName[t]; td == nil || isGenericType(td.Src, t) {
			continue
		}
		var srcs []string
		if jsonMethods[m] {
			srcs = jsonMethodSources(t, m, d.PtrRecv)
		} else if !d.PtrRecv {
			srcs = append(srcs, fmt.Sprintf("%s.TypeMethod(%q, %q, false, func(v %s) string { return v.%s() })", rewrite.RuntimePkg, t, m, t, m))
		}
		if !jsonMethods[m] {
			srcs = append(srcs, fmt.Sprintf("%s.TypeMethod(%q, %q, true, func(v *%s) string { return v.%s() })", rewrite.RuntimePkg, t, m, t, m))
		}
		for _, src := range srcs {
			if x, err := parser.ParseExprFrom(e.yi.FileSet(), e.fileName(), src, 0); err == nil {
				list = append(list, &ast.ExprStmt{X: x})
			}
		}
	}
	if len(list) == 0 {
		return
	}
	if _, x := e.compileRun(ctx, e.newBlock(list...)); x != nil && len(list) > 1 {
		for _, st := range list { // one at a time: the others may compile
			e.compileRun(ctx, e.newBlock(st))
		}
	}
}

// fmtMethodNames are the methods fmt calls that typefmt can call for a
// value inside a struct.
// formatMethods returns the notebook's methods that fmt or encoding/json
// call (fmtMethodNames, jsonMethods), in definition order, without going
// through the notebook's other declarations.
func (e *Session) formatMethods() []*parse.Declaration {
	var out []*parse.Declaration
	for _, names := range []map[string]bool{fmtMethodNames, jsonMethods} {
		for m := range names {
			for _, d := range e.decls.methodsNamed(m) {
				out = append(out, d)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

var fmtMethodNames = map[string]bool{"String": true, "Error": true, "GoString": true}

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
func (e *Session) cellFmtExports() yaegi.Exports {
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
	cellJSONSymbols(reg, e.yi.Symbols("encoding/json")["encoding/json"], mt)
	cellXMLSymbols(reg, e.yi.Symbols("encoding/xml")["encoding/xml"], mt)
	return yaegi.Exports{
		rtImportPath + "/" + rewrite.RuntimePkg: {"TypeMethod": reflect.ValueOf(reg.SetMethod), "Typed": reflect.ValueOf(reg.Typed)},
		"errors/errors":                         {"As": reflect.ValueOf(typefmt.As), "Is": reflect.ValueOf(typefmt.Is)},
		".":                                     {"MapTypes": reflect.ValueOf(mt)},
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
