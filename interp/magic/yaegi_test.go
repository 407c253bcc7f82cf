package magic

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// yaegiEnv is an Env over a real yaegi interpreter, wired the way the
// package documentation tells the engine to: CompileFunc evaluates
// "var _golitTimeit = func() { src }" once and %timeit calls the closure.
type yaegiEnv struct {
	i   *interp.Interpreter
	mu  sync.Mutex
	out strings.Builder
}

func (e *yaegiEnv) Write(p []byte) (int, error) { e.Stream("stdout", string(p)); return len(p), nil }

func (e *yaegiEnv) Eval(ctx context.Context, src string) (any, error) {
	v, err := e.i.EvalWithContext(ctx, src)
	if err != nil || !v.IsValid() {
		return nil, err
	}
	return fmt.Sprint(v.Interface()), nil
}

func (e *yaegiEnv) CompileFunc(ctx context.Context, src string) (func() error, error) {
	// A function literal evaluated alone has no usable value in yaegi
	// v0.16.1: bind it to a variable and read that.
	if _, err := e.i.EvalWithContext(ctx, "var _golitTimeit = func() {\n"+src+"\n}"); err != nil {
		return nil, err
	}
	v := e.i.Globals()["_golitTimeit"]
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	fn, ok := v.Interface().(func())
	if !ok {
		return nil, fmt.Errorf("not a func: %v %v", v.Kind(), v.Type())
	}
	return func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		fn()
		return nil
	}, nil
}

func (e *yaegiEnv) Stream(name, text string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.out.WriteString(text)
}
func (e *yaegiEnv) Vars() []Var                    { return nil }
func (e *yaegiEnv) Reset() error                   { return nil }
func (e *yaegiEnv) Doc(name string) (string, bool) { return "", false }

func TestWithYaegi(t *testing.T) {
	env := &yaegiEnv{}
	env.i = interp.New(interp.Options{Stdout: env})
	if err := env.i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if _, err := env.i.Eval("import \"fmt\"\nfunc fib(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }"); err != nil {
		t.Fatal(err)
	}
	v, err := Run(context.Background(), Parse("%time fib(15)"), env)
	if err != nil || v != "610" {
		t.Fatalf("%%time fib(15) = %v, %v", v, err)
	}
	if !timeOutput.MatchString(env.out.String()) {
		t.Errorf("%%time output %q", env.out.String())
	}
	env.out.Reset()
	if _, err := Run(context.Background(), Parse("%timeit -r 3 fib(10)"), env); err != nil {
		t.Fatal(err)
	}
	m := timeitLine.FindStringSubmatch(env.out.String())
	if m == nil || m[3] != "3" {
		t.Errorf("%%timeit output %q", env.out.String())
	}
	env.out.Reset()
	if _, err := Run(context.Background(), Parse("%%timeit -n 4 -r 2\nfmt.Print(\"x\")"), env); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^x{8}(?:The slowest run took .*\n)?[0-9.]+ [µnm]?s ± `).MatchString(env.out.String()) {
		t.Errorf("%%%%timeit output %q", env.out.String())
	}
}
