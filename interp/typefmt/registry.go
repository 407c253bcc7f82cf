// Package typefmt prints the values of types declared in notebook cells the
// way Go's fmt prints them in a compiled program.
//
// yaegi builds a cell's struct type with reflect.StructOf: the type has no
// name, and its unexported fields are renamed (x becomes Xx) so that
// reflection can reach them. Go's fmt, handed such a value, prints
// struct { Xx int; Xy int }{Xx:1, Xy:2} where a compiled program prints
// main.point{x:1, y:2}. A Registry maps the reflect types of the
// notebook's types back to their declared names, field names and field
// types, and holds callable versions of their String, Error and GoString
// methods; Printer and the argument wrappers (Args, Printf) print with
// them.
//
// A named type that is not a struct (type celsius float64) has the reflect
// type of its underlying type, and two struct types with the same fields
// share one reflect type (Info.Ambiguous): reflection cannot tell them
// apart. An operand whose declared type the caller knows from the source
// is passed as Typed(declared type, value), which prints with that type;
// otherwise the first prints as its underlying type and the second as the
// struct type written with its declared field names.
package typefmt

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Info is what the registry knows about one reflect type of the notebook.
type Info struct {
	// Name is the qualified Go name, "main.point".
	Name string
	// Fields are the declared field names, in order (embedded fields are
	// named by their type, as Go names them); nil when unknown.
	Fields []string
	// FieldTypes are the declared types of the fields (nil when unknown).
	FieldTypes []ast.Expr
	// Ambiguous is set when several declared types share the reflect type;
	// Name is then empty.
	Ambiguous bool
	// Embedded tells, per field, whether it was declared embedded (nil
	// when unknown).
	Embedded []bool
}

// methodSet holds callable versions of a notebook type's String, Error
// and GoString methods: on a value (func(T) string, value receivers only)
// and on a pointer (func(*T) string).
type methodSet struct {
	val, ptr map[string]reflect.Value
}

// Registry maps the reflect types of notebook types to their Go names. It is
// safe for concurrent use.
type Registry struct {
	mu     sync.RWMutex
	byType map[reflect.Type]*Info
	names  map[reflect.Type]map[string]bool // declared names per type
	fields map[string][]string              // declared field names by type name
	ftypes map[string][]ast.Expr            // declared field types by type name
	embeds map[string][]bool                // embedded fields by type name
	types  map[string]ast.Expr              // every declared type, by name
	meths  map[string]*methodSet            // fmt's methods by type name
	pkg    string
}

// NewRegistry returns an empty registry whose types belong to package pkg
// ("main").
func NewRegistry(pkg string) *Registry {
	r := &Registry{pkg: pkg}
	r.Reset()
	return r
}

// Reset forgets every type (the notebook was reset).
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byType = map[reflect.Type]*Info{}
	r.names = map[reflect.Type]map[string]bool{}
	r.fields = map[string][]string{}
	r.ftypes = map[string][]ast.Expr{}
	r.embeds = map[string][]bool{}
	r.types = map[string]ast.Expr{}
	r.meths = map[string]*methodSet{}
}

// Source records the declaration source of a type (src is a type
// declaration, "type point struct{ x, y int }", possibly of several types):
// the types it declares, and the field names and types of its structs.
func (r *Registry) Source(src string) {
	decls := typeDecls(src)
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, te := range decls {
		r.types[name] = te
		delete(r.meths, name) // declared again: its methods come again
		if st, ok := te.(*ast.StructType); ok {
			r.fields[name] = FieldNames(st)
			r.ftypes[name] = fieldTypes(st)
			r.embeds[name] = embeddedFields(st)
		} else {
			delete(r.fields, name)
			delete(r.ftypes, name)
			delete(r.embeds, name)
		}
		for t, ns := range r.names {
			if ns[name] {
				r.rebuild(t)
			}
		}
	}
}

// SetMethod records fn, a function calling method (String, Error or
// GoString) of the notebook type name on a value of it (func(T) string)
// or, when ptr is set, on a pointer to one (func(*T) string); or
// MarshalJSON (func(T) ([]byte, error), func(*T) ([]byte, error)) or
// UnmarshalJSON (func(*T, []byte) error), which Shadow calls for values
// inside other values. Values of
// notebook types inside registered structs are printed with them.
func (r *Registry) SetMethod(name, method string, ptr bool, fn any) {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func {
		return
	}
	switch ft := v.Type(); method {
	case "MarshalJSON":
		if ft.NumIn() != 1 || ft.NumOut() != 2 {
			return
		}
	case "UnmarshalJSON":
		if ft.NumIn() != 2 || ft.NumOut() != 1 {
			return
		}
	default:
		if ft.NumIn() != 1 || ft.NumOut() != 1 || ft.Out(0).Kind() != reflect.String {
			return
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ms := r.meths[name]
	if ms == nil {
		ms = &methodSet{val: map[string]reflect.Value{}, ptr: map[string]reflect.Value{}}
		r.meths[name] = ms
	}
	if ptr {
		ms.ptr[method] = v
	} else {
		ms.val[method] = v
	}
}

// HasMethod reports whether SetMethod recorded method of type name (on a
// pointer, which every method is on) since the type was last declared.
func (r *Registry) HasMethod(name, method string) bool {
	_, ok := r.method(name, method, true)
	return ok
}

// method returns the function calling method on a value (or pointer) of
// the notebook type name, if it has one.
func (r *Registry) method(name, method string, ptr bool) (reflect.Value, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ms := r.meths[name]
	if ms == nil {
		return reflect.Value{}, false
	}
	if ptr {
		f, ok := ms.ptr[method]
		return f, ok
	}
	f, ok := ms.val[method]
	return f, ok
}

// structOf returns the declared field names and types of the notebook
// struct type name, if t can be a value of it.
func (r *Registry) structOf(name string, t reflect.Type) ([]string, []ast.Expr) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ft := r.fields[name], r.ftypes[name]
	if t.Kind() != reflect.Struct || len(f) != t.NumField() || len(ft) != t.NumField() {
		return nil, nil
	}
	return f, ft
}

// declared returns the type expression of the notebook type name.
func (r *Registry) declared(name string) (ast.Expr, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.types[name]
	return t, ok
}

// Declare records that the notebook type name has reflect type t. A name
// declared again (redefined) moves to its new type.
func (r *Registry) Declare(t reflect.Type, name string) {
	if t == nil || t.Kind() != reflect.Struct || t.Name() != "" {
		return // not a struct yaegi built: nothing tells it from its underlying type
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for old, ns := range r.names {
		if ns[name] && old != t {
			delete(ns, name)
			r.rebuild(old)
		}
	}
	ns := r.names[t]
	if ns == nil {
		ns = map[string]bool{}
		r.names[t] = ns
	}
	ns[name] = true
	r.rebuild(t)
}

// rebuild computes the Info of t from its names; r.mu is held.
func (r *Registry) rebuild(t reflect.Type) {
	ns := r.names[t]
	if len(ns) == 0 {
		delete(r.byType, t)
		delete(r.names, t)
		return
	}
	var list []string
	for n := range ns {
		list = append(list, n)
	}
	sort.Strings(list)
	info := &Info{}
	if len(list) > 1 {
		info.Ambiguous = true
	} else {
		info.Name = r.pkg + "." + list[0]
		if ft := r.ftypes[list[0]]; len(ft) == t.NumField() {
			info.FieldTypes = ft
		}
	}
	if f := r.fields[list[0]]; t.Kind() == reflect.Struct && len(f) == t.NumField() {
		info.Fields = f
		if em := r.embeds[list[0]]; len(em) == len(f) {
			info.Embedded = em
		}
	}
	r.byType[t] = info
}

// Lookup returns what the registry knows of t, or nil.
func (r *Registry) Lookup(t reflect.Type) *Info {
	if r == nil || t == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.byType[t]
}

// Empty reports whether no type is registered.
func (r *Registry) Empty() bool {
	if r == nil {
		return true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.byType) == 0
}

// StructFields parses a type declaration and returns, for each struct
// type it declares, its field names in order.
func StructFields(src string) map[string][]string {
	out := map[string][]string{}
	for name, te := range typeDecls(src) {
		if st, ok := te.(*ast.StructType); ok {
			out[name] = FieldNames(st)
		}
	}
	return out
}

// typeDecls parses a type declaration and returns the type expressions of
// the non-generic types it declares, by name (an alias is left out).
func typeDecls(src string) map[string]ast.Expr {
	out := map[string]ast.Expr{}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, parser.SkipObjectResolution)
	if err != nil {
		return out
	}
	for _, d := range f.Decls {
		ast.Inspect(d, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			if ts.TypeParams == nil && !ts.Assign.IsValid() {
				out[ts.Name.Name] = ts.Type
			}
			return false
		})
	}
	return out
}

// fieldTypes returns the declared types of a struct type's fields, one
// per field.
func fieldTypes(st *ast.StructType) []ast.Expr {
	var ts []ast.Expr
	for _, f := range st.Fields.List {
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		for i := 0; i < n; i++ {
			ts = append(ts, f.Type)
		}
	}
	return ts
}

// embeddedFields tells, per field of a struct type, whether it is
// embedded.
func embeddedFields(st *ast.StructType) []bool {
	var em []bool
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			em = append(em, true)
		}
		for range f.Names {
			em = append(em, false)
		}
	}
	return em
}

// FieldNames returns the names of a struct type's fields, an embedded
// field named by its type.
func FieldNames(st *ast.StructType) []string {
	var names []string
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			names = append(names, embeddedName(f.Type))
			continue
		}
		for _, n := range f.Names {
			names = append(names, n.Name)
		}
	}
	return names
}

func embeddedName(t ast.Expr) string {
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.SelectorExpr:
			return x.Sel.Name
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}

// cleanField returns the Go name of a field yaegi renamed: yaegi exports an
// unexported field name by putting X before it.
func cleanField(name string) string {
	if len(name) > 1 && name[0] == 'X' {
		c := name[1]
		if c == '_' || (c >= 'a' && c <= 'z') {
			return name[1:]
		}
	}
	return name
}

// isYaegi reports whether t is one of yaegi's own types (interface
// wrappers, valueInterface).
func isYaegi(t reflect.Type) bool {
	return strings.Contains(t.PkgPath(), "traefik/yaegi")
}
