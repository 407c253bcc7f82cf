package run

import (
	"reflect"
	"sync"
	"unsafe"

	yaegi "github.com/traefik/yaegi/interp"
)

// One global by name.
//
// yaegi.Interpreter.Globals builds a map of every constant and variable of
// the notebook, walking all of main's symbols (functions too); the engine
// asked for it several times a cell to look up a handful of names, so a
// cell's cost grew with the notebook: a CPU profile of the 3,000th cell of
// bench/session spent half of the engine's time in Globals. global reads
// the one symbol instead, the way Globals does (constants from the
// symbol's value, variables from the global frame), through yaegi
// v0.16.1's layout, checked when the package loads. Without that layout it
// falls back to Globals.

// Symbol kinds of yaegi v0.16.1 (interp/scope.go) that Globals returns.
const (
	yaegiConstSym = 3
	yaegiVarSym   = 9
)

var yaegiSym = func() (f struct {
	ok                bool
	frameOff          uintptr
	frameType         reflect.Type
	kind, index, rval int // field indexes in symbol
	dataIdx           int // field index of data in frame
}) {
	if !mainScope.ok || !yfields.ok {
		return f
	}
	it := reflect.TypeOf(yaegi.Interpreter{})
	fr, ok := it.FieldByName("frame")
	if !ok || fr.Type.Kind() != reflect.Pointer || fr.Type.Elem().Kind() != reflect.Struct {
		return f
	}
	data, ok := fr.Type.Elem().FieldByName("data")
	if !ok || data.Type != reflect.TypeOf([]reflect.Value(nil)) {
		return f
	}
	sym := mainScope.typ.Elem().Elem().Elem() // map[string]map[string]*symbol -> symbol
	if sym.Kind() != reflect.Struct {
		return f
	}
	k, ok1 := sym.FieldByName("kind")
	i, ok2 := sym.FieldByName("index")
	r, ok3 := sym.FieldByName("rval")
	if !ok1 || !ok2 || !ok3 || k.Type.Kind() != reflect.Uint || i.Type.Kind() != reflect.Int || r.Type != reflect.TypeOf(reflect.Value{}) {
		return f
	}
	f.ok, f.frameOff, f.frameType = true, fr.Offset, fr.Type
	f.kind, f.index, f.rval, f.dataIdx = k.Index[0], i.Index[0], r.Index[0], data.Index[0]
	return f
}()

// global returns the value of the notebook's constant or variable name,
// as Globals()[name] would.
func (e *Session) global(name string) (reflect.Value, bool) {
	if !yaegiSym.ok {
		v, ok := e.yi.Globals()[name]
		return v, ok
	}
	mu := (*sync.RWMutex)(unsafe.Add(unsafe.Pointer(e.yi), yfields.muOff))
	mu.RLock()
	defer mu.RUnlock()
	srcPkg := reflect.NewAt(mainScope.typ, unsafe.Add(unsafe.Pointer(e.yi), mainScope.off)).Elem()
	syms := srcPkg.MapIndex(reflect.ValueOf("main"))
	if !syms.IsValid() || syms.IsNil() {
		return reflect.Value{}, false
	}
	p := syms.MapIndex(reflect.ValueOf(name))
	if !p.IsValid() || p.IsNil() {
		return reflect.Value{}, false
	}
	s := p.Elem()
	switch s.Field(yaegiSym.kind).Uint() {
	case yaegiConstSym:
		rv := s.Field(yaegiSym.rval)
		return *(*reflect.Value)(unsafe.Pointer(rv.UnsafeAddr())), true
	case yaegiVarSym:
		idx := int(s.Field(yaegiSym.index).Int())
		fp := reflect.NewAt(yaegiSym.frameType, unsafe.Add(unsafe.Pointer(e.yi), yaegiSym.frameOff)).Elem()
		if fp.IsNil() {
			return reflect.Value{}, false
		}
		dv := fp.Elem().Field(yaegiSym.dataIdx)
		data := *(*[]reflect.Value)(unsafe.Pointer(dv.UnsafeAddr()))
		if idx < 0 || idx >= len(data) {
			return reflect.Value{}, false
		}
		return data[idx], true
	}
	return reflect.Value{}, false
}
