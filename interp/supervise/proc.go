package supervise

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golit/golit/kernel"
)

// proc is one engine child process as the supervisor sees it.
type proc struct {
	e       *Engine
	cmd     *exec.Cmd
	pid     int
	started time.Time

	sendMu    sync.Mutex
	toChild   *os.File
	fromChild *os.File
	w         *bufio.Writer

	ready     chan struct{} // closed when the child said ready, or died
	readyOnce sync.Once
	readyErr  string // set before ready is closed
	readyAt   time.Time
	wasReady  atomic.Bool

	restoreOnce sync.Once
	restoreDecl string      // declarations to restore before the first request
	restored    atomic.Bool // the restore (if any) is done: requests may go

	pmu        sync.Mutex
	pending    map[uint64]chan *message
	killReason string

	executing  atomic.Bool
	memWake    chan struct{} // wakes the memory watchdog when a cell starts
	memFast    atomic.Bool   // the watchdog polls at the fast pace: no wake needed
	readerDone chan struct{}
	stderr     *stderrWatcher
	done       chan struct{} // closed when the process is gone and c is set
	crash      crash
	exitedAt   time.Time
	exited     atomic.Bool // set as soon as Wait returns
}

// errStart is reported when the child could not be started at all.
type errStart struct{ err error }

func (e errStart) Error() string { return "could not start the Go engine: " + e.err.Error() }

// spawn starts a child. It never fails: a child that cannot start is
// returned already dead, with the reason as its crash.
func (e *Engine) spawn() *proc {
	p := &proc{
		e:          e,
		started:    time.Now(),
		ready:      make(chan struct{}),
		pending:    map[uint64]chan *message{},
		readerDone: make(chan struct{}),
		done:       make(chan struct{}),
		memWake:    make(chan struct{}, 1),
	}
	p.stderr = newStderrWatcher(func(s string) { e.output(func(o kernel.IO) { o.Stream("stderr", s) }) })
	p.stderr.onFatal = p.endDump

	var files []*os.File // every pipe end, for cleanup on failure
	pipe := func() (r, w *os.File, err error) {
		r, w, err = os.Pipe()
		if err == nil {
			files = append(files, r, w)
		}
		return
	}
	fail := func(err error) *proc {
		for _, f := range files {
			f.Close()
		}
		p.crash = crash{reason: errStart{err}.Error()}
		p.readyErr = p.crash.reason
		close(p.ready)
		close(p.readerDone)
		close(p.stderr.eof)
		close(p.done)
		return p
	}
	reqR, reqW, err := pipe()
	if err != nil {
		return fail(err)
	}
	repR, repW, err := pipe()
	if err != nil {
		return fail(err)
	}
	errR, errW, err := pipe()
	if err != nil {
		return fail(err)
	}
	outR, outW, err := pipe()
	if err != nil {
		return fail(err)
	}

	cmd := exec.Command(e.opts.Command[0], e.opts.Command[1:]...)
	cmd.Env = append(os.Environ(), e.opts.Env...)
	cmd.Env = append(cmd.Env,
		envMemoryLimit+"="+strconv.FormatInt(max(e.opts.MemoryLimit, 0), 10),
		envMaxStack+"="+strconv.FormatInt(max(e.opts.MaxStack, 0), 10),
	)
	cmd.Stdout = outW
	cmd.Stderr = errW
	cmd.ExtraFiles = []*os.File{reqR, repW}
	prepareChild(cmd)
	if err := startChild(cmd); err != nil {
		return fail(err)
	}
	reqR.Close()
	repW.Close()
	errW.Close()
	outW.Close()

	p.cmd = cmd
	p.pid = cmd.Process.Pid
	p.toChild = reqW
	p.fromChild = repR
	p.w = bufio.NewWriterSize(reqW, 16<<10)
	go p.readLoop(repR)
	go p.stderr.run(errR)
	go p.forwardStdout(outR)
	go p.wait()
	if e.opts.MemoryLimit > 0 {
		go p.watchMemory(e.opts.MemoryLimit)
	}
	return p
}

// send writes one request to the child.
func (p *proc) send(m *message) error {
	b, err := encode(m)
	if err != nil {
		return err
	}
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	if p.w == nil {
		return errors.New("engine process is not running")
	}
	if _, err := p.w.Write(b); err != nil {
		return err
	}
	return p.w.Flush()
}

// register returns the channel the reply with id will arrive on.
func (p *proc) register(id uint64) chan *message {
	ch := make(chan *message, 1)
	p.pmu.Lock()
	p.pending[id] = ch
	p.pmu.Unlock()
	return ch
}

func (p *proc) unregister(id uint64) {
	p.pmu.Lock()
	delete(p.pending, id)
	p.pmu.Unlock()
}

func (p *proc) isDone() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *proc) markReady(errText string) {
	p.readyOnce.Do(func() {
		p.readyErr = errText
		p.readyAt = time.Now()
		if errText == "" {
			p.wasReady.Store(true)
		}
		close(p.ready)
	})
}

// kill ends the child with SIGKILL; reason becomes the reported cause.
func (p *proc) kill(reason string) {
	p.pmu.Lock()
	if p.killReason == "" {
		p.killReason = reason
	}
	p.pmu.Unlock()
	if p.cmd != nil {
		_ = p.cmd.Process.Kill()
	}
}

// endDump gives a child that wrote "fatal error: " dumpGrace to finish its
// report, then kills it if it is still writing: with thousands of
// goroutines the Go runtime writes for seconds, and the cell's answer must
// not wait for that. A child that has gone quiet is left alone (the
// runtime exits right after its report; a false alarm is released).
func (p *proc) endDump() {
	select {
	case <-p.done:
		return
	case <-time.After(dumpGrace):
	}
	if p.cmd == nil || p.exited.Load() || !p.stderr.stillWriting(100*time.Millisecond) {
		return
	}
	p.stderr.markCut()
	_ = p.cmd.Process.Kill() // harmless if it has just exited: os.Process knows

}

func (p *proc) readLoop(r *os.File) {
	defer close(p.readerDone)
	defer r.Close()
	cr := &countingReader{r: r}
	var src io.Reader = bufio.NewReaderSize(cr, 64<<10)
	dec := json.NewDecoder(src)
	dec.UseNumber() // as newDecoder
	for {
		m := new(message)
		if err := dec.Decode(m); err != nil {
			return
		}
		if cr.n > freshDecoderAfter {
			// A json.Decoder keeps a buffer as large as the largest
			// message it decoded: after a cell's 100 MB of output the
			// kernel process would hold 100 MB for good. Go on with a
			// fresh decoder that reads what this one buffered first.
			src = io.MultiReader(dec.Buffered(), src)
			dec = json.NewDecoder(src)
			dec.UseNumber()
			cr.n = 0
		}
		switch m.Op {
		case opReady:
			p.markReady(m.Err)
		case opReply:
			p.pmu.Lock()
			ch := p.pending[m.ID]
			delete(p.pending, m.ID)
			p.pmu.Unlock()
			if ch != nil {
				ch <- m
			}
		case opStream:
			p.e.output(func(o kernel.IO) { o.Stream(m.Name, m.Text) })
		case opDisplay:
			p.e.output(func(o kernel.IO) { o.Display(m.Data, m.Meta, m.DisplayID) })
		case opUpdate:
			p.e.output(func(o kernel.IO) { o.Update(m.Data, m.Meta, m.DisplayID) })
		case opClear:
			p.e.output(func(o kernel.IO) { o.ClearOutput(m.Wait) })
		case opInput:
			go p.e.input(p, m)
		case opDecls:
			p.e.updateDecls(m)
		}
	}
}

// forwardStdout sends whatever reaches the child's raw fd 1 (compiled code
// writing to the file descriptor directly) to the stdout stream.
func (p *proc) forwardStdout(r io.ReadCloser) {
	defer r.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			s := string(buf[:n])
			p.e.output(func(o kernel.IO) { o.Stream("stdout", s) })
		}
		if err != nil {
			return
		}
	}
}

// wait collects the child's end: exit status, the rest of its fd 2, and the
// supervisor's own reason if it killed it.
func (p *proc) wait() {
	_ = p.cmd.Wait()
	p.exited.Store(true)
	p.exitedAt = time.Now()
	// Nothing the cells started outlives their engine (crash, restart or
	// shutdown).
	killSession(p.pid)
	p.sendMu.Lock()
	p.toChild.Close()
	p.w = nil
	p.sendMu.Unlock()
	select {
	case <-p.readerDone:
	case <-time.After(200 * time.Millisecond):
		// A process the child started still holds fd 4; the child is
		// gone, so stop reading.
		p.fromChild.Close()
		<-p.readerDone
	}
	text, dump := p.stderr.report(200 * time.Millisecond)
	p.pmu.Lock()
	reason := p.killReason
	p.pmu.Unlock()
	p.crash = crash{reason: reason, text: text, state: p.cmd.ProcessState, dump: dump}
	p.e.keepDump(p.crash)
	if !p.wasReady.Load() {
		p.markReady("the Go engine exited before it was ready: " + p.crash.cause())
	}
	restarted := p.e.replace(p)
	close(p.done)
	if restarted {
		p.e.restarted(p)
	}
}

// watchMemory kills the child when its resident memory passes limit. The
// child's soft limit (debug.SetMemoryLimit at 90%) makes the GC work hard
// first, so only memory that is really live reaches the hard limit.
//
// It reads the child's RSS every memoryPoll while a cell runs or the RSS
// is growing, and every memoryPollIdle otherwise: an idle kernel then
// costs no measurable CPU (reading /proc 20 times a second did, about
// 0.7% of a core), and Execute switches it to the fast pace when a cell
// starts.
func (p *proc) watchMemory(limit int64) {
	t := time.NewTimer(memoryPoll)
	defer t.Stop()
	due := time.Now().Add(memoryPoll)
	p.memFast.Store(true)
	var last int64
	for {
		select {
		case <-p.done:
			return
		case <-p.memWake:
			// A cell started: poll at the fast pace from now on. No
			// read here, so that the cell's start pays nothing; and a
			// read already due sooner is not postponed (cells started
			// back to back must not keep the watchdog from reading).
			if time.Until(due) > memoryPoll && t.Stop() {
				t.Reset(memoryPoll)
				due = time.Now().Add(memoryPoll)
			}
			p.memFast.Store(true)
			continue
		case <-t.C:
		}
		n, ok := rss(p.pid)
		if !ok {
			// Gone, or no /proc on this system: nothing to watch.
			return
		}
		if n > limit {
			p.kill(fmt.Sprintf("out of memory: the engine used %s, more than its limit of %s (set %s to change it)",
				formatSize(n), formatSize(limit), envMemoryLimit))
			return
		}
		next := memoryPollIdle
		if p.executing.Load() || n > last+memoryGrowth {
			next = memoryPoll
		}
		last = n
		p.memFast.Store(next == memoryPoll)
		t.Reset(next)
		due = time.Now().Add(next)
	}
}

// wakeMemoryWatch makes the watchdog poll at the fast pace (a cell is
// starting). When it already does, its next read is at most memoryPoll
// away: cells run back to back then skip waking it, which would cost each
// one a goroutine hand-off on the way to the engine.
func (p *proc) wakeMemoryWatch() {
	if p.memFast.Load() {
		return
	}
	select {
	case p.memWake <- struct{}{}:
	default:
	}
}

const (
	// memoryPoll is how often the memory watchdog reads the child's RSS
	// while a cell runs or memory grows.
	memoryPoll = 50 * time.Millisecond
	// memoryPollIdle is how often it reads it while the child is idle.
	memoryPollIdle = time.Second
	// memoryGrowth is the growth between two reads that counts as
	// "growing" and keeps the fast pace (goroutines of earlier cells may
	// allocate while no cell runs).
	memoryGrowth = 1 << 20
)

// freshDecoderAfter is how many bytes from the child one decoder reads
// before readLoop starts a fresh one (see there).
const freshDecoderAfter = 8 << 20

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
