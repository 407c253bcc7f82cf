package run

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/golit/golit/interp/rewrite"
)

// When yaegi cannot infer the type arguments of a call of a generic
// function the rewrite left to it (rewrite.GenericCall: the guesser could
// not type its arguments), it reports "undefined type for T" at the type
// parameter in the function's declaration, possibly in another cell. The
// error is moved to the call, and a line shows the instantiation to write:
//
//	In[4]:1:13: undefined type for T (yaegi could not infer the type arguments of Sum)
//	hint: write the type arguments: Sum[T](min(1.5, 2)) with T Number, e.g. Sum[int](min(1.5, 2))

// undefinedTypeRE matches yaegi's message for a type parameter it could
// not bind, with its position.
var undefinedTypeRE = regexp.MustCompile(`^(.*?): undefined type for (\w+)$`)

// inferenceHint relocates and explains a failed inference (see above).
// Another compile error on the line of such a call (yaegi inferred a type
// wrongly: cannot use type … as type …) gets the hint too.
func (e *Session) inferenceHint(cell *cellRun, x *execError) *execError {
	if len(cell.genericCalls) == 0 {
		return x
	}
	msg := x.err.Error()
	if strings.Contains(msg, "\nhint: ") {
		return x
	}
	fset := e.yi.FileSet()
	if m := undefinedTypeRE.FindStringSubmatch(msg); m != nil {
		for _, c := range cell.genericCalls {
			if !c.Mentions(m[2]) {
				continue
			}
			c.Args = e.argsSource(cell, c)
			return &execError{kind: "compile", err: fmt.Errorf("%s: undefined type for %s (yaegi could not infer the type arguments of %s)\n%s",
				fset.Position(c.Pos), m[2], c.Func, c.Hint())}
		}
		return x
	}
	for _, c := range cell.genericCalls {
		p := fset.Position(c.Pos)
		if strings.HasPrefix(msg, fmt.Sprintf("%s:%d:", p.Filename, p.Line)) {
			c.Args = e.argsSource(cell, c)
			return &execError{kind: "compile", err: fmt.Errorf("%s\n%s", msg, c.Hint())}
		}
	}
	return x
}

// argsSource returns the text of c's arguments as the cell has it (the
// rewrite may have changed them), or c.Args when the call spans lines.
func (e *Session) argsSource(cell *cellRun, c rewrite.GenericCall) string {
	fset := e.yi.FileSet()
	l, r := fset.Position(c.Lparen), fset.Position(c.Rparen)
	if !c.Lparen.IsValid() || !c.Rparen.IsValid() || l.Line != r.Line || l.Filename != cellName(cell.count) {
		return c.Args
	}
	lines := strings.Split(cell.src, "\n")
	if l.Line < 1 || l.Line > len(lines) {
		return c.Args
	}
	line := lines[l.Line-1]
	if l.Column < 1 || r.Column-1 > len(line) || r.Column-1 < l.Column {
		return c.Args
	}
	if s := line[l.Column : r.Column-1]; len(s) <= 60 {
		return s
	}
	return c.Args
}
