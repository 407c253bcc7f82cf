package run

import (
	"context"
	"fmt"
	"go/parser"
	"os"
	"reflect"
	"strings"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/rewrite"
)

// richResult computes the forms of the cell's result. Values of compiled
// types are asked through Go interfaces. Values of notebook types carry
// their methods only inside the interpreter (and yaegi's type switches on
// interfaces are not reliable), so the engine looks their methods up in the
// notebook's declarations and has interpreted code call them.
func (e *Session) richResult(ctx context.Context, r result) result {
	v := r.v
	rich := present.CompiledForms(v)
	for k, d := range e.notebookRich(ctx, v) {
		rich[k] = d
	}
	r.rich = rich
	r.text = present.ResultText(rich, v, e.typeNameOf, e.cellTypes.FieldName)
	return r
}

// notebookRich calls the display methods of a value of a notebook type.
func (e *Session) notebookRich(ctx context.Context, v reflect.Value) map[string]any {
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
	for _, m := range present.RichMethods {
		d := e.decls.byKey[name+"."+m.Method]
		if d == nil || (d.PtrRecv && !ptr) {
			continue
		}
		if m.Method == "Render" {
			continue
		}
		calls = append(calls, fmt.Sprintf("m[%q] = x.%s()", m.MIME, m.Method))
	}
	if d := e.decls.byKey[name+".Render"]; d != nil && (!d.PtrRecv || ptr) {
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
		typ, strings.Join(calls, "; "), rewrite.RuntimePkg, rewrite.RuntimePkg, typ)
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
