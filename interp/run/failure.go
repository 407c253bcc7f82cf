package run

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"strings"

	"github.com/golit/golit/interp/present"
	"github.com/golit/golit/interp/rewrite"
	"github.com/golit/golit/kernel"
)

// A failed step as a Jupyter error: yaegi's vaguer messages made precise
// with the cell's code at hand, then interp/present's errors.

// failureIn is failure with the cell's code at hand to explain yaegi's
// vaguer messages.
func (e *Session) failureIn(cell *cellRun, x *execError) kernel.ExecuteReply {
	if x.kind == "compile" && strings.HasPrefix(x.err.Error(), "internal interpreter error") &&
		strings.HasSuffix(x.err.Error(), "nil pointer dereference") {
		// yaegi v0.16.1 crashes on some uses of an undefined package
		// (a, b := pkg.F()): say what is undefined.
		if name, pos := e.firstUndefined(cell.nodes); name != "" && name != "main" && name != rewrite.MainName {
			x = &execError{kind: "compile", err: fmt.Errorf("%s: undefined: %s", e.yi.FileSet().Position(pos), name)}
		}
	}
	if x.kind == "compile" && strings.HasSuffix(x.err.Error(), "constant definition loop") {
		if name, pos := e.firstUndefined(cell.nodes); name != "" {
			x = &execError{kind: "compile", err: fmt.Errorf("%s: undefined: %s", e.yi.FileSet().Position(pos), name)}
		}
	}
	if x.kind == "compile" {
		x = e.relocate(cell, x)
		x = e.relocateInternal(cell, x)
		x = e.relocateCFGPanic(cell, x)
		x = e.inferenceHint(cell, x)
	}
	return e.failure(x)
}

// relocate moves an "undefined selector Z" error that yaegi reports at the
// declaration of a type (possibly in another cell) to the use of Z in the
// running cell.
func (e *Session) relocate(cell *cellRun, x *execError) *execError {
	msg := x.err.Error()
	m := undefinedSelRE.FindStringSubmatch(msg)
	if m == nil || strings.HasPrefix(msg, cellName(cell.count)+":") {
		return x
	}
	name := m[2]
	var pos token.Pos
	for _, n := range cell.nodes {
		ast.Inspect(n, func(c ast.Node) bool {
			if sel, ok := c.(*ast.SelectorExpr); ok && sel.Sel.Name == name && pos == token.NoPos {
				pos = sel.Sel.Pos()
			}
			return pos == token.NoPos
		})
	}
	if pos == token.NoPos {
		return x
	}
	return &execError{kind: "compile", err: fmt.Errorf("%s: %s", e.yi.FileSet().Position(pos), m[1]+name)}
}

// undefinedSelRE matches yaegi's message for a missing field or method.
var undefinedSelRE = regexp.MustCompile(`(undefined selector:? )(\w+)$`)

// failure turns an execError into an error reply.
func (e *Session) failure(x *execError) kernel.ExecuteReply {
	var kerr *kernel.Error
	switch x.kind {
	case "compile":
		e.takeStack(x.gid, nil, false)
		if strings.Contains(x.err.Error(), "nil type") {
			x.err = fmt.Errorf("%v\n(yaegi could not type this code; a range over a function whose type golit could not follow is the usual cause: declare the iterator's type where it is made, var seq iter.Seq[int] = ..., a parameter seq iter.Seq[int] or a result, see interp/LIMITS.md)", x.err)
		}
		kerr = present.CompileError(explainNewerGo(x.err), e.cellSource)
	case "gopanic":
		kerr = x.err.(goPanicked).kerr
	case "interrupt":
		e.takeStack(x.gid, nil, false)
		e.interrupted = true
		kerr = present.PanicError(present.InterruptSignal{}, present.StackTrace{}, e.cellSource, false)
	default:
		kerr = present.PanicError(x.val, e.takeStack(x.gid, x.val, true), e.cellSource, false)
	}
	return kernel.ExecuteReply{Status: kernel.StatusError, Err: kerr}
}
