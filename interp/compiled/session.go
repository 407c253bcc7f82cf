package compiled

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Config configures a Session.
type Config struct {
	// Output returns the files that receive what a worker prints; it is
	// called each time a worker starts. nil means the process's os.Stdout
	// and os.Stderr. The engine returns the pipes it forwards to the
	// running cell.
	Output func() (stdout, stderr *os.File)
	// Note reports something the user should know that is not an error
	// (a restarted worker, a function that cannot be called); nil drops
	// it.
	Note func(text string)
	// Resolve, when set, gives the import path of a standard package a
	// cell uses by name without importing it ("strings" -> "strings"), or
	// "" when there is none; such packages are imported silently, as in
	// interpreted cells.
	Resolve func(name string) string
}

// ErrNoGo is returned by Define when no go command is on PATH.
var ErrNoGo = errors.New("%%compile needs the Go toolchain (the go command), and there is none on PATH: " +
	"install Go from https://go.dev/dl/ (or your package manager), make sure `go version` works in the " +
	"shell that starts Jupyter, and restart the kernel; interpreted cells work without it")

// NoGoInterpreted is the note shown when a cell marked %%compile
// --or-interpret runs interpreted because there is no Go toolchain.
const NoGoInterpreted = "note: %%compile needs the Go toolchain (the go command), and there is none on PATH, " +
	"so this cell runs interpreted (--or-interpret): it works, at the interpreter's speed; install Go from " +
	"https://go.dev/dl/ and restart the kernel to compile it\n"

// ErrInterrupted is returned by Call when Interrupt stopped the worker.
var ErrInterrupted = errors.New("interrupted")

// Session holds the compiled cells of one notebook and their worker.
type Session struct {
	cfg Config

	mu      sync.Mutex // Define and Call, one at a time
	dir     string     // build directory
	goVer   string     // "1.26"
	decls   []*decl    // every declaration, in definition order
	imports map[string]string
	sources map[int]string // cell sources by number, for quoting
	built   bool

	wmu sync.Mutex // guards w (Interrupt reads it while Call runs)
	w   *worker
	// lost is why the next call starts a new worker, told to the user then.
	lost string
}

// worker is one running worker process.
type worker struct {
	cmd         *exec.Cmd
	req         *os.File
	res         *os.File
	bw          *bufio.Writer
	enc         *gob.Encoder
	dec         *gob.Decoder
	calls       int
	busy        bool
	interrupted bool
	done        chan struct{} // closed when the process has exited
	waitErr     error
}

// New returns an empty session. Nothing is built until Define.
func New(cfg Config) *Session {
	if cfg.Output == nil {
		cfg.Output = func() (*os.File, *os.File) { return os.Stdout, os.Stderr }
	}
	return &Session{cfg: cfg, imports: map[string]string{}, sources: map[int]string{}}
}

func (s *Session) note(format string, a ...any) {
	if s.cfg.Note != nil {
		s.cfg.Note(fmt.Sprintf(format, a...))
	}
}

// BuildError is a failed build of compiled cells: the compiler's messages
// with positions in the cells (In[n]:line:col).
type BuildError struct {
	List scanner.ErrorList
	// Other holds output lines that carry no cell position.
	Other []string
}

// Error returns the messages, one per line.
func (b *BuildError) Error() string {
	var lines []string
	for _, e := range b.List {
		lines = append(lines, e.Error())
	}
	return strings.Join(append(lines, b.Other...), "\n")
}

// Definition is what Define made of a cell.
type Definition struct {
	// Source is interpreted Go for the notebook: the cell's types and
	// constants, and a stub for each of its functions.
	Source string
	// Funcs names the functions interpreted cells can call.
	Funcs []string
}

// Define adds compiled cell n, whose source src is padded so that its
// line numbers are the cell's, builds the program and starts its worker.
// A build error leaves the session as it was.
func (s *Session) Define(ctx context.Context, n int, src string) (*Definition, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return nil, ErrNoGo
	}
	pc, err := parseCell(n, src)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		if s.dir, err = os.MkdirTemp("", "golit-compiled-"); err != nil {
			return nil, err
		}
		out, err := exec.CommandContext(ctx, goCmd, "env", "GOVERSION").Output()
		if err != nil {
			return nil, fmt.Errorf("%%%%compile: running go env: %v", err)
		}
		s.goVer = goDirective(strings.TrimSpace(string(out)))
	}
	for _, d := range pc.decls {
		if len(d.names) == 1 && d.names[0] == "main" {
			return nil, scanner.ErrorList{{Pos: token.Position{Filename: cellName(n), Line: d.line, Column: d.col},
				Msg: "a compiled cell cannot declare main: the worker's main is golit's (call your functions from interpreted cells)"}}
		}
	}

	oldDecls, oldImports := s.decls, s.imports
	s.decls = replaceDecls(s.decls, pc.decls)
	s.imports = map[string]string{}
	for k, v := range oldImports {
		s.imports[k] = v
	}
	for k, v := range pc.imports {
		s.imports[k] = v
	}
	if s.cfg.Resolve != nil {
		declared := map[string]bool{}
		for _, d := range s.decls {
			for _, n := range d.names {
				declared[n] = true
			}
		}
		for _, d := range pc.decls {
			for u := range d.uses {
				if _, ok := s.imports[u]; ok || declared[u] {
					continue
				}
				if p := s.cfg.Resolve(u); p != "" {
					s.imports[u] = p
				}
			}
		}
	}
	oldSrc, hadSrc := s.sources[n]
	s.sources[n] = src
	if err := s.build(ctx, goCmd); err != nil {
		s.decls, s.imports = oldDecls, oldImports
		if hadSrc {
			s.sources[n] = oldSrc
		} else {
			delete(s.sources, n)
		}
		_ = s.writeFiles() // the sources of the last good build
		return nil, err
	}
	def := &Definition{}
	funcs := funcsOf(pc.decls, s.decls)
	for _, f := range funcs {
		if f.why != "" {
			s.note("note: %s\n", crossError(f))
			continue
		}
		def.Funcs = append(def.Funcs, f.key)
	}
	// A type this cell declares (again) is a new type in the interpreter:
	// it gets the stubs of the methods other cells declared on it.
	def.Source = stubs(pc.decls, append(funcs, methodsElsewhere(pc.decls, s.decls)...))
	return def, nil
}

// goDirective turns "go1.26.8" into "1.26".
func goDirective(v string) string {
	v = strings.TrimPrefix(v, "go")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 {
		minor := strings.TrimFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' })
		return parts[0] + "." + minor
	}
	return "1.22"
}

// replaceDecls returns old without the declarations whose names the new
// ones declare again, followed by the new ones.
func replaceDecls(old, add []*decl) []*decl {
	names := map[string]bool{}
	for _, d := range add {
		for _, n := range d.names {
			names[n] = true
		}
	}
	var out []*decl
	for _, d := range old {
		keep := true
		for _, n := range d.names {
			if names[n] {
				keep = false
			}
		}
		if keep {
			out = append(out, d)
		}
	}
	return append(out, add...)
}

// writeFiles writes the program: go.mod, a file per compiled cell and the
// dispatcher.
func (s *Session) writeFiles() error {
	old, _ := filepath.Glob(filepath.Join(s.dir, "*.go"))
	for _, f := range old {
		os.Remove(f)
	}
	files := map[string]string{
		"go.mod":        "module golitcells\n\ngo " + s.goVer + "\n",
		"golit_main.go": dispatcher(funcsOf(s.decls, s.decls), s.imports),
	}
	for name, text := range workerFiles {
		files[name] = text
	}
	byCell := map[int][]*decl{}
	for _, d := range s.decls {
		byCell[d.cell] = append(byCell[d.cell], d)
	}
	for c, ds := range byCell {
		files[fmt.Sprintf("cell_%d.go", c)] = cellFile(c, ds, s.imports)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(s.dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// errLineRE matches a compiler message with a position in a cell.
var errLineRE = regexp.MustCompile(`^(?:.*/)?(In\[(\d+)\]):(\d+)(?::(\d+))?: (.*)$`)

// build writes and builds the program and replaces the worker by one of
// the new build.
func (s *Session) build(ctx context.Context, goCmd string) error {
	if err := s.writeFiles(); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, goCmd, "build", "-o", "worker.next", ".")
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		be := &BuildError{}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" {
				continue
			}
			if m := errLineRE.FindStringSubmatch(l); m != nil {
				line, _ := strconv.Atoi(m[3])
				col, _ := strconv.Atoi(m[4])
				be.List = append(be.List, &scanner.Error{Pos: token.Position{Filename: m[1], Line: line, Column: col}, Msg: m[5]})
				continue
			}
			be.Other = append(be.Other, l)
		}
		if strings.Contains(string(out), "golit_main.go") {
			be.Other = append(be.Other, "(golit_main.go is golit's generated dispatcher: an error there is a bug in golit's %%compile; please report it with the cell)")
		}
		if len(be.List) == 0 && len(be.Other) == 0 {
			be.Other = []string{err.Error()}
		}
		return be
	}
	if err := os.Rename(filepath.Join(s.dir, "worker.next"), filepath.Join(s.dir, "worker")); err != nil {
		return err
	}
	s.built = true
	s.wmu.Lock()
	old := s.w
	s.w = nil
	s.wmu.Unlock()
	if old != nil {
		if old.calls > 0 {
			s.note("note: compiled cells were rebuilt: their package-level variables start again from their initial values\n")
		}
		old.stop()
	}
	s.lost = ""
	_, err = s.startWorker()
	return err
}

// startWorker starts the built program. The caller holds s.mu.
func (s *Session) startWorker() (*worker, error) {
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	resR, resW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, err
	}
	cmd := exec.Command(filepath.Join(s.dir, "worker"))
	cmd.Dir, _ = os.Getwd()
	cmd.Stdout, cmd.Stderr = s.cfg.Output()
	cmd.ExtraFiles = []*os.File{reqR, resW}
	detach(cmd)
	err = start(cmd)
	reqR.Close()
	resW.Close()
	if err != nil {
		reqW.Close()
		resR.Close()
		return nil, fmt.Errorf("%%%%compile: starting the worker: %w", err)
	}
	// Replies are read on the calling goroutine with direct reads that
	// poll for a few microseconds and then block (spin_unix.go), not
	// through the runtime's poller, which would add a hop on every call.
	w := &worker{cmd: cmd, req: reqW, res: resR, done: make(chan struct{})}
	w.bw = bufio.NewWriter(newRawWriter(reqW))
	w.enc = gob.NewEncoder(w.bw)
	w.dec = gob.NewDecoder(bufio.NewReader(newSpinReader(resR)))
	go func() {
		w.waitErr = cmd.Wait()
		close(w.done)
	}()
	s.wmu.Lock()
	s.w = w
	s.wmu.Unlock()
	return w, nil
}

// stop ends the worker process and waits for it.
func (w *worker) stop() {
	w.req.Close()
	_ = w.cmd.Process.Kill()
	<-w.done
	w.res.Close()
}

// Call runs compiled function name with args and stores its results
// through the pointers in results (an error result is two pointers: its
// message and whether it is set). A panic in the function, a worker that
// exited, or a value gob cannot copy is an error; after Interrupt it is
// ErrInterrupted.
func (s *Session) Call(name string, args, results []any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wmu.Lock()
	w := s.w
	s.wmu.Unlock()
	if w == nil {
		if !s.built {
			return fmt.Errorf("compiled function %s: no compiled cell is built", name)
		}
		var err error
		if w, err = s.startWorker(); err != nil {
			return err
		}
		if s.lost != "" {
			s.note("note: the compiled cells' worker was restarted (%s): package-level variables of compiled cells start again from their initial values\n", s.lost)
			s.lost = ""
		}
	}
	s.wmu.Lock()
	w.busy = true
	w.calls++
	s.wmu.Unlock()
	defer func() {
		s.wmu.Lock()
		w.busy = false
		s.wmu.Unlock()
	}()
	if err := w.enc.Encode(name); err != nil {
		return s.broken(w, name, err)
	}
	for i, a := range args {
		if err := w.enc.Encode(a); err != nil {
			return s.broken(w, name, fmt.Errorf("argument %d (%T) cannot be copied: %v", i+1, a, err))
		}
	}
	if err := w.bw.Flush(); err != nil {
		return s.broken(w, name, err)
	}
	var status string
	if err := w.dec.Decode(&status); err != nil {
		return s.broken(w, name, err)
	}
	if status != "" {
		return s.panicError(name, status)
	}
	for i, r := range results {
		if err := w.dec.Decode(r); err != nil {
			return s.broken(w, name, fmt.Errorf("result %d cannot be copied: %v", i+1, err))
		}
	}
	return nil
}

// broken handles a failed exchange with worker w: the worker is stopped
// and the next call starts a new one.
func (s *Session) broken(w *worker, name string, err error) error {
	s.wmu.Lock()
	interrupted := w.interrupted
	if s.w == w {
		s.w = nil
	}
	s.wmu.Unlock()
	exited := false
	select {
	case <-w.done:
		exited = true
	default:
	}
	if !exited && errors.Is(err, io.EOF) {
		// The process closed its end: wait for it to be gone.
		<-w.done
		exited = true
	}
	w.stop()
	if interrupted {
		s.lost = "it was stopped by an interrupt"
		return ErrInterrupted
	}
	if exited && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
		s.lost = "it exited"
		return fmt.Errorf("the compiled worker exited (%v) while running %s: see its output above (a panic in a goroutine, os.Exit, or a fatal error such as a stack overflow end it); the next call starts a new worker, and package-level variables of compiled cells start again from their initial values", w.waitErr, name)
	}
	s.lost = "a value could not be exchanged"
	return fmt.Errorf("calling compiled function %s: %v", name, err)
}

// PanicError is a panic of a compiled function.
type PanicError struct {
	Value  string   // the panic value, printed
	Frames []string // "In[n]:line:col: function" with the line quoted
}

// Error is the value and the compiled stack.
func (p *PanicError) Error() string {
	if len(p.Frames) == 0 {
		return p.Value
	}
	return p.Value + "\n\ncompiled stack, innermost first:\n" + strings.Join(p.Frames, "\n")
}

// framePosRE matches a compiled frame's position from the worker.
var framePosRE = regexp.MustCompile(`^In\[(\d+)\]:(\d+)$`)

// panicError builds a PanicError from the worker's status.
func (s *Session) panicError(name, status string) error {
	val, frames, _ := strings.Cut(status, "\x00")
	pe := &PanicError{Value: val}
	repeats := 0
	for _, l := range strings.Split(strings.TrimSpace(frames), "\n") {
		pos, fn, ok := strings.Cut(l, "\t")
		if !ok {
			continue
		}
		m := framePosRE.FindStringSubmatch(pos)
		if m == nil {
			continue
		}
		cell, _ := strconv.Atoi(m[1])
		line, _ := strconv.Atoi(m[2])
		text := ""
		if src, ok := s.sources[cell]; ok {
			lines := strings.Split(src, "\n")
			if line >= 1 && line <= len(lines) {
				text = lines[line-1]
			}
		}
		col := 1 + len(text) - len(strings.TrimLeft(text, " \t"))
		if i := strings.Index(text, "panic("); i >= 0 {
			col = i + 1
		}
		fr := fmt.Sprintf("  In[%d]:%d:%d: %s", cell, line, col, fn)
		if text != "" {
			fr += fmt.Sprintf("\n   %d | %s", line, strings.ReplaceAll(text, "\t", "    "))
		}
		if n := len(pe.Frames); n > 0 && strings.HasPrefix(pe.Frames[n-1], fr) {
			repeats++
			continue
		}
		if repeats > 0 {
			pe.Frames[len(pe.Frames)-1] += fmt.Sprintf("\n  (called %d more times)", repeats)
			repeats = 0
		}
		pe.Frames = append(pe.Frames, fr)
	}
	if repeats > 0 {
		pe.Frames[len(pe.Frames)-1] += fmt.Sprintf("\n  (called %d more times)", repeats)
	}
	if val == "no compiled function "+name {
		return fmt.Errorf("%s is not a compiled function of the current build", name)
	}
	return pe
}

// Interrupt stops a running call by killing the worker: the call returns
// ErrInterrupted and the next call starts a new worker. It reports whether
// a call was running.
func (s *Session) Interrupt() bool {
	s.wmu.Lock()
	w := s.w
	busy := w != nil && w.busy
	if busy {
		w.interrupted = true
	}
	s.wmu.Unlock()
	if busy {
		_ = w.cmd.Process.Kill()
	}
	return busy
}

// Close stops the worker and removes the build directory.
func (s *Session) Close() {
	s.wmu.Lock()
	w := s.w
	s.w = nil
	s.wmu.Unlock()
	if w != nil {
		w.stop()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir != "" {
		os.RemoveAll(s.dir)
		s.dir = ""
	}
}
