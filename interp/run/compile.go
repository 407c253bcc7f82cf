package run

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"os"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	yaegi "github.com/traefik/yaegi/interp"

	"github.com/golit/golit/interp/internal/rtsync"
	"github.com/golit/golit/interp/internal/yaegiheap"
	"github.com/golit/golit/interp/present"
	"github.com/golit/golit/interp/rewrite"
)

// Compiling and running on yaegi: compileRun, the frames statements run in
// (runFramed) and the program run under the cell's context (execute).

// execError is an error of one compile-and-run step.
type execError struct {
	kind string // "compile", "panic", "interrupt", "gopanic" (exit.go)
	err  error
	val  any
	gid  uint64 // the goroutine that panicked, 0 if unknown (see takeStack)
}

func (e *execError) Error() string { return e.err.Error() }

// compileRun compiles node and runs it, cancelled with ctx.
func (e *Session) compileRun(ctx context.Context, node ast.Node) (v reflect.Value, xerr *execError) {
	defer func() {
		if r := recover(); r != nil {
			if debugRewrite {
				fmt.Fprintln(os.Stderr, string(debug.Stack()))
			}
			xerr = &execError{kind: "compile", err: fmt.Errorf("internal interpreter error while compiling: %v", r)}
		}
	}()
	if debugRewrite {
		var sb strings.Builder
		printer.Fprint(&sb, token.NewFileSet(), node)
		fmt.Fprintln(os.Stderr, "golit: compiling:\n"+sb.String())
	}
	// Goroutines of earlier cells that ended (or panicked) went through
	// these locks; taking them orders their last steps before this
	// compilation, which rewrites state yaegi shares with running code.
	e.runMu.Lock()
	e.runMu.Unlock()
	e.framesMu.Lock()
	e.framesMu.Unlock()
	prog, err := e.yi.CompileAST(node)
	e.syncMu.Lock() // see afterFunc
	e.syncMu.Unlock()
	if err != nil {
		return reflect.Value{}, &execError{kind: "compile", err: err}
	}
	yaegiheap.GrowFrame(e.yi) // so that Execute does not copy the global frame
	v, gid, err := e.execute(ctx, prog, e.declOnly || quiet(node, e.declares, e.importPath))
	if err != nil {
		if g, ok := err.(goPanicked); ok {
			return v, &execError{kind: "gopanic", err: g}
		}
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return v, &execError{kind: "interrupt", err: err, gid: gid}
		}
		if pv, ok := present.PanicValue(err); ok {
			return v, &execError{kind: "panic", err: err, val: pv, gid: gid}
		}
		return v, &execError{kind: "compile", err: err, gid: gid}
	}
	return v, nil
}

// debugRewrite prints the code given to yaegi (GOLIT_DEBUG_REWRITE=1).
var debugRewrite = os.Getenv("GOLIT_DEBUG_REWRITE") == "1"

// newBlock returns a block of statements to run in the notebook's global
// scope. yaegi finds the notebook's imports through the file name of the
// block's position, so the block gets a position in a file of the current
// import generation.
func (e *Session) newBlock(list ...ast.Stmt) *ast.BlockStmt {
	a := e.anchorOf(e.fileName())
	return &ast.BlockStmt{Lbrace: a.lbrace, List: list, Rbrace: a.lbrace + 1}
}

// anchor holds positions in a file of its own named after a cell, for the
// code the engine makes around a cell's (newBlock, callCellFunc): yaegi
// reads a program's file name from its root's position.
type anchor struct {
	file   string
	pkg    token.Pos // "package" of "package main;func main(){}"
	lbrace token.Pos // its "{"
}

// anchorSrc is the source an anchor's file stands for.
const anchorSrc = "package main;func main(){}"

// anchorOf returns the anchor of file name: a file of anchorSrc's size
// added to the interpreter's file set once per name rather than parsed
// once per program (a file added to the file set each time, and 2 to 4 us
// of parsing), with the positions a parse would give.
func (e *Session) anchorOf(name string) anchor {
	if e.anchor.file == name && e.anchor.pkg.IsValid() {
		return e.anchor
	}
	f := e.yi.FileSet().AddFile(name, -1, len(anchorSrc))
	f.SetLines([]int{0})
	e.anchor = anchor{file: name, pkg: f.Pos(0), lbrace: f.Pos(strings.IndexByte(anchorSrc, '{'))}
	return e.anchor
}

func exprStmt(x ast.Expr) ast.Stmt { return &ast.ExprStmt{X: x} }

// runFramed runs statements in a function of their own called from the
// global scope (callCellFunc), with a deferred call that tells the engine
// the frame has ended:
//
//	func init() { defer golit__rt.Done(n); stmts }
//
// After an interrupt it waits, briefly, until that frame and the goroutines
// the cell started have stopped, so that the next cell does not race with
// them on the interpreter's memory.
func (e *Session) runFramed(ctx context.Context, list []ast.Stmt) *execError {
	// Positions for the wrapper, so that a panic's stack line for it
	// points at the cell's code rather than nowhere. yaegi writes the
	// line of a frame a panic leaves at the frame's first instruction,
	// which is the deferred call's.
	var pos token.Pos
	if len(list) > 0 {
		pos = list[len(list)-1].Pos()
	}
	if quiet(&ast.BlockStmt{List: list}, e.declares, e.importPath) {
		// It runs on this goroutine and has ended when the call
		// returns (quiet.go): no frame to wait for.
		return e.callCellFunc(ctx, list, pos)
	}
	tok, done := e.frameToken()
	deferDone := &ast.DeferStmt{Defer: pos, Call: &ast.CallExpr{
		Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: pos, Name: rewrite.RuntimePkg}, Sel: &ast.Ident{NamePos: pos, Name: "Done"}},
		Lparen: pos,
		Args:   []ast.Expr{&ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: strconv.Itoa(tok)}},
		Rparen: pos,
	}}
	body := append([]ast.Stmt{deferDone}, list...)
	x := e.callCellFunc(ctx, body, pos) // cellfunc.go
	if x != nil && x.kind == "interrupt" {
		deadline := time.After(80 * time.Millisecond)
		select {
		case <-done:
		case <-deadline:
		}
		e.waitGoroutines(deadline)
	}
	if x != nil && x.kind == "compile" {
		e.dropFrameToken(tok)
	}
	return x
}

// execute runs a compiled program until it ends or ctx is cancelled (see
// cancel.go). After a cancel it waits briefly for the stopped code to leave,
// so that the next cell does not run alongside it.
//
// The goroutine id returned is that of the goroutine that ran the program,
// when it failed (the interpreted stack of a panic is kept by goroutine), or
// 0.
//
// A program that only declares, or a quiet one (quiet.go), runs on the
// calling goroutine when here is set.
func (e *Session) execute(ctx context.Context, prog *yaegi.Program, here bool) (reflect.Value, uint64, error) {
	// After an os.Exit (from any goroutine, at any moment of the cell) no
	// program of the cell starts: the cell has ended (exit.go).
	sig, perr, exited := e.cellExit()
	if sig != nil || perr != nil {
		return exitResult(sig, perr)
	}
	if !yfields.ok {
		v, err := e.yi.ExecuteWithContext(ctx, prog)
		return v, 0, err
	}
	if e.declOnly {
		// No cell code runs (nothing to stop, no panic or exit of a
		// cell to catch): spare the goroutine, whose start wakes a
		// second thread (5 us of futex calls per cell).
		v, err := e.yi.Execute(prog)
		return v, 0, err
	}
	if here {
		// Quiet code ends within moments, on this goroutine: what the
		// select below would see, it sees afterwards.
		e.ctl.arm()
		v, err := e.yi.Execute(prog)
		var g uint64
		if err != nil {
			g = goid()
		}
		if sig, perr, _ := e.cellExit(); sig != nil || perr != nil {
			return exitResult(sig, perr)
		}
		if ctx.Err() != nil {
			// Interrupted meanwhile: stop the cell's goroutines as
			// the select below does.
			e.ctl.stop()
			return reflect.Value{}, 0, ctx.Err()
		}
		return v, g, err
	}
	e.ctl.arm()
	r := e.takeRunner() // runner.go
	r.jobs <- prog
	ch := r.out
	select {
	case o := <-ch:
		e.keepRunner(r, o)
		return o.v, o.gid, o.err
	case <-exited:
		e.dropRunner(r)
		// The goroutine that called os.Exit stays parked (see exit).
		sig, perr, _ := e.cellExit()
		if sig == nil {
			// A goroutine panicked (exit.go). Its deferred calls have run
			// and may have let the program go on (a deferred wg.Done):
			// give it a moment to end. A program still running or
			// waiting then is stopped as an interrupt stops code (in Go
			// the panic would have ended the whole program), so that it
			// does not run beside the next cell.
			select {
			case <-ch:
				return exitResult(sig, perr)
			case <-time.After(50 * time.Millisecond):
			}
			e.ctl.stop()
			e.epoch.stop()
			rtsync.Interrupt()
			e.interrupted = true // function values may be stale (stalefuncs.go)
			select {
			case <-ch:
			case <-time.After(80 * time.Millisecond):
			}
		}
		return exitResult(sig, perr)
	case <-ctx.Done():
	}
	e.dropRunner(r)
	e.ctl.stop()
	select {
	case <-ch:
	case <-time.After(80 * time.Millisecond):
	}
	return reflect.Value{}, 0, ctx.Err()
}
