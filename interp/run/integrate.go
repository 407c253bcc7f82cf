package run

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/complete"
	"github.com/golit/golit/interp/magic"
	"github.com/golit/golit/kernel"
)

// The completion and magics packages see the engine through small
// interfaces: complete.Source (symbol tables, imports, globals,
// declarations) and magic.Env (evaluate, stream, variables, reset, docs).

// source implements complete.Source.
type source struct{ e *Session }

func (s source) Packages() map[string]map[string]reflect.Value {
	out := map[string]map[string]reflect.Value{}
	for p, m := range s.e.allSymbols() {
		out[p+"/"+s.e.pkgName(p)] = m
	}
	return out
}

func (s source) Imports() map[string]string { return s.e.Imports() }

func (s source) Globals() map[string]reflect.Value {
	out := map[string]reflect.Value{}
	for n, v := range s.e.yi.Globals() {
		if !rewrite.HasPrefix(n) {
			out[n] = v
		}
	}
	return out
}

func (s source) Decls() string {
	var parts []string
	for _, d := range s.e.decls.sorted() {
		parts = append(parts, d.Src)
	}
	return strings.Join(parts, "\n\n")
}

// Complete returns completions for the code at cursorPos.
func (e *Session) Complete(code string, cursorPos int) kernel.CompleteReply {
	r := e.completer.Complete(code, cursorPos)
	return kernel.CompleteReply{Matches: r.Matches, CursorStart: r.Start, CursorEnd: r.End, Types: r.Types}
}

// Inspect returns what is known about the name at cursorPos.
func (e *Session) Inspect(code string, cursorPos, detailLevel int) kernel.InspectReply {
	in := e.completer.Inspect(code, cursorPos, detailLevel)
	return kernel.InspectReply{Found: in.Found, Data: kernel.Bundle(in.Bundle())}
}

// IsComplete tells whether code is ready to run as typed.
func (e *Session) IsComplete(code string) kernel.IsCompleteReply {
	s, indent := complete.IsComplete(code)
	return kernel.IsCompleteReply{Status: s, Indent: indent}
}

// magicEnv implements magic.Env, magic.FuncCompiler, magic.Prompter and
// magic.Pager for the cell being executed.
type magicEnv struct {
	e    *Session
	req  kernel.ExecuteRequest
	page *string // the help text for the reply's page payload
}

// cellError carries an engine error through magic.Run.
type cellError struct{ err *kernel.Error }

func (c cellError) Error() string { return c.err.Name + ": " + c.err.Value }

func (m magicEnv) Eval(ctx context.Context, src string) (any, error) {
	req := m.req
	req.Code = src
	r := m.e.RunCode(ctx, req)
	if r.Status != kernel.StatusOK {
		return nil, cellError{r.Err}
	}
	if r.Result == nil {
		return nil, nil
	}
	return r.Result, nil
}

func (m magicEnv) Stream(name, text string) {
	m.e.drainStreams()
	m.e.sink.stream(name, text)
}

func (m magicEnv) Vars() []magic.Var { return m.e.completer.Vars() }

func (m magicEnv) Reset() error { return m.e.reset() }

func (m magicEnv) Doc(name string) (string, bool) {
	in := m.e.completer.Inspect(name, utf8.RuneCountInString(name), 1)
	return in.Text, in.Found
}

// Page keeps the cell's help text for the page payload of its reply.
func (m magicEnv) Page(text string) { *m.page = text }

func (m magicEnv) Input(prompt string) (string, error) {
	io := m.e.sink.get()
	if io == nil {
		return "", kernel.ErrNoStdin
	}
	return io.Input(prompt, false)
}

// CompileFunc turns statements into a function for %timeit: they are
// compiled once, as the body of a function literal stored in a hidden
// notebook variable.
func (m magicEnv) CompileFunc(ctx context.Context, src string) (func() error, error) {
	req := m.req
	req.Code = "var " + complete.HiddenPrefix + "Timeit = func() {\n" + src + "\n}"
	r := m.e.RunCode(ctx, req)
	if r.Status != kernel.StatusOK {
		return nil, cellError{r.Err}
	}
	fv, ok := m.e.yi.Globals()[complete.HiddenPrefix+"Timeit"]
	if !ok || fv.Kind() != reflect.Func {
		return nil, errors.New("%timeit: could not compile the statement")
	}
	f, ok := fv.Interface().(func())
	if !ok {
		return nil, fmt.Errorf("%%timeit: unexpected function type %s", fv.Type())
	}
	return func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		f()
		return nil
	}, nil
}

// RunMagics runs a cell that has magics (interp/magic): the magics decide
// whether and how its Go code runs, each time through RunCode.
func (e *Session) RunMagics(ctx context.Context, req kernel.ExecuteRequest, plan magic.Plan) kernel.ExecuteReply {
	var page string
	v, err := magic.Run(ctx, plan, magicEnv{e: e, req: req, page: &page})
	if err != nil {
		var ce cellError
		var me *magic.Error
		switch {
		case errors.As(err, &ce):
			return kernel.ExecuteReply{Status: kernel.StatusError, Err: ce.err}
		case errors.As(err, &me):
			return kernel.ExecuteReply{Status: kernel.StatusError, Err: &kernel.Error{
				Name: me.Name, Value: me.Message, Traceback: []string{present.Red + present.Bold + me.Name + present.Reset + ": " + me.Message}}}
		case ctx.Err() != nil:
			return kernel.ExecuteReply{Status: kernel.StatusError, Err: present.PanicError(present.InterruptSignal{}, present.StackTrace{}, e.cellSource, false)}
		default:
			return kernel.ExecuteReply{Status: kernel.StatusError, Err: &kernel.Error{Name: "Error", Value: err.Error(), Traceback: []string{err.Error()}}}
		}
	}
	reply := kernel.ExecuteReply{Status: kernel.StatusOK}
	if b, ok := v.(kernel.Bundle); ok && !req.Silent {
		reply.Result = b
	}
	if page != "" {
		reply.Payload = []kernel.Payload{kernel.PagePayload(kernel.Bundle{"text/plain": page})}
	}
	return reply
}

// unpage writes the text of r's page payloads to stdout, for a cell whose
// steps succeeded (r) but which failed afterwards: frontends show payloads
// of successful cells only.
func (e *Session) unpage(r kernel.ExecuteReply) {
	for _, p := range r.Payload {
		d, _ := p["data"].(kernel.Bundle)
		if t, ok := d["text/plain"].(string); ok && p["source"] == kernel.PayloadPage {
			e.drainStreams()
			e.sink.stream("stdout", t)
		}
	}
}
