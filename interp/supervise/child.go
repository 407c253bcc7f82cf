package supervise

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/golit/golit/kernel"
)

// Restorer is implemented by an engine that can carry the notebook's
// declarations into a fresh process after a crash. It is optional: RunChild
// checks for it with a type assertion.
//
// After every successful Execute the child asks Declarations for the current
// source and, when it changed, hands it to the parent (an
// IncrementalRestorer is asked for the parts that changed instead). When a crash forces a
// restart, the parent gives the last source to Restore in the new child before
// the next cell runs. Declarations should return only what is safe to
// evaluate again without running user code: imports, constants, types,
// functions and methods (no variable initialisers, which may call the code
// that crashed).
type Restorer interface {
	// Declarations returns Go source that recreates the notebook's
	// imports, constants, types, functions and methods.
	Declarations() string
	// Restore evaluates source returned by Declarations in a fresh engine.
	Restore(src string) error
}

// IncrementalRestorer is a Restorer that can say what changed in its
// declarations, in keyed parts, so that after a cell the child sends the
// parent only that instead of the whole source: with whole sources, a
// session's per-cell traffic, and the time and garbage it costs in both
// processes, grew with every declaration (bench/session). Concatenating
// the parts in the order of their keys must give Declarations.
type IncrementalRestorer interface {
	Restorer
	// DeclarationChanges returns the parts added or changed and the keys
	// of the parts removed since its last call; full reports that changed
	// is the whole set (the first call, or when all is true).
	DeclarationChanges(all bool) (changed map[string]string, dropped []string, full bool)
}

// RunChild is the main function of the engine child process (`golit engine`):
// it builds the engine with newEngine, serves the supervisor's requests on fds
// 3 and 4 until the supervisor asks it to shut down or goes away, and returns
// the process exit code. The caller passes it to os.Exit.
//
// The child applies the limits the supervisor passes in its environment
// (GOLIT_MAX_STACK for debug.SetMaxStack, GOLIT_MEMORY_LIMIT for a soft
// debug.SetMemoryLimit at 90% of the hard limit the supervisor enforces) and
// ignores SIGINT: interrupts arrive as protocol messages, and a terminal's or
// jupyter_client's SIGINT to the whole process group must not kill it.
func RunChild(newEngine func() (kernel.Engine, error)) int {
	in := pollableFile(3, "golit-engine-requests")
	out := pollableFile(4, "golit-engine-replies")
	if _, err := in.Stat(); err != nil {
		fmt.Fprintln(os.Stderr, "golit engine: this process is started by the golit kernel, not by hand")
		return 2
	}
	if _, err := out.Stat(); err != nil {
		fmt.Fprintln(os.Stderr, "golit engine: this process is started by the golit kernel, not by hand")
		return 2
	}
	// Processes the cells start must not inherit the protocol pipes.
	syscall.CloseOnExec(3)
	syscall.CloseOnExec(4)
	applyChildLimits()
	watchParent()

	// Handled (not ignored) so that commands started by cells get the
	// default SIGINT behaviour back on exec.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for range sigs {
		}
	}()

	ob := newOutbox(out, 1<<20)
	eng, err := newEngine()
	if err != nil {
		ob.send(&message{Op: opReady, Err: err.Error()})
		ob.close()
		return 1
	}
	ob.send(&message{Op: opReady, PID: os.Getpid()})
	s := &childServer{eng: eng, ob: ob, io: &childIO{ob: ob, inputs: map[uint64]chan *message{}}, gc: newGCPolicy()}
	return s.serve(newDecoder(in))
}

// applyChildLimits applies the stack and memory limits passed by the parent.
func applyChildLimits() {
	if n, ok := parseSize(os.Getenv(envMaxStack)); ok && n > 0 {
		debug.SetMaxStack(int(n))
	}
	if n, ok := parseSize(os.Getenv(envMemoryLimit)); ok && n > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(n / 10 * 9)
	}
}

// childServer dispatches the supervisor's requests to the engine.
type childServer struct {
	eng       kernel.Engine
	ob        *outbox
	io        *childIO
	declsMu   sync.Mutex
	lastParts map[string]string // what the parent has (engines that are not incremental)
	resend    bool              // the parent's parts are stale: send the whole set
	gc        *gcPolicy         // adjusts the GC percent after each cell (gcpolicy.go)
	spare     chan struct{}     // hands the reading to a goroutine waiting for it (serve)
}

// serve answers the supervisor's requests read from dec until it asks the
// child to shut down or goes away, and returns the exit code.
//
// One goroutine at a time reads requests. The one that reads an
// execute_request runs the cell itself, after handing the reading on to
// another (interrupts and input replies arrive while the cell runs): the
// cell starts without waiting for a goroutine to be scheduled. The
// goroutines that take turns are kept, not started per cell: one that has
// run a cell has a grown stack, while a fresh goroutine per cell grew its
// stack from 8 KiB by copying every time (stack copying fell from 7.6% to
// 2.6% of the child's CPU samples over 2,000 trivial cells).
func (s *childServer) serve(dec interface{ Decode(any) error }) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exit := make(chan int, 1)
	s.spare = make(chan struct{})
	go s.read(ctx, cancel, dec, exit)
	return <-exit
}

// read is serve's reading loop; exit gets the exit code. After running a
// cell it waits as the spare reader until the current reader hands the
// reading back to it.
func (s *childServer) read(ctx context.Context, cancel context.CancelFunc, dec interface{ Decode(any) error }, exit chan<- int) {
	for {
		var m message
		if err := dec.Decode(&m); err != nil {
			// The supervisor went away: end what the cells started (it
			// cannot any more) and release what we hold, briefly.
			endOwnSession()
			cancel()
			done := make(chan struct{})
			go func() {
				defer func() { _ = recover() }()
				_ = s.eng.Shutdown(false)
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(time.Second):
			}
			exit <- 0
			return
		}
		switch m.Op {
		case opExecute:
			if m.Exec == nil {
				m.Exec = &kernel.ExecuteRequest{}
			}
			select {
			case s.spare <- struct{}{}: // a spare goroutine reads on
			default:
				go s.read(ctx, cancel, dec, exit)
			}
			s.execute(ctx, m.ID, *m.Exec)
			select {
			case <-s.spare: // the reader handed the reading back
			case <-ctx.Done():
				return
			}
		case opComplete:
			go s.run(m.ID, func(r *message) {
				c := s.eng.Complete(m.Code, m.Pos)
				r.Complete = &c
			})
		case opInspect:
			go s.run(m.ID, func(r *message) {
				c := s.eng.Inspect(m.Code, m.Pos, m.Detail)
				r.Inspect = &c
			})
		case opIsComplete:
			go s.run(m.ID, func(r *message) {
				c := s.eng.IsComplete(m.Code)
				r.IsComplete = &c
			})
		case opRestore:
			go s.run(m.ID, func(r *message) {
				rs, ok := s.eng.(Restorer)
				if !ok {
					r.Err = "engine cannot restore declarations"
					return
				}
				if err := rs.Restore(m.Text); err != nil {
					r.Err = err.Error()
					return
				}
				// The next change sends the whole set, which
				// replaces the parent's.
				s.declsMu.Lock()
				s.lastParts, s.resend = nil, true
				s.declsMu.Unlock()
			})
		case opInterrupt:
			s.eng.Interrupt()
		case opInputReply:
			s.io.deliver(&m)
		case opShutdown:
			cancel()
			err := s.shutdown(m.Restart)
			r := &message{Op: opReply, ID: m.ID}
			if err != nil {
				r.Err = err.Error()
			}
			_ = s.ob.send(r)
			s.ob.close()
			exit <- 0
			return
		}
	}
}

// pollableFile wraps an inherited pipe descriptor in non-blocking mode, so
// that the os package reads and writes it through the runtime's network
// poller. With the descriptor left blocking, the goroutine reading requests
// sits in a read system call that keeps its P: a goroutine it has just woken
// (the cell's runner after an interrupt, a new cell) then waits in that P's
// queue until sysmon takes the P back, which measured 1 to 20 ms (median 7)
// from an interrupt to the cell's end while a cell was busy on the other P.
func pollableFile(fd int, name string) *os.File {
	_ = syscall.SetNonblock(fd, true) // an invalid fd fails the Stat check below
	return os.NewFile(uintptr(fd), name)
}

func (s *childServer) shutdown(restart bool) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("engine shutdown panicked: %v", p)
		}
	}()
	return s.eng.Shutdown(restart)
}

// run answers one request with the reply fill builds, turning an engine
// panic into an error reply instead of a dead process.
func (s *childServer) run(id uint64, fill func(r *message)) {
	r := &message{Op: opReply, ID: id}
	func() {
		defer func() {
			if p := recover(); p != nil {
				r.Err = fmt.Sprintf("engine panicked: %v", p)
			}
		}()
		fill(r)
	}()
	if err := s.ob.send(r); err != nil {
		_ = s.ob.send(&message{Op: opReply, ID: id, Err: "could not encode the reply: " + err.Error()})
	}
}

func (s *childServer) execute(ctx context.Context, id uint64, req kernel.ExecuteRequest) {
	var reply kernel.ExecuteReply
	func() {
		defer func() {
			if p := recover(); p != nil {
				reply = kernel.ExecuteReply{Status: kernel.StatusError, Err: &kernel.Error{
					Name:      "EngineError",
					Value:     fmt.Sprintf("the engine panicked: %v", p),
					Traceback: []string{fmt.Sprintf("EngineError: the engine panicked: %v", p), string(debug.Stack())},
				}}
			}
		}()
		reply = s.eng.Execute(ctx, req, s.io)
	}()
	if reply.Status == kernel.StatusOK {
		s.sendDecls()
	}
	if err := s.ob.send(&message{Op: opReply, ID: id, Reply: &reply}); err != nil {
		msg := "the cell's result could not be sent to the kernel: " + err.Error()
		_ = s.ob.send(&message{Op: opReply, ID: id, Reply: &kernel.ExecuteReply{
			Status: kernel.StatusError,
			Err:    &kernel.Error{Name: "EngineError", Value: msg, Traceback: []string{"EngineError: " + msg}},
		}})
	}
	s.gc.afterCell()
}

// sendDecls hands the parent the parts of the engine's declarations that
// changed since the last time: added or changed parts, and the keys of the
// parts that went away. The first time (and after a restore) it sends the
// whole set, marked Reset.
func (s *childServer) sendDecls() {
	rs, ok := s.eng.(Restorer)
	if !ok {
		return
	}
	s.declsMu.Lock()
	defer s.declsMu.Unlock()
	if ir, ok := rs.(IncrementalRestorer); ok {
		var m *message
		func() {
			defer func() {
				if recover() != nil {
					s.resend = true // its state is unknown now
				}
			}()
			changed, dropped, full := ir.DeclarationChanges(s.resend)
			m = &message{Op: opDecls, Parts: changed, Drop: dropped, Reset: full}
		}()
		if m == nil {
			return
		}
		s.resend = false
		if m.Reset || len(m.Parts) > 0 || len(m.Drop) > 0 {
			_ = s.ob.send(m)
		}
		return
	}
	var parts map[string]string
	func() {
		defer func() { _ = recover() }()
		parts = map[string]string{"": rs.Declarations()}
	}()
	if parts == nil {
		return
	}
	m := declsDelta(s.lastParts, parts)
	s.lastParts = parts
	if m != nil {
		_ = s.ob.send(m)
	}
}

// declsDelta returns the decls message that turns old into cur, or nil
// when they are the same. With old nil it sends all of cur.
func declsDelta(old, cur map[string]string) *message {
	if old == nil {
		return &message{Op: opDecls, Parts: cur, Reset: true}
	}
	m := &message{Op: opDecls}
	for k, p := range cur {
		if q, ok := old[k]; !ok || q != p {
			if m.Parts == nil {
				m.Parts = map[string]string{}
			}
			m.Parts[k] = p
		}
	}
	for k := range old {
		if _, ok := cur[k]; !ok {
			m.Drop = append(m.Drop, k)
		}
	}
	if m.Parts == nil && m.Drop == nil {
		return nil
	}
	return m
}

// childIO is the kernel.IO the engine sees in the child: every call becomes a
// message to the parent, which calls the kernel's real IO.
type childIO struct {
	ob     *outbox
	nextID atomic.Uint64
	mu     sync.Mutex
	inputs map[uint64]chan *message
}

func (c *childIO) Stream(name, text string) {
	if text != "" {
		c.ob.sendStream(name, text)
	}
}

func (c *childIO) Display(data kernel.Bundle, metadata map[string]any, displayID string) {
	c.sendOrReport(&message{Op: opDisplay, Data: data, Meta: metadata, DisplayID: displayID})
}

func (c *childIO) Update(data kernel.Bundle, metadata map[string]any, displayID string) {
	c.sendOrReport(&message{Op: opUpdate, Data: data, Meta: metadata, DisplayID: displayID})
}

func (c *childIO) ClearOutput(wait bool) {
	c.sendOrReport(&message{Op: opClear, Wait: wait})
}

// sendOrReport sends m, or tells the user on stderr why it could not be
// encoded (a bundle holding a value JSON cannot represent).
func (c *childIO) sendOrReport(m *message) {
	if err := c.ob.send(m); err != nil {
		c.ob.sendStream("stderr", "golit: could not send display data: "+err.Error()+"\n")
	}
}

func (c *childIO) Input(prompt string, password bool) (string, error) {
	id := c.nextID.Add(1)
	ch := make(chan *message, 1)
	c.mu.Lock()
	c.inputs[id] = ch
	c.mu.Unlock()
	if err := c.ob.send(&message{Op: opInput, ID: id, Text: prompt, Password: password}); err != nil {
		c.mu.Lock()
		delete(c.inputs, id)
		c.mu.Unlock()
		return "", err
	}
	r := <-ch
	switch r.Err {
	case "":
		return r.Text, nil
	case inputErrNoStdin:
		return "", kernel.ErrNoStdin
	case inputErrInterrupted:
		return "", kernel.ErrInterrupted
	default:
		return "", errors.New(r.Err)
	}
}

func (c *childIO) deliver(m *message) {
	c.mu.Lock()
	ch := c.inputs[m.ID]
	delete(c.inputs, m.ID)
	c.mu.Unlock()
	if ch != nil {
		ch <- m
	}
}
