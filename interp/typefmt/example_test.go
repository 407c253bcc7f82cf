package typefmt_test

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/golit/golit/interp/typefmt"
)

// A notebook's `type point struct{ x, y int }` reaches compiled code as
// an unnamed struct whose fields yaegi renamed; the registry prints it
// with its Go names.
func ExampleRegistry_Printf() {
	pointType := reflect.StructOf([]reflect.StructField{
		{Name: "Xx", Type: reflect.TypeOf(0)},
		{Name: "Xy", Type: reflect.TypeOf(0)},
	})
	reg := typefmt.NewRegistry("main")
	reg.Source("type point struct{ x, y int }")
	reg.Declare(pointType, "point")

	p := reflect.New(pointType).Elem()
	p.Field(0).SetInt(1)
	p.Field(1).SetInt(2)
	args := []any{p.Interface(), p.Interface(), p.Interface()}

	fmt.Printf("%T %+v %#v\n", args...)
	format, args := reg.Printf("%T %+v %#v\n", args)
	fmt.Printf(format, args...)
	// Output:
	// struct { Xx int; Xy int } {Xx:1 Xy:2} struct { Xx int; Xy int }{Xx:1, Xy:2}
	// main.point {x:1 y:2} main.point{x:1, y:2}
}

// A named type that is not a struct has its underlying reflect type; the
// declared type, when the source shows it, names it.
func ExampleRegistry_Typed() {
	reg := typefmt.NewRegistry("main")
	reg.Source("type celsius float64\ntype names []string")
	format, args := reg.Printf("%T %v %T %#v\n", []any{
		reg.Typed("celsius", 21.5), reg.Typed("celsius", 21.5),
		reg.Typed("names", []string{"a"}), reg.Typed("names", []string{"a"}),
	})
	fmt.Printf(format, args...)
	// Output:
	// main.celsius 21.5 main.names main.names{"a"}
}

// encoding/json sees the fields yaegi renamed; a shadow value has only
// those the declaration exported.
func ExampleRegistry_Shadow() {
	itemType := reflect.StructOf([]reflect.StructField{
		{Name: "Name", Type: reflect.TypeOf(""), Tag: `json:"name"`},
		{Name: "Xnote", Type: reflect.TypeOf("")},
	})
	reg := typefmt.NewRegistry("main")
	reg.Source("type item struct {\n\tName string `json:\"name\"`\n\tnote string\n}")
	reg.Declare(itemType, "item")

	it := reflect.New(itemType).Elem()
	it.Field(0).SetString("pen")
	it.Field(1).SetString("private")
	raw, _ := json.Marshal(it.Interface())
	shadowed, _ := json.Marshal(reg.Shadow([]any{it.Interface()}))
	fmt.Println(string(raw))
	fmt.Println(string(shadowed))
	// Output:
	// {"name":"pen","Xnote":"private"}
	// [{"name":"pen"}]
}
