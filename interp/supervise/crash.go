package supervise

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// crashMarkers start the lines the Go runtime writes to fd 2 when a process
// dies: "fatal error: concurrent map writes", "runtime: goroutine stack
// exceeds 268435456-byte limit", "panic: boom", "SIGSEGV: segmentation
// violation", "unexpected signal during runtime execution".
var crashMarkers = []string{
	"fatal error: ",
	"panic: ",
	"runtime: ",
	"unexpected signal",
	"SIGSEGV",
	"SIGBUS",
	"SIGILL",
	"SIGFPE",
	"SIGABRT",
	"fatal: ",
}

const (
	// maxCrashText bounds how much of a crash report is kept (the
	// crashing goroutine comes first; the rest is rarely useful).
	maxCrashText = 64 << 10
	// falseAlarm is how long a process that printed a crash marker may
	// live, with no more text after it, before the held text is treated
	// as ordinary stderr output.
	falseAlarm = time.Second
	// dumpGrace is how long a child that wrote "fatal error: " may go on
	// writing its goroutine dump before the supervisor kills it: a dump of
	// many goroutines takes seconds (20,000 sleeping interpreted
	// goroutines: 156 MB), and the cell must get its answer before that.
	dumpGrace = 300 * time.Millisecond
	// maxDumpFile bounds the crash report kept on disk.
	maxDumpFile = 64 << 20
)

// stderrWatcher reads the child's raw fd 2. Text that does not look like the
// start of a crash report is forwarded at once (stray low-level output);
// from the first crash marker on, text is held as the crash report. If the
// process lives on after a marker, the held text is forwarded after all.
//
// The whole report, which lists every goroutine for a runtime error such as
// a stack overflow, goes to a file (see dump); only its first
// maxCrashText bytes are kept in memory for the cell. Once the report has
// a "fatal error: " line, onFatal is called once: the supervisor then gives
// the runtime dumpGrace to finish its report and kills the process if it
// is still writing (stillWriting).
type stderrWatcher struct {
	forward func(string)
	onFatal func()

	mu       sync.Mutex
	partial  string
	inCrash  bool
	crash    strings.Builder
	gen      int
	lastText time.Time // when crash text last arrived
	fatal    bool      // the held text has a "fatal error: " line
	dump     crashDump
	dumpDir  string // where dump files go; "" is os.TempDir()
	eof      chan struct{}
	// falseAlarm is the watcher's copy of the constant, so that a test
	// can hold a crash for as long as it needs.
	falseAlarm time.Duration
}

// crashDump is the file holding a crash report in full.
type crashDump struct {
	f          *os.File
	path       string
	size       int64
	goroutines int  // "goroutine N [...]:" headers seen
	atLineEnd  bool // the last byte written ended a line
	capped     bool // more than maxDumpFile: the rest was not written
	cut        bool // the supervisor stopped the process before it finished
	err        error
}

func newStderrWatcher(forward func(string)) *stderrWatcher {
	return &stderrWatcher{forward: forward, eof: make(chan struct{}), falseAlarm: falseAlarm}
}

func (w *stderrWatcher) run(r io.ReadCloser) {
	defer close(w.eof)
	defer r.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			w.feed(string(buf[:n]))
		}
		if err != nil {
			w.mu.Lock()
			rest := w.partial
			w.partial = ""
			if w.inCrash {
				w.appendCrash(rest)
				rest = ""
			}
			w.mu.Unlock()
			if rest != "" {
				w.forward(rest)
			}
			return
		}
	}
}

func (w *stderrWatcher) feed(s string) {
	var out strings.Builder
	w.mu.Lock()
	s = w.partial + s
	w.partial = ""
	for s != "" {
		if w.inCrash {
			w.appendCrash(s)
			break
		}
		line, rest, complete := strings.Cut(s, "\n")
		if !complete {
			if mayBeMarker(line) {
				w.partial = line
			} else {
				out.WriteString(line)
			}
			break
		}
		if isMarker(line) {
			w.inCrash = true
			w.gen++
			w.lastText = time.Now()
			w.dump = crashDump{atLineEnd: true}
			gen := w.gen
			time.AfterFunc(w.falseAlarm, func() { w.release(gen) })
			continue
		}
		out.WriteString(line + "\n")
		s = rest
	}
	w.mu.Unlock()
	if out.Len() > 0 {
		w.forward(out.String())
	}
}

// appendCrash holds s as crash text. The caller holds w.mu.
func (w *stderrWatcher) appendCrash(s string) {
	w.lastText = time.Now()
	w.writeDump(s)
	if room := maxCrashText - w.crash.Len(); room > 0 {
		keep := s
		if len(keep) > room {
			keep = keep[:room]
		}
		w.crash.WriteString(keep)
		if !w.fatal {
			held := w.crash.String()
			if strings.HasPrefix(held, "fatal error: ") || strings.Contains(held, "\nfatal error: ") {
				w.fatal = true
				if w.onFatal != nil {
					go w.onFatal()
				}
			}
		}
	}
}

// writeDump appends s to the dump file, made at the first crash text.
// The caller holds w.mu.
func (w *stderrWatcher) writeDump(s string) {
	d := &w.dump
	// Count goroutine headers at line starts, across chunk boundaries.
	if d.atLineEnd && strings.HasPrefix(s, "goroutine ") {
		d.goroutines++
	}
	d.goroutines += strings.Count(s, "\ngoroutine ")
	d.atLineEnd = strings.HasSuffix(s, "\n")
	if d.err != nil || d.capped {
		return
	}
	if d.f == nil {
		d.f, d.err = os.CreateTemp(w.dumpDir, "golit-crash-*.txt")
		if d.err != nil {
			return
		}
		d.path = d.f.Name()
	}
	if room := maxDumpFile - d.size; int64(len(s)) > room {
		s = s[:room]
		d.capped = true
	}
	n, err := d.f.WriteString(s)
	d.size += int64(n)
	if err != nil {
		d.err = err
	}
}

// closeDump closes the dump file; discard removes it (a false alarm).
// The caller holds w.mu.
func (w *stderrWatcher) closeDump(discard bool) {
	d := &w.dump
	if d.f == nil {
		return
	}
	d.f.Close()
	d.f = nil
	if discard {
		os.Remove(d.path)
		w.dump = crashDump{}
	}
}

// stillWriting reports whether crash text arrived within the last d.
func (w *stderrWatcher) stillWriting(d time.Duration) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.inCrash && time.Since(w.lastText) < d
}

// markCut records that the supervisor stopped the process before its
// report was complete.
func (w *stderrWatcher) markCut() {
	w.mu.Lock()
	w.dump.cut = true
	w.mu.Unlock()
}

// release forwards held text if the process survived its "crash" marker
// by falseAlarm without writing more of it (a dying runtime writes its
// report without pause, however long, and then exits).
func (w *stderrWatcher) release(gen int) {
	select {
	case <-w.eof:
		return
	default:
	}
	w.mu.Lock()
	if !w.inCrash || w.gen != gen {
		w.mu.Unlock()
		return
	}
	if quiet := time.Since(w.lastText); quiet < w.falseAlarm {
		// Still writing: wait for the report to end.
		w.mu.Unlock()
		time.AfterFunc(w.falseAlarm-quiet, func() { w.release(gen) })
		return
	}
	text := w.crash.String()
	w.crash.Reset()
	w.inCrash = false
	w.closeDump(true)
	w.mu.Unlock()
	if text != "" {
		w.forward(text)
	}
}

// report returns the held crash text and its dump, waiting up to wait for
// fd 2 to reach end of file (a process the child started may still hold
// it open).
func (w *stderrWatcher) report(wait time.Duration) (string, crashDump) {
	select {
	case <-w.eof:
	case <-time.After(wait):
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closeDump(false)
	return w.crash.String(), w.dump
}

func isMarker(line string) bool {
	for _, m := range crashMarkers {
		if strings.HasPrefix(line, m) {
			return true
		}
	}
	return false
}

// mayBeMarker reports whether an unfinished line could still become a marker.
func mayBeMarker(line string) bool {
	for _, m := range crashMarkers {
		if strings.HasPrefix(line, m) || strings.HasPrefix(m, line) {
			return true
		}
	}
	return false
}

// A crash is what the supervisor knows about a dead child.
type crash struct {
	// reason is set when the supervisor killed the child itself (memory
	// limit, an interrupt that did not stop the cell).
	reason string
	// text is what the Go runtime wrote on fd 2 from the first marker on.
	text string
	// state is the child's exit status.
	state *os.ProcessState
	// dump is where the whole report is.
	dump crashDump
}

var stackLimitRE = regexp.MustCompile(`goroutine stack exceeds (\d+)-byte limit`)

// cause is the one-line description of a crash, e.g. "fatal error:
// concurrent map writes" or "stack overflow: a goroutine's stack grew past
// 256 MiB (infinite recursion?)".
func (c crash) cause() string {
	if c.reason != "" {
		return c.reason
	}
	lines := strings.Split(c.text, "\n")
	for i, line := range lines {
		switch {
		case strings.HasPrefix(line, "fatal error: "):
			what := strings.TrimPrefix(line, "fatal error: ")
			switch {
			case what == "stack overflow":
				if m := stackLimitRE.FindStringSubmatch(c.text); m != nil {
					n, _ := strconv.ParseInt(m[1], 10, 64)
					return fmt.Sprintf("stack overflow: a goroutine's stack grew past %s (infinite recursion?)", formatSize(n))
				}
				return "stack overflow (infinite recursion?)"
			case strings.Contains(what, "out of memory"):
				return "out of memory: the Go runtime could not get more memory from the system"
			case strings.Contains(what, "all goroutines are asleep"):
				return "fatal error: all goroutines are asleep - deadlock!"
			}
			return line
		case strings.HasPrefix(line, "panic: "):
			// A panic nothing recovered: say where it came from when
			// the runtime said so (goroutine N [running]).
			msg := line
			for _, next := range lines[i+1:] {
				if next == "" || strings.HasPrefix(next, "goroutine ") || strings.HasPrefix(next, "[") {
					break
				}
				msg += " " + strings.TrimSpace(next)
				if len(msg) > 500 {
					break
				}
			}
			return msg + " (in a goroutine nothing recovered)"
		case strings.HasPrefix(line, "unexpected signal") || strings.HasPrefix(line, "SIG"):
			return "fatal signal: " + line
		}
	}
	if c.state != nil {
		if ws, ok := c.state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			sig := ws.Signal()
			if sig == syscall.SIGKILL {
				return "the engine process was killed (SIGKILL), perhaps by the system's out-of-memory killer"
			}
			return fmt.Sprintf("the engine process was killed by signal %v", sig)
		}
		if code := c.state.ExitCode(); code >= 0 {
			return fmt.Sprintf("the engine process exited with status %d (os.Exit or syscall.Exit in a cell?)", code)
		}
	}
	if first, _, _ := strings.Cut(strings.TrimSpace(c.text), "\n"); first != "" {
		return first
	}
	return "the engine process ended unexpectedly"
}

// dumpNote names the file that holds the whole crash report, when the cell
// shows only part of it, e.g. "The Go runtime's full report (1,001
// goroutines, 5.9 MB) is in /tmp/golit-crash-123.txt."
func (c crash) dumpNote() string {
	d := c.dump
	if d.path == "" || (d.size <= int64(len(c.text)) && d.goroutines <= 1 && !d.cut) {
		return ""
	}
	what := formatSize(d.size)
	if d.goroutines > 0 {
		what = fmt.Sprintf("%d goroutines, %s", d.goroutines, what)
	}
	note := fmt.Sprintf("The Go runtime's full report (%s) is in %s", what, d.path)
	switch {
	case d.capped:
		note += fmt.Sprintf(" (only its first %s)", formatSize(maxDumpFile))
	case d.cut:
		note += fmt.Sprintf(" (cut: the engine was stopped %v after its fatal error)", dumpGrace)
	}
	return note + "."
}

// maxTraceLines bounds the goroutine trace shown in the cell.
const maxTraceLines = 30

var (
	// frameNoise is the part of a frame line that only a debugger needs:
	// argument words, "+0x1f" offsets, fp/sp/pc values.
	frameNoise     = regexp.MustCompile(`( \+0x[0-9a-f]+)?( fp=0x[0-9a-f]+ sp=0x[0-9a-f]+ pc=0x[0-9a-f]+)?$`)
	goroutineNoise = regexp.MustCompile(`^goroutine (\d+) .*?(\[.*\]:)$`)
)

// trace returns the crashing goroutine's frames from the runtime's report,
// shortened for a notebook: no runtime stack, no debugger details (argument
// words, offsets, fp/sp/pc), runs of interpreter frames (yaegi, reflect)
// folded into one line, and repeating cycles of frames (infinite
// recursion) folded into a count.
func (c crash) trace() []string {
	lines := strings.Split(strings.TrimRight(c.text, "\n"), "\n")
	var header string
	var frames []frame
	var tail []string // non-frame lines after the frames ("...N frames elided...")
	in := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(line, "goroutine ") {
			if in {
				break // only the first (crashing) goroutine
			}
			in = true
			header = goroutineNoise.ReplaceAllString(line, "goroutine $1 $2")
			continue
		}
		if !in || line == "" {
			continue
		}
		if strings.HasPrefix(line, "runtime.goexit(") {
			i++ // every goroutine ends there; it says nothing
			continue
		}
		if !strings.HasPrefix(line, "\t") && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
			frames = append(frames, frame{fn: cleanFunc(frameNoise.ReplaceAllString(line, "")), file: frameNoise.ReplaceAllString(lines[i+1], "")})
			i++
			continue
		}
		if strings.HasPrefix(line, "...") {
			continue // the runtime's own "...N frames elided..."
		}
		tail = append(tail, line)
	}
	if header == "" {
		return nil
	}
	out := []string{header}
	for _, f := range foldFrames(frames) {
		if f.file == "" {
			out = append(out, f.fn)
		} else {
			out = append(out, f.fn, f.file)
		}
	}
	out = append(out, tail...)
	if len(out) > maxTraceLines {
		rest := len(out) - maxTraceLines
		out = append(out[:maxTraceLines], fmt.Sprintf("... (%d more lines)", rest))
	}
	return out
}

// A frame is one call in a goroutine trace: the function line and the
// tab-indented file:line line. A frame with no file is a note.
type frame struct{ fn, file string }

// cleanFunc replaces the argument words of a function line with "...":
// they are addresses, not values a user could read.
func cleanFunc(s string) string {
	if !strings.HasSuffix(s, ")") || strings.HasPrefix(s, "created by ") {
		return s
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return s[:i] + "(...)"
			}
		}
	}
	return s
}

// isInterpreter tells frames of the interpreter's machinery, which say
// nothing about the user's code.
func isInterpreter(f frame) bool {
	return strings.HasPrefix(f.fn, "github.com/traefik/yaegi/") || strings.HasPrefix(f.fn, "reflect.")
}

// foldFrames folds runs of interpreter frames and repeating cycles of up to
// four frames.
func foldFrames(fs []frame) []frame {
	var out []frame
	for i := 0; i < len(fs); {
		if isInterpreter(fs[i]) {
			j := i
			for j < len(fs) && isInterpreter(fs[j]) {
				j++
			}
			out = append(out, frame{fn: fmt.Sprintf("\t... %d interpreter frames (yaegi, reflect)", j-i)})
			i = j
			continue
		}
		folded := false
		for p := 1; p <= 4 && i+2*p <= len(fs); p++ {
			if !sameFrames(fs[i:i+p], fs[i+p:i+2*p]) {
				continue
			}
			n := 1
			for i+(n+1)*p <= len(fs) && sameFrames(fs[i:i+p], fs[i+n*p:i+(n+1)*p]) {
				n++
			}
			out = append(out, fs[i:i+p]...)
			out = append(out, frame{fn: fmt.Sprintf("\t... the %d frame(s) above repeat %d more times", p, n-1)})
			i += n * p
			folded = true
			break
		}
		if !folded {
			out = append(out, fs[i])
			i++
		}
	}
	return out
}

func sameFrames(a, b []frame) bool {
	for i := range a {
		if !sameFunc(a[i].fn, b[i].fn) || a[i].file != b[i].file {
			return false
		}
	}
	return true
}

// sameFunc compares two frame function lines, ignoring argument words.
func sameFunc(a, b string) bool {
	cut := func(s string) string {
		if i := strings.LastIndex(s, "("); i > 0 {
			return s[:i]
		}
		return s
	}
	return cut(a) == cut(b)
}
