package typefmt

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// The cost fmt's replacements add to a call: scanning the format and
// checking each operand (plain), and printing a notebook struct
// (struct) against fmt printing its compiled twin.

func BenchmarkSprintfPlain(b *testing.B) {
	r, _ := newTwins(&testing.T{})
	b.Run("fmt", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = fmt.Sprintf("%d %s %v", i, "x", 1.5)
		}
	})
	b.Run("typefmt", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f, a := r.Printf("%d %s %v", []any{i, "x", 1.5})
			_ = fmt.Sprintf(f, a...)
		}
	})
}

func BenchmarkSprintfStruct(b *testing.B) {
	r, conv := newTwins(&testing.T{})
	l := line{point{1, 2}, point{3, 4}, "l"}
	y := yaegiValue(reflect.ValueOf(l), conv).Interface()
	b.Run("fmt", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = fmt.Sprintf("%+v", l)
		}
	})
	b.Run("typefmt", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f, a := r.Printf("%+v", []any{y})
			_ = fmt.Sprintf(f, a...)
		}
	})
}

// json.Marshal of 100 notebook structs through Shadow against json of
// their compiled twins.
func BenchmarkMarshalJSONShadow(b *testing.B) {
	r, conv := newTwins(&testing.T{})
	ls := make([]line, 100)
	for i := range ls {
		ls[i] = line{point{i, 2}, point{3, 4}, "l"}
	}
	y := yaegiValue(reflect.ValueOf(ls), conv).Interface()
	b.Run("json", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, _ = json.Marshal(ls)
		}
	})
	b.Run("shadow", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, _ = json.Marshal(r.Shadow(y))
		}
	})
}
