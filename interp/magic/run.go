package magic

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Env is what Run needs from the engine. The engine implements it; every
// method may be called from the goroutine running Run, and Stream also from
// the goroutines that copy a shell command's output.
type Env interface {
	// Eval evaluates Go source as a cell (declarations and statements,
	// notebook variables persist), writing the code's output to the
	// cell's streams. It returns the value of a final expression (nil if
	// none), in whatever form the engine uses for Out[n]; Run hands it
	// back untouched. Errors are returned as the engine made them.
	Eval(ctx context.Context, src string) (any, error)
	// Stream writes text to "stdout" or "stderr" of the running cell.
	// It must be safe for concurrent use.
	Stream(name, text string)
	// Vars lists the notebook's variables for %who and %whos.
	Vars() []Var
	// Reset forgets every notebook declaration and variable (%reset).
	Reset() error
	// Doc returns the documentation of a name such as "strings.Split",
	// "fmt" or a notebook identifier, for ?name and %help name. The
	// complete package's Inspect provides it.
	Doc(name string) (text string, found bool)
}

// Pager is implemented by an Env that can show text in the frontend's
// pager rather than in the cell's output: Jupyter's page payload, which
// JupyterLab shows at the end of the cell's output area and jupyter console
// prints through its pager. Help requests (?name, name?, %help) use it.
//
// Run calls Page at most once per cell, after every step has succeeded,
// with the texts of all the cell's help requests in order, separated by a
// blank line. When a step fails (or the cell is interrupted) Run writes
// those texts to stdout instead, before returning the error, because
// frontends show payloads of successful cells only. Without a Pager, help
// goes to stdout at once.
type Pager interface {
	Page(text string)
}

// Var describes one notebook variable for %who and %whos.
type Var struct {
	Name  string // the identifier
	Type  string // its Go type, e.g. "int", "[]string", "Point"
	Value string // a short rendering of its value
}

// FuncCompiler is implemented by an Env that can turn Go statements into a
// function without running them. %timeit and %%timeit use it when present,
// so they time running the code rather than compiling it each loop; without
// it they call Eval for every loop.
//
// The returned function runs the statements once; it must turn a panic into
// an error and should return promptly once ctx is done.
type FuncCompiler interface {
	CompileFunc(ctx context.Context, src string) (func() error, error)
}

// Prompter is implemented by an Env that can ask the user a question
// (Jupyter's input_request). %reset without -f asks for confirmation through
// it; without a Prompter, %reset requires -f.
type Prompter interface {
	Input(prompt string) (string, error)
}

// Error is a magic's own failure: bad usage, an unknown magic, a shell
// script that failed. Name is what Jupyter shows as the error's name
// ("UsageError", "CalledProcessError").
type Error struct {
	Name    string
	Message string
}

// Error returns "Name: Message".
func (e *Error) Error() string { return e.Name + ": " + e.Message }

func usageError(format string, a ...any) error {
	return &Error{Name: "UsageError", Message: fmt.Sprintf(format, a...)}
}

// Run executes the steps of p in order and stops at the first error,
// returning it unchanged if it came from Env.Eval, as an *Error for a
// magic's own failure, and as ctx.Err() when ctx was cancelled (interrupt).
//
// The value returned is that of the last step when it is Go code, %time or
// %%time (the final expression's value, as Env.Eval gave it), else nil.
func Run(ctx context.Context, p Plan, env Env) (_ any, err error) {
	r := &runner{env: env}
	defer func() { r.flushPages(err) }()
	var last any
	for _, st := range p.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v, err := r.step(ctx, st)
		if err != nil {
			return nil, err
		}
		last = v
	}
	return last, nil
}

// runner carries the Env through the magics of one Run.
type runner struct {
	env   Env
	pages []string // help texts for the pager, in order
}

func (r *runner) out(format string, a ...any) { r.env.Stream("stdout", fmt.Sprintf(format, a...)) }

// page shows help text: in the pager at the end of the cell when the Env
// has one, else on stdout now.
func (r *runner) page(text string) {
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if _, ok := r.env.(Pager); !ok {
		r.out("%s", text)
		return
	}
	r.pages = append(r.pages, text)
}

// flushPages hands the cell's help texts to the Pager, or to stdout when
// the cell failed (see Pager).
func (r *runner) flushPages(err error) {
	if len(r.pages) == 0 {
		return
	}
	text := strings.Join(r.pages, "\n")
	r.pages = nil
	if pg, ok := r.env.(Pager); ok && err == nil {
		pg.Page(text)
		return
	}
	r.out("%s", text)
}

func (r *runner) step(ctx context.Context, st Step) (any, error) {
	switch st.Kind {
	case Go:
		return r.env.Eval(ctx, st.Source)
	case Shell:
		return nil, r.shell(ctx, st.Args, false)
	case Help:
		return nil, r.help(st.Name)
	case LineMagic:
		m, ok := lineMagics[st.Name]
		if !ok {
			return nil, usageError("Line magic function `%%%s` not found.", st.Name)
		}
		return m.run(ctx, r, st)
	case CellMagic:
		m, ok := cellMagics[st.Name]
		if !ok {
			return nil, usageError("Cell magic `%%%%%s` not found.", st.Name)
		}
		return m.run(ctx, r, st)
	}
	return nil, fmt.Errorf("magic: unknown step kind %v", st.Kind)
}

// magic is one line or cell magic.
type magic struct {
	usage string // "%time STATEMENT"
	brief string // one line for %help
	run   func(ctx context.Context, r *runner, st Step) (any, error)
}

var lineMagics, cellMagics map[string]magic

func init() {
	lineMagics = map[string]magic{
		"time":    {"%time STATEMENT", "run a Go statement once and print CPU and wall time", lineTime},
		"timeit":  {"%timeit [-n N] [-r R] [-q] STATEMENT", "time a Go statement over many loops (mean ± std. dev.)", lineTimeit},
		"env":     {"%env [NAME[=VALUE]]", "list, show or set environment variables", envMagic},
		"who":     {"%who [TYPE]", "list notebook variables (of a type)", whoMagic},
		"whos":    {"%whos", "table of notebook variables with type and value", whosMagic},
		"reset":   {"%reset [-f]", "forget all notebook declarations and variables", resetMagic},
		"lsmagic": {"%lsmagic", "list the available magics", lsmagicMagic},
		"help":    {"%help [NAME]", "show this help, or the documentation of NAME", helpMagic},
		"cd":      {"%cd [DIR]", "change the working directory (default: home)", cdMagic},
		"pwd":     {"%pwd", "print the working directory", pwdMagic},
		"go":      {"%go get PATH[@VERSION] | %go mod", "require a module version (latest, none) or show the requirements", goMagic},
	}
	cellMagics = map[string]magic{
		"time":      {"%%time", "run the cell once and print CPU and wall time", cellTime},
		"timeit":    {"%%timeit [-n N] [-r R] [-q] [SETUP]", "time the cell over many loops; SETUP runs once first", cellTimeit},
		"bash":      {"%%bash", "run the cell as a bash script, streaming its output", bashMagic("bash")},
		"sh":        {"%%sh", "run the cell as a sh script, streaming its output", bashMagic("sh")},
		"writefile": {"%%writefile [-a] FILE", "write (-a: append) the cell's text to FILE", writefileMagic},
	}
}

// Names returns the names of all magics as typed, line magics first
// ("%cd", ..., "%%bash", ...), sorted within each group. Completion uses it.
func Names() []string {
	var line, cell []string
	for n := range lineMagics {
		line = append(line, "%"+n)
	}
	for n := range cellMagics {
		cell = append(cell, "%%"+n)
	}
	sort.Strings(line)
	sort.Strings(cell)
	return append(line, cell...)
}

// Usage returns the usage line and description of a magic named as typed
// ("%time", "%%writefile"), for help and inspection.
func Usage(name string) (string, bool) {
	var m magic
	var ok bool
	if n, found := strings.CutPrefix(name, "%%"); found {
		m, ok = cellMagics[n]
	} else {
		m, ok = lineMagics[strings.TrimPrefix(name, "%")]
	}
	if !ok {
		return "", false
	}
	return m.usage + "\n    " + m.brief, true
}

// safeCall runs f, turning a panic into an error so that a broken Env or
// compiled function cannot take the kernel down through a magic.
func safeCall(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &Error{Name: "panic", Message: fmt.Sprint(v)}
		}
	}()
	return f()
}

// isInterrupt reports whether err is the context's cancellation.
func isInterrupt(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}
