package interp

import (
	"context"
	"reflect"

	"github.com/golit/golit/interp/magic"
	"github.com/golit/golit/interp/run"
	"github.com/golit/golit/kernel"
)

// Options configure an Engine. The zero value is a good default for a
// notebook: the cells may use os/exec and the real environment. See
// run.Options for the fields.
type Options = run.Options

// Global describes one identifier a notebook defines, for completion,
// inspection and magics such as %who. See run.Global for the fields.
type Global = run.Global

// ENameLost is the ename of a cell that uses a variable lost in a restart.
const ENameLost = run.ENameLost

// Engine runs notebook cells on yaegi. It implements kernel.Engine.
//
// A cell goes through four stages, each a package:
//
//	parse    interp/parse    cut into imports, declarations, statements, with positions
//	rewrite  interp/rewrite  each group's syntax made runnable on yaegi v0.16.1
//	run      interp/run      compiled and run in the session; the notebook's state
//	present  interp/present  the result as Out[n], failures at In[n]:line:col
//
// Execute calls them in that order, one method of the session
// (run.Session) each, with magics before them and Finish after them. The
// session takes the groups through rewrite and run one at a time, since
// how a group is rewritten depends on what the groups before it declared.
// Engine holds the session and is what the kernel talks to.
type Engine struct {
	session *run.Session
}

// New starts an interpreter with the standard library loaded.
func New(opts Options) (*Engine, error) {
	s, err := run.New(opts)
	if err != nil {
		return nil, err
	}
	return &Engine{session: s}, nil
}

// Execute runs one cell through the stages; a stage that fails skips the
// ones after it, up to present. run.Session.RunCode is the same sequence,
// for the Go code the magics run (TestExecuteStages keeps them alike).
func (e *Engine) Execute(ctx context.Context, req kernel.ExecuteRequest, io kernel.IO) kernel.ExecuteReply {
	s := e.session
	// One cell at a time: its output goes to io, Interrupt cancels ctx.
	ctx, done := s.Begin(ctx, io)
	defer done()
	s.Remember(req)
	// magics: %time, !cmd, ... (interp/magic) run the Go code, when they
	// do, through the same stages as below.
	if plan := magic.Parse(req.Code); plan.HasMagic() {
		return s.Finish(s.RunMagics(ctx, req, plan))
	}
	// The cell's file, In[n], with the notebook's imports.
	cell, f := s.NewCell(ctx, req)
	// parse: groups of imports, declarations, statements, with positions.
	if f == nil {
		f = s.ParseCell(cell)
	}
	// run: the imports, written or not; variables lost in a restart.
	if f == nil {
		f = s.Import(cell)
	}
	if f == nil {
		f = s.CheckLost(cell)
	}
	// rewrite, then run, group by group: rewrite.Rewriter, then yaegi
	// (which may ask the rewriter again, for a range over a function).
	for i := 0; f == nil && i < len(cell.Groups); i++ {
		g := cell.Groups[i]
		f = s.Rewrite(cell, g)
		if f == nil {
			f = s.RunGroup(cell, g)
		}
	}
	// A pasted program's main.
	if f == nil {
		f = s.RunMain(cell)
	}
	// present: Out[n], or the failure at In[n]:line:col.
	var reply kernel.ExecuteReply
	if f == nil {
		reply = s.Present(cell)
	} else {
		reply = s.PresentFailure(f)
	}
	// finish: the cell's deferred calls, its goroutines' failures, an
	// os.Exit, its output flushed.
	return s.Finish(reply)
}

// Interrupt stops the running cell, if any.
func (e *Engine) Interrupt() { e.session.Interrupt() }

// Shutdown releases the engine.
func (e *Engine) Shutdown(restart bool) error { return e.session.Shutdown(restart) }

// Complete returns completions for the code at cursorPos.
func (e *Engine) Complete(code string, cursorPos int) kernel.CompleteReply {
	return e.session.Complete(code, cursorPos)
}

// Inspect returns what is known about the name at cursorPos.
func (e *Engine) Inspect(code string, cursorPos, detailLevel int) kernel.InspectReply {
	return e.session.Inspect(code, cursorPos, detailLevel)
}

// IsComplete tells whether code is ready to run as typed.
func (e *Engine) IsComplete(code string) kernel.IsCompleteReply {
	return e.session.IsComplete(code)
}

// Globals lists the notebook's identifiers, sorted by name; methods are
// named T.M. Call it between cells (from the goroutine that calls Execute).
func (e *Engine) Globals() []Global { return e.session.Globals() }

// Symbols returns the symbol tables of the compiled packages cells can
// import (standard library and helper packages), by import path. The maps
// must not be modified.
func (e *Engine) Symbols() map[string]map[string]reflect.Value { return e.session.Symbols() }

// Imports returns the notebook's imports, package name to import path.
func (e *Engine) Imports() map[string]string { return e.session.Imports() }

// Eval evaluates a Go expression in the notebook's scope and returns its
// value, without showing anything. It is meant for tools (the process-pool
// worker, magics) and must not run while a cell runs.
func (e *Engine) Eval(ctx context.Context, expr string) (reflect.Value, error) {
	return e.session.Eval(ctx, expr)
}

// Declarations returns Go source that declares the notebook's imports,
// constants, types, functions and methods, and its variables without
// running their initialisers (see run.Session.Declarations).
func (e *Engine) Declarations() string { return e.session.Declarations() }

// DeclarationParts returns Declarations split into keyed parts (see
// run.Session.DeclarationParts).
func (e *Engine) DeclarationParts() map[string]string { return e.session.DeclarationParts() }

// DeclarationChanges returns what changed in DeclarationParts since its
// last call (see run.Session.DeclarationChanges).
func (e *Engine) DeclarationChanges(all bool) (changed map[string]string, dropped []string, full bool) {
	return e.session.DeclarationChanges(all)
}

// Restore evaluates source made by Declarations, for an engine that
// replaces one that crashed (see run.Session.Restore).
func (e *Engine) Restore(src string) error { return e.session.Restore(src) }
