package typefmt

import (
	"fmt"
	"go/ast"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

// TypeString writes t in Go syntax with the notebook's names:
// []main.point, map[string]*main.point.
func (r *Registry) TypeString(t reflect.Type) string { return r.typeString(t, true) }

// DisplayType returns t in Go syntax with the notebook's names as cells
// write them ([]point), or "" when t is no notebook type and does not
// mention one.
func (r *Registry) DisplayType(t reflect.Type) string {
	if t == nil || !r.mentions(t, 0) || (t.Kind() == reflect.Struct && r.Lookup(t) == nil) {
		return ""
	}
	return r.typeString(t, false)
}

// FieldName returns the declared name of field i of struct type t.
func (r *Registry) FieldName(t reflect.Type, i int) string {
	if info := r.Lookup(t); info != nil && i < len(info.Fields) {
		return info.Fields[i]
	}
	return cleanField(t.Field(i).Name)
}

func (r *Registry) typeString(t reflect.Type, qualified bool) string {
	if t == nil {
		return "<nil>"
	}
	if info := r.Lookup(t); info != nil {
		if info.Name != "" {
			if !qualified {
				return strings.TrimPrefix(info.Name, r.pkg+".")
			}
			return info.Name
		}
		return r.structString(t, info.Fields, qualified)
	}
	if !r.mentions(t, 0) {
		return t.String()
	}
	elem := func(t reflect.Type) string { return r.typeString(t, qualified) }
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + elem(t.Elem())
	case reflect.Slice:
		return "[]" + elem(t.Elem())
	case reflect.Array:
		return "[" + strconv.Itoa(t.Len()) + "]" + elem(t.Elem())
	case reflect.Map:
		return "map[" + elem(t.Key()) + "]" + elem(t.Elem())
	case reflect.Chan:
		switch t.ChanDir() {
		case reflect.RecvDir:
			return "<-chan " + elem(t.Elem())
		case reflect.SendDir:
			return "chan<- " + elem(t.Elem())
		}
		return "chan " + elem(t.Elem())
	case reflect.Struct:
		return r.structString(t, nil, qualified)
	case reflect.Func:
		var sb strings.Builder
		sb.WriteString("func(")
		for i := 0; i < t.NumIn(); i++ {
			if i > 0 {
				sb.WriteString(", ")
			}
			if t.IsVariadic() && i == t.NumIn()-1 {
				sb.WriteString("..." + elem(t.In(i).Elem()))
			} else {
				sb.WriteString(elem(t.In(i)))
			}
		}
		sb.WriteString(")")
		switch t.NumOut() {
		case 0:
		case 1:
			sb.WriteString(" " + elem(t.Out(0)))
		default:
			sb.WriteString(" (")
			for i := 0; i < t.NumOut(); i++ {
				if i > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString(elem(t.Out(i)))
			}
			sb.WriteString(")")
		}
		return sb.String()
	}
	return t.String()
}

// structString writes an unnamed struct type with its declared field
// names (names, or yaegi's with the X it adds removed).
func (r *Registry) structString(t reflect.Type, names []string, qualified bool) string {
	if t.NumField() == 0 {
		return "struct {}"
	}
	var sb strings.Builder
	sb.WriteString("struct { ")
	for i := 0; i < t.NumField(); i++ {
		if i > 0 {
			sb.WriteString("; ")
		}
		f := t.Field(i)
		name := cleanField(f.Name)
		if i < len(names) {
			name = names[i]
		}
		if !f.Anonymous {
			sb.WriteString(name + " ")
		}
		sb.WriteString(r.typeString(f.Type, qualified))
		if f.Tag != "" {
			sb.WriteString(" " + strconv.Quote(string(f.Tag)))
		}
	}
	sb.WriteString(" }")
	return sb.String()
}

// mentions reports whether t is or contains a registered type, an
// interface (whose values may be), or one of yaegi's types.
func (r *Registry) mentions(t reflect.Type, depth int) bool {
	if depth > 8 {
		return false
	}
	if r.Lookup(t) != nil || isYaegi(t) {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
		return r.mentions(t.Elem(), depth+1)
	case reflect.Map:
		return r.mentions(t.Key(), depth+1) || r.mentions(t.Elem(), depth+1)
	case reflect.Interface:
		return true
	case reflect.Func:
		for i := 0; i < t.NumIn(); i++ {
			if r.mentions(t.In(i), depth+1) {
				return true
			}
		}
		for i := 0; i < t.NumOut(); i++ {
			if r.mentions(t.Out(i), depth+1) {
				return true
			}
		}
		return false
	case reflect.Struct:
		if t.PkgPath() != "" {
			return false // a compiled package's type
		}
		for i := 0; i < t.NumField(); i++ {
			if r.mentions(t.Field(i).Type, depth+1) {
				return true
			}
		}
		return t.NumField() > 0 && t.Field(0).Name != cleanField(t.Field(0).Name)
	}
	return false
}

// needs reports whether printing v with Go's fmt would show a type or field
// name yaegi made up, or miss a method: v's value holds a registered type,
// one of yaegi's wrappers, or a struct yaegi built.
func (r *Registry) needs(v reflect.Value, depth int) bool {
	if !v.IsValid() || depth > 12 {
		return false
	}
	t := v.Type()
	if !r.mentions(t, 0) {
		return false
	}
	if r.Lookup(t) != nil || isYaegi(t) {
		return true
	}
	switch t.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return t.Kind() == reflect.Pointer // %#v names its type
		}
		return r.needs(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Array || t.Elem().Kind() != reflect.Interface {
			return true // typed by its element type
		}
		for i := 0; i < v.Len(); i++ {
			if r.needs(v.Index(i), depth+1) {
				return true
			}
		}
		return false
	case reflect.Map:
		if t.Key().Kind() != reflect.Interface && t.Elem().Kind() != reflect.Interface {
			return true
		}
		it := v.MapRange()
		for it.Next() {
			if r.needs(it.Key(), depth+1) || r.needs(it.Value(), depth+1) {
				return true
			}
		}
		return false
	}
	return true
}

// Needs reports whether fmt would print x differently from a compiled
// program (see needs); such a value is to be printed with a Printer.
func (r *Registry) Needs(x any) bool {
	if r.Empty() && x != nil && !isYaegi(reflect.TypeOf(x)) && !r.mentions(reflect.TypeOf(x), 0) {
		return false
	}
	return r.needs(reflect.ValueOf(x), 0)
}

// printer writes one operand the way fmt's printValue does.
type printer struct {
	r     *Registry
	w     io.Writer
	spec  string // the directive for leaves: "%+5v"
	verb  rune
	plus  bool // %+v
	sharp bool // %#v
}

func (p *printer) ws(s string) { io.WriteString(p.w, s) }

// leaf prints x as fmt would on its own.
func (p *printer) leaf(x any) { fmt.Fprintf(p.w, p.spec, x) }

// iface returns v as an interface value, also when it came through an
// unexported field.
func iface(v reflect.Value) any {
	if v.CanInterface() {
		return v.Interface()
	}
	if v.CanAddr() {
		return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem().Interface()
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c.Interface()
}

// methods applies fmt's rules for Formatter, GoStringer, error and
// Stringer to x; it reports whether it printed x.
func (p *printer) methods(x any) bool {
	if _, ok := x.(fmt.Formatter); ok {
		p.leaf(x)
		return true
	}
	if p.sharp {
		if g, ok := x.(fmt.GoStringer); ok {
			p.safe(g.GoString)
			return true
		}
		return false
	}
	switch p.verb {
	case 'v', 's', 'x', 'X', 'q':
	default:
		return false
	}
	if e, ok := x.(error); ok {
		p.str(e.Error)
		return true
	}
	if s, ok := x.(fmt.Stringer); ok {
		p.str(s.String)
		return true
	}
	return false
}

// declMethods applies the same rules to v, a value of the notebook type
// its declared type st names, with the methods the registry holds for
// that type; it reports whether it printed v.
func (p *printer) declMethods(v reflect.Value, st ast.Expr) bool {
	ptr := false
	if star, ok := st.(*ast.StarExpr); ok {
		st, ptr = star.X, true
	}
	id, ok := st.(*ast.Ident)
	if !ok || (ptr && v.IsNil()) {
		return false
	}
	call := func(m string) bool {
		f, ok := p.r.method(id.Name, m, ptr)
		if !ok || !v.Type().AssignableTo(f.Type().In(0)) {
			return false
		}
		x := v
		if !x.CanInterface() {
			x = reflect.ValueOf(iface(v))
		}
		if m == "GoString" {
			p.safe(func() string { return f.Call([]reflect.Value{x})[0].String() })
		} else {
			p.str(func() string { return f.Call([]reflect.Value{x})[0].String() })
		}
		return true
	}
	if p.sharp {
		return call("GoString")
	}
	switch p.verb {
	case 'v', 's', 'x', 'X', 'q':
		return call("Error") || call("String")
	}
	return false
}

// str prints the result of a String or Error method with the verb.
func (p *printer) str(f func() string) {
	defer p.catch()
	fmt.Fprintf(p.w, p.spec, f())
}

// safe writes the result of GoString.
func (p *printer) safe(f func() string) {
	defer p.catch()
	p.ws(f())
}

// catch prints a panic of a method the way fmt does.
func (p *printer) catch() {
	if err := recover(); err != nil {
		p.ws(fmt.Sprintf("%%!%c(PANIC=%v)", p.verb, err))
	}
}

// trusted reports whether v, the value yaegi put in an interface wrapper,
// is surely the wrapped value. For a struct value yaegi v0.16.1 stores a
// field of it instead (getConcreteValue looks for an emulated interface's
// value), so only pointers and values of registered struct types are
// surely what they seem; %T of another wrapped value stays fmt's.
func trusted(r *Registry, v reflect.Value) bool {
	return v.Kind() == reflect.Pointer || r.Lookup(v.Type()) != nil
}

// unwrapYaegi returns the value inside one of yaegi's interface wrappers
// (the wrapper itself, with its methods, as w) or its valueInterface.
func unwrapYaegi(v reflect.Value) (inner reflect.Value, w any) {
	for i := 0; i < 8 && v.IsValid(); i++ {
		if v.Kind() == reflect.Interface {
			if v.IsNil() {
				return v, w
			}
			v = v.Elem()
			continue
		}
		if v.Kind() != reflect.Struct || !isYaegi(v.Type()) {
			return v, w
		}
		if f, ok := v.Type().FieldByName("IValue"); ok && f.Index[0] == 0 {
			if w == nil {
				w = iface(v)
			}
			v = v.Field(0)
			continue
		}
		if f, ok := v.Type().FieldByName("value"); ok && f.Type == reflect.TypeOf(reflect.Value{}) {
			c := reflect.New(v.Type()).Elem()
			c.Set(v)
			fv := c.FieldByIndex(f.Index)
			v = reflect.NewAt(fv.Type(), unsafe.Pointer(fv.UnsafeAddr())).Elem().Interface().(reflect.Value)
			continue
		}
		return v, w
	}
	return v, w
}

// value prints v at depth; exported tells whether Go could call its
// methods (it did not come through an unexported field); st is its
// declared type when a notebook struct's declaration gives it, or nil.
func (p *printer) value(v reflect.Value, depth int, exported bool, st ast.Expr) {
	v, w := unwrapYaegi(v)
	if w != nil {
		st = nil
	}
	orig := st
	if !v.IsValid() {
		if depth == 0 {
			p.leaf(nil)
			return
		}
		if p.sharp {
			p.ws("interface {}(nil)")
		} else {
			p.ws("<nil>")
		}
		return
	}
	info := p.r.Lookup(v.Type())
	if depth == 0 || exported {
		if w != nil && p.methods(w) {
			return
		}
		if st != nil && p.declMethods(v, st) {
			return
		}
	}
	named := p.r.namedType(st) // a notebook type that is not a struct
	if named != "" {
		st, _ = p.r.declared(named) // its elements' declared types
	} else if s, ok := st.(*ast.StarExpr); ok && v.Kind() == reflect.Pointer {
		st = s.X
	}
	// Otherwise v, the wrapped value, is printed: right for a pointer or a
	// value of a named basic type (type state int), one of its fields for
	// a struct value (see trusted), where fmt would print the wrapper.
	if v.Kind() == reflect.Pointer && depth > 0 {
		p.pointer(v)
		return
	}
	if depth > 0 && !exported && w == nil && hasMethods(v.Type()) {
		// fmt calls no method of a value it reached through an unexported
		// field (yaegi exported the field, so fmt would).
		if b, ok := basic(v); ok {
			p.leaf(b)
			return
		}
		if v.Kind() == reflect.Struct {
			p.structFields(v, depth, false, nil, nil)
			return
		}
	}
	if !p.r.needs(v, 0) && !p.r.mentionsDeclared(st, 0) && (named == "" || !p.sharp) && (orig == nil || !p.sharp || p.typeName(v.Type(), "", orig) == v.Type().String()) {
		if v.Kind() == reflect.Interface && v.IsNil() && depth > 0 {
			p.value(reflect.Value{}, depth, exported, nil)
			return
		}
		p.leaf(iface(v))
		return
	}
	t := v.Type()
	switch v.Kind() {
	case reflect.Struct:
		p.structFields(v, depth, exported, info, orig)
	case reflect.Pointer:
		if e := v.Elem(); !v.IsNil() {
			switch e.Kind() {
			case reflect.Array, reflect.Slice, reflect.Struct, reflect.Map:
				p.ws("&")
				p.value(e, depth+1, exported, st)
				return
			}
		}
		p.pointer(v)
	case reflect.Interface:
		if v.IsNil() {
			p.value(reflect.Value{}, depth, exported, nil)
			return
		}
		p.value(v.Elem(), depth+1, exported, nil)
	case reflect.Slice, reflect.Array:
		var et ast.Expr
		if a, ok := st.(*ast.ArrayType); ok {
			et = a.Elt
		}
		if p.sharp {
			p.ws(p.typeName(t, named, orig))
			if t.Kind() == reflect.Slice && v.IsNil() {
				p.ws("(nil)")
				return
			}
			p.ws("{")
		} else {
			p.ws("[")
		}
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				if p.sharp {
					p.ws(", ")
				} else {
					p.ws(" ")
				}
			}
			p.value(v.Index(i), depth+1, exported, et)
		}
		if p.sharp {
			p.ws("}")
		} else {
			p.ws("]")
		}
	case reflect.Map:
		var kt, et ast.Expr
		if m, ok := st.(*ast.MapType); ok {
			kt, et = m.Key, m.Value
		}
		if p.sharp {
			p.ws(p.typeName(t, named, orig))
			if v.IsNil() {
				p.ws("(nil)")
				return
			}
			p.ws("{")
		} else {
			p.ws("map[")
		}
		keys := v.MapKeys()
		sort.SliceStable(keys, func(i, j int) bool { return compare(keys[i], keys[j]) < 0 })
		for i, k := range keys {
			if i > 0 {
				if p.sharp {
					p.ws(", ")
				} else {
					p.ws(" ")
				}
			}
			p.value(k, depth+1, exported, kt)
			p.ws(":")
			p.value(v.MapIndex(k), depth+1, exported, et)
		}
		if p.sharp {
			p.ws("}")
		} else {
			p.ws("]")
		}
	default:
		p.leaf(iface(v))
	}
}

// structFields prints struct v, its fields named as declared (info) or
// as yaegi named them without the X it adds.
func (p *printer) structFields(v reflect.Value, depth int, exported bool, info *Info, st ast.Expr) {
	t := v.Type()
	if id, ok := st.(*ast.Ident); ok && (info == nil || info.Ambiguous) {
		if f, ft := p.r.structOf(id.Name, t); f != nil {
			info = &Info{Fields: f, FieldTypes: ft}
		}
	}
	var names []string
	if info != nil {
		names = info.Fields
	}
	if p.sharp {
		p.ws(p.typeName(t, "", st))
	}
	p.ws("{")
	for i := 0; i < v.NumField(); i++ {
		if i > 0 {
			if p.sharp {
				p.ws(", ")
			} else {
				p.ws(" ")
			}
		}
		name := cleanField(t.Field(i).Name)
		if i < len(names) {
			name = names[i]
		}
		if p.plus || p.sharp {
			p.ws(name + ":")
		}
		var ft ast.Expr
		if info != nil && i < len(info.FieldTypes) {
			ft = info.FieldTypes[i]
		}
		p.value(v.Field(i), depth+1, exported && isExported(name), ft)
	}
	p.ws("}")
}

// hasMethods reports whether fmt could find a method on a value of t.
func hasMethods(t reflect.Type) bool {
	return t.NumMethod() > 0 || (t.Kind() != reflect.Pointer && reflect.PointerTo(t).NumMethod() > 0)
}

// basic returns v converted to its unnamed basic type (which has no
// methods), when v is of a basic kind.
func basic(v reflect.Value) (any, bool) {
	var t reflect.Type
	switch v.Kind() {
	case reflect.Bool:
		t = reflect.TypeOf(false)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		t = reflect.TypeOf(int64(0))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		t = reflect.TypeOf(uint64(0))
	case reflect.Float32, reflect.Float64:
		t = reflect.TypeOf(float64(0))
	case reflect.String:
		t = reflect.TypeOf("")
	default:
		return nil, false
	}
	return reflect.ValueOf(iface(v)).Convert(t).Interface(), true
}

// pointer prints a pointer inside a value as fmt's fmtPointer does: its
// address (padded to the width), or for a verb that does not apply,
// %!verb(type=value).
func (p *printer) pointer(v reflect.Value) {
	switch p.verb {
	case 'v':
		if p.sharp {
			p.ws("(" + p.r.TypeString(v.Type()) + ")(")
			if v.IsNil() {
				p.ws("nil")
			} else {
				p.ws(fmt.Sprintf("%#x", v.Pointer()))
			}
			p.ws(")")
			return
		}
		if v.IsNil() {
			fmt.Fprintf(p.w, p.with("", 's'), "<nil>")
			return
		}
		fmt.Fprintf(p.w, p.with("#", 'x'), uint64(v.Pointer()))
	case 'b', 'o', 'd', 'x', 'X':
		fmt.Fprintf(p.w, p.spec, uint64(v.Pointer()))
	default:
		p.ws("%!" + string(p.verb) + "(" + p.r.TypeString(v.Type()) + "=")
		q := &printer{r: p.r, w: p.w, spec: "%v", verb: 'v'}
		q.value(v, 0, true, nil)
		p.ws(")")
	}
}

// with returns p.spec with the verb replaced and flags, for the width and
// precision of a part fmt pads.
func (p *printer) with(flags string, verb rune) string {
	s := strings.TrimSuffix(p.spec, string(p.verb))
	s = strings.NewReplacer("#", "", "+", "").Replace(s)
	return "%" + flags + s[1:] + string(verb)
}

// typeName is the name %#v shows for a value of type t, whose declared
// type is the notebook type named (or "").
func (p *printer) typeName(t reflect.Type, named string, st ast.Expr) string {
	if named != "" {
		return p.r.pkg + "." + named
	}
	if st != nil {
		if s := p.r.staticString(st, t); s != "" && strings.Contains(s, p.r.pkg+".") {
			return s
		}
	}
	return p.r.TypeString(t)
}

// namedType returns the name of the notebook type st names when that type
// is not a struct (a struct has its registered reflect type).
func (r *Registry) namedType(st ast.Expr) string {
	id, ok := st.(*ast.Ident)
	if !ok {
		return ""
	}
	te, ok := r.declared(id.Name)
	if !ok {
		return ""
	}
	if _, isStruct := te.(*ast.StructType); isStruct {
		return ""
	}
	return id.Name
}

// mentionsDeclared reports whether the declared type st mentions a
// notebook type that is not a struct (whose name %#v shows, or whose
// methods fmt calls).
func (r *Registry) mentionsDeclared(st ast.Expr, depth int) bool {
	if st == nil || depth > 8 {
		return false
	}
	switch x := st.(type) {
	case *ast.Ident:
		return r.namedType(x) != ""
	case *ast.StarExpr:
		return r.mentionsDeclared(x.X, depth+1)
	case *ast.ArrayType:
		return r.mentionsDeclared(x.Elt, depth+1)
	case *ast.MapType:
		return r.mentionsDeclared(x.Key, depth+1) || r.mentionsDeclared(x.Value, depth+1)
	case *ast.ParenExpr:
		return r.mentionsDeclared(x.X, depth+1)
	}
	return false
}

func isExported(name string) bool {
	return name != "" && name[0] >= 'A' && name[0] <= 'Z'
}

// compare orders map keys as fmt does (internal/fmtsort): numbers by
// value, strings, false before true, pointers and channels by address,
// structs and arrays element by element, interfaces by type, then value.
func compare(a, b reflect.Value) int {
	a, _ = unwrapYaegi(a)
	b, _ = unwrapYaegi(b)
	if !a.IsValid() || !b.IsValid() {
		switch {
		case !a.IsValid() && !b.IsValid():
			return 0
		case !a.IsValid():
			return -1
		}
		return 1
	}
	if a.Type() != b.Type() {
		return strings.Compare(a.Type().String(), b.Type().String())
	}
	switch a.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cmp3(a.Int() < b.Int(), a.Int() > b.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cmp3(a.Uint() < b.Uint(), a.Uint() > b.Uint())
	case reflect.String:
		return strings.Compare(a.String(), b.String())
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		if math.IsNaN(x) || math.IsNaN(y) {
			return cmp3(math.IsNaN(x) && !math.IsNaN(y), !math.IsNaN(x) && math.IsNaN(y))
		}
		return cmp3(x < y, x > y)
	case reflect.Bool:
		return cmp3(!a.Bool() && b.Bool(), a.Bool() && !b.Bool())
	case reflect.Pointer, reflect.UnsafePointer, reflect.Chan:
		return cmp3(a.Pointer() < b.Pointer(), a.Pointer() > b.Pointer())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if c := compare(a.Field(i), b.Field(i)); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			if c := compare(a.Index(i), b.Index(i)); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return cmp3(a.IsNil() && !b.IsNil(), !a.IsNil() && b.IsNil())
		}
		return compare(a.Elem(), b.Elem())
	}
	return 0
}

func cmp3(less, more bool) int {
	switch {
	case less:
		return -1
	case more:
		return 1
	}
	return 0
}
