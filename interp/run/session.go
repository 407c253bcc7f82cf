package run

import (
	"context"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/parse"

	"github.com/golit/golit/display"
	"github.com/golit/golit/futures"
	"github.com/golit/golit/interp/complete"
	"github.com/golit/golit/interp/internal/rtsync"
	"github.com/golit/golit/interp/typefmt"
	"github.com/golit/golit/kernel"
	yaegi "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	yaegisyscall "github.com/traefik/yaegi/stdlib/syscall"
	"github.com/traefik/yaegi/stdlib/unrestricted"
)

// Options configure a Session. The zero value is a good default for a
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

	// GCPercent, when not 0, is passed to debug.SetGCPercent when the
	// engine starts (see PERFORMANCE.md); the setting is process-wide.
	GCPercent int

	// WorkerCommand, when set, is the command process pools of the futures
	// package run as workers (golit's executable and "worker"); the engine
	// then also hands them the notebook's declarations.
	WorkerCommand []string
}

// Session runs notebook cells. It implements kernel.Engine.
type Session struct {
	// declOnly is set while compileRun runs a program that only declares
	// (a file of imports, compileImportFile): execute runs it on the
	// calling goroutine.
	declOnly bool

	opts      Options
	yi        *yaegi.Interpreter
	ctl       *runControl
	completer *complete.Completer
	sink      *sink
	mods      *modules // third-party modules (modules.go)

	// The standard streams and the values cells see as os.Stdout and
	// os.Stderr (stdio.go); replaced, under stdMu, when a cell closed them.
	stdMu              sync.RWMutex
	stdout, stderr     *pipeStream
	osStdout, osStderr *os.File

	// The value cells see as os.Stdin.
	osStdin io.Reader
	stdin   *inputReader

	execMu sync.Mutex // one Execute at a time

	// State of the notebook, used by Execute's goroutine only.
	curFile     string                       // see fileName
	anchor      anchor                       // see anchorOf
	runners     runners                      // runner.go
	imports     map[string]string            // name -> import path
	importedIn  map[string]map[string]string // file name -> imports made in it
	pinned      map[string]bool              // cell files whose imports stay (importscope.go)
	interrupted bool                         // the last cell was interrupted (stalefuncs.go)
	importFrom  map[string]string            // name -> file of the cell that bound it
	importSyms  map[string]importSym         // name -> yaegi's symbol of its import (importscope.go)
	decls       *declStore
	varCell     map[string]int              // variable -> the cell that defined it last
	voidFuncs   map[*parse.Declaration]bool // isVoidCall's answers
	lost        map[string]int              // variables lost in a restart -> their cell (lostvars.go)
	seq         int
	pkgIdxOnce  sync.Once
	pkgIdx      map[string][]string
	symMu       sync.Mutex
	syms        map[string]map[string]reflect.Value // import path -> symbols

	cellsMu sync.Mutex
	cells   map[int]string // cell texts by execution count

	epoch epoch

	runMu    sync.Mutex
	cancel   context.CancelFunc  // of the running cell, nil when idle
	asyncErr *kernel.Error       // first goroutine panic during the cell
	defers   []func()            // the cell's own defer statements
	inCell   bool                // a cell has begun and not finished (exit.go)
	exitSig  *present.ExitSignal // the running cell's os.Exit (exit.go)
	exitWake chan struct{}       // closed by exitSig's os.Exit or by panicErr (exit.go)
	panicErr *kernel.Error       // the running cell's goroutine panic (exit.go)
	cellGen  atomic.Uint64       // counts cells begun; written under runMu (exit.go)

	syncMu   sync.Mutex // orders compilations before timer callbacks
	framesMu sync.Mutex
	frames   map[int]chan struct{} // see runFramed
	frameSeq int
	live     int           // goroutines started by cells still running
	liveGen  uint64        // the newest cell that started a goroutine
	genLive  int           // of live, those that cell liveGen started
	liveZero chan struct{} // closed when live drops to 0

	// Interpreted stacks of panics (stack.go), guarded by panicMu.
	panicMu     sync.Mutex
	panicFrames map[uint64]*goroutineStack // by goroutine id
	panicPos    map[uint64]string          // where a goroutine called panic
	spans       map[int][]*funcSpan        // functions declared, by cell
	stmts       []stmtMark                 // the cell's top-level statements, by number
	stmtVar     reflect.Value              // golit__stmt: the number of the one running

	logPos  logPositions             // logpos.go
	logSyms map[string]reflect.Value // the log package's table for cells

	resMu     sync.Mutex
	res       result
	typeNames map[reflect.Type]string
	cellTypes *typefmt.Registry // Go names of notebook types for fmt (cellfmt.go)

	cc compiledCells // %%compile (compiledcells.go)
}

var _ kernel.Engine = (*Session)(nil)

// New starts an interpreter with the standard library loaded.
func New(opts Options) (*Session, error) {
	e := &Session{
		opts:       opts,
		sink:       &sink{},
		imports:    map[string]string{},
		importedIn: map[string]map[string]string{},
		pinned:     map[string]bool{},
		importFrom: map[string]string{},
		curFile:    "golit-prelude",
		decls:      newDeclStore(),
		cells:      map[int]string{},
		typeNames:  map[reflect.Type]string{},
		cellTypes:  typefmt.NewRegistry("main"),

		panicFrames: map[uint64]*goroutineStack{},
		panicPos:    map[uint64]string{},
		spans:       map[int][]*funcSpan{},
		mods:        newModules(),
	}
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
	e.osStdout, e.osStderr = e.stdout.w, e.stderr.w
	e.stdin = &inputReader{e: e}
	e.osStdin = e.stdin
	if err := e.initInterpreter(); err != nil {
		return nil, err
	}
	e.completer = complete.New(source{e: e})
	display.SetPublisher(publisher{e: e})
	if opts.GCPercent != 0 {
		debug.SetGCPercent(opts.GCPercent)
	}
	if len(opts.WorkerCommand) > 0 {
		futures.SetWorkerCommand(opts.WorkerCommand[0], opts.WorkerCommand[1:]...)
		futures.SetNotebookSource(e.Declarations)
	}
	return e, nil
}

// Execute runs one cell: Begin, Run, Finish.
func (e *Session) Execute(ctx context.Context, req kernel.ExecuteRequest, io kernel.IO) kernel.ExecuteReply {
	ctx, done := e.Begin(ctx, io)
	defer done()
	return e.Finish(e.Run(ctx, req))
}

// Begin makes the session ready for one cell: it waits for the previous
// cell to end, routes the cell's standard streams to io and arms Interrupt.
// It returns the context the cell runs with and a function to call when
// the cell has ended.
func (e *Session) Begin(ctx context.Context, io kernel.IO) (context.Context, func()) {
	e.execMu.Lock()
	e.sink.set(io)
	e.reopenStreams()
	e.epoch.current()

	runCtx, cancel := context.WithCancel(ctx)
	e.runMu.Lock()
	e.cancel = cancel
	e.runMu.Unlock()
	e.openCell()
	return runCtx, func() {
		e.runMu.Lock()
		e.cancel = nil
		e.runMu.Unlock()
		sig, perr := e.closeCell()
		if sig != nil {
			e.noteExit(*sig) // Finish was not called: no reply carries it
		}
		if perr != nil {
			e.noteError(perr)
		}
		cancel()
		e.execMu.Unlock()
	}
}

// Finish completes a cell's reply once its code has run: it runs the
// cell's deferred calls, flushes its output, and turns the reply into an
// error when a deferred call or a goroutine of the cell failed, or when
// the cell called os.Exit (at any moment, see exit.go).
func (e *Session) Finish(reply kernel.ExecuteReply) kernel.ExecuteReply {
	steps := reply
	// After an os.Exit, runDefers runs no deferred call, the cell's own
	// included.
	if x := e.runDefers(); x != nil && reply.Status == kernel.StatusOK {
		reply = e.failure(x)
	}
	if reply.Status == kernel.StatusOK {
		e.awaitPanics() // gopanic.go
	}
	sig, perr := e.closeCell()
	reply = e.exitReply(reply, sig)        // exit.go
	reply = e.panicReply(reply, perr)      // exit.go
	e.flushStreams(250 * time.Millisecond) // stdioflush.go
	e.stdin.drop()
	e.runMu.Lock()
	async := e.asyncErr
	e.asyncErr = nil
	e.runMu.Unlock()
	if async != nil && reply.Status == kernel.StatusOK {
		reply = kernel.ExecuteReply{Status: kernel.StatusError, Err: async}
	}
	if reply.Status != kernel.StatusOK {
		// The steps succeeded, then a deferred call or a goroutine failed
		// the cell: its help cannot be a payload any more.
		e.unpage(steps)
	}
	return reply
}

// fileName is the name the source being compiled is parsed under: the
// running cell's In[n]. yaegi keys imports by package name and file name,
// so the notebook's imports are made again in every cell's file (see
// ensureImports).
func (e *Session) fileName() string { return e.curFile }

// cellName is the file name positions in cell number n are reported with.
func cellName(n int) string { return fmt.Sprintf("In[%d]", n) }

// group is a run of units of the same kind.
type group struct {
	kind       parse.Kind
	start, end int
	line, col  int
}

// groupUnits puts imports first, then joins neighbouring units of the same
// kind (declarations with declarations, statements with statements).
func groupUnits(units []parse.Unit) []group {
	var out []group
	for _, u := range units {
		if u.Kind == parse.Import {
			out = append(out, group{kind: u.Kind, start: u.Start, end: u.End, line: u.Line, col: u.Col})
		}
	}
	for _, u := range units {
		if u.Kind == parse.Import {
			continue
		}
		k := u.Kind
		if n := len(out); n > 0 && out[n-1].kind == k && k != parse.Import {
			out[n-1].end = u.End
			continue
		}
		out = append(out, group{kind: k, start: u.Start, end: u.End, line: u.Line, col: u.Col})
	}
	return out
}

// Interrupt stops the running cell, if any.
func (e *Session) Interrupt() {
	e.runMu.Lock()
	c := e.cancel
	e.runMu.Unlock()
	if c != nil {
		e.interruptCompiled()
		c()
		e.epoch.stop()
		rtsync.Interrupt()
	}
}

// Shutdown releases the engine.
func (e *Session) Shutdown(restart bool) error {
	e.Interrupt()
	e.stopRunners()
	e.closeCompiled()
	// Stop the goroutines cells started; their output has nowhere to go.
	e.ctl.stop()
	rtsync.Interrupt()
	e.epoch.stop()
	if !restart {
		e.mods.remove()
	}
	return nil
}

// initInterpreter starts a fresh interpreter with the symbol tables and the
// prelude loaded, and an empty notebook.
func (e *Session) initInterpreter() error {
	opts := e.opts
	e.imports = map[string]string{}
	e.importedIn = map[string]map[string]string{}
	e.pinned = map[string]bool{}
	e.importFrom = map[string]string{}
	e.curFile = "golit-prelude"
	e.decls = newDeclStore()
	e.varCell = map[string]int{}
	e.lost = map[string]int{}
	e.resMu.Lock()
	e.typeNames = map[reflect.Type]string{}
	e.resMu.Unlock()
	e.cellTypes.Reset()
	e.pkgIdxOnce = sync.Once{}
	yopts := yaegi.Options{
		Stdin:        e.stdin,
		Stdout:       ctlWriter{e: e},
		Stderr:       yaegiStderr{e: e},
		Args:         opts.Args,
		Unrestricted: !opts.Restricted,
		GoPath:       e.mods.goPath(),
		BuildTags:    moduleBuildTags,
	}
	if opts.Restricted {
		yopts.Env = os.Environ()
	}
	e.yi = yaegi.New(yopts)
	e.ctl = &runControl{yi: e.yi}
	std := make(yaegi.Exports, len(stdlib.Symbols))
	for k, v := range stdlib.Symbols {
		std[k] = v
	}
	fmtSyms, fmtTypes := e.fmtExports()
	std["fmt/fmt"] = fmtSyms
	if err := e.use(std); err != nil {
		return fmt.Errorf("interp: loading the standard library: %w", err)
	}
	var logTypes map[reflect.Value][]reflect.Type
	e.logSyms, logTypes = e.logExports()
	for k, v := range logTypes {
		fmtTypes[k] = v
	}
	if err := e.yi.Use(yaegi.Exports{".": {"MapTypes": reflect.ValueOf(fmtTypes)}}); err != nil {
		return fmt.Errorf("interp: loading the standard library: %w", err)
	}
	// yaegi keeps syscall out of stdlib.Symbols: its safe part (signals,
	// Getpid, errno values, ...) is a package of its own, and its
	// process-changing part (Exec, Kill, ...) comes with unrestricted.
	if err := e.use(yaegisyscall.Symbols); err != nil {
		return fmt.Errorf("interp: loading syscall: %w", err)
	}
	if !opts.Restricted {
		if err := e.use(unrestricted.Symbols); err != nil {
			return fmt.Errorf("interp: loading os/exec: %w", err)
		}
	}
	if err := e.yi.Use(e.rtExports()); err != nil {
		return fmt.Errorf("interp: loading the runtime support: %w", err)
	}
	if err := e.yi.Use(e.compiledExports()); err != nil {
		return fmt.Errorf("interp: loading the compiled-cell support: %w", err)
	}
	if err := e.useExtraSymbols(); err != nil {
		return err
	}
	if err := e.addGenericSources(); err != nil {
		return err
	}
	if err := e.prelude(); err != nil {
		return fmt.Errorf("interp: compiling the prelude: %w", err)
	}
	return nil
}

// reset forgets the notebook (%reset): a new interpreter replaces the old
// one. Goroutines of the old one keep running until they end.
func (e *Session) reset() error {
	e.ctl.stop()
	e.symMu.Lock()
	e.syms = nil
	e.symMu.Unlock()
	return e.initInterpreter()
}
