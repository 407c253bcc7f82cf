package futures

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// ErrWorkerCrashed is wrapped by the error of a task whose worker process
// died (or broke the protocol) while running it. The pool starts a new
// process for the next task.
var ErrWorkerCrashed = errors.New("futures: worker process crashed")

// ErrTerminated is the error of tasks that were running when Terminate
// killed their worker processes.
var ErrTerminated = errors.New("futures: process pool terminated")

// ReadyTimeout bounds how long a new worker process may take to load the
// declarations and answer {"ready": true}.
var ReadyTimeout = 60 * time.Second

// ProcessPool is an Executor that runs tasks in n worker OS processes:
// Python's ProcessPoolExecutor (and multiprocessing.Pool). Each task is a
// function NAME plus arguments; both travel to a worker as JSON and the result
// comes back the same way, so every task pays for encoding, a pipe round trip
// and decoding, and every worker for starting a process. That cost is the
// lesson: in Go, processes buy isolation, not parallelism.
//
// Which functions a worker knows depends on the worker command (see
// SetWorkerCommand): in the golit kernel, every function declared in the
// notebook; in a compiled program, the functions registered with
// RegisterFunc.
//
// Results are decoded from JSON with integers kept as integers: a worker
// result arrives as int (or uint64 / float64 when it does not fit), float64,
// string, bool, nil, []any or map[string]any. Use Decode to turn it into a
// struct or typed slice.
//
// Errors returned by the function come back as errors with the same text; a
// panic comes back as a *PanicError whose Value is the panic's text. If a
// worker process dies, its task fails with an error wrapping
// ErrWorkerCrashed (with the end of the process's standard error) and a new
// process replaces it.
type ProcessPool struct {
	q      queue
	rec    recorderSlot
	nextID atomic.Uint64

	mu         sync.Mutex
	procs      map[int]*proc // slot -> live worker process
	terminated bool
}

// NewProcessPool returns a pool of at most n worker processes. n must be at
// least 1; NewProcessPool panics otherwise, with a message that says so. For
// one process per core, pass runtime.NumCPU(). Processes start when tasks
// arrive (or all at once with Start).
func NewProcessPool(n int) *ProcessPool {
	checkWorkers("NewProcessPool", n, "runtime.NumCPU()")
	p := &ProcessPool{procs: map[int]*proc{}}
	p.q.init(n, p.run, nil)
	return p
}

// WithRecorder makes the pool report every task to r (lane "process N",
// label "isPrime(7)") and every process start-up (label "start"), and
// returns the pool.
func (p *ProcessPool) WithRecorder(r Recorder) *ProcessPool {
	p.rec.set(r)
	return p
}

// Workers returns the maximum number of worker processes.
func (p *ProcessPool) Workers() int { return p.q.max }

// Start starts all worker processes now and waits until each is ready, so
// start-up can be timed apart from the work. Errors from processes that
// could not start are joined; tasks will retry starting them.
func (p *ProcessPool) Start() error {
	errs := make([]error, p.q.max)
	var wg sync.WaitGroup
	for slot := 1; slot <= p.q.max; slot++ {
		p.mu.Lock()
		have := p.procs[slot] != nil
		p.mu.Unlock()
		if have {
			continue
		}
		wg.Add(1)
		go func(slot int) {
			defer wg.Done()
			pr, err := p.startProc(slot)
			if err != nil {
				errs[slot-1] = err
				return
			}
			p.mu.Lock()
			if p.procs[slot] == nil && !p.terminated {
				p.procs[slot] = pr
				pr = nil
			}
			p.mu.Unlock()
			if pr != nil {
				pr.stop()
			}
		}(slot)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// PIDs returns the process ids of the live worker processes.
func (p *ProcessPool) PIDs() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	slots := make([]int, 0, len(p.procs))
	for s := range p.procs {
		slots = append(slots, s)
	}
	sort.Ints(slots)
	pids := make([]int, len(slots))
	for i, s := range slots {
		pids[i] = p.procs[s].pid
	}
	return pids
}

// Submit schedules the function called name in a worker process with args
// and returns its future at once: pp.Submit("isPrime", 97). fn may also be a
// func registered with RegisterFunc. Every argument must encode to JSON.
func (p *ProcessPool) Submit(fn any, args ...any) *Future {
	name, err := funcName(fn)
	if err != nil {
		return failedFuture(err)
	}
	raw, err := encodeArgs(name, args)
	if err != nil {
		return failedFuture(err)
	}
	return p.push(&job{name: name, raw: raw, kind: labelCall})
}

func encodeArgs(name string, args []any) ([]json.RawMessage, error) {
	raw := make([]json.RawMessage, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("futures: argument %d of %s cannot be sent to a worker process: %w", i+1, name, err)
		}
		raw[i] = b
	}
	return raw, nil
}

func (p *ProcessPool) push(j *job) *Future {
	j.f = newFuture()
	if !p.q.push(j) {
		return failedFuture(ErrShutdown)
	}
	return j.f
}

// Map runs the function called fn on every item in the worker processes and
// delivers the results in input order, like GoroutinePool.Map.
func (p *ProcessPool) Map(fn any, items ...any) <-chan Result {
	fs := make([]*Future, len(items))
	name, err := funcName(fn)
	for i, it := range items {
		if err != nil {
			fs[i] = failedFuture(err)
			continue
		}
		raw, err := encodeArgs(name, []any{it})
		if err != nil {
			fs[i] = failedFuture(err)
			continue
		}
		fs[i] = p.push(&job{name: name, raw: raw, kind: labelCall})
	}
	return inOrder(fs)
}

// Shutdown stops accepting tasks; with cancelFutures, queued tasks are
// cancelled. Running and queued tasks finish, then each worker process gets
// EOF on its standard input and exits. With wait, Shutdown returns when all
// of that is done.
func (p *ProcessPool) Shutdown(wait, cancelFutures bool) {
	p.q.close(false, cancelFutures)
	cleanup := func() {
		p.q.wg.Wait()
		p.mu.Lock()
		procs := p.procs
		p.procs = map[int]*proc{}
		p.mu.Unlock()
		var wg sync.WaitGroup
		for _, pr := range procs {
			wg.Add(1)
			go func(pr *proc) { defer wg.Done(); pr.stop() }(pr)
		}
		wg.Wait()
	}
	if wait {
		cleanup()
	} else {
		go cleanup()
	}
}

// Terminate cancels queued tasks and kills the worker processes at once
// (multiprocessing's terminate); running tasks fail with ErrTerminated. It
// returns when the processes are gone.
func (p *ProcessPool) Terminate() {
	p.mu.Lock()
	p.terminated = true
	for _, pr := range p.procs {
		_ = pr.cmd.Process.Kill()
	}
	p.mu.Unlock()
	p.Shutdown(true, true)
}

// Pending returns the number of tasks waiting for a worker.
func (p *ProcessPool) Pending() int { return p.q.pending() }

func (p *ProcessPool) run(slot int, j *job) {
	rec := p.rec.get()
	p.mu.Lock()
	pr := p.procs[slot]
	terminated := p.terminated
	p.mu.Unlock()
	if terminated {
		j.f.finish(nil, ErrTerminated)
		return
	}
	if pr == nil {
		var err error
		if pr, err = p.startProc(slot); err != nil {
			j.f.finish(nil, err)
			return
		}
		p.mu.Lock()
		if p.terminated {
			p.mu.Unlock()
			pr.stop()
			j.f.finish(nil, ErrTerminated)
			return
		}
		if have := p.procs[slot]; have != nil {
			// Start filled this slot meanwhile: use that one.
			go pr.stop()
			pr = have
		} else {
			p.procs[slot] = pr
		}
		p.mu.Unlock()
	}
	var start time.Time
	if rec != nil {
		start = time.Now()
	}
	v, crashed, err := pr.call(p.nextID.Add(1), j.name, j.raw)
	if crashed {
		p.mu.Lock()
		if p.procs[slot] == pr {
			delete(p.procs, slot)
		}
		terminated = p.terminated
		p.mu.Unlock()
		werr := pr.kill()
		if terminated {
			err = ErrTerminated
		} else {
			err = fmt.Errorf("%w: process %d (pid %d) died while running %s: %v (%v)%s",
				ErrWorkerCrashed, slot, pr.pid, j.label(), err, werr, pr.stderr.tail())
		}
	}
	if rec != nil {
		record(rec, "process "+strconv.Itoa(slot), j.label(), start, time.Now())
	}
	j.f.finish(v, err)
}

// proc is one live worker process.
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *bufio.Reader
	stderr *tailWriter
	pid    int
	once   sync.Once
	werr   error
}

func (p *ProcessPool) startProc(slot int) (*proc, error) {
	rec := p.rec.get()
	var t0 time.Time
	if rec != nil {
		t0 = time.Now()
	}
	name, args, self, src, err := workerCommand()
	if err != nil {
		return nil, err
	}
	if self && os.Getenv(workerEnv) == "1" {
		// We were started as a worker but are running the program instead
		// of serving: starting workers from here would recurse.
		return nil, errors.New("futures: this process was started as a pool worker but did not call futures.ServeWorkerIfChild")
	}
	cmd := exec.Command(name, args...)
	if self {
		cmd.Env = append(os.Environ(), workerEnv+"=1")
	}
	pr := &proc{cmd: cmd, stderr: &tailWriter{to: workerStderr()}}
	cmd.Stderr = pr.stderr
	cmd.WaitDelay = 2 * time.Second
	if pr.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	pr.out = bufio.NewReaderSize(stdout, 64<<10)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("futures: cannot start worker process %s: %w", name, err)
	}
	pr.pid = cmd.Process.Pid
	fail := func(what string, err error) (*proc, error) {
		werr := pr.kill()
		hint := ""
		if self {
			hint = " (the worker is this program: does main call futures.ServeWorkerIfChild first?)"
		}
		return nil, fmt.Errorf("futures: worker process %d (pid %d) %s: %v (%v)%s%s", slot, pr.pid, what, err, werr, hint, pr.stderr.tail())
	}
	if err := writeLine(pr.stdin, wireInit{Decls: src}); err != nil {
		// It exited early; keep what it printed for the message.
		_ = pr.cmd.Process.Kill()
		for {
			if _, rerr := pr.readMessage(); rerr != nil {
				break
			}
		}
		return fail("failed to start", err)
	}
	timer := time.AfterFunc(ReadyTimeout, func() { _ = cmd.Process.Kill() })
	line, err := pr.readMessage()
	stopped := timer.Stop()
	if err != nil {
		if !stopped {
			err = fmt.Errorf("not ready after %v", ReadyTimeout)
		}
		return fail("failed to start", err)
	}
	var ready wireReady
	if err := json.Unmarshal(line, &ready); err != nil {
		return fail("sent a bad ready message", err)
	}
	if !ready.Ready {
		pr.stop()
		return nil, fmt.Errorf("futures: worker process could not load the declarations: %s", ready.Error)
	}
	if rec != nil {
		record(rec, "process "+strconv.Itoa(slot), "start", t0, time.Now())
	}
	return pr, nil
}

func writeLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// readMessage returns the next line that is a JSON object; other lines (a
// stray print from the worker) go to standard error.
func (pr *proc) readMessage() ([]byte, error) {
	for {
		line, err := pr.out.ReadBytes('\n')
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) > 0 && trimmed[0] == '{' && json.Valid(trimmed) {
			return trimmed, nil
		}
		if len(trimmed) > 0 {
			_, _ = pr.stderr.Write(line)
		}
		if err != nil {
			return nil, err
		}
	}
}

// call runs one task; crashed reports that the process is unusable.
func (pr *proc) call(id uint64, name string, args []json.RawMessage) (value any, crashed bool, err error) {
	if args == nil {
		args = []json.RawMessage{}
	}
	if err := writeLine(pr.stdin, wireCall{ID: id, Func: name, Args: args}); err != nil {
		return nil, true, err
	}
	line, err := pr.readMessage()
	if err != nil {
		if err == io.EOF {
			err = errors.New("its output ended")
		}
		return nil, true, err
	}
	var r wireReply
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, true, fmt.Errorf("bad reply: %v", err)
	}
	if r.ID != id {
		return nil, true, fmt.Errorf("reply for task %d while waiting for task %d", r.ID, id)
	}
	switch {
	case r.Panic != "":
		return nil, false, &PanicError{Value: r.Panic, Stack: []byte(r.Stack)}
	case r.Error != "":
		return nil, false, errors.New(r.Error)
	}
	v, err := decodeJSON(r.Result)
	if err != nil {
		return nil, false, fmt.Errorf("futures: bad result from worker: %w", err)
	}
	return v, false, nil
}

// stop closes the process's stdin so it exits by itself; after a grace
// period it is killed.
func (pr *proc) stop() {
	_ = pr.stdin.Close()
	done := make(chan struct{})
	go func() { pr.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = pr.cmd.Process.Kill()
		<-done
	}
}

// kill ends the process and returns how it ended.
func (pr *proc) kill() error {
	_ = pr.stdin.Close()
	_ = pr.cmd.Process.Kill()
	return pr.wait()
}

func (pr *proc) wait() error {
	pr.once.Do(func() { pr.werr = pr.cmd.Wait() })
	return pr.werr
}

// tailWriter forwards a worker's standard error and keeps its last bytes for
// error messages.
type tailWriter struct {
	mu  sync.Mutex
	to  io.Writer
	buf []byte
}

const tailSize = 2048

func (t *tailWriter) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > tailSize {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailSize:]...)
	}
	if t.to != nil {
		_, _ = t.to.Write(b)
	}
	return len(b), nil
}

// tail returns "; stderr: ..." with the last lines written, or "".
func (t *tailWriter) tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := string(bytes.TrimSpace(t.buf))
	if s == "" {
		return ""
	}
	return "; stderr:\n" + s
}
