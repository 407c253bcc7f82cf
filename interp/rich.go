package interp

import (
	"context"
	"fmt"
	"go/parser"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/golit/golit/display"
)

// richMethods are the single-method display forms a value may have, with
// the MIME type each produces. Render() display.Bundle gives any number.
var richMethods = []struct{ method, mime string }{
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

// richResult computes the forms of the cell's result. Values of compiled
// types are asked through Go interfaces. Values of notebook types carry
// their methods only inside the interpreter (and yaegi's type switches on
// interfaces are not reliable), so the engine looks their methods up in the
// notebook's declarations and has interpreted code call them.
func (e *Engine) richResult(ctx context.Context, r result) result {
	v := r.v
	rich := map[string]any{}
	text, hasText := "", false
	if v.IsValid() && v.CanInterface() && !(v.Kind() == reflect.Pointer && v.IsNil()) {
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
	}
	for k, d := range e.notebookRich(ctx, v) {
		rich[k] = d
	}
	if s, ok := rich["text/plain"].(string); ok {
		text, hasText = s, true
	} else if s, ok := rich["text/error"].(string); ok {
		text, hasText = "error("+strconv.Quote(s)+")", true
	} else if s, ok := rich["text/string"].(string); ok {
		text, hasText = s, true
	}
	if !hasText {
		text = formatValue(v, e.typeNameOf, e.cellTypes.FieldName)
	}
	r.rich = rich
	r.text = text
	return r
}

// notebookRich calls the display methods of a value of a notebook type.
func (e *Engine) notebookRich(ctx context.Context, v reflect.Value) map[string]any {
	if !v.IsValid() {
		return nil
	}
	t := v.Type()
	ptr := false
	if t.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		t = t.Elem()
		ptr = true
	}
	name := e.typeNameOf(t)
	if name == "" {
		return nil
	}
	var calls []string
	for _, m := range richMethods {
		d := e.decls.byKey[name+"."+m.method]
		if d == nil || (d.ptrRecv && !ptr) {
			continue
		}
		if m.method == "Render" {
			continue
		}
		calls = append(calls, fmt.Sprintf("m[%q] = x.%s()", m.mime, m.method))
	}
	if d := e.decls.byKey[name+".Render"]; d != nil && (!d.ptrRecv || ptr) {
		calls = append(calls, "for k, d := range x.Render() { m[k] = d }")
	}
	if len(calls) == 0 {
		return nil
	}
	typ := name
	if ptr {
		typ = "*" + name
	}
	src := fmt.Sprintf("func(x %s) { m := map[string]any{}; %s; %s.Rich(m) }(%s.Last().(%s))",
		typ, strings.Join(calls, "; "), rtPkgName, rtPkgName, typ)
	x, err := parser.ParseExprFrom(e.yi.FileSet(), e.fileName(), src, 0)
	if err != nil {
		return nil
	}
	e.resMu.Lock()
	e.res.rich = nil
	e.resMu.Unlock()
	if _, xe := e.compileRun(ctx, e.newBlock(exprStmt(x))); xe != nil {
		if debugRewrite {
			fmt.Fprintln(os.Stderr, "golit: rich display failed:", xe)
		}
		e.takeStack(xe.gid, nil, false)
		return nil
	}
	e.resMu.Lock()
	defer e.resMu.Unlock()
	return e.res.rich
}
