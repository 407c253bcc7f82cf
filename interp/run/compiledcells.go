package run

import (
	"context"
	"errors"
	"go/scanner"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/compiled"
	"github.com/golit/golit/interp/magic"
	yaegi "github.com/traefik/yaegi/interp"
)

// Compiled cells (%%compile): the cell's declarations are built with the Go
// toolchain into a worker process (package interp/compiled); the notebook
// gets the cell's types and constants and, for each function, a stub that
// calls the worker through golit__rt.Compiled.

func init() {
	magic.RegisterCell("compile", "%%compile",
		"build the cell's Go declarations with the Go toolchain; interpreted cells call its functions, which run natively (--or-interpret: without Go, interpret the cell instead of failing)",
		compileMagic)
}

// compiledCells is the engine's compiled-cell session, made on first use.
type compiledCells struct {
	mu sync.Mutex
	s  *compiled.Session
}

// compiledSession returns the session, starting it if needed.
func (e *Session) compiledSession() *compiled.Session {
	e.cc.mu.Lock()
	defer e.cc.mu.Unlock()
	if e.cc.s == nil {
		e.cc.s = compiled.New(compiled.Config{
			Output: func() (*os.File, *os.File) {
				out, errs, _, _ := e.streams()
				return out.w, errs.w
			},
			Note: func(text string) { e.sink.stream("stderr", text) },
			Resolve: func(name string) string {
				paths := e.packageIndex()[name]
				if p, ok := preferred[name]; ok {
					paths = []string{p}
				}
				// The worker is built with the standard library only.
				if len(paths) != 1 || strings.Contains(strings.SplitN(paths[0], "/", 2)[0], ".") {
					return ""
				}
				return paths[0]
			},
		})
	}
	return e.cc.s
}

// compiledExports are the runtime support functions the stubs call.
func (e *Session) compiledExports() yaegi.Exports {
	return yaegi.Exports{
		rtImportPath + "/" + rewrite.RuntimePkg: {
			"Compiled":      reflect.ValueOf(e.compiledCall),
			"CompiledError": reflect.ValueOf(func(msg string) error { return errors.New(msg) }),
		},
	}
}

// compiledCall runs a compiled function for a stub; failures are panics
// in the calling cell.
func (e *Session) compiledCall(name string, args, results []any) {
	unwrapCompiledValues(args)
	unwrapCompiledValues(results)
	err := e.compiledSession().Call(name, args, results)
	if err == nil {
		return
	}
	if errors.Is(err, compiled.ErrInterrupted) {
		panic(present.InterruptSignal{})
	}
	panic(err)
}

// unwrapCompiledValues replaces values (and pointers) of interpreted
// types with methods, which yaegi passes wrapped, by what they hold.
func unwrapCompiledValues(vs []any) {
	for i, a := range vs {
		if a != nil && present.IsYaegiType(reflect.TypeOf(a)) {
			if v := present.UnwrapYaegi(reflect.ValueOf(a)); v.IsValid() {
				vs[i] = v.Interface()
			}
		}
	}
}

// interruptCompiled stops a running compiled call and tells the user what
// was lost.
func (e *Session) interruptCompiled() {
	e.cc.mu.Lock()
	s := e.cc.s
	e.cc.mu.Unlock()
	if s != nil && s.Interrupt() {
		e.sink.stream("stderr", "note: the compiled function was stopped by ending the compiled cells' worker process: "+
			"their package-level variables and the goroutines they started are lost; the next call starts a new worker\n")
	}
}

// closeCompiled stops the worker and removes its build.
func (e *Session) closeCompiled() {
	e.cc.mu.Lock()
	s := e.cc.s
	e.cc.s = nil
	e.cc.mu.Unlock()
	if s != nil {
		s.Close()
	}
}

// orInterpret reports whether %%compile's arguments ask to interpret the
// cell when there is no Go toolchain (--or-interpret).
func orInterpret(args string) bool {
	return slices.Contains(strings.Fields(args), "--or-interpret")
}

// compileMagic is %%compile.
func compileMagic(ctx context.Context, env magic.Env, args, src string) (any, error) {
	m, ok := env.(magicEnv)
	if !ok {
		return nil, &magic.Error{Name: "UsageError", Message: "%%compile needs golit's engine"}
	}
	e := m.e
	def, err := e.compiledSession().Define(ctx, m.req.ExecutionCount, src)
	if err != nil {
		var be *compiled.BuildError
		var list scanner.ErrorList
		switch {
		case errors.Is(err, compiled.ErrNoGo) && orInterpret(args):
			e.sink.stream("stderr", compiled.NoGoInterpreted)
			return env.Eval(ctx, src)
		case errors.Is(err, compiled.ErrNoGo):
			return nil, &magic.Error{Name: "GoNotFound", Message: err.Error()}
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(err, &be):
			kerr := present.CompileError(be.List, e.cellSource)
			if len(be.List) == 0 {
				kerr = present.CompileError(errors.New(be.Error()), e.cellSource)
			} else {
				for _, l := range be.Other {
					kerr.Traceback = append(kerr.Traceback, l)
				}
			}
			return nil, cellError{kerr}
		case errors.As(err, &list):
			return nil, cellError{present.CompileError(list, e.cellSource)}
		}
		return nil, &magic.Error{Name: "CompileError", Message: err.Error()}
	}
	if def.Source == "" {
		return nil, nil
	}
	if _, err := env.Eval(ctx, def.Source); err != nil {
		return nil, err
	}
	return nil, nil
}
