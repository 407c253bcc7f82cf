package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/interp/supervise"
	"github.com/golit/golit/kernel"
)

// runEngineChild is `golit engine`: the engine process a supervising kernel
// starts and restarts.
func runEngineChild(args []string) int {
	defer startCPUProfile(".engine")()
	return supervise.RunChild(newChildEngine)
}

// Messages of the process-pool protocol (see package futures).
type (
	workerInit struct {
		Decls string `json:"decls"`
	}
	workerReady struct {
		Ready bool   `json:"ready"`
		Error string `json:"error,omitempty"`
	}
	workerCall struct {
		ID   uint64            `json:"id"`
		Func string            `json:"func"`
		Args []json.RawMessage `json:"args"`
	}
	workerReply struct {
		ID     uint64          `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
		Panic  string          `json:"panic"`
		Stack  string          `json:"stack,omitempty"`
	}
)

// runWorker is `golit worker`: a process-pool worker. It reads the
// notebook's declarations, evaluates them in a fresh interpreter, then calls
// the functions the parent names with JSON arguments, one request per line,
// until its standard input ends.
func runWorker(args []string) int {
	return serveWorker(os.Stdin, os.Stdout)
}

// serveWorker runs the worker protocol on r and w.
func serveWorker(r io.Reader, w io.Writer) int {
	out := json.NewEncoder(w)
	in := bufio.NewReader(r)
	line, err := in.ReadBytes('\n')
	if err != nil && len(line) == 0 {
		fmt.Fprintln(os.Stderr, "golit worker: no declarations on standard input:", err)
		return 2
	}
	var init workerInit
	if err := json.Unmarshal(line, &init); err != nil {
		out.Encode(workerReady{Error: "bad first message: " + err.Error()})
		return 2
	}
	eng, err := interp.New(interp.Options{})
	if err != nil {
		out.Encode(workerReady{Error: err.Error()})
		return 1
	}
	// Cell output of the worker goes to its standard error, which the
	// parent passes through; standard output carries the protocol.
	if init.Decls != "" {
		r := eng.Execute(context.Background(), kernel.ExecuteRequest{Code: init.Decls, Silent: true}, stderrIO{})
		if r.Status != kernel.StatusOK {
			out.Encode(workerReady{Error: r.Err.Name + ": " + r.Err.Value})
			return 1
		}
	}
	if err := out.Encode(workerReady{Ready: true}); err != nil {
		return 1
	}
	dec := json.NewDecoder(in)
	for {
		var c workerCall
		if err := dec.Decode(&c); err != nil {
			if errors.Is(err, io.EOF) {
				return 0
			}
			fmt.Fprintln(os.Stderr, "golit worker: bad request:", err)
			return 2
		}
		if err := out.Encode(callFunc(eng, c)); err != nil {
			return 1
		}
	}
}

// callFunc runs one request.
func callFunc(eng *interp.Engine, c workerCall) (rep workerReply) {
	rep.ID = c.ID
	rep.Result = json.RawMessage("null")
	fn, err := eng.Eval(context.Background(), c.Func)
	if err != nil {
		rep.Error = fmt.Sprintf("golit worker: %s: %v", c.Func, err)
		return rep
	}
	if fn.Kind() != reflect.Func {
		rep.Error = fmt.Sprintf("golit worker: %s is a %s, not a function", c.Func, fn.Type())
		return rep
	}
	t := fn.Type()
	if (!t.IsVariadic() && len(c.Args) != t.NumIn()) || (t.IsVariadic() && len(c.Args) < t.NumIn()-1) {
		rep.Error = fmt.Sprintf("golit worker: %s takes %d arguments, got %d", c.Func, t.NumIn(), len(c.Args))
		return rep
	}
	in := make([]reflect.Value, len(c.Args))
	for i, raw := range c.Args {
		var pt reflect.Type
		if t.IsVariadic() && i >= t.NumIn()-1 {
			pt = t.In(t.NumIn() - 1).Elem()
		} else {
			pt = t.In(i)
		}
		p := reflect.New(pt)
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			rep.Error = fmt.Sprintf("golit worker: argument %d of %s: %v", i+1, c.Func, err)
			return rep
		}
		in[i] = p.Elem()
	}
	defer func() {
		if r := recover(); r != nil {
			rep.Panic = fmt.Sprint(r)
		}
	}()
	res := fn.Call(in)
	errType := reflect.TypeOf((*error)(nil)).Elem()
	if n := len(res); n > 0 && t.Out(n-1) == errType {
		if e, _ := res[n-1].Interface().(error); e != nil {
			rep.Error = e.Error()
		}
		res = res[:n-1]
	}
	var val any
	switch len(res) {
	case 0:
	case 1:
		val = res[0].Interface()
	default:
		vs := make([]any, len(res))
		for i, r := range res {
			vs[i] = r.Interface()
		}
		val = vs
	}
	b, err := json.Marshal(val)
	if err != nil {
		rep.Error = fmt.Sprintf("golit worker: result of %s: %v", c.Func, err)
		return rep
	}
	rep.Result = b
	return rep
}

// stderrIO is the kernel.IO of a worker: text to standard error, no rich
// output, no input.
type stderrIO struct{}

func (stderrIO) Stream(name, text string)                      { os.Stderr.WriteString(text) }
func (stderrIO) Display(kernel.Bundle, map[string]any, string) {}
func (stderrIO) Update(kernel.Bundle, map[string]any, string)  {}
func (stderrIO) ClearOutput(bool)                              {}
func (stderrIO) Input(string, bool) (string, error)            { return "", kernel.ErrNoStdin }
