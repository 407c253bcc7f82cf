package magic

import (
	"context"
	"sort"
	"strings"
)

// help answers ?name, name? and %help name with the documentation, for the
// pager (see Pager). A name nobody knows gets IPython's answer on stdout.
func (r *runner) help(name string) error {
	if strings.HasPrefix(name, "%") {
		u, ok := Usage(name)
		if !ok {
			r.out("Object `%s` not found.\n", name)
			return nil
		}
		r.page(u)
		return nil
	}
	text, ok := r.env.Doc(name)
	if !ok {
		r.out("Object `%s` not found.\n", name)
		return nil
	}
	r.page(text)
	return nil
}

// lsmagicMagic is %lsmagic.
func lsmagicMagic(_ context.Context, r *runner, _ Step) (any, error) {
	var line, cell []string
	for _, n := range Names() {
		if strings.HasPrefix(n, "%%") {
			cell = append(cell, n)
		} else {
			line = append(line, n)
		}
	}
	r.out("Available line magics:\n%s\n\nAvailable cell magics:\n%s\n\n"+
		"Shell commands: !COMMAND runs COMMAND with sh. Help: ?NAME, NAME? or %%help NAME.\n",
		strings.Join(line, "  "), strings.Join(cell, "  "))
	return nil, nil
}

// helpMagic is %help [NAME].
func helpMagic(_ context.Context, r *runner, st Step) (any, error) {
	if name := strings.TrimSpace(st.Args); name != "" {
		return nil, r.help(name)
	}
	var b strings.Builder
	b.WriteString("golit magics (lines of a Go cell that are not Go):\n\n")
	write := func(m map[string]magic) {
		names := make([]string, 0, len(m))
		for n := range m {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			b.WriteString("  " + m[n].usage + "\n      " + m[n].brief + "\n")
		}
	}
	write(lineMagics)
	write(cellMagics)
	b.WriteString("  !COMMAND\n      run a shell command, streaming its output (interrupt stops it)\n")
	b.WriteString("  ?NAME, NAME?, %help NAME\n      documentation of a package, function, type or notebook identifier\n")
	b.WriteString("\nLine magics, ! and ? lines may appear anywhere between Go statements and run in order;\n" +
		"a cell magic (%%) must be the first line and takes the whole cell.\n")
	r.page(b.String())
	return nil, nil
}

// goMessage explains why %go get is not supported and what to do instead.
const goMessage = `%go get is not supported. golit interprets cells with yaegi, which can only
import packages compiled into the kernel: the Go standard library and golit's
helper packages (github.com/golit/golit/timing, futures, pool, eventloop,
chart, display, flags; also importable as golit/timing and so on). Instead:
  - paste the code you need into a cell: functions and types defined in a
    cell are available to every later cell;
  - or add the package to golit as a helper package with generated symbol
    tables (see interp/symbols) and rebuild golit.`
