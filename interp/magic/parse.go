package magic

import (
	"go/scanner"
	"go/token"
	"regexp"
	"strings"
)

// Kind tells what a Step of a Plan does.
type Kind int

// The kinds of steps.
const (
	// Go is Go source for the engine to evaluate (Step.Source).
	Go Kind = iota
	// LineMagic is a "%name args" line (Step.Name, Step.Args).
	LineMagic
	// CellMagic is a "%%name args" first line and the rest of the cell
	// (Step.Name, Step.Args, Step.Source).
	CellMagic
	// Shell is a "!command" line (Step.Args holds the command).
	Shell
	// Help is a "?name", "name?" or "name??" line (Step.Name).
	Help
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case Go:
		return "Go"
	case LineMagic:
		return "LineMagic"
	case CellMagic:
		return "CellMagic"
	case Shell:
		return "Shell"
	case Help:
		return "Help"
	}
	return "Kind(?)"
}

// Step is one thing to do in a cell.
type Step struct {
	Kind Kind
	// Name is the magic's name without % or %% ("time", "writefile"), or
	// the identifier asked about by a Help step ("strings.Split").
	Name string
	// Args is the rest of a magic's line after the name, or a Shell
	// step's command, with surrounding spaces removed.
	Args string
	// Source is the Go source of a Go step, the body of a cell magic (the
	// lines after its first), or the statement of %time and %timeit.
	//
	// Go source is padded with blank lines and spaces so that its line and
	// column numbers are those of the cell: an engine that reports
	// positions in Source reports them relative to the cell unchanged.
	Source string
	// Line is the 1-based line of the cell where the step starts.
	Line int
}

// Plan is what Parse makes of a cell: steps to run in order.
type Plan struct {
	Steps []Step
}

// HasMagic reports whether the plan holds anything but Go. When it is
// false the plan is a single Go step whose Source is the cell unchanged,
// and the engine can run the cell as usual.
func (p Plan) HasMagic() bool {
	return !(len(p.Steps) == 1 && p.Steps[0].Kind == Go)
}

var (
	helpBefore = regexp.MustCompile(`^\?{1,2}\s*([A-Za-z_%][\w.]*)$`)
	helpAfter  = regexp.MustCompile(`^([A-Za-z_%][\w.]*)\s*\?{1,2}$`)
	magicName  = regexp.MustCompile(`^[A-Za-z_][\w-]*`)
)

// Parse splits a cell into steps. It never fails: a line that looks like a
// magic but is inside Go code (an open bracket, a raw string, a comment or
// an expression continued from the previous line) stays Go.
//
// The rules follow ipykernel:
//   - A cell whose first non-blank line starts with %% is a cell magic; the
//     rest of the cell is its body, whatever it holds.
//   - Elsewhere, a line that starts (after indentation) with % is a line
//     magic, with ! a shell command, and a line "?name", "name?" or
//     "name??" asks for help, provided the line is not inside Go code.
//   - Go between such lines becomes Go steps, run in order with them, so
//     "x := 2", "%time y := f(x)", "fmt.Println(y)" works as three steps.
func Parse(cell string) Plan {
	lines := strings.SplitAfter(cell, "\n")
	// Cell magic: first non-blank line.
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, "%%") {
			name, args := splitMagic(t[2:])
			body := strings.Repeat("\n", i+1) + strings.Join(lines[i+1:], "")
			return Plan{Steps: []Step{{Kind: CellMagic, Name: name, Args: args, Source: body, Line: i + 1}}}
		}
		break
	}

	var p Plan
	var goBuf strings.Builder // Go lines since the last non-Go step
	goStart := 0              // index of the first line in goBuf
	flush := func(next int) {
		src := goBuf.String()
		if strings.TrimSpace(src) != "" {
			p.Steps = append(p.Steps, Step{Kind: Go, Source: strings.Repeat("\n", goStart) + src, Line: goStart + 1})
		}
		goBuf.Reset()
		goStart = next
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if st, ok := special(t); ok && atTopLevel(goBuf.String()) {
			flush(i + 1)
			st.Line = i + 1
			if st.Kind == LineMagic && (st.Name == "time" || st.Name == "timeit") {
				// Keep the statement's columns: pad to where it starts.
				col := strings.Index(l, st.Args)
				if col < 0 {
					col = 0
				}
				st.Source = strings.Repeat("\n", i) + strings.Repeat(" ", col) + st.Args
			}
			p.Steps = append(p.Steps, st)
			continue
		}
		if goBuf.Len() == 0 && t == "" {
			// A Go step starts at its first non-blank line: blank lines
			// before it become padding, so Line and the padding agree.
			goStart = i + 1
			continue
		}
		goBuf.WriteString(l)
	}
	flush(len(lines))
	if len(p.Steps) == 0 || (!p.HasMagic() && len(p.Steps) == 1) {
		// Plain Go: the cell unchanged (not padded, blank lines kept).
		return Plan{Steps: []Step{{Kind: Go, Source: cell, Line: 1}}}
	}
	return p
}

// special recognises a trimmed line that is not Go: a line magic, a shell
// command or a help request.
func special(t string) (Step, bool) {
	if m := helpBefore.FindStringSubmatch(t); m != nil {
		return Step{Kind: Help, Name: m[1]}, true
	}
	if m := helpAfter.FindStringSubmatch(t); m != nil {
		return Step{Kind: Help, Name: m[1]}, true
	}
	switch {
	case strings.HasPrefix(t, "%") && !strings.HasPrefix(t, "%%"):
		name, args := splitMagic(t[1:])
		if name == "" {
			return Step{}, false
		}
		return Step{Kind: LineMagic, Name: name, Args: args}, true
	case strings.HasPrefix(t, "!"):
		cmd := strings.TrimSpace(strings.TrimLeft(t, "!"))
		if cmd == "" || strings.HasPrefix(cmd, "=") { // "!= x" is Go
			return Step{}, false
		}
		return Step{Kind: Shell, Args: cmd}, true
	}
	return Step{}, false
}

// splitMagic splits "timeit -n 10 f()" into "timeit" and "-n 10 f()".
func splitMagic(s string) (name, args string) {
	name = magicName.FindString(s)
	return name, strings.TrimSpace(s[len(name):])
}

// atTopLevel reports whether Go source src ends outside any bracket,
// string or comment and after a complete statement, so that a following
// line is a new statement rather than the continuation of this one.
func atTopLevel(src string) bool {
	if strings.TrimSpace(src) == "" {
		return true
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	broken := false
	var s scanner.Scanner
	s.Init(file, []byte(src), func(_ token.Position, msg string) {
		if strings.Contains(msg, "not terminated") {
			broken = true
		}
	}, 0)
	depth := 0
	last := token.SEMICOLON
	for {
		_, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		last = tok
	}
	return !broken && depth <= 0 && last == token.SEMICOLON
}

// cellBody returns a cell magic's body without the padding that keeps its
// line numbers: the text exactly as typed after the magic's line.
func cellBody(st Step) string {
	pad := strings.Repeat("\n", st.Line)
	if strings.HasPrefix(st.Source, pad) {
		return st.Source[len(pad):]
	}
	return st.Source
}
