package present

import (
	"reflect"
	"unsafe"
)

// reflectNewAt returns an interfaceable copy of an unexported field so the
// result formatter can show it; the value is only read.
func reflectNewAt(v reflect.Value) reflect.Value {
	if !v.CanAddr() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}
