package run

import (
	"encoding"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"

	"github.com/golit/golit/interp/rewrite"
	"github.com/golit/golit/interp/typefmt"
)

// encoding/json on the notebook's types: yaegi exports the unexported
// fields of a cell's struct (note becomes Xnote), which json would write
// and fill. The entry points cells call are replaced by versions that
// encode a shadow value holding only the fields the declaration exported,
// and decode into one (typefmt.Registry.Shadow, DecodeInto). Encoder and
// Decoder become types of golit's whose Encode and Decode do the same.

// JSONEncoder is json.Encoder in cells: Encode leaves out the fields of
// notebook structs their declarations did not export.
type JSONEncoder struct {
	*json.Encoder
	reg *typefmt.Registry
}

// Encode writes the JSON encoding of v, as json.Encoder.Encode does.
func (e *JSONEncoder) Encode(v any) error { return e.Encoder.Encode(e.reg.Shadow(v)) }

// JSONDecoder is json.Decoder in cells: Decode fills no field of a
// notebook struct its declaration did not export.
type JSONDecoder struct {
	*json.Decoder
	reg *typefmt.Registry
}

// Decode reads the next JSON value into v, as json.Decoder.Decode does.
func (d *JSONDecoder) Decode(v any) error { return d.reg.DecodeInto(v, d.Decoder.Decode) }

// cellJSONSymbols replaces the entry points of encoding/json in syms (the
// interpreter's table, changed in place) and records the interfaces yaegi
// is to wrap their operands in, in mt.
func cellJSONSymbols(reg *typefmt.Registry, syms map[string]reflect.Value, mt map[reflect.Value][]reflect.Type) {
	if syms == nil {
		return
	}
	marshalers := []reflect.Type{
		reflect.TypeOf((*json.Marshaler)(nil)).Elem(),
		reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem(),
	}
	unmarshalers := []reflect.Type{
		reflect.TypeOf((*json.Unmarshaler)(nil)).Elem(),
		reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem(),
	}
	set := func(name string, f any, wrap []reflect.Type) {
		v := reflect.ValueOf(f)
		syms[name] = v
		if wrap != nil {
			mt[v] = wrap
		}
	}
	set("Marshal", func(v any) ([]byte, error) { return json.Marshal(reg.Shadow(v)) }, marshalers)
	set("MarshalIndent", func(v any, prefix, indent string) ([]byte, error) {
		return json.MarshalIndent(reg.Shadow(v), prefix, indent)
	}, marshalers)
	set("Unmarshal", func(data []byte, v any) error {
		return reg.DecodeInto(v, func(p any) error { return json.Unmarshal(data, p) })
	}, unmarshalers)
	set("Encoder", (*JSONEncoder)(nil), nil)
	set("Decoder", (*JSONDecoder)(nil), nil)
	set("NewEncoder", func(w io.Writer) *JSONEncoder { return &JSONEncoder{json.NewEncoder(w), reg} }, nil)
	set("NewDecoder", func(r io.Reader) *JSONDecoder { return &JSONDecoder{json.NewDecoder(r), reg} }, nil)
}

// jsonMethods are the json methods whose callable versions the registry
// holds, for values of notebook types inside others (a field's reflect
// type has lost its methods).
var jsonMethods = map[string]bool{"MarshalJSON": true, "UnmarshalJSON": true}

// jsonMethodSources returns the calls registering method m of the
// notebook type t (see noteTypeSources).
func jsonMethodSources(t, m string, ptrRecv bool) []string {
	rt := rewrite.RuntimePkg
	if m == "UnmarshalJSON" {
		return []string{fmt.Sprintf("%s.TypeMethod(%q, %q, true, func(v *%s, b []byte) error { return v.%s(b) })", rt, t, m, t, m)}
	}
	var srcs []string
	if !ptrRecv {
		srcs = append(srcs, fmt.Sprintf("%s.TypeMethod(%q, %q, false, func(v %s) ([]byte, error) { return v.%s() })", rt, t, m, t, m))
	}
	return append(srcs, fmt.Sprintf("%s.TypeMethod(%q, %q, true, func(v *%s) ([]byte, error) { return v.%s() })", rt, t, m, t, m))
}

// cellXMLSymbols replaces encoding/xml's Marshal, MarshalIndent and
// Unmarshal the same way: unexported fields left out, the root element
// named after the notebook type (typefmt.Registry.ShadowXML).
func cellXMLSymbols(reg *typefmt.Registry, syms map[string]reflect.Value, mt map[reflect.Value][]reflect.Type) {
	if syms == nil {
		return
	}
	marshalers := []reflect.Type{
		reflect.TypeOf((*xml.Marshaler)(nil)).Elem(),
		reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem(),
	}
	unmarshalers := []reflect.Type{
		reflect.TypeOf((*xml.Unmarshaler)(nil)).Elem(),
		reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem(),
	}
	set := func(name string, f any, wrap []reflect.Type) {
		v := reflect.ValueOf(f)
		syms[name] = v
		mt[v] = wrap
	}
	set("Marshal", func(v any) ([]byte, error) { return xml.Marshal(reg.ShadowXML(v)) }, marshalers)
	set("MarshalIndent", func(v any, prefix, indent string) ([]byte, error) {
		return xml.MarshalIndent(reg.ShadowXML(v), prefix, indent)
	}, marshalers)
	set("Unmarshal", func(data []byte, v any) error {
		return reg.DecodeXMLInto(v, func(p any) error { return xml.Unmarshal(data, p) })
	}, unmarshalers)
}
