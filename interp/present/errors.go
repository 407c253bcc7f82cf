package present

import (
	"errors"
	"fmt"
	"go/scanner"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/golit/golit/kernel"
	yaegi "github.com/traefik/yaegi/interp"
)

// Error names (ename) the engine reports.
const (
	// ENameCompile is the ename of code that does not parse or compile.
	ENameCompile = "CompileError"
	// ENamePanic is the ename of a panic with a value that is not a runtime error.
	ENamePanic = "panic"
	// ENameRuntime is the ename of a runtime error (index out of range,
	// nil dereference, division by zero, ...).
	ENameRuntime = "runtime error"
	// ENameInterrupted is the ename of a cell stopped by an interrupt.
	ENameInterrupted = "Interrupted"
	// ENameExit is the ename of a cell that called os.Exit or log.Fatal.
	ENameExit = "Exit"
	// ENameGoroutinePanic is the ename of a panic in a goroutine a cell started.
	ENameGoroutinePanic = "panic in goroutine"
)

// ANSI colours used in tracebacks, as other kernels do.
const (
	Red   = "\x1b[0;31m"
	green = "\x1b[0;32m"
	Bold  = "\x1b[1m"
	Reset = "\x1b[0m"
)

// CellPosRE matches a position yaegi or go/parser put before a message.
var CellPosRE = regexp.MustCompile(`(In\[(\d+)\]):(\d+):(\d+)`)

// SourceLookup returns the text of cell n (its execution count), if known.
type SourceLookup func(n int) (string, bool)

// CompileError turns a parse or compile error into a Jupyter error whose
// positions are those of the cell.
func CompileError(err error, src SourceLookup) *kernel.Error {
	var msgs []string
	var list scanner.ErrorList
	if errors.As(err, &list) {
		for i, e := range list {
			if i == 5 {
				msgs = append(msgs, fmt.Sprintf("(and %d more errors)", len(list)-5))
				break
			}
			msgs = append(msgs, e.Error())
		}
	} else {
		msgs = []string{err.Error()}
	}
	for i, m := range msgs {
		msgs[i] = pastTheEnd(m, src)
	}
	value := strings.Join(msgs, "\n")
	tb := []string{Red + Bold + ENameCompile + Reset}
	for _, m := range msgs {
		tb = append(tb, quoteAt(m, src)...)
	}
	return &kernel.Error{Name: ENameCompile, Value: CleanMessage(value), Traceback: tb}
}

// pastTheEnd moves a position beyond the cell's last line (the parser
// reached the end of the cell inside a statement and complained about the
// Code golit wraps around it) to the end of the cell's last line, and says
// so in words a user recognises.
func pastTheEnd(msg string, src SourceLookup) string {
	loc := CellPosRE.FindStringSubmatchIndex(msg)
	if loc == nil {
		return msg
	}
	cell, _ := strconv.Atoi(msg[loc[4]:loc[5]])
	line, _ := strconv.Atoi(msg[loc[6]:loc[7]])
	text, ok := src(cell)
	if !ok {
		return msg
	}
	lines := strings.Split(strings.TrimRight(text, " \t\n"), "\n")
	if line <= len(lines) {
		return msg
	}
	last := len(lines)
	rest := msg[loc[1]:]
	for _, found := range []string{"found '}'", "found 'EOF'"} {
		rest = strings.Replace(rest, found, "found the end of the cell", 1)
	}
	return fmt.Sprintf("%s:%d:%d%s", msg[loc[2]:loc[3]], last, len(lines[last-1])+1, rest)
}

// CleanMessage rewrites yaegi messages that would puzzle a user.
func CleanMessage(m string) string {
	m = strings.ReplaceAll(m, "golit__", "")
	return m
}

// quoteAt returns msg followed by the source line it points at and a caret.
func quoteAt(msg string, src SourceLookup) []string {
	msg = CleanMessage(msg)
	loc := CellPosRE.FindStringSubmatchIndex(msg)
	if loc == nil {
		return []string{msg}
	}
	cell, _ := strconv.Atoi(msg[loc[4]:loc[5]])
	line, _ := strconv.Atoi(msg[loc[6]:loc[7]])
	col, _ := strconv.Atoi(msg[loc[8]:loc[9]])
	out := []string{msg}
	text, ok := src(cell)
	if !ok {
		return out
	}
	lines := strings.Split(text, "\n")
	if line < 1 || line > len(lines) {
		return out
	}
	l := lines[line-1]
	out = append(out, fmt.Sprintf("%s%4d |%s %s", green, line, Reset, strings.ReplaceAll(l, "\t", "    ")))
	caret := col - 1
	if caret > len(l) {
		caret = len(l)
	}
	prefix := strings.ReplaceAll(l[:caret], "\t", "    ")
	out = append(out, fmt.Sprintf("     | %s%s^%s", strings.Repeat(" ", len([]rune(prefix))), Red, Reset))
	return out
}

// ExitSignal is the panic value of os.Exit and log.Fatal in a cell.
type ExitSignal struct {
	Code      int    // the exit status
	Msg       string // log.Fatal's message, "" for os.Exit
	Goroutine uint64 // the goroutine that called os.Exit
}

// Error returns log.Fatal's message or "os.Exit(code)".
func (e ExitSignal) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	return fmt.Sprintf("os.Exit(%d)", e.Code)
}

// GoexitSignal stands for runtime.Goexit called by a cell's own goroutine.
type GoexitSignal struct{}

// Error returns "runtime.Goexit".
func (GoexitSignal) Error() string { return "runtime.Goexit" }

// InterruptSignal is the panic value of an interrupted blocking call.
type InterruptSignal struct{}

// Error returns "interrupted".
func (InterruptSignal) Error() string { return "interrupted" }

// PanicError turns a panic value and its interpreted stack into a Jupyter
// error.
func PanicError(value any, stack StackTrace, src SourceLookup, goroutine bool) *kernel.Error {
	name, msg := describePanic(value)
	if goroutine && name == ENamePanic {
		name = ENameGoroutinePanic
	}
	head := name + ": " + msg
	if name == ENamePanic || name == ENameGoroutinePanic {
		head = "panic: " + msg
		if goroutine {
			head = "panic in a goroutine: " + msg
		}
	}
	tb := []string{Red + Bold + head + Reset}
	if len(stack.Frames) > 0 {
		tb = append(tb, "", "interpreted stack, innermost first:")
		for _, fr := range stack.Frames {
			tb = append(tb, quoteAt("  "+fr, src)...)
		}
		if stack.Approximate {
			tb = append(tb, "(yaegi does not record which line of a function was running when a panic",
				"passed through it: such frames show where the function is declared)")
		}
	}
	return &kernel.Error{Name: name, Value: msg, Traceback: tb}
}

// describePanic returns the ename and message of a panic value.
func describePanic(value any) (name, msg string) {
	name = ENamePanic
	switch v := value.(type) {
	case ExitSignal:
		name = ENameExit
		msg = v.Error() + " was called: the cell stopped, the kernel and its state are kept"
		if v.Msg != "" {
			msg = v.Msg + " (log.Fatal stopped the cell; the kernel and its state are kept)"
		}
	case GoexitSignal:
		name = ENameExit
		msg = "runtime.Goexit was called by the cell's goroutine: the cell stopped after its deferred calls ran; the kernel and its state are kept"
	case InterruptSignal:
		name = ENameInterrupted
		msg = "the cell was interrupted"
	case runtime.Error:
		name = ENameRuntime
		msg = strings.TrimPrefix(v.Error(), "runtime error: ")
	case error:
		msg = v.Error()
		if strings.HasPrefix(msg, "reflect: ") && strings.Contains(msg, "out of range") {
			name = ENameRuntime
			msg = "index out of range"
		} else if strings.HasPrefix(msg, "reflect: call of reflect.Value.") && strings.Contains(msg, "zero Value") {
			name = ENameRuntime
			msg = "invalid memory address or nil pointer dereference"
		}
	case reflect.Value:
		if v.IsValid() && v.CanInterface() {
			return describePanic(v.Interface())
		}
		msg = v.String()
	case string:
		msg = v
		if strings.HasPrefix(msg, "reflect: ") && strings.Contains(msg, "out of range") {
			name = ENameRuntime
			msg = "index out of range"
		}
	default:
		msg = fmt.Sprintf("%v", v)
		if value != nil {
			msg = fmt.Sprintf("%v (%T)", v, v)
		}
	}
	return name, msg
}

// IsRuntimeError reports whether a panic value is a runtime error (index out
// of range, nil dereference, ...) rather than a value given to panic.
func IsRuntimeError(v any) bool {
	name, _ := describePanic(v)
	return name == ENameRuntime
}

// PanicLineRE matches the lines yaegi writes to its stderr as a panic
// unwinds an interpreted frame: "In[3]:2:5: panic: main.f(...)".
var PanicLineRE = regexp.MustCompile(`^(\S+:\d+:\d+|-): panic: (.*)$`)

// PanicValue extracts the panic value from an error of Execute.
func PanicValue(err error) (any, bool) {
	var p yaegi.Panic
	if errors.As(err, &p) {
		return p.Value, true
	}
	return nil, false
}
