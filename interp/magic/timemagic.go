package magic

import (
	"context"
	"strconv"
	"strings"

	"github.com/golit/golit/timing"
)

// lineTime is %time STATEMENT: evaluate once, then print the times. The
// times are printed even when the statement fails, before its error.
func lineTime(ctx context.Context, r *runner, st Step) (any, error) {
	if strings.TrimSpace(st.Args) == "" {
		return nil, usageError("%%time needs a statement, e.g. %%time x := fib(30)")
	}
	return r.timeOnce(ctx, func() (any, error) { return r.env.Eval(ctx, st.Source) })
}

// cellTime is %%time: the body may itself hold line magics and ! lines.
func cellTime(ctx context.Context, r *runner, st Step) (any, error) {
	if st.Args != "" {
		return nil, usageError("%%%%time takes no arguments; put the code on the following lines")
	}
	plan := Parse(st.Source)
	return r.timeOnce(ctx, func() (any, error) { return Run(ctx, plan, r.env) })
}

func (r *runner) timeOnce(ctx context.Context, f func() (any, error)) (any, error) {
	var v any
	var err error
	res := timing.Time(func() {
		err = safeCall(func() error {
			var e error
			v, e = f()
			return e
		})
	})
	if isInterrupt(ctx, err) {
		return nil, err
	}
	r.out("%s\n", res)
	return v, err
}

// timeitOptions are the options of %timeit and %%timeit.
type timeitOptions struct {
	loops, runs int
	quiet       bool
	rest        string // the statement (line magic) or setup (cell magic)
}

// parseTimeit reads leading -n N, -r R, -q and -o options (IPython's); the
// rest of the line is returned as is.
func parseTimeit(args string) (timeitOptions, error) {
	o := timeitOptions{runs: timing.DefaultRuns}
	s := strings.TrimSpace(args)
	for strings.HasPrefix(s, "-") {
		field, after, _ := strings.Cut(s, " ")
		after = strings.TrimSpace(after)
		switch {
		case field == "--":
			s = after
			o.rest = s
			return o, nil
		case field == "-q":
			o.quiet = true
		case field == "-o":
			// IPython returns the result object; golit prints it anyway.
		case strings.HasPrefix(field, "-n") || strings.HasPrefix(field, "-r"):
			val := field[2:]
			if val == "" {
				val, after, _ = strings.Cut(after, " ")
				after = strings.TrimSpace(after)
			}
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				return o, usageError("%s needs a positive number, got %q", field[:2], val)
			}
			if field[1] == 'n' {
				o.loops = n
			} else {
				o.runs = n
			}
		default:
			// Not an option: a statement such as -x.f() is unlikely but
			// keep it rather than fail.
			o.rest = s
			return o, nil
		}
		s = after
	}
	o.rest = s
	return o, nil
}

// lineTimeit is %timeit [options] STATEMENT.
func lineTimeit(ctx context.Context, r *runner, st Step) (any, error) {
	o, err := parseTimeit(st.Args)
	if err != nil {
		return nil, err
	}
	if o.rest == "" {
		return nil, usageError("%%timeit needs a statement, e.g. %%timeit strings.Repeat(\"x\", 100)")
	}
	// Keep the statement's position in the cell: blank out what precedes it.
	src := st.Source
	if i := strings.LastIndex(src, o.rest); i >= 0 {
		src = blankOut(src[:i]) + o.rest
	}
	return nil, r.timeit(ctx, o, src)
}

// cellTimeit is %%timeit [options] [SETUP]: SETUP runs once, untimed, then
// the body is timed.
func cellTimeit(ctx context.Context, r *runner, st Step) (any, error) {
	o, err := parseTimeit(st.Args)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(st.Source) == "" {
		return nil, usageError("%%%%timeit needs code on the lines after it")
	}
	if o.rest != "" {
		setup := strings.Repeat("\n", st.Line-1) + o.rest
		if _, err := r.env.Eval(ctx, setup); err != nil {
			return nil, err
		}
	}
	return nil, r.timeit(ctx, o, st.Source)
}

// blankOut replaces every character of s but newlines by a space.
func blankOut(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c != '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}

func (r *runner) timeit(ctx context.Context, o timeitOptions, src string) error {
	var f func() error
	if fc, ok := r.env.(FuncCompiler); ok {
		if err := safeCall(func() error {
			var e error
			f, e = fc.CompileFunc(ctx, src)
			return e
		}); err != nil {
			return err
		}
	} else {
		f = func() error { _, err := r.env.Eval(ctx, src); return err }
	}
	var runErr error
	fn := func() {
		if runErr != nil || ctx.Err() != nil {
			return
		}
		runErr = safeCall(f)
	}
	opts := []timing.Option{timing.Runs(o.runs), timing.Context(ctx)}
	if o.loops > 0 {
		opts = append(opts, timing.Loops(o.loops))
	}
	res := timing.TimeIt(fn, opts...)
	if err := ctx.Err(); err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	if !o.quiet {
		r.out("%s\n", res)
	}
	return nil
}
