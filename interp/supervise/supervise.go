package supervise

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golit/golit/kernel"
)

// Options configure a supervised engine. The zero value is ready to use.
type Options struct {
	// Command is the child's program and arguments. The default is the
	// running executable with the argument "engine" (`golit engine`).
	Command []string

	// Env holds extra KEY=value pairs for the child, added to the
	// supervisor's own environment.
	Env []string

	// MemoryLimit is the most resident memory the child may use before
	// the supervisor kills it and reports "out of memory" in the cell.
	// 0 means the GOLIT_MEMORY_LIMIT environment variable ("4GiB",
	// "512MB", "off") or, without it, min(4 GiB, half of the RAM).
	// A negative value disables the limit.
	MemoryLimit int64

	// MaxStack is the largest goroutine stack in the child
	// (debug.SetMaxStack). 0 means GOLIT_MAX_STACK or DefaultMaxStack;
	// a negative value keeps Go's default (1 GB).
	MaxStack int64

	// InterruptGrace is how long a cell may keep running after an
	// interrupt before the supervisor kills and restarts the child.
	// 0 means DefaultInterruptGrace.
	InterruptGrace time.Duration
}

// DefaultInterruptGrace is how long an interrupted cell may take to stop
// before its engine process is killed and restarted.
const DefaultInterruptGrace = 2 * time.Second

// Names (enames) of the errors the supervisor itself reports in a cell.
const (
	// ErrNameCrashed is the ename of a cell during which the engine
	// process died (fatal error, stack overflow, out of memory, exit).
	ErrNameCrashed = "EngineCrashed"
	// ErrNameRestarted is the ename of a cell that did not stop after an
	// interrupt and was ended by restarting the engine process.
	ErrNameRestarted = "EngineRestarted"
	// ErrNameEngine is the ename when the engine could not start or
	// answer at all.
	ErrNameEngine = "EngineError"
	// ErrNameInterrupted is the ename of a cell interrupted before the
	// engine started running it (the interp engine uses the same name).
	ErrNameInterrupted = "Interrupted"
)

// callTimeout bounds Complete, Inspect, IsComplete and Restore.
const callTimeout = 10 * time.Second

// maxEarly bounds output held before the first Execute supplies an IO.
const maxEarly = 10000

// Engine is a kernel.Engine that runs the real engine in a child process and
// survives the child's death. Create it with New.
type Engine struct {
	opts Options

	mu    sync.Mutex
	cur   *proc
	io    kernel.IO
	early []func(kernel.IO)
	// gated holds output back while a cell begun by StartExecute waits
	// for its IO (held, in order); gateOpen is closed when it opens.
	gated    bool
	held     []func(kernel.IO)
	gateOpen chan struct{}
	notices  []string
	decls    map[string]string // the child's declarations, in parts (see PartedRestorer)
	dumps    []string          // crash report files kept (keepDump)
	closed   bool

	// runID/runProc identify the Execute in flight (0/nil when none).
	runID   uint64
	runProc *proc
	// waitCancel ends an Execute's wait for a starting child.
	waitCancel context.CancelFunc

	nextID atomic.Uint64

	// lastRestart is how long the latest restart took (start to ready).
	lastRestart atomic.Int64
}

var _ kernel.Engine = (*Engine)(nil)

// New starts the engine child in the background and returns at once: the
// first request waits until the child is ready, so the kernel can answer
// kernel_info while the interpreter loads.
func New(opts Options) (*Engine, error) {
	if len(opts.Command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("supervise: cannot find the golit executable: %w", err)
		}
		opts.Command = []string{exe, "engine"}
	}
	if opts.MemoryLimit == 0 {
		opts.MemoryLimit = defaultMemoryLimit()
		if n, ok := parseSize(os.Getenv(envMemoryLimit)); ok {
			opts.MemoryLimit = n
			if n == 0 {
				opts.MemoryLimit = -1
			}
		}
	}
	if opts.MaxStack == 0 {
		opts.MaxStack = DefaultMaxStack
		if n, ok := parseSize(os.Getenv(envMaxStack)); ok && n > 0 {
			opts.MaxStack = n
		}
	}
	if opts.InterruptGrace <= 0 {
		opts.InterruptGrace = DefaultInterruptGrace
	}
	e := &Engine{opts: opts}
	e.cur = e.spawn()
	return e, nil
}

// PID returns the process id of the current engine child, or 0.
func (e *Engine) PID() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cur == nil {
		return 0
	}
	return e.cur.pid
}

// Ready waits until the engine child can take requests, or ctx ends.
func (e *Engine) Ready(ctx context.Context) error {
	_, err := e.ready(ctx)
	return err
}

// LastRestart returns how long the latest restart after a crash took, from
// the old child's death being noticed to the new child being ready (0 if
// there was none).
func (e *Engine) LastRestart() time.Duration { return time.Duration(e.lastRestart.Load()) }

// ready returns a child that has finished starting (and restoring).
func (e *Engine) ready(ctx context.Context) (*proc, error) {
	for attempt := 0; ; attempt++ {
		e.mu.Lock()
		if e.closed {
			e.mu.Unlock()
			return nil, errors.New("the engine has shut down")
		}
		p := e.cur
		if p == nil || p.isDone() {
			p = e.spawn()
			p.restoreDecl = joinParts(e.decls)
			e.cur = p
		}
		e.mu.Unlock()

		select {
		case <-p.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if p.readyErr != "" {
			return nil, errors.New(p.readyErr)
		}
		if p.isDone() && attempt < 2 {
			continue // died after being ready: use its replacement
		}
		p.restoreOnce.Do(func() { e.restore(p) })
		p.restored.Store(true)
		return p, nil
	}
}

// restore gives a fresh child the declarations of the crashed one.
func (e *Engine) restore(p *proc) {
	if p.restoreDecl == "" {
		return
	}
	r, err := e.callOn(p, &message{Op: opRestore, Text: p.restoreDecl}, callTimeout)
	if err == nil && r.Err != "" {
		err = errors.New(r.Err)
	}
	if err != nil {
		e.mu.Lock()
		e.decls = nil // do not try these again
		e.mu.Unlock()
		e.notice("golit: the notebook's declarations could not be restored after the restart: " + err.Error() + "\n")
	}
}

// output delivers f to the session IO, or holds it until there is one,
// or while the gate is closed (StartExecute).
func (e *Engine) output(f func(kernel.IO)) {
	e.mu.Lock()
	if e.gated {
		e.held = append(e.held, f)
		e.mu.Unlock()
		return
	}
	io := e.io
	if io == nil {
		if len(e.early) < maxEarly {
			e.early = append(e.early, f)
		}
		e.mu.Unlock()
		return
	}
	e.mu.Unlock()
	f(io)
}

// notice tells the user something on stderr: at once when there is an IO
// (the kernel shows it in the running or next cell), else in the next cell.
func (e *Engine) notice(text string) {
	e.mu.Lock()
	if e.io == nil {
		e.notices = append(e.notices, text)
		e.mu.Unlock()
		return
	}
	e.mu.Unlock()
	e.output(func(o kernel.IO) { o.Stream("stderr", text) })
}

// closeGate makes output wait (in order) until openGate: a cell begun
// before the kernel announced it must not show output before that.
func (e *Engine) closeGate() {
	e.mu.Lock()
	e.gated = true
	e.gateOpen = make(chan struct{})
	e.mu.Unlock()
}

// openGate delivers the output held by the gate to io, then lets output
// through again. What arrives meanwhile joins the held output, so the
// order is kept.
func (e *Engine) openGate(io kernel.IO) {
	for {
		e.mu.Lock()
		held := e.held
		e.held = nil
		if len(held) == 0 {
			if e.gated {
				e.gated = false
				close(e.gateOpen)
			}
			e.mu.Unlock()
			return
		}
		e.mu.Unlock()
		for _, f := range held {
			f(io)
		}
	}
}

// waitGate returns once output may reach the session IO.
func (e *Engine) waitGate() {
	e.mu.Lock()
	gated, open := e.gated, e.gateOpen
	e.mu.Unlock()
	if gated {
		<-open
	}
}

// updateDecls applies a decls message from the child to the parts kept
// for a restart.
func (e *Engine) updateDecls(m *message) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if m.Reset || e.decls == nil {
		e.decls = map[string]string{}
	}
	for k, p := range m.Parts {
		e.decls[k] = p
	}
	for _, k := range m.Drop {
		delete(e.decls, k)
	}
}

// joinParts concatenates declaration parts in the order of their keys.
func joinParts(parts map[string]string) string {
	keys := make([]string, 0, len(parts))
	for k := range parts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(parts[k])
	}
	return b.String()
}

// setIO records the session IO and flushes what waited for one.
func (e *Engine) setIO(io kernel.IO) {
	e.mu.Lock()
	e.io = io
	early, notices := e.early, e.notices
	e.early, e.notices = nil, nil
	e.mu.Unlock()
	for _, f := range early {
		f(io)
	}
	for _, n := range notices {
		io.Stream("stderr", n)
	}
}

// replace is called once per child after it died and its crash is known,
// before its done channel closes: it starts the replacement so that a
// request that sees the death finds the next child already starting.
func (e *Engine) replace(p *proc) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed || e.cur != p || !p.wasReady.Load() {
		// Shut down, already replaced, or it never started (do not
		// loop: the next request tries again).
		return false
	}
	np := e.spawn()
	np.restoreDecl = joinParts(e.decls)
	e.cur = np
	return true
}

// keptDumps is how many crash report files an engine keeps; older ones
// are removed.
const keptDumps = 3

// keepDump removes c's report file if the cell shows all of it, and the
// oldest files past keptDumps.
func (e *Engine) keepDump(c crash) {
	if c.dump.path == "" {
		return
	}
	if c.dumpNote() == "" {
		os.Remove(c.dump.path)
		return
	}
	e.mu.Lock()
	e.dumps = append(e.dumps, c.dump.path)
	var old []string
	if n := len(e.dumps) - keptDumps; n > 0 {
		old = append(old, e.dumps[:n]...)
		e.dumps = e.dumps[n:]
	}
	e.mu.Unlock()
	for _, f := range old {
		os.Remove(f)
	}
}

// restarted reports a death that no cell saw and times the restart.
func (e *Engine) restarted(p *proc) {
	if !p.executing.Load() {
		e.notice(e.crashText(p, "while no cell was running (a goroutine of an earlier cell?)"))
	}
	if _, err := e.ready(context.Background()); err == nil {
		e.lastRestart.Store(int64(time.Since(p.exitedAt)))
	}
}

// survivors says what the user keeps after a restart.
func (e *Engine) survivors() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if joinParts(e.decls) != "" {
		return "The Go engine was restarted: functions, types, constants and imports of earlier cells were restored; variables and running goroutines are gone."
	}
	return "The Go engine was restarted: variables, functions, types and goroutines of earlier cells are gone; re-run the cells you need."
}

// crashText is the stderr notice for a child that died while idle.
func (e *Engine) crashText(p *proc, when string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\x1b[0;31m%s\x1b[0m: %s, %s.\n", ErrNameCrashed, p.crash.cause(), when)
	for _, l := range p.crash.trace() {
		b.WriteString(l + "\n")
	}
	if n := p.crash.dumpNote(); n != "" {
		b.WriteString(n + "\n")
	}
	b.WriteString(e.survivors() + "\n")
	return b.String()
}

// crashReply is the reply of a cell during which the child died.
func (e *Engine) crashReply(p *proc) kernel.ExecuteReply {
	name, cause := ErrNameCrashed, p.crash.cause()
	if p.crash.reason != "" && strings.HasPrefix(p.crash.reason, interruptReasonPrefix) {
		name = ErrNameRestarted
	}
	tb := []string{fmt.Sprintf("\x1b[0;31m%s\x1b[0m: %s", name, cause)}
	if tr := p.crash.trace(); len(tr) > 0 {
		tb = append(tb, "")
		tb = append(tb, tr...)
	}
	if n := p.crash.dumpNote(); n != "" {
		tb = append(tb, "", n)
	}
	tb = append(tb, "", e.survivors())
	return kernel.ExecuteReply{
		Status: kernel.StatusError,
		Err:    &kernel.Error{Name: name, Value: cause, Traceback: tb},
	}
}

func errorReply(name, value string) kernel.ExecuteReply {
	return kernel.ExecuteReply{
		Status: kernel.StatusError,
		Err:    &kernel.Error{Name: name, Value: value, Traceback: []string{fmt.Sprintf("\x1b[0;31m%s\x1b[0m: %s", name, value)}},
	}
}

const interruptReasonPrefix = "the cell did not stop"

// Execute runs a cell in the child. If the child dies meanwhile, the reply
// names the cause and a fresh child is already starting for the next cell.
func (e *Engine) Execute(ctx context.Context, req kernel.ExecuteRequest, io kernel.IO) kernel.ExecuteReply {
	e.setIO(io)
	// While the first child is still starting, an interrupt cancels the
	// wait.
	wctx, wcancel := context.WithCancel(ctx)
	e.mu.Lock()
	e.waitCancel = wcancel
	e.mu.Unlock()
	p, err := e.ready(wctx)
	e.mu.Lock()
	e.waitCancel = nil
	e.mu.Unlock()
	wcancel()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return errorReply(ErrNameInterrupted, "interrupted while the Go engine was starting")
		}
		return errorReply(ErrNameEngine, err.Error())
	}
	return e.await(ctx, e.begin(p, req))
}

// StartExecute implements kernel.Starter: it sends the cell to a child
// that is ready, so that the child runs it while the kernel publishes
// busy and execute_input, and holds the cell's output until the kernel
// calls the returned function. Without a ready child (the first cell,
// after a crash) it returns nil and the kernel calls Execute, which
// waits for one.
func (e *Engine) StartExecute(ctx context.Context, req kernel.ExecuteRequest) func(kernel.IO) kernel.ExecuteReply {
	e.mu.Lock()
	p, closed := e.cur, e.closed
	e.mu.Unlock()
	if closed || p == nil || !p.wasReady.Load() || !p.restored.Load() || p.isDone() {
		return nil
	}
	e.closeGate()
	c := e.begin(p, req)
	return func(io kernel.IO) kernel.ExecuteReply {
		e.setIO(io)
		e.openGate(io)
		return e.await(ctx, c)
	}
}

// running is a cell sent to a child.
type running struct {
	p      *proc
	id     uint64
	ch     chan *message // its reply
	failed bool          // it could not be sent: the child is dying
}

// begin sends a cell to p.
func (e *Engine) begin(p *proc, req kernel.ExecuteRequest) *running {
	id := e.nextID.Add(1)
	c := &running{p: p, id: id, ch: p.register(id)}
	p.executing.Store(true)
	p.wakeMemoryWatch()
	e.mu.Lock()
	e.runID, e.runProc = id, p
	e.mu.Unlock()
	if err := p.send(&message{Op: opExecute, ID: id, Exec: &req}); err != nil {
		c.failed = true
	}
	return c
}

// await waits for the reply of a cell sent by begin, or for its child's
// death.
func (e *Engine) await(ctx context.Context, c *running) kernel.ExecuteReply {
	p := c.p
	defer func() {
		e.mu.Lock()
		if e.runID == c.id {
			e.runID, e.runProc = 0, nil
		}
		e.mu.Unlock()
		p.executing.Store(false)
		p.unregister(c.id)
	}()
	if c.failed {
		<-p.done
		return e.crashReply(p)
	}
	cancelled := ctx.Done()
	for {
		select {
		case r := <-c.ch:
			return e.replyOf(r)
		case <-p.done:
			select {
			case r := <-c.ch:
				return e.replyOf(r)
			default:
			}
			return e.crashReply(p)
		case <-cancelled:
			cancelled = nil
			e.Interrupt()
		}
	}
}

func (e *Engine) replyOf(r *message) kernel.ExecuteReply {
	if r.Reply == nil {
		return errorReply(ErrNameEngine, "the engine sent no reply: "+r.Err)
	}
	return *r.Reply
}

// callOn sends a request to p and waits for its reply.
func (e *Engine) callOn(p *proc, m *message, timeout time.Duration) (*message, error) {
	m.ID = e.nextID.Add(1)
	ch := p.register(m.ID)
	defer p.unregister(m.ID)
	if err := p.send(m); err != nil {
		return nil, err
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		return r, nil
	case <-p.done:
		select {
		case r := <-ch:
			return r, nil
		default:
		}
		return nil, errors.New("the engine process died: " + p.crash.cause())
	case <-t.C:
		return nil, errors.New("the engine did not answer in time")
	}
}

// call waits for a ready child and sends it m.
func (e *Engine) call(m *message) (*message, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	p, err := e.ready(ctx)
	if err != nil {
		return nil, false
	}
	r, err := e.callOn(p, m, callTimeout)
	if err != nil || r.Err != "" {
		return nil, false
	}
	return r, true
}

// Complete asks the child for completions; on failure it offers none.
func (e *Engine) Complete(code string, cursorPos int) kernel.CompleteReply {
	r, ok := e.call(&message{Op: opComplete, Code: code, Pos: cursorPos})
	if !ok || r.Complete == nil {
		return kernel.CompleteReply{Matches: []string{}, CursorStart: cursorPos, CursorEnd: cursorPos}
	}
	return *r.Complete
}

// Inspect asks the child about the name at cursorPos.
func (e *Engine) Inspect(code string, cursorPos, detailLevel int) kernel.InspectReply {
	r, ok := e.call(&message{Op: opInspect, Code: code, Pos: cursorPos, Detail: detailLevel})
	if !ok || r.Inspect == nil {
		return kernel.InspectReply{}
	}
	return *r.Inspect
}

// IsComplete asks the child whether code is ready to run.
func (e *Engine) IsComplete(code string) kernel.IsCompleteReply {
	r, ok := e.call(&message{Op: opIsComplete, Code: code})
	if !ok || r.IsComplete == nil {
		return kernel.IsCompleteReply{Status: "unknown"}
	}
	return *r.IsComplete
}

// Interrupt asks the child to stop the running cell. If the cell is still
// running after InterruptGrace (blocked in compiled code), the child is
// killed and restarted and the cell reports that.
func (e *Engine) Interrupt() {
	e.mu.Lock()
	id, p, wait := e.runID, e.runProc, e.waitCancel
	e.mu.Unlock()
	if wait != nil {
		wait()
	}
	if p == nil {
		return
	}
	_ = p.send(&message{Op: opInterrupt})
	grace := e.opts.InterruptGrace
	time.AfterFunc(grace, func() {
		e.mu.Lock()
		still := e.runID == id && e.runProc == p
		e.mu.Unlock()
		if still {
			p.kill(fmt.Sprintf("%s within %v of the interrupt (blocked outside the interpreter?), so golit restarted the engine", interruptReasonPrefix, grace))
		}
	})
}

// input runs an input round trip for the child.
func (e *Engine) input(p *proc, m *message) {
	e.waitGate()
	e.mu.Lock()
	io := e.io
	e.mu.Unlock()
	r := &message{Op: opInputReply, ID: m.ID}
	if io == nil {
		r.Err = inputErrNoStdin
	} else {
		text, err := io.Input(m.Text, m.Password)
		switch {
		case err == nil:
			r.Text = text
		case errors.Is(err, kernel.ErrNoStdin):
			r.Err = inputErrNoStdin
		case errors.Is(err, kernel.ErrInterrupted):
			r.Err = inputErrInterrupted
		default:
			r.Err = err.Error()
		}
	}
	_ = p.send(r)
}

// Shutdown stops the child: politely, then by force after a second.
func (e *Engine) Shutdown(restart bool) error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	p := e.cur
	e.mu.Unlock()
	if p == nil || p.isDone() {
		return nil
	}
	var err error
	select {
	case <-p.ready:
	default:
		// Still starting: it holds no state worth a polite goodbye.
		p.kill("shut down")
	}
	if p.wasReady.Load() {
		var r *message
		r, err = e.callOn(p, &message{Op: opShutdown, Restart: restart}, time.Second)
		if err == nil && r.Err != "" {
			err = errors.New(r.Err)
		}
	}
	select {
	case <-p.done:
	case <-time.After(time.Second):
		p.kill("shut down")
		<-p.done
	}
	return err
}
