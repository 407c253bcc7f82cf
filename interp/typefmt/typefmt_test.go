package typefmt

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"testing"
)

// Compiled twins of notebook types: the expected output of each case is
// what fmt prints for these.
type point struct{ x, y int }

type line struct {
	a, b point
	Name string
}

type box struct {
	v  any
	ps []point
	m  map[string]*point
}

type inner struct{ X int }

type outer struct {
	inner
	Y int
}

// yaegiType builds the reflect type yaegi builds for the struct type of v:
// unnamed, unexported field names prefixed with X, field types mapped by
// conv.
func yaegiType(t reflect.Type, conv map[reflect.Type]reflect.Type) reflect.Type {
	if c, ok := conv[t]; ok {
		return c
	}
	switch t.Kind() {
	case reflect.Pointer:
		return reflect.PointerTo(yaegiType(t.Elem(), conv))
	case reflect.Slice:
		return reflect.SliceOf(yaegiType(t.Elem(), conv))
	case reflect.Map:
		return reflect.MapOf(yaegiType(t.Key(), conv), yaegiType(t.Elem(), conv))
	case reflect.Struct:
		if t.PkgPath() == "" || t.Name() == "" {
			break
		}
		var fs []reflect.StructField
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := f.Name
			if !f.IsExported() {
				name = "X" + name
			}
			fs = append(fs, reflect.StructField{Name: name, Type: yaegiType(f.Type, conv), Tag: f.Tag})
		}
		y := reflect.StructOf(fs)
		conv[t] = y
		return y
	}
	return t
}

// yaegiValue converts a value of a compiled twin into the notebook's
// representation.
func yaegiValue(v reflect.Value, conv map[reflect.Type]reflect.Type) reflect.Value {
	t := yaegiType(v.Type(), conv)
	if t == v.Type() && v.Kind() != reflect.Interface {
		return v
	}
	out := reflect.New(t).Elem()
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		e := yaegiValue(v.Elem(), conv)
		o := reflect.New(v.Type()).Elem()
		o.Set(e)
		return o
	case reflect.Pointer:
		if v.IsNil() {
			return out
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(yaegiValue(v.Elem(), conv))
		return p
	case reflect.Slice:
		if v.IsNil() {
			return out
		}
		s := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			s.Index(i).Set(yaegiValue(v.Index(i), conv))
		}
		return s
	case reflect.Map:
		if v.IsNil() {
			return out
		}
		m := reflect.MakeMap(t)
		it := v.MapRange()
		for it.Next() {
			m.SetMapIndex(yaegiValue(it.Key(), conv), yaegiValue(it.Value(), conv))
		}
		return m
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		for i := 0; i < v.NumField(); i++ {
			f := c.Field(i)
			f = reflect.NewAt(f.Type(), f.Addr().UnsafePointer()).Elem()
			out.Field(i).Set(yaegiValue(f, conv))
		}
		return out
	}
	return v
}

func newTwins(t *testing.T) (*Registry, map[reflect.Type]reflect.Type) {
	t.Helper()
	r := NewRegistry("typefmt")
	conv := map[reflect.Type]reflect.Type{}
	for _, tw := range []struct {
		v   any
		src string
	}{
		{point{}, "type point struct{ x, y int }"},
		{line{}, "type line struct {\n\ta, b point\n\tName string\n}"},
		{box{}, "type box struct {\n\tv any\n\tps []point\n\tm map[string]*point\n}"},
		{inner{}, "type inner struct{ X int }"},
		{outer{}, "type outer struct {\n\tinner\n\tY int\n}"},
	} {
		ct := reflect.TypeOf(tw.v)
		r.Source(tw.src)
		r.Declare(yaegiType(ct, conv), ct.Name())
	}
	return r, conv
}

func TestPrintfMatchesCompiledGo(t *testing.T) {
	r, conv := newTwins(t)
	p := &point{1, 2}
	values := []any{
		point{1, 2}, p, []point{{1, 2}, {3, 4}}, [2]point{{5, 6}},
		map[string]point{"b": {1, 2}, "a": {3, 4}}, map[point]string{{2, 1}: "x", {1, 9}: "y"},
		line{point{1, 2}, point{3, 4}, "l"},
		box{v: point{7, 8}, ps: []point{{1, 1}}, m: map[string]*point{"k": nil}},
		box{}, []any{point{1, 2}, 3, "s", nil}, outer{inner{1}, 2},
		map[string]any{"p": point{1, 2}},
	}
	verbs := []string{"%v", "%+v", "%#v", "%T", "%d", "%s", "%8v", "%-4v|", "%x"}
	for _, v := range values {
		y := yaegiValue(reflect.ValueOf(v), conv).Interface()
		for _, verb := range verbs {
			want := fmt.Sprintf(verb, v)
			f, args := r.Printf(verb, []any{y})
			got := fmt.Sprintf(f, args...)
			if got != want {
				t.Errorf("Printf(%q, %T)\n got %s\nwant %s", verb, v, got, want)
			}
		}
		if got, want := fmt.Sprint(r.Args([]any{y, "x", y})...), fmt.Sprint(v, "x", v); got != want {
			t.Errorf("Sprint(%T)\n got %s\nwant %s", v, got, want)
		}
		if got, want := fmt.Sprintln(r.Args([]any{y, y})...), fmt.Sprintln(v, v); got != want {
			t.Errorf("Sprintln(%T)\n got %s\nwant %s", v, got, want)
		}
	}
}

// Pointers inside values print as addresses, which differ between the
// twin and the converted value: compare them with the addresses replaced.
func TestPointersInside(t *testing.T) {
	r, conv := newTwins(t)
	hex := regexp.MustCompile(`0x[0-9a-f]+`)
	p := &point{1, 2}
	for _, v := range []any{[]*point{p}, map[string]*point{"a": p}, []any{p}} {
		y := yaegiValue(reflect.ValueOf(v), conv).Interface()
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%12v|"} {
			want := hex.ReplaceAllString(fmt.Sprintf(verb, v), "ADDR")
			f, args := r.Printf(verb, []any{y})
			if got := hex.ReplaceAllString(fmt.Sprintf(f, args...), "ADDR"); got != want {
				t.Errorf("Printf(%q, %T)\n got %s\nwant %s", verb, v, got, want)
			}
		}
	}
}

func TestPrintfFormats(t *testing.T) {
	r, conv := newTwins(t)
	y := yaegiValue(reflect.ValueOf(point{1, 2}), conv).Interface()
	err := errors.New("boom")
	for _, c := range []struct {
		format string
		args   []any
		want   string
	}{
		{"%T|%v|%[1]T", []any{y, y}, "typefmt.point|{1 2}|typefmt.point"},
		{"%[2]v %[1]T", []any{y, y}, "{1 2} typefmt.point"},
		{"%*d %v", []any{3, 7, y}, "  7 {1 2}"},
		{"%v %w", []any{y, err}, "{1 2} boom"},
		{"100%% %T", []any{y}, "100% typefmt.point"},
	} {
		f, args := r.Printf(c.format, c.args)
		var got string
		if c.format == "%v %w" {
			e := fmt.Errorf(f, args...)
			got = e.Error()
			if !errors.Is(e, err) {
				t.Errorf("%q: %%w no longer wraps", c.format)
			}
		} else {
			got = fmt.Sprintf(f, args...)
		}
		if got != c.want {
			t.Errorf("Printf(%q) = %q, want %q", c.format, got, c.want)
		}
	}
}

func TestAmbiguousTypes(t *testing.T) {
	r := NewRegistry("main")
	st := reflect.StructOf([]reflect.StructField{{Name: "Xx", Type: reflect.TypeOf(0)}})
	r.Source("type a struct{ x int }")
	r.Source("type b struct{ x int }")
	r.Declare(st, "a")
	if got := r.TypeString(st); got != "main.a" {
		t.Errorf("one name: %q", got)
	}
	r.Declare(st, "b")
	v := reflect.New(st).Elem()
	v.Field(0).SetInt(1)
	if got := fmt.Sprintf("%T %#v", r.Printer(v.Interface()), r.Printer(v.Interface())); got != "typefmt.operand struct { x int }{x:1}" {
		t.Errorf("two names share a type: %q", got)
	}
	if f, a := r.Printf("%T", []any{v.Interface()}); fmt.Sprintf(f, a...) != "struct { x int }" {
		t.Errorf("%%T of an ambiguous type: %q", fmt.Sprintf(f, a...))
	}
}

func TestDisplayType(t *testing.T) {
	r, conv := newTwins(t)
	for _, c := range []struct {
		v    any
		want string
	}{
		{[]point{}, "[]point"}, {map[string]*point{}, "map[string]*point"}, {0, ""}, {[]int{}, ""},
	} {
		if got := r.DisplayType(yaegiType(reflect.TypeOf(c.v), conv)); got != c.want {
			t.Errorf("DisplayType(%T) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestTypedOperands(t *testing.T) {
	r, conv := newTwins(t)
	r.Source("type state int\ntype names []string\ntype Pair[K comparable, V any] struct{ Key K; Val V }")
	r.SetMethod("state", "String", false, func(s int) string { return [...]string{"idle", "busy"}[s] })
	y := yaegiValue(reflect.ValueOf(point{1, 2}), conv).Interface()
	pair := struct {
		Key string
		Val int
	}{"k", 1}
	for _, c := range []struct {
		format string
		args   []any
		want   string
	}{
		{"%T %v %d %#v", []any{r.Typed("state", 1), r.Typed("state", 1), r.Typed("state", 1), r.Typed("state", 1)}, "typefmt.state busy 1 1"},
		{"%v %#v %T", []any{r.Typed("[]state", []int{0, 1}), r.Typed("[]state", []int{0, 1}), r.Typed("[]state", []int{0, 1})}, "[idle busy] []typefmt.state{0, 1} []typefmt.state"},
		{"%#v %T", []any{r.Typed("names", []string{"a"}), r.Typed("map[string]names", map[string][]string{})}, `typefmt.names{"a"} map[string]typefmt.names`},
		{"%T %+v", []any{r.Typed("Pair[string, int]", pair), r.Typed("Pair[string, int]", pair)}, "typefmt.Pair[string,int] {Key:k Val:1}"},
		{"%T %v", []any{r.Typed("*point", &point{}), r.Typed("point", y)}, "*typefmt.point {1 2}"},
		{"%T %T", []any{r.Typed("local", y), r.Typed("[]byte", []byte{})}, "typefmt.local []uint8"},
	} {
		f, args := r.Printf(c.format, c.args)
		if got := fmt.Sprintf(f, args...); got != c.want {
			t.Errorf("Printf(%q) = %q, want %q", c.format, got, c.want)
		}
	}
	if got := fmt.Sprint(r.Args([]any{r.Typed("state", 0), "x", r.Typed("names", []string{"b"})})...); got != "idlex[b]" {
		t.Errorf("Sprint = %q", got)
	}
}
