// Package magic gives Go notebook cells IPython's magics and shell escapes:
// lines that are not Go but instructions to the kernel.
//
//	%time x := fib(30)            run once, print CPU and wall time
//	%timeit strings.Repeat("x", 100)
//	%%timeit -n 1000 -r 5         (first line of a cell) time the whole cell
//	!ls -l                        run a shell command, output streams live
//	%%bash                        (first line) the cell is a bash script
//	%%writefile [-a] data.txt     (first line) save the cell as a file
//	%%compile [--or-interpret]    (first line, registered by the engine) build the cell's Go natively
//	%env DATA_DIR=/tmp/data       set, show (%env NAME) or list (%env) variables
//	%who / %whos / %reset -f      notebook variables
//	%cd DIR / %pwd                working directory
//	%lsmagic / %help              what exists
//	?strings.Split, p?, %help fmt documentation, in the pager (see Help)
//
// # Where magics may appear
//
// As in ipykernel, a cell magic (%%) must be the cell's first non-blank line
// and owns the rest of the cell. Line magics, ! commands and ? help lines
// may appear on any line where a new Go statement could start (outside
// brackets, strings and comments, and not continuing an expression from the
// line above); the Go code between them runs in order with them, so
//
//	data := load()
//	!wc -l data.txt
//	%time n := count(data)
//	fmt.Println(n)
//
// runs four steps one after the other. Each Go step is evaluated on its own
// (with the notebook state carried over), so a Go construct cannot span a
// magic line, and a ! line inside a block (a loop body, say) is not a
// command but Go, which fails to compile: run commands from Go code with
// os/exec.
//
// # Help
//
// ?name, name?, name?? and %help name show the documentation of a package,
// a function, a type, a method or a notebook identifier; %help alone lists
// the magics. As in ipykernel, help is not output of the cell: with an Env
// that implements Pager (the engine does) it becomes the page payload of the
// cell's execute_reply, which JupyterLab and Notebook show below the cell's
// output and jupyter console prints through its pager, and which is not
// saved in the notebook. A name that is not found gets IPython's answer on
// stdout ("Object `name` not found.").
//
// A help line may sit between lines of Go. The Go runs in order as usual;
// the help does not interleave with the output but comes after it, at the
// end of the cell. Several help lines in one cell make one page, their
// texts in the order they were asked for, separated by a blank line
// (ipykernel keeps only the last page of a cell, and JupyterLab shows only
// the first page payload of a reply, so one page shows them all
// everywhere). Frontends show the payloads of successful cells only, so
// when a cell fails, or is interrupted, its help is written to stdout
// before the error instead. nbclient and nbconvert ignore payloads: a
// notebook that must keep documentation in its output prints it from Go.
//
// %timeit and %%timeit choose the loop count automatically (the timing
// package, which the output format comes from); -n and -r set loops and runs
// and -q suppresses the output. Text after %%timeit's options is setup code,
// run once before timing.
//
// Not supported: IPython's $variable expansion in ! lines, x = !cmd capture,
// and automagic (magics without %). %go get and %go mod need an Env that
// implements GoModules; without one %go explains that modules are not
// available.
//
// # INTEGRATION (for the engine)
//
// The engine (package interp) implements Env, and optionally FuncCompiler,
// Prompter and Pager, then in Execute:
//
//	plan := magic.Parse(req.Code)
//	if !plan.HasMagic() {
//		// plain Go: run req.Code as always
//	}
//	v, err := magic.Run(ctx, plan, env) // ctx: cancelled by Interrupt
//	// v: the value Env.Eval returned for the last step (nil if none) -> Out[n]
//	// err: an error from Env.Eval (format it as usual),
//	//      a *magic.Error (ename = e.Name, evalue = e.Message),
//	//      or ctx.Err() after an interrupt (report as an interrupt).
//
// Env.Eval(ctx, src) must evaluate src exactly like a cell (it is a cell's
// Go between magic lines, or the statement of %time), returning the final
// expression's value in the engine's own form; the source is padded so that
// its positions are the cell's. Env.Stream forwards to kernel.IO.Stream and
// must be safe for concurrent use (shell output arrives from two
// goroutines). Env.Vars lists notebook variables (name, type, short value):
// the complete package's Completer.Vars does it, hiding names that start
// with complete.HiddenPrefix ("_golit", for the engine's own variables);
// Env.Reset forgets notebook state; Env.Doc(name) should call the complete
// package's Inspect on name (see package interp/complete) and return its
// text/plain.
//
// FuncCompiler.CompileFunc(ctx, src) lets %timeit time running rather than
// compiling: evaluate "var _golitTimeit = func() {\n<src>\n}" once (a bare
// function literal has no usable value in yaegi v0.16.1), read the variable
// from Interpreter.Globals(), and return a function that calls it, turning
// panics into errors (yaegi_test.go does exactly this). Prompter.Input
// forwards to kernel.IO.Input (for %reset's confirmation). Pager.Page(text)
// receives the cell's help once, after Run succeeded; put it in the reply as
// kernel.PagePayload(kernel.Bundle{"text/plain": text}).
//
// Shell commands (! and %%bash) run in their own process group with the
// kernel's environment and working directory (which %env and %cd change);
// stdin is empty. Cancelling ctx sends SIGINT to the group and SIGKILL half
// a second later.
package magic
