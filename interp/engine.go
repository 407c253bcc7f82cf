package interp

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"os"
	"sync"
	"time"

	"github.com/golit/golit/kernel"
	yaegi "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/unrestricted"
)

// Options configure an Engine. The zero value is a good default for a
// notebook: the cells may use os/exec and the real environment.
type Options struct {
	// Restricted runs cells in yaegi's sandbox: no os/exec, and a private
	// environment instead of the process's.
	Restricted bool

	// CaptureProcessOutput replaces the process-wide os.Stdout and
	// os.Stderr variables by pipes whose contents reach the running cell, so
	// that compiled packages printing to them show in the notebook too. The
	// file descriptors 1 and 2 are not touched. Use it in a process that runs
	// nothing but the engine.
	CaptureProcessOutput bool

	// Args is os.Args as the cells see it; nil means the process's.
	Args []string
}

// Engine runs notebook cells. It implements kernel.Engine.
type Engine struct {
	opts Options
	yi   *yaegi.Interpreter
	sink *sink

	stdout, stderr *pipeStream

	execMu sync.Mutex // one Execute at a time

	importGen int // see fileName

	runMu  sync.Mutex
	cancel context.CancelFunc // of the running cell, nil when idle
}

var _ kernel.Engine = (*Engine)(nil)

// New starts an interpreter with the standard library loaded.
func New(opts Options) (*Engine, error) {
	e := &Engine{opts: opts, sink: &sink{}}
	var err error
	if e.stdout, err = newPipeStream(e.sink, "stdout"); err != nil {
		return nil, fmt.Errorf("interp: redirecting stdout: %w", err)
	}
	if e.stderr, err = newPipeStream(e.sink, "stderr"); err != nil {
		return nil, fmt.Errorf("interp: redirecting stderr: %w", err)
	}
	if opts.CaptureProcessOutput {
		os.Stdout = e.stdout.w
		os.Stderr = e.stderr.w
	}
	yopts := yaegi.Options{
		Stdout:       e.stdout.w,
		Stderr:       e.stderr.w,
		Args:         opts.Args,
		Unrestricted: !opts.Restricted,
	}
	if opts.Restricted {
		yopts.Env = os.Environ()
	}
	e.yi = yaegi.New(yopts)
	if err := e.yi.Use(stdlib.Symbols); err != nil {
		return nil, fmt.Errorf("interp: loading the standard library: %w", err)
	}
	if !opts.Restricted {
		if err := e.yi.Use(unrestricted.Symbols); err != nil {
			return nil, fmt.Errorf("interp: loading os/exec: %w", err)
		}
	}
	return e, nil
}

// Execute runs one cell.
func (e *Engine) Execute(ctx context.Context, req kernel.ExecuteRequest, io kernel.IO) kernel.ExecuteReply {
	e.execMu.Lock()
	defer e.execMu.Unlock()
	e.sink.set(io)

	runCtx, cancel := context.WithCancel(ctx)
	e.runMu.Lock()
	e.cancel = cancel
	e.runMu.Unlock()
	defer func() {
		e.runMu.Lock()
		e.cancel = nil
		e.runMu.Unlock()
		cancel()
	}()

	reply := e.run(runCtx, req)
	e.stdout.flush(250 * time.Millisecond)
	e.stderr.flush(250 * time.Millisecond)
	return reply
}

// run evaluates the cell's units in order: imports first, then runs of
// declarations and runs of statements as they appear.
func (e *Engine) run(ctx context.Context, req kernel.ExecuteRequest) kernel.ExecuteReply {
	src := req.Code
	units := splitCell(src)
	var last reflectResult
	for _, g := range groupUnits(units) {
		text := src[g.start:g.end]
		var node ast.Node
		var err error
		switch g.kind {
		case unitStmt:
			node, err = e.parseStmts(text, g.line, g.col, req.ExecutionCount)
		case unitPackage:
			continue
		default:
			node, err = e.parseDecls(text, g.line, g.col, req.ExecutionCount)
		}
		if err != nil {
			return errorReply("CompileError", err)
		}
		prog, err := e.yi.CompileAST(node)
		if err != nil {
			return errorReply("CompileError", err)
		}
		v, err := e.yi.ExecuteWithContext(ctx, prog)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return errorReply("KeyboardInterrupt", errors.New("interrupted"))
			}
			return errorReply("panic", err)
		}
		last = reflectResult{v: v, stmt: g.kind == unitStmt}
	}
	reply := kernel.ExecuteReply{Status: kernel.StatusOK}
	if last.stmt && last.v.IsValid() {
		reply.Result = kernel.Bundle{"text/plain": fmt.Sprintf("%#v", last.v.Interface())}
	}
	return reply
}

// cellName is the file name positions in cell number n are reported with.
func cellName(n int) string { return fmt.Sprintf("In[%d]", n) }

// fileName is the name every piece of source is compiled under. yaegi keys
// imports by package name and file name, so one name shares the notebook's
// imports between cells; a new generation starts when an import must be
// replaced (the same name bound to another path).
func (e *Engine) fileName() string { return fmt.Sprintf("notebook%d.go", e.importGen) }

// parseDecls parses declarations found at line:col of a cell.
func (e *Engine) parseDecls(text string, line, col, count int) (*ast.File, error) {
	src := fmt.Sprintf("package main;/*line %s:%d:%d*/%s", cellName(count), line, col, text)
	return parser.ParseFile(e.yi.FileSet(), e.fileName(), src, parser.ParseComments|parser.SkipObjectResolution)
}

// parseStmts parses statements found at line:col of a cell and returns them
// as a block that yaegi runs in the notebook's global scope.
func (e *Engine) parseStmts(text string, line, col, count int) (*ast.BlockStmt, error) {
	src := fmt.Sprintf("package main;func main(){/*line %s:%d:%d*/%s\n}", cellName(count), line, col, text)
	f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	return f.Decls[0].(*ast.FuncDecl).Body, nil
}

// group is a run of units of the same kind.
type group struct {
	kind       unitKind
	start, end int
	line, col  int
}

// groupUnits puts imports first, then joins neighbouring units of the same
// kind (declarations with declarations, statements with statements).
func groupUnits(units []unit) []group {
	var out []group
	for _, u := range units {
		if u.kind == unitImport {
			out = append(out, group{kind: u.kind, start: u.start, end: u.end, line: u.line, col: u.col})
		}
	}
	for _, u := range units {
		if u.kind == unitImport {
			continue
		}
		k := u.kind
		if n := len(out); n > 0 && out[n-1].kind == k && k != unitImport {
			out[n-1].end = u.end
			continue
		}
		out = append(out, group{kind: k, start: u.start, end: u.end, line: u.line, col: u.col})
	}
	return out
}

// errorReply builds an error reply.
func errorReply(name string, err error) kernel.ExecuteReply {
	msg := err.Error()
	return kernel.ExecuteReply{
		Status: kernel.StatusError,
		Err:    &kernel.Error{Name: name, Value: msg, Traceback: []string{name + ": " + msg}},
	}
}

// Complete returns completions for the code at cursorPos.
func (e *Engine) Complete(code string, cursorPos int) kernel.CompleteReply {
	return kernel.CompleteReply{CursorStart: cursorPos, CursorEnd: cursorPos}
}

// Inspect returns what is known about the name at cursorPos.
func (e *Engine) Inspect(code string, cursorPos, detailLevel int) kernel.InspectReply {
	return kernel.InspectReply{}
}

// IsComplete tells whether code is ready to run as typed.
func (e *Engine) IsComplete(code string) kernel.IsCompleteReply {
	return kernel.IsCompleteReply{Status: "unknown"}
}

// Interrupt stops the running cell, if any.
func (e *Engine) Interrupt() {
	e.runMu.Lock()
	c := e.cancel
	e.runMu.Unlock()
	if c != nil {
		c()
	}
}

// Shutdown releases the engine.
func (e *Engine) Shutdown(restart bool) error {
	e.Interrupt()
	return nil
}
