package typefmt

import (
	"errors"
	"reflect"
)

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// As is errors.As for notebooks: a target of a notebook error type (whose
// reflect type, built by yaegi, has no Error method) is matched against
// the values inside yaegi's interface wrappers along err's chain. Other
// targets are errors.As's.
func As(err error, target any) bool {
	if target == nil {
		panic("errors: target cannot be nil")
	}
	val := reflect.ValueOf(target)
	typ := val.Type()
	if typ.Kind() != reflect.Pointer || val.IsNil() {
		panic("errors: target must be a non-nil pointer")
	}
	want := typ.Elem()
	if want.Kind() == reflect.Interface || want.Implements(errorType) {
		return errors.As(err, target)
	}
	return as(err, val.Elem(), want, 0)
}

func as(err error, dst reflect.Value, want reflect.Type, depth int) bool {
	for err != nil && depth < 100 {
		depth++
		if inner, _ := unwrapYaegi(reflect.ValueOf(err)); inner.IsValid() && inner.Type() == want {
			dst.Set(inner)
			return true
		}
		if x, ok := err.(interface{ As(any) bool }); ok && x.As(dst.Addr().Interface()) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if as(e, dst, want, depth) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// Is is errors.Is for notebooks: yaegi hands an error of a notebook type
// to compiled code in a wrapper that cannot be compared, so errors.Is
// never finds a notebook's sentinel (var ErrX = &myErr{...}). Is compares
// the pointers inside the wrappers instead; other errors are errors.Is's.
func Is(err, target error) bool {
	if err == nil || target == nil {
		return errors.Is(err, target)
	}
	tv, tw := unwrapYaegi(reflect.ValueOf(target))
	if tw == nil || tv.Kind() != reflect.Pointer {
		return errors.Is(err, target)
	}
	return is(err, tv, 0)
}

func is(err error, tv reflect.Value, depth int) bool {
	for err != nil && depth < 100 {
		depth++
		if ev, _ := unwrapYaegi(reflect.ValueOf(err)); ev.IsValid() && ev.Type() == tv.Type() && ev.Pointer() == tv.Pointer() {
			return true
		}
		if x, ok := err.(interface{ Is(error) bool }); ok {
			if t, ok := iface(tv).(error); ok && x.Is(t) {
				return true
			}
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if is(e, tv, depth) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}
