package interp

import (
	"context"
	"go/parser"
)

// preludeImports are imported under hidden names for the display helper.
var preludeImports = []importSpec{
	{name: rtPkgName, path: rtImportPath},
	{name: golitPrefix + "fmt", path: "fmt"},
	{name: golitPrefix + "strconv", path: "strconv"},
	{name: golitPrefix + "display", path: "github.com/golit/golit/display"},
}

// preludeSrc is interpreted once per engine. golit__result receives the
// value of a cell's last expression inside the interpreter, where the
// methods of notebook types are known, and hands its rich forms to the
// engine.
const preludeSrc = `package main

func golit__result(v any) {
	b := map[string]any{}
	if r, ok := v.(interface{ Render() golit__display.Bundle }); ok {
		for k, x := range r.Render() {
			b[k] = x
		}
	}
	if h, ok := v.(interface{ HTML() string }); ok {
		b["text/html"] = h.HTML()
	}
	if h, ok := v.(interface{ Markdown() string }); ok {
		b["text/markdown"] = h.Markdown()
	}
	if h, ok := v.(interface{ SVG() string }); ok {
		b["image/svg+xml"] = h.SVG()
	}
	if h, ok := v.(interface{ PNG() []byte }); ok {
		b["image/png"] = h.PNG()
	}
	if h, ok := v.(interface{ JPEG() []byte }); ok {
		b["image/jpeg"] = h.JPEG()
	}
	if h, ok := v.(interface{ JSON() any }); ok {
		b["application/json"] = h.JSON()
	}
	if h, ok := v.(interface{ LaTeX() string }); ok {
		b["text/latex"] = h.LaTeX()
	}
	text, has := "", false
	if t, ok := b["text/plain"].(string); ok {
		text, has = t, true
	} else if err, ok := v.(error); ok && err != nil {
		text, has = "error(" + golit__strconv.Quote(err.Error()) + ")", true
	} else if s, ok := v.(golit__fmt.Stringer); ok && s != nil {
		text, has = s.String(), true
	}
	golit__rt.Result(v, b, text, has)
}
`

// prelude imports the runtime support and compiles the display helper.
func (e *Engine) prelude() error {
	ctx := context.Background()
	if x := e.importAll(ctx, preludeImports); x != nil {
		return x
	}
	f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), preludeSrc, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	if _, x := e.compileRun(ctx, f); x != nil {
		return x
	}
	return nil
}
