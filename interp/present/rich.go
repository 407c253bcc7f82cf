package present

import (
	"reflect"
	"strconv"

	"github.com/golit/golit/display"
)

// RichMethod is a display method and the MIME type of what it returns.
type RichMethod struct {
	Method string // the method's name: HTML, PNG, ...
	MIME   string // the MIME type of its result
}

// RichMethods are the single-method display forms a value may have, with
// the MIME type each produces. Render() display.Bundle gives any number.
var RichMethods = []RichMethod{
	{"HTML", "text/html"},
	{"Markdown", "text/markdown"},
	{"SVG", "image/svg+xml"},
	{"PNG", "image/png"},
	{"JPEG", "image/jpeg"},
	{"JSON", "application/json"},
	{"LaTeX", "text/latex"},
	{"Error", "text/error"},
	{"String", "text/string"},
}

// Display interfaces of compiled values.
type (
	htmler     interface{ HTML() string }
	markdowner interface{ Markdown() string }
	svger      interface{ SVG() string }
	pnger      interface{ PNG() []byte }
	jpeger     interface{ JPEG() []byte }
	jsoner     interface{ JSON() any }
	latexer    interface{ LaTeX() string }
)

// CompiledForms returns the display forms of a value of a compiled type,
// asked through Go interfaces (display.Renderer and the single-method
// forms of RichMethods), by MIME type.
func CompiledForms(v reflect.Value) map[string]any {
	rich := map[string]any{}
	if !v.IsValid() || !v.CanInterface() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return rich
	}
	switch x := v.Interface().(type) {
	case display.Renderer:
		for k, d := range x.Render() {
			rich[k] = d
		}
	}
	if x, ok := v.Interface().(htmler); ok {
		rich["text/html"] = x.HTML()
	}
	if x, ok := v.Interface().(markdowner); ok {
		rich["text/markdown"] = x.Markdown()
	}
	if x, ok := v.Interface().(svger); ok {
		rich["image/svg+xml"] = x.SVG()
	}
	if x, ok := v.Interface().(pnger); ok {
		rich["image/png"] = x.PNG()
	}
	if x, ok := v.Interface().(jpeger); ok {
		rich["image/jpeg"] = x.JPEG()
	}
	if x, ok := v.Interface().(jsoner); ok {
		rich["application/json"] = x.JSON()
	}
	if x, ok := v.Interface().(latexer); ok {
		rich["text/latex"] = x.LaTeX()
	}
	return rich
}

// ResultText returns the text/plain form of a result whose display forms
// are rich: the value's own text/plain, its Error or String method's
// result, or else the value formatted (FormatValue). typeName names the
// notebook's types and fieldName, when given, their fields.
func ResultText(rich map[string]any, v reflect.Value, typeName func(reflect.Type) string, fieldName ...func(reflect.Type, int) string) string {
	if s, ok := rich["text/plain"].(string); ok {
		return s
	} else if s, ok := rich["text/error"].(string); ok {
		return "error(" + strconv.Quote(s) + ")"
	} else if s, ok := rich["text/string"].(string); ok {
		return s
	}
	return FormatValue(v, typeName, fieldName...)
}
