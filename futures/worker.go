package futures

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime/debug"
	"sync"
)

// The process-pool protocol: JSON lines on the worker's stdin and stdout.
//
//	parent -> worker, first line: {"decls": "<Go source of the notebook's declarations>"}
//	worker -> parent:             {"ready": true}  or  {"ready": false, "error": "..."}
//	parent -> worker:             {"id": 1, "func": "isPrime", "args": [<JSON values>]}
//	worker -> parent:             {"id": 1, "result": <JSON value>, "error": "", "panic": "", "stack": ""}
//	EOF on stdin:                 the worker exits with status 0.
//
// "stack" is optional (the stack of a panic). Lines from the worker that are
// not JSON objects are passed through to the parent's standard error.
type (
	wireInit struct {
		Decls string `json:"decls"`
	}
	wireReady struct {
		Ready bool   `json:"ready"`
		Error string `json:"error,omitempty"`
	}
	wireCall struct {
		ID   uint64            `json:"id"`
		Func string            `json:"func"`
		Args []json.RawMessage `json:"args"`
	}
	wireReply struct {
		ID     uint64          `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
		Panic  string          `json:"panic"`
		Stack  string          `json:"stack,omitempty"`
	}
)

// workerEnv marks a child started with the default worker command (the
// program itself) as a worker.
const workerEnv = "GOLIT_FUTURES_WORKER"

var config struct {
	sync.Mutex
	name   string
	args   []string
	source func() string
	stderr io.Writer
}

// SetWorkerCommand sets the command ProcessPool runs for each worker
// process. The golit kernel sets it to its own executable with the argument
// "worker". Without a call, a worker is the running program itself, started
// again with GOLIT_FUTURES_WORKER=1 in its environment, which ServeWorkerIfChild
// recognises. Pools read the setting when they start a process.
func SetWorkerCommand(name string, args ...string) {
	config.Lock()
	defer config.Unlock()
	config.name = name
	config.args = append([]string(nil), args...)
}

// SetNotebookSource sets the function that returns the Go source a new worker
// process receives in its first message (the notebook's declarations, so a
// worker can run functions defined in cells). It is called each time a worker
// starts: workers started before a cell redefines a function keep the old
// definition, so make a new pool after changing one.
func SetNotebookSource(source func() string) {
	config.Lock()
	defer config.Unlock()
	config.source = source
}

// SetWorkerStderr sets where the standard error of worker processes goes
// (panics, prints from tasks); nil means os.Stderr as it is when the worker
// starts, which is the default.
func SetWorkerStderr(w io.Writer) {
	config.Lock()
	defer config.Unlock()
	config.stderr = w
}

func workerStderr() io.Writer {
	config.Lock()
	defer config.Unlock()
	if config.stderr != nil {
		return config.stderr
	}
	return os.Stderr
}

func workerCommand() (name string, args []string, self bool, src string, err error) {
	config.Lock()
	name, args, source := config.name, config.args, config.source
	config.Unlock()
	if source != nil {
		src = source()
	}
	if name != "" {
		return name, args, false, src, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", nil, false, "", fmt.Errorf("futures: no worker command set and os.Executable failed: %w", err)
	}
	return exe, nil, true, src, nil
}

var registry struct {
	sync.RWMutex
	byName map[string]any
	byPtr  map[uintptr]string
}

// RegisterFunc makes fn callable by name in worker processes of a compiled
// program, and lets ProcessPool.Submit take fn itself in place of its name.
// Register the same functions in the parent and the worker, so call it before
// ServeWorkerIfChild (in main or in an init function). fn may have any
// parameters that JSON can decode and must return (), (T), (error) or
// (T, error). RegisterFunc panics if fn is not a function.
func RegisterFunc(name string, fn any) {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		panic(fmt.Sprintf("futures: RegisterFunc(%q): %T is not a function", name, fn))
	}
	registry.Lock()
	defer registry.Unlock()
	if registry.byName == nil {
		registry.byName = map[string]any{}
		registry.byPtr = map[uintptr]string{}
	}
	registry.byName[name] = fn
	registry.byPtr[v.Pointer()] = name
}

func registeredFunc(name string) (any, error) {
	registry.RLock()
	defer registry.RUnlock()
	fn, ok := registry.byName[name]
	if !ok {
		return nil, fmt.Errorf("futures: no function %q in this worker (register it with futures.RegisterFunc)", name)
	}
	return fn, nil
}

// funcName returns the name a worker knows fn by: fn itself if it is a
// string, else the name it was registered under.
func funcName(fn any) (string, error) {
	if s, ok := fn.(string); ok {
		if s == "" {
			return "", errors.New("futures: empty function name")
		}
		return s, nil
	}
	v := reflect.ValueOf(fn)
	if v.Kind() == reflect.Func && !v.IsNil() {
		registry.RLock()
		name, ok := registry.byPtr[v.Pointer()]
		registry.RUnlock()
		if ok {
			return name, nil
		}
	}
	return "", fmt.Errorf("futures: a process pool runs functions by name: pass the name as a string (or a func registered with RegisterFunc), not %T", fn)
}

// ServeWorkerIfChild turns the running program into a process-pool worker if
// it was started as one by a ProcessPool with the default worker command; it
// then serves until its standard input closes and exits, never returning.
// Otherwise it returns at once. Call it at the start of main, after
// RegisterFunc:
//
//	func main() {
//		futures.RegisterFunc("isPrime", isPrime)
//		futures.ServeWorkerIfChild()
//		// ... the parent's work: futures.NewProcessPool(4) ...
//	}
//
// In a test binary call it from TestMain before m.Run. While serving, the
// protocol owns standard output; os.Stdout is pointed at standard error so
// prints from tasks do not garble it.
func ServeWorkerIfChild() {
	if os.Getenv(workerEnv) != "1" {
		return
	}
	_ = os.Unsetenv(workerEnv) // pools made by tasks start real children
	out := os.Stdout
	os.Stdout = os.Stderr
	err := ServeWorker(os.Stdin, out, func(string) (func(string) (any, error), error) {
		return registeredFunc, nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// ServeWorker runs the worker side of the process-pool protocol on r and w
// until r reaches EOF (then it returns nil). load receives the declarations
// sent by the parent and returns a lookup from function names to function
// values (ordinary Go funcs or funcs from an interpreter); an error from
// load is reported to the parent as {"ready": false}.
//
// Arguments are decoded from JSON into the function's parameter types
// (interface parameters get int, float64, string, bool, nil, []any or
// map[string]any). Errors, panics and unknown names are sent back in the
// reply; only a broken pipe ends ServeWorker with an error.
func ServeWorker(r io.Reader, w io.Writer, load func(decls string) (lookup func(name string) (any, error), err error)) error {
	in := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriter(w)
	send := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
		return bw.Flush()
	}
	line, err := in.ReadBytes('\n')
	if err != nil && (err != io.EOF || len(line) == 0) {
		if err == io.EOF {
			return nil
		}
		return err
	}
	var init wireInit
	if err := json.Unmarshal(line, &init); err != nil {
		_ = send(wireReady{Error: "bad first message: " + err.Error()})
		return fmt.Errorf("futures worker: bad first message: %w", err)
	}
	lookup, err := load(init.Decls)
	if err != nil {
		_ = send(wireReady{Error: err.Error()})
		return fmt.Errorf("futures worker: %w", err)
	}
	if err := send(wireReady{Ready: true}); err != nil {
		return err
	}
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 {
			var call wireCall
			var reply wireReply
			if jerr := json.Unmarshal(line, &call); jerr != nil {
				reply.Error = "futures worker: bad request: " + jerr.Error()
			} else {
				reply = serveCall(call, lookup)
			}
			if serr := send(reply); serr != nil {
				return serr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func serveCall(call wireCall, lookup func(string) (any, error)) (reply wireReply) {
	reply.ID = call.ID
	defer func() {
		if p := recover(); p != nil {
			reply.Result = nil
			reply.Panic = fmt.Sprint(p)
			reply.Stack = string(debug.Stack())
		}
	}()
	fn, err := lookup(call.Func)
	if err != nil {
		reply.Error = err.Error()
		return reply
	}
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		reply.Error = fmt.Sprintf("futures worker: %s is %T, not a function", call.Func, fn)
		return reply
	}
	in, err := decodeArgs(v.Type(), call.Args)
	if err != nil {
		reply.Error = fmt.Sprintf("futures worker: %s: %v", call.Func, err)
		return reply
	}
	if n := v.Type().NumOut(); n > 2 || (n == 2 && v.Type().Out(1) != errorType) {
		reply.Error = fmt.Sprintf("futures worker: %s returns %v; want (), (T), (error) or (T, error)", call.Func, v.Type())
		return reply
	}
	val, err := results(v.Call(in))
	if err != nil {
		reply.Error = err.Error()
		return reply
	}
	b, err := json.Marshal(val)
	if err != nil {
		reply.Error = fmt.Sprintf("futures worker: the result of %s cannot be sent back: %v", call.Func, err)
		return reply
	}
	reply.Result = b
	return reply
}

func decodeArgs(t reflect.Type, raws []json.RawMessage) ([]reflect.Value, error) {
	n := t.NumIn()
	if (!t.IsVariadic() && len(raws) != n) || (t.IsVariadic() && len(raws) < n-1) {
		return nil, fmt.Errorf("takes %d argument(s), got %d", n, len(raws))
	}
	in := make([]reflect.Value, len(raws))
	for i, raw := range raws {
		pt := t.In(min(i, n-1))
		if t.IsVariadic() && i >= n-1 {
			pt = t.In(n - 1).Elem()
		}
		if pt.Kind() == reflect.Interface {
			v, err := decodeJSON(raw)
			if err != nil {
				return nil, fmt.Errorf("argument %d: %v", i+1, err)
			}
			if v == nil {
				in[i] = reflect.Zero(pt)
				continue
			}
			rv := reflect.ValueOf(v)
			if !rv.Type().AssignableTo(pt) {
				return nil, fmt.Errorf("argument %d: cannot use %T as %v", i+1, v, pt)
			}
			in[i] = rv
			continue
		}
		p := reflect.New(pt)
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			return nil, fmt.Errorf("argument %d: %v", i+1, err)
		}
		in[i] = p.Elem()
	}
	return in, nil
}
