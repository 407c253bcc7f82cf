package typefmt

import (
	"encoding/json"
	"reflect"
	"testing"
)

// json of a shadow value is json of the compiled twin: unexported fields
// left out, embedded structs promoted, at any depth.
func TestShadowJSON(t *testing.T) {
	r, conv := newTwins(t)
	p := &point{3, 4}
	for _, v := range []any{
		point{1, 2},
		line{point{1, 2}, point{3, 4}, "l"},
		[]line{{Name: "a"}},
		map[string]*point{"p": p, "nil": nil},
		box{v: point{5, 6}, ps: []point{{7, 8}}, m: map[string]*point{"k": p}},
		outer{inner{1}, 2},
		[]any{outer{inner{3}, 4}, &line{Name: "x"}, 5},
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		yv := yaegiValue(reflect.ValueOf(v), conv).Interface()
		raw, _ := json.Marshal(yv)
		got, err := json.Marshal(r.Shadow(yv))
		if err != nil || string(got) != string(want) {
			t.Errorf("%#v:\ngot  %s %v\nwant %s (unshadowed %s)", v, got, err, want, raw)
		}
	}
}

// Decoding through DecodeInto fills the exported fields only and keeps
// the unexported ones.
func TestDecodeIntoJSON(t *testing.T) {
	r, conv := newTwins(t)
	ot := yaegiType(reflect.TypeOf(outer{}), conv)
	v := reflect.New(ot)
	v.Elem().Field(0).Field(0).SetInt(-1) // inner.X: exported, promoted
	data := []byte(`{"X":7,"Y":8,"inner":{"X":9},"Xinner":{"X":9}}`)
	if err := r.DecodeInto(v.Interface(), func(p any) error { return json.Unmarshal(data, p) }); err != nil {
		t.Fatal(err)
	}
	var want outer
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if x, y := v.Elem().Field(0).Field(0).Int(), v.Elem().Field(1).Int(); x != int64(want.X) || y != int64(want.Y) {
		t.Errorf("got X=%d Y=%d, want %+v", x, y, want)
	}
	bt := yaegiType(reflect.TypeOf(line{}), conv)
	b := reflect.New(bt)
	b.Elem().Field(0).Field(0).SetInt(42) // a.x (unexported a)
	data = []byte(`{"Name":"n","Xa":{"Xx":1},"a":{"x":1}}`)
	if err := r.DecodeInto(b.Interface(), func(p any) error { return json.Unmarshal(data, p) }); err != nil {
		t.Fatal(err)
	}
	if name, ax := b.Elem().Field(2).String(), b.Elem().Field(0).Field(0).Int(); name != "n" || ax != 42 {
		t.Errorf("got Name=%q a.x=%d, want n 42", name, ax)
	}
}
