package typefmt

import (
	"encoding/json"
	"encoding/xml"
	"go/ast"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Shadow values for encoders (encoding/json): yaegi exports the unexported
// fields of a notebook struct (note becomes Xnote), so an encoder working
// by reflection sees, and writes, fields a compiled program's encoder
// skips. A shadow value has the same data in types that keep only the
// fields the declaration exported, with its embedded fields marked
// embedded (yaegi marks none unless the struct has one field), tags kept.
// Decoding goes into a shadow value and back, so that it fills no field
// the declaration left unexported.

// shadowType is the shadow of one reflect type.
type shadowType struct {
	t    reflect.Type // the shadow type; the type itself when unchanged
	walk bool         // values must be walked (changed, or an interface inside)
	idx  []int        // struct: the field of the original per field of t
	// call is the registered MarshalJSON (encoding) or UnmarshalJSON
	// (decoding) of a notebook type: t is then *jsonCall.
	call reflect.Value
	// fieldCall: struct fields of a named non-struct notebook type
	// (type money int) with such a method, by shadow field index.
	fieldCall map[int]reflect.Value
}

// jsonCall stands for a value of a notebook type with a MarshalJSON or
// UnmarshalJSON method inside another value: encoders call its methods,
// which call the notebook's.
type jsonCall struct {
	fn     reflect.Value // func(T) ([]byte, error), func(*T) ([]byte, error) or func(*T, []byte) error
	arg    reflect.Value // the value (T or *T) MarshalJSON is called on
	target reflect.Value // the *T UnmarshalJSON fills
	raw    []byte        // what a decoder gave a jsonCall it made itself
}

var jsonCallType = reflect.TypeOf((*jsonCall)(nil))

// MarshalJSON calls the notebook type's method.
func (c *jsonCall) MarshalJSON() ([]byte, error) {
	if !c.fn.IsValid() || c.fn.Type().NumOut() != 2 {
		return []byte("null"), nil
	}
	out := c.fn.Call([]reflect.Value{c.arg})
	b, _ := out[0].Interface().([]byte)
	err, _ := out[1].Interface().(error)
	return b, err
}

// UnmarshalJSON calls the notebook type's method.
func (c *jsonCall) UnmarshalJSON(b []byte) error {
	if !c.fn.IsValid() || c.fn.Type().NumIn() != 2 {
		// made by the decoder (a new element of a slice or map): the
		// value is decoded when stored back (shadower.back)
		c.raw = append([]byte(nil), b...)
		return nil
	}
	out := c.fn.Call([]reflect.Value{c.target, reflect.ValueOf(b)})
	err, _ := out[0].Interface().(error)
	return err
}

// declaredJSONMethod returns the registered MarshalJSON (UnmarshalJSON
// when decoding) of a field's declared type when it is a named notebook
// type whose reflect type rt cannot tell (type money int; money or
// *money).
func (s *shadower) declaredJSONMethod(decl ast.Expr, rt reflect.Type) (reflect.Value, bool) {
	ptr := false
	if st, ok := decl.(*ast.StarExpr); ok {
		decl, ptr = st.X, true
	}
	id, ok := decl.(*ast.Ident)
	if !ok || (rt.Kind() == reflect.Pointer) != ptr || s.fields {
		return reflect.Value{}, false
	}
	if _, ok := s.r.declared(id.Name); !ok {
		return reflect.Value{}, false
	}
	if s.decode {
		return s.r.method(id.Name, "UnmarshalJSON", true)
	}
	return s.r.method(id.Name, "MarshalJSON", ptr)
}

// fieldJSONCall is the shadow of the field value v whose declared type's
// method is fn.
func (s *shadower) fieldJSONCall(fn, v reflect.Value, tag reflect.StructTag) reflect.Value {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return reflect.Zero(jsonCallType)
	}
	if !s.decode && strings.Contains(tag.Get("json"), ",omitempty") && emptyValue(v) {
		return reflect.Zero(jsonCallType) // omitted, as Go omits the empty value
	}
	c := &jsonCall{fn: fn, arg: v}
	if s.decode {
		if v.Kind() == reflect.Pointer {
			c.target = v
		} else {
			c.target = reflect.New(v.Type())
			c.target.Elem().Set(v)
		}
	}
	return reflect.ValueOf(c)
}

// emptyValue is what omitempty leaves out: false, 0, a nil pointer or
// interface, an empty array, slice, map or string.
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// jsonMethod returns the registered method of the notebook struct type t
// (MarshalJSON when encoding, UnmarshalJSON when decoding), on a value
// or, with ptr, on a pointer.
func (s *shadower) jsonMethod(t reflect.Type, ptr bool) (reflect.Value, bool) {
	info := s.r.Lookup(t)
	if info == nil || info.Name == "" || s.fields {
		return reflect.Value{}, false
	}
	name := strings.TrimPrefix(info.Name, s.r.pkg+".")
	if s.decode {
		return s.r.method(name, "UnmarshalJSON", true)
	}
	return s.r.method(name, "MarshalJSON", ptr)
}

// shadower converts values of one call.
type shadower struct {
	r      *Registry
	types  map[reflect.Type]*shadowType
	busy   map[reflect.Type]bool
	path   map[uintptr]bool // pointers being converted (a cycle aborts)
	decode bool             // building a value to decode into: maps start empty
	fields bool             // fields only: no json methods (encoding/xml)
}

var anyType = reflect.TypeOf((*any)(nil)).Elem()

// errCycle aborts a conversion that met a pointer cycle.
type errCycle struct{}

// errDecode carries the error of an UnmarshalJSON called by back.
type errDecode struct{ err error }

func (r *Registry) newShadower() *shadower {
	return &shadower{r: r, types: map[reflect.Type]*shadowType{}, busy: map[reflect.Type]bool{}, path: map[uintptr]bool{}}
}

// typ returns the shadow of t.
func (s *shadower) typ(t reflect.Type) *shadowType {
	if st, ok := s.types[t]; ok {
		return st
	}
	if s.busy[t] {
		if s.recursivePointer(t) {
			// *node being built too (a []*node met before any node
			// builds *node, then node, then node's *node field): the
			// field is the recursive case below all the same. Left as
			// it is, the cached shadow of node would keep its inner
			// level as yaegi built it, and the order a map's values
			// are met in would decide what an encoder writes.
			return &shadowType{t: anyType, walk: true}
		}
		return &shadowType{t: t} // a recursive type: its inner levels are left as they are
	}
	s.busy[t] = true
	defer delete(s.busy, t)
	st := &shadowType{t: t}
	if t.Name() == "" && (t.Kind() == reflect.Struct || t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && t.Elem().Name() == "") {
		base, ptr := t, t.Kind() == reflect.Pointer
		if ptr {
			base = t.Elem()
		}
		// A value field decodes through its address, so UnmarshalJSON
		// (on a pointer) serves both.
		if fn, ok := s.jsonMethod(base, ptr); ok {
			st = &shadowType{t: jsonCallType, walk: true, call: fn}
			s.types[t] = st
			return st
		}
	}
	switch t.Kind() {
	case reflect.Interface:
		st.walk = true
	case reflect.Pointer:
		if s.recursivePointer(t) {
			// A recursive type (type node struct{ next *node }): reflect
			// builds none, so the field holds its shadow pointer in an
			// interface, which encoders see through. Not cached: outside
			// the type, the pointer's shadow is a pointer.
			return &shadowType{t: anyType, walk: true}
		}
		e := s.typ(t.Elem())
		st.walk = e.walk
		if e.t != t.Elem() && t.Name() == "" {
			st.t = reflect.PointerTo(e.t)
		}
	case reflect.Slice:
		e := s.typ(t.Elem())
		st.walk = e.walk
		if e.t != t.Elem() && t.Name() == "" {
			st.t = reflect.SliceOf(e.t)
		}
	case reflect.Array:
		e := s.typ(t.Elem())
		st.walk = e.walk
		if e.t != t.Elem() && t.Name() == "" {
			st.t = reflect.ArrayOf(t.Len(), e.t)
		}
	case reflect.Map:
		k, e := s.typ(t.Key()), s.typ(t.Elem())
		st.walk = k.walk || e.walk
		if (k.t != t.Key() || e.t != t.Elem()) && t.Name() == "" {
			st.t = reflect.MapOf(k.t, e.t)
		}
	case reflect.Struct:
		if t.Name() == "" {
			s.structType(t, st)
		}
	}
	if st.t != t && st.t != nil {
		st.walk = true
	}
	s.types[t] = st
	return st
}

// recursivePointer reports whether t is an unnamed pointer to a type
// being built, whose shadow (when encoding) is an interface (see typ).
func (s *shadower) recursivePointer(t reflect.Type) bool {
	return t.Kind() == reflect.Pointer && s.busy[t.Elem()] && !s.decode && t.Name() == ""
}

// structType fills st for the unnamed struct type t (yaegi's, when the
// registry knows it).
func (s *shadower) structType(t reflect.Type, st *shadowType) {
	info := s.r.Lookup(t)
	var fields []reflect.StructField
	changed := false
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			return // not yaegi's: leave it to the encoder
		}
		ft := s.typ(f.Type)
		if info != nil && info.FieldTypes != nil && !ft.call.IsValid() {
			if fn, ok := s.declaredJSONMethod(info.FieldTypes[i], f.Type); ok {
				ft = &shadowType{t: jsonCallType, walk: true}
				if st.fieldCall == nil {
					st.fieldCall = map[int]reflect.Value{}
				}
				st.fieldCall[len(fields)] = fn
			}
		}
		nf := reflect.StructField{Name: f.Name, Type: ft.t, Tag: f.Tag, Anonymous: f.Anonymous}
		st.walk = st.walk || ft.walk
		if info != nil && info.Fields != nil {
			name := info.Fields[i]
			embedded := info.Embedded != nil && info.Embedded[i]
			if embedded {
				et := f.Type
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if !exported(name) && et.Kind() != reflect.Struct {
					changed = true // Go's encoders skip it
					continue
				}
				nf.Anonymous = true
			} else if !exported(name) {
				changed = true
				continue
			}
		}
		if nf.Anonymous != f.Anonymous || nf.Type != f.Type {
			changed = true
		}
		fields = append(fields, nf)
		st.idx = append(st.idx, i)
	}
	if !changed {
		st.idx = nil
		return
	}
	if st.idx == nil {
		st.idx = []int{} // every field left out
	}
	st.t = structOf(fields)
}

// structOf is reflect.StructOf, retried without embedded fields when
// reflect cannot build them (an embedded type with methods).
func structOf(fields []reflect.StructField) (t reflect.Type) {
	defer func() {
		if recover() != nil {
			for i := range fields {
				fields[i].Anonymous = false
			}
			t = reflect.StructOf(fields)
		}
	}()
	return reflect.StructOf(fields)
}

func exported(name string) bool {
	r, _ := utf8.DecodeRuneInString(name)
	return unicode.IsUpper(r)
}

// value returns the shadow of v.
func (s *shadower) value(v reflect.Value) reflect.Value {
	st := s.typ(v.Type())
	if !st.walk {
		return v
	}
	if st.call.IsValid() {
		c := &jsonCall{fn: st.call, arg: v}
		if s.decode {
			if v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return reflect.Zero(jsonCallType)
				}
				c.target = v
			} else {
				c.target = reflect.New(v.Type())
				c.target.Elem().Set(v)
			}
		} else if v.Kind() == reflect.Pointer && v.IsNil() {
			return reflect.Zero(jsonCallType) // null, as for a nil *T
		}
		return reflect.ValueOf(c)
	}
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		e := v.Elem()
		if isYaegi(e.Type()) {
			inner, w := unwrapYaegi(e)
			if w != nil || !inner.IsValid() || isYaegi(inner.Type()) {
				return v // a wrapper carrying the value's methods (MarshalJSON)
			}
			e = inner
		}
		se := s.value(e)
		if !se.Type().Implements(v.Type()) {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(se)
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return reflect.Zero(st.t)
		}
		if s.path[v.Pointer()] {
			panic(errCycle{})
		}
		s.path[v.Pointer()] = true
		defer delete(s.path, v.Pointer())
		p := reflect.New(st.t.Elem())
		p.Elem().Set(s.value(v.Elem()))
		return p
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(st.t)
		}
		out := reflect.MakeSlice(st.t, v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(s.value(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(st.t).Elem()
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(s.value(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() || s.decode {
			return reflect.Zero(st.t)
		}
		out := reflect.MakeMapWithSize(st.t, v.Len())
		it := v.MapRange()
		for it.Next() {
			out.SetMapIndex(s.value(it.Key()), s.value(it.Value()))
		}
		return out
	case reflect.Struct:
		out := reflect.New(st.t).Elem()
		if st.idx == nil {
			for i := 0; i < v.NumField(); i++ {
				out.Field(i).Set(s.value(v.Field(i)))
			}
			return out
		}
		for j, i := range st.idx {
			if fn, ok := st.fieldCall[j]; ok {
				out.Field(j).Set(s.fieldJSONCall(fn, v.Field(i), st.t.Field(j).Tag))
				continue
			}
			f := s.value(v.Field(i))
			if !f.Type().AssignableTo(out.Field(j).Type()) {
				f = v.Field(i) // a recursive type's inner level, kept as it is
			}
			if f.Kind() == reflect.Pointer && f.IsNil() && out.Field(j).Kind() == reflect.Interface {
				continue // a nil pointer of a recursive type stays a nil interface
			}
			out.Field(j).Set(f)
		}
		return out
	}
	return v
}

// back stores the decoded shadow sv into dst (settable), leaving the
// fields the shadow does not have as they are.
func (s *shadower) back(sv, dst reflect.Value) {
	if sv.Type() == jsonCallType && dst.Type() != jsonCallType {
		if sv.IsNil() {
			if dst.Kind() == reflect.Pointer {
				dst.Set(reflect.Zero(dst.Type()))
			}
			return
		}
		c := sv.Interface().(*jsonCall)
		if !c.target.IsValid() {
			base := dst.Type()
			if base.Kind() == reflect.Pointer {
				base = base.Elem()
			}
			fn, ok := s.jsonMethod(base, true)
			if !ok || c.raw == nil {
				return
			}
			c.fn, c.target = fn, reflect.New(base)
			if err := c.UnmarshalJSON(c.raw); err != nil {
				panic(errDecode{err})
			}
		}
		if dst.Kind() == reflect.Pointer {
			dst.Set(c.target)
		} else {
			dst.Set(c.target.Elem())
		}
		return
	}
	if sv.Type() == dst.Type() {
		if dst.Kind() == reflect.Map && !sv.IsNil() && !dst.IsNil() {
			it := sv.MapRange() // decoding adds to the map
			for it.Next() {
				dst.SetMapIndex(it.Key(), it.Value())
			}
			return
		}
		dst.Set(sv)
		return
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if sv.IsNil() {
			dst.Set(reflect.Zero(dst.Type()))
			return
		}
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		s.back(sv.Elem(), dst.Elem())
	case reflect.Slice:
		if sv.IsNil() {
			dst.Set(reflect.Zero(dst.Type()))
			return
		}
		out := reflect.MakeSlice(dst.Type(), sv.Len(), sv.Len())
		for i := 0; i < sv.Len(); i++ {
			if i < dst.Len() {
				out.Index(i).Set(dst.Index(i))
			}
			s.back(sv.Index(i), out.Index(i))
		}
		dst.Set(out)
	case reflect.Array:
		for i := 0; i < sv.Len(); i++ {
			s.back(sv.Index(i), dst.Index(i))
		}
	case reflect.Map:
		if sv.IsNil() {
			return
		}
		if dst.IsNil() {
			dst.Set(reflect.MakeMapWithSize(dst.Type(), sv.Len()))
		}
		it := sv.MapRange()
		for it.Next() {
			k := reflect.New(dst.Type().Key()).Elem()
			s.back(it.Key(), k)
			e := reflect.New(dst.Type().Elem()).Elem()
			s.back(it.Value(), e)
			dst.SetMapIndex(k, e)
		}
	case reflect.Struct:
		st := s.typ(dst.Type())
		for j, i := range st.idx {
			if fn, ok := st.fieldCall[j]; ok && !sv.Field(j).IsNil() {
				c := sv.Field(j).Interface().(*jsonCall)
				if !c.target.IsValid() && c.raw != nil { // a nil *money the decoder filled
					base := dst.Field(i).Type()
					if base.Kind() == reflect.Pointer {
						base = base.Elem()
					}
					c.fn, c.target = fn, reflect.New(base)
					if err := c.UnmarshalJSON(c.raw); err != nil {
						panic(errDecode{err})
					}
				}
			}
			s.back(sv.Field(j), dst.Field(i))
		}
	default:
		dst.Set(sv)
	}
}

// Shadow returns v in types that keep only the fields of notebook structs
// their declarations exported (see above), or v itself when it holds no
// notebook struct or the conversion fails (a pointer cycle, which the
// encoder then reports).
func (r *Registry) Shadow(v any) (out any) {
	return r.shadow(v, false)
}

// ShadowXML is Shadow for encoding/xml: fields only (no json method is
// called), and a root struct of a notebook type gets an XMLName field
// naming its element as Go names it, after the type ("person").
func (r *Registry) ShadowXML(v any) any {
	return r.shadow(v, true)
}

func (r *Registry) shadow(v any, xml bool) (out any) {
	if r == nil || v == nil || r.Empty() {
		return v
	}
	rv := reflect.ValueOf(v)
	if isYaegi(rv.Type()) {
		inner, w := unwrapYaegi(rv)
		if w != nil || !inner.IsValid() || isYaegi(inner.Type()) {
			return v // a wrapper carrying the value's methods (MarshalJSON)
		}
		rv = inner
	}
	defer func() {
		if recover() != nil {
			out = v
		}
	}()
	s := r.newShadower()
	s.fields = xml
	sv := s.value(rv)
	if xml {
		sv = r.xmlRoot(rv.Type(), sv)
	}
	return sv.Interface()
}

var xmlNameType = reflect.TypeOf(xml.Name{})

// xmlRoot gives the shadow sv of a root value of the notebook struct type
// t (or a pointer to one) an XMLName field tagged with the type's name,
// unless the struct has one.
func (r *Registry) xmlRoot(t reflect.Type, sv reflect.Value) reflect.Value {
	ptr := t.Kind() == reflect.Pointer
	if ptr {
		if sv.IsNil() {
			return sv
		}
		t, sv = t.Elem(), sv.Elem()
	}
	info := r.Lookup(t)
	if info == nil || info.Name == "" || sv.Kind() != reflect.Struct {
		return sv
	}
	st := sv.Type()
	fields := []reflect.StructField{{Name: "XMLName", Type: xmlNameType, Tag: reflect.StructTag(`xml:"` + strings.TrimPrefix(info.Name, r.pkg+".") + `"`)}}
	for i := 0; i < st.NumField(); i++ {
		if st.Field(i).Name == "XMLName" {
			return sv
		}
		fields = append(fields, st.Field(i))
	}
	out := reflect.New(structOf(fields)).Elem()
	for i := 0; i < st.NumField(); i++ {
		out.Field(i + 1).Set(sv.Field(i))
	}
	return out
}

// DecodeInto calls decode with a pointer to a shadow of what v points to,
// and stores the decoded fields back in it: the fields the declarations
// left unexported are neither filled nor cleared. A v that holds no
// notebook struct goes to decode as it is.
func (r *Registry) DecodeInto(v any, decode func(any) error) (err error) {
	return r.decodeInto(v, decode, false)
}

// DecodeXMLInto is DecodeInto for encoding/xml: fields only.
func (r *Registry) DecodeXMLInto(v any, decode func(any) error) (err error) {
	return r.decodeInto(v, decode, true)
}

func (r *Registry) decodeInto(v any, decode func(any) error, fields bool) (err error) {
	if u, ok := v.(json.Unmarshaler); ok && !fields && reflect.ValueOf(v).Kind() != reflect.Pointer {
		// yaegi's wrapper of a notebook value with UnmarshalJSON: passed
		// by value, the decoder would refuse it.
		var raw json.RawMessage
		if err := decode(&raw); err != nil {
			return err
		}
		return u.UnmarshalJSON(raw)
	}
	if r == nil || v == nil || r.Empty() {
		return decode(v)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || isYaegi(rv.Type()) {
		return decode(v)
	}
	s := r.newShadower()
	s.decode, s.fields = true, fields
	st := s.typ(rv.Type())
	if st.t == rv.Type() {
		return decode(v)
	}
	if st.call.IsValid() { // a pointer to a value with UnmarshalJSON
		return decode(s.value(rv).Interface())
	}
	sp, ok := func() (sp reflect.Value, ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		sp = reflect.New(st.t.Elem())
		sp.Elem().Set(s.value(rv.Elem()))
		return sp, true
	}()
	if !ok {
		return decode(v)
	}
	err = decode(sp.Interface())
	defer func() {
		switch x := recover().(type) {
		case nil:
		case errDecode:
			if err == nil {
				err = x.err
			}
		default:
			panic(x)
		}
	}()
	s.back(sp.Elem(), rv.Elem())
	return err
}
