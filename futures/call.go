package futures

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
)

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// caller calls a task function with a list of arguments.
type caller func(args []any) (any, error)

// adapt turns a function value of any shape into a caller. The common
// shapes are called directly; anything else goes through reflect, which is
// also how functions written in notebook cells arrive (yaegi hands compiled
// code ordinary Go func values).
//
// Accepted: any func whose results are (), (T), (error) or (T, error).
// Arguments are checked against the parameters when the task runs; a
// mismatch is the task's error, not a panic.
func adapt(fn any) (caller, error) {
	switch f := fn.(type) {
	case nil:
		return nil, fmt.Errorf("futures: the task function is nil")
	case func() (any, error):
		return func(args []any) (any, error) {
			if err := wantArgs(0, args); err != nil {
				return nil, err
			}
			return f()
		}, nil
	case func(any) (any, error):
		return func(args []any) (any, error) {
			if err := wantArgs(1, args); err != nil {
				return nil, err
			}
			return f(args[0])
		}, nil
	case func() error:
		return func(args []any) (any, error) {
			if err := wantArgs(0, args); err != nil {
				return nil, err
			}
			return nil, f()
		}, nil
	}
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func {
		return nil, fmt.Errorf("futures: the task must be a function, not %T", fn)
	}
	if v.IsNil() {
		return nil, fmt.Errorf("futures: the task function is nil")
	}
	switch t.NumOut() {
	case 0, 1:
	case 2:
		if t.Out(1) != errorType {
			return nil, fmt.Errorf("futures: a task returning two results must return (T, error), not %v", t)
		}
	default:
		return nil, fmt.Errorf("futures: a task returns (), (T), (error) or (T, error), not %v", t)
	}
	return func(args []any) (any, error) {
		in, err := callArgs(t, args)
		if err != nil {
			return nil, err
		}
		return results(v.Call(in))
	}, nil
}

func wantArgs(n int, args []any) error {
	if len(args) != n {
		return fmt.Errorf("futures: the task takes %d argument(s), got %d", n, len(args))
	}
	return nil
}

// callArgs converts args to reflect values for a function of type t:
// assignable values pass as they are, numbers convert between numeric types
// (an int literal for an int64 or float64 parameter), nil becomes the zero
// value.
func callArgs(t reflect.Type, args []any) ([]reflect.Value, error) {
	n := t.NumIn()
	if (!t.IsVariadic() && len(args) != n) || (t.IsVariadic() && len(args) < n-1) {
		return nil, fmt.Errorf("futures: %v takes %d argument(s), got %d", t, n, len(args))
	}
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		var pt reflect.Type
		if t.IsVariadic() && i >= n-1 {
			pt = t.In(n - 1).Elem()
		} else {
			pt = t.In(i)
		}
		v, err := convertArg(a, pt)
		if err != nil {
			return nil, fmt.Errorf("futures: argument %d of %v: %w", i+1, t, err)
		}
		in[i] = v
	}
	return in, nil
}

func convertArg(a any, pt reflect.Type) (reflect.Value, error) {
	if a == nil {
		return reflect.Zero(pt), nil
	}
	v := reflect.ValueOf(a)
	if v.Type().AssignableTo(pt) {
		return v, nil
	}
	if isNumber(v.Kind()) && isNumber(pt.Kind()) {
		return v.Convert(pt), nil
	}
	return reflect.Value{}, fmt.Errorf("cannot use %v (%T) as %v", a, a, pt)
}

func isNumber(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Float64
}

// results maps the results of a call of an accepted shape to (value, error).
func results(out []reflect.Value) (any, error) {
	switch len(out) {
	case 0:
		return nil, nil
	case 1:
		if out[0].Type() == errorType {
			err, _ := out[0].Interface().(error)
			return nil, err
		}
		return out[0].Interface(), nil
	default:
		err, _ := out[1].Interface().(error)
		return out[0].Interface(), err
	}
}

// Items converts any slice or array ([]string, []int, ...) to []any, the
// form Map and the pool helpers take, so a cell can write
// ex.Map(download, futures.Items(codes)...). A non-slice value becomes a
// one-element list.
func Items(slice any) []any {
	if s, ok := slice.([]any); ok {
		return s
	}
	v := reflect.ValueOf(slice)
	if !v.IsValid() {
		return nil
	}
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return []any{slice}
	}
	out := make([]any, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface()
	}
	return out
}

// Decode converts a value as a process pool returns it (int, float64,
// string, bool, nil, []any, map[string]any) into the Go type ptr points to,
// through JSON: var p Point; err := futures.Decode(v, &p).
func Decode(value any, ptr any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("futures: decode: %w", err)
	}
	if err := json.Unmarshal(b, ptr); err != nil {
		return fmt.Errorf("futures: decode: %w", err)
	}
	return nil
}

// normalize replaces json.Number values (from a decoder with UseNumber) by
// int when the number is an integer that fits, uint64 when it only fits
// that, and float64 otherwise, inside slices and maps too.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			if int64(int(i)) == i {
				return int(i)
			}
			return i
		}
		if u, err := strconv.ParseUint(string(x), 10, 64); err == nil {
			return u
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = normalize(x[k])
		}
		return x
	}
	return v
}

// decodeJSON decodes one JSON value with integers kept as integers.
func decodeJSON(raw []byte) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return normalize(v), nil
}
