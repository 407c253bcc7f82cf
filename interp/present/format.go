package present

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/golit/golit/interp/rewrite"
)

// The text/plain form of a cell's result. Go's %v drops field names and
// type names; a notebook user wants to read a value, so the formatter
// writes something close to a Go composite literal, with map keys sorted
// and long collections cut.

const (
	maxItems = 100  // elements of a slice, array or map shown
	maxDepth = 6    // nesting shown before "..."
	maxText  = 4000 // characters of a string shown quoted
)

// formatter renders values; typeName maps the runtime types yaegi creates
// for notebook types (unnamed reflect types) to their names.
type formatter struct {
	typeName  func(reflect.Type) string
	fieldName func(reflect.Type, int) string // declared field names (run/cellfmt.go)
	sb        strings.Builder
}

// FormatValue renders v as the text/plain form of a cell's result
// (Out[n]); typeName names the notebook's types, which yaegi leaves
// unnamed, and fieldName, when given, the declared names of their fields,
// which yaegi renames (run/cellfmt.go).
func FormatValue(v reflect.Value, typeName func(reflect.Type) string, fieldName ...func(reflect.Type, int) string) string {
	v = UnwrapYaegi(v)
	f := &formatter{typeName: typeName}
	if len(fieldName) > 0 {
		f.fieldName = fieldName[0]
	}
	f.value(v, 0, true)
	return f.sb.String()
}

func (f *formatter) name(t reflect.Type) string {
	if f.typeName != nil {
		if n := f.typeName(t); n != "" {
			return n
		}
	}
	s := t.String()
	if strings.Contains(s, "interp.") || strings.HasPrefix(s, "struct {") {
		if t.Kind() == reflect.Struct {
			return ""
		}
	}
	return s
}

func (f *formatter) w(s string) { f.sb.WriteString(s) }

// typeText names a type for a type argument: its notebook name, or Go's.
func (f *formatter) typeText(t reflect.Type) string {
	if n := f.name(t); n != "" {
		return n
	}
	return t.String()
}

// value writes v; top tells whether v is the result itself (its type is
// then shown for composite values).
func (f *formatter) value(v reflect.Value, depth int, top bool) {
	if !v.IsValid() {
		f.w("nil")
		return
	}
	v = UnwrapYaegi(v)
	if depth > maxDepth {
		f.w("...")
		return
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case error:
			if v.Kind() != reflect.Pointer || !v.IsNil() {
				if top {
					f.w("error(" + strconv.Quote(x.Error()) + ")")
				} else {
					f.w(strconv.Quote(x.Error()))
				}
				return
			}
		case fmt.Stringer:
			if v.Kind() != reflect.Pointer || !v.IsNil() {
				f.w(x.String())
				return
			}
		}
	}
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			f.w("nil")
			return
		}
		f.value(v.Elem(), depth, top)
	case reflect.Pointer:
		if v.IsNil() {
			f.w("nil")
			return
		}
		if e := v.Elem(); e.Kind() == reflect.Struct || e.Kind() == reflect.Slice || e.Kind() == reflect.Map || e.Kind() == reflect.Array {
			f.w("&")
			f.value(e, depth+1, true)
			return
		}
		f.w(fmt.Sprintf("(%s)(%#x)", f.name(v.Type()), v.Pointer()))
	case reflect.String:
		s := v.String()
		if len(s) > maxText {
			s = s[:maxText] + "…"
		}
		f.w(strconv.Quote(s))
	case reflect.Struct:
		if rewrite.IsPointerValue(v.Type()) {
			// atomic.Pointer[T]{p}: its lock is of no interest.
			f.w("atomic.Pointer[" + f.typeText(v.Type().Field(1).Type.Elem()) + "]{")
			f.value(field(v, 1), depth+1, false)
			f.w("}")
			return
		}
		f.w(f.name(v.Type()))
		f.w("{")
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				f.w(", ")
			}
			if f.fieldName != nil {
				f.w(f.fieldName(t, i))
			} else {
				f.w(t.Field(i).Name)
			}
			f.w(": ")
			f.value(field(v, i), depth+1, false)
		}
		f.w("}")
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			f.w(f.name(v.Type()) + "(nil)")
			return
		}
		if top || v.Type().Elem().Kind() == reflect.Interface {
			f.w(f.name(v.Type()))
		}
		f.w("{")
		n := v.Len()
		for i := 0; i < n && i < maxItems; i++ {
			if i > 0 {
				f.w(", ")
			}
			f.value(v.Index(i), depth+1, false)
		}
		if n > maxItems {
			f.w(fmt.Sprintf(", … (%d more)", n-maxItems))
		}
		f.w("}")
	case reflect.Map:
		if v.IsNil() {
			f.w(f.name(v.Type()) + "(nil)")
			return
		}
		if top {
			f.w(f.name(v.Type()))
		}
		f.w("{")
		keys := v.MapKeys()
		sortValues(keys)
		for i, k := range keys {
			if i == maxItems {
				f.w(fmt.Sprintf(", … (%d more)", len(keys)-maxItems))
				break
			}
			if i > 0 {
				f.w(", ")
			}
			f.value(k, depth+1, false)
			f.w(": ")
			f.value(v.MapIndex(k), depth+1, false)
		}
		f.w("}")
	case reflect.Chan:
		if v.IsNil() {
			f.w(f.name(v.Type()) + "(nil)")
			return
		}
		f.w(fmt.Sprintf("%s (len %d, cap %d)", f.name(v.Type()), v.Len(), v.Cap()))
	case reflect.Func:
		if v.IsNil() {
			f.w(f.name(v.Type()) + "(nil)")
			return
		}
		f.w(f.name(v.Type()))
	default:
		if v.CanInterface() {
			s := fmt.Sprint(v.Interface())
			if top && v.Type().PkgPath() != "" {
				s = fmt.Sprintf("%s(%s)", f.name(v.Type()), s)
			}
			f.w(s)
			return
		}
		f.w(fmt.Sprint(v))
	}
}

// field returns field i of struct v, readable even when unexported.
func field(v reflect.Value, i int) reflect.Value {
	fv := v.Field(i)
	if fv.CanInterface() {
		return fv
	}
	if v.CanAddr() {
		return reflectNewAt(fv)
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return reflectNewAt(c.Field(i))
}

// sortValues sorts map keys: numbers and strings by value, others by text.
func sortValues(keys []reflect.Value) {
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		for a.Kind() == reflect.Interface && !a.IsNil() {
			a = a.Elem()
		}
		for b.Kind() == reflect.Interface && !b.IsNil() {
			b = b.Elem()
		}
		if a.Kind() == b.Kind() {
			switch a.Kind() {
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				return a.Int() < b.Int()
			case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
				return a.Uint() < b.Uint()
			case reflect.Float32, reflect.Float64:
				return a.Float() < b.Float()
			case reflect.String:
				return a.String() < b.String()
			}
		}
		return fmt.Sprint(a) < fmt.Sprint(b)
	})
}

// UnwrapYaegi returns the value inside one of yaegi's interface wrappers
// (interp.valueInterface), which carry interpreted values through
// compiled code.
func UnwrapYaegi(v reflect.Value) reflect.Value {
	for v.IsValid() && v.Kind() == reflect.Interface && !v.IsNil() && IsYaegiType(v.Elem().Type()) {
		v = v.Elem()
	}
	if !v.IsValid() || v.Kind() != reflect.Struct || !IsYaegiType(v.Type()) {
		return v
	}
	f, ok := v.Type().FieldByName("value")
	if !ok || f.Type != reflect.TypeOf(reflect.Value{}) {
		return reflect.Value{}
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	inner := reflectNewAt(c.FieldByIndex(f.Index)).Interface().(reflect.Value)
	return UnwrapYaegi(inner)
}

// IsYaegiType reports whether t is one of yaegi's own types (the wrappers
// it puts around interpreted values).
func IsYaegiType(t reflect.Type) bool {
	return strings.Contains(t.PkgPath(), "traefik/yaegi")
}
