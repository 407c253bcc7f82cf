package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// The passes make yaegi v0.16.1 run the Go of the release that built
// golit, and make goroutines safe. Rewrite applies them in this order,
// each from its own file:
//
//	newexpr.go      new(expr) of Go 1.26
//	rangeint.go     (collects the names that hold integers)
//	laterstd.go     reflect.TypeFor, errors.AsType
//	stdgeneric.go   sync.OnceValue(s), atomic.Pointer, min, max, clear
//	iterparams.go   iter.Seq parameters of generic functions
//	rangefunc.go    for x := range seq over a function (Go 1.23)
//	  typeargs.go   (on every call, as it types them) type arguments
//	                yaegi cannot infer; fmt/log operands as golit__rt.Typed
//	recvassign.go   (finds assignments to captured variables)
//	then, statement by statement, bottom-up (rewriteStmt):
//	  loopcapture.go  closures given to compiled code in a loop body
//	  stditer.go      ranges over maps.Keys, slices.All, ...
//	  rangeint.go     for i := range n over an integer (Go 1.22)
//	  loopvar.go      per-iteration loop variables (Go 1.22)
//	  golaunch.go     go statements: arguments now, started by golit__rt.Go
//	  recvassign.go   v = <-ch into a captured variable
//	builtinprint.go print and println to stderr
//	funclitpair.go  function literals assigned beside composite literals
//
// The engine applies three more on its own schedule: MarkPanics
// (panicpos.go) and MarkLogCalls (logpos.go) before Rewrite, CellDefers
// (celldefers.go) on a cell's top-level statements, and RenameMain
// (mainfunc.go) on a pasted program.
//
// The rewritten code refers to names that start with Prefix, which a
// cell cannot declare by accident.

// Prefix starts every name the rewrites and the engine add to a cell's code.
const Prefix = "golit__"

// Rewriter carries what the rewrites need to know about the notebook.
type Rewriter struct {
	// Seq numbers the fresh names the rewrites make; the engine starts it
	// where the previous cell's rewrites stopped.
	Seq int
	// IsIntGlobal reports whether a notebook variable or constant holds an
	// integer; nil means no globals are known.
	IsIntGlobal func(name string) bool
	// ints holds names that hold an integer in the code being rewritten.
	ints map[string]bool
	// Pkgs holds the names of imported packages, never loop-captured values.
	Pkgs map[string]bool
	// Consts holds names of constants, which go statements need not copy.
	Consts map[string]bool
	// IsNotebookConst reports whether the notebook declares name as a
	// constant (looked up per name: the notebook may hold thousands).
	IsNotebookConst func(name string) bool
	// Paths maps imported package names to import paths.
	Paths map[string]string
	// IsDeclared reports whether the notebook declares a name; nil means
	// nothing is known.
	IsDeclared func(name string) bool
	// capturedAssign holds the assignments of function literals to
	// variables they capture (see recvAssign).
	capturedAssign map[*ast.AssignStmt]bool

	// For ranges over functions (rangefunc.go):
	Notebook Notebook       // what the notebook knows about types
	guess    *guesser       // made for the code being rewritten
	Fset     *token.FileSet // positions of the code, for messages
	Force    RangeForce     // ranges to treat as ranges over functions
	// UnknownRanges are the ranges whose operand the guesser could not type.
	UnknownRanges []RangeAt
	// FuncRanges are the positions of the ranges over functions rewritten.
	FuncRanges []token.Pos
	// GenericCalls are the calls of the notebook's generic functions
	// whose type arguments the guesser could not find (generichint.go).
	GenericCalls []GenericCall
	// Err is a construct the rewrite cannot express (reported as a
	// compile error of the cell).
	Err error
}

// fresh returns a new name for code a rewrite adds.
func (r *Rewriter) fresh(what string) string {
	r.Seq++
	return fmt.Sprintf("%s%s%d", Prefix, what, r.Seq)
}

// Rewrite applies every rewrite to n (a file or a block) in place.
func (r *Rewriter) Rewrite(n ast.Node) {
	if Inert(n) {
		// Nothing to change; the integers it defines are still noted
		// for the code this Rewriter rewrites next.
		r.collectInts(n)
		return
	}
	r.passes(n)
}

// passes applies every pass to n.
func (r *Rewriter) passes(n ast.Node) {
	r.newExprs(n)
	r.collectInts(n)
	r.laterStd(n)
	r.stdGenerics(n)
	r.iterParams(n)
	r.rangeFuncs(n)
	r.capturedAssign = capturedAssigns(n)
	r.rewriteNode(n)
	r.builtinPrints(n)
	r.funcLitPairs(n)
}

// rewriteNode walks n bottom-up and replaces statements in their lists.
func (r *Rewriter) rewriteNode(n ast.Node) {
	ast.Inspect(n, func(c ast.Node) bool {
		switch b := c.(type) {
		case *ast.BlockStmt:
			for _, s := range b.List {
				r.rewriteNode(s)
			}
			for i, s := range b.List {
				b.List[i] = r.rewriteStmt(s)
			}
			return false
		case *ast.CaseClause:
			for _, s := range b.Body {
				r.rewriteNode(s)
			}
			for i, s := range b.Body {
				b.Body[i] = r.rewriteStmt(s)
			}
			return false
		case *ast.CommClause:
			if b.Comm != nil {
				r.rewriteNode(b.Comm)
			}
			if as, ok := b.Comm.(*ast.AssignStmt); ok {
				if blk, ok := r.recvAssign(as).(*ast.BlockStmt); ok {
					// case v = <-ch: becomes case t := <-ch: v = t.
					b.Comm = blk.List[0]
					b.Body = append([]ast.Stmt{blk.List[1]}, b.Body...)
				}
			}
			for _, s := range b.Body {
				r.rewriteNode(s)
			}
			for i, s := range b.Body {
				b.Body[i] = r.rewriteStmt(s)
			}
			return false
		}
		return true
	})
}

// rewriteStmt returns the replacement of one statement whose children are
// already rewritten.
func (r *Rewriter) rewriteStmt(s ast.Stmt) ast.Stmt {
	switch st := s.(type) {
	case *ast.RangeStmt:
		copyBodyCaptures(st.Body)
		r.rangeOverIterator(st)
		if r.isIntExpr(st.X) && st.Value == nil {
			return r.rangeInt(st, nil)
		}
		return r.rangeCopy(st, nil)
	case *ast.ForStmt:
		copyBodyCaptures(st.Body)
		return r.forCopy(st, nil)
	case *ast.LabeledStmt:
		switch inner := st.Stmt.(type) {
		case *ast.ForStmt:
			copyBodyCaptures(inner.Body)
			st.Stmt = r.forCopy(inner, st.Label)
		case *ast.RangeStmt:
			copyBodyCaptures(inner.Body)
			r.rangeOverIterator(inner)
			if r.isIntExpr(inner.X) && inner.Value == nil {
				blk := r.rangeInt(inner, st.Label).(*ast.BlockStmt)
				blk.List[1] = &ast.LabeledStmt{Label: st.Label, Colon: st.Colon, Stmt: blk.List[1]}
				return blk
			}
			st.Stmt = r.rangeCopy(inner, st.Label)
		}
		return st
	case *ast.GoStmt:
		return r.goLaunch(st)
	case *ast.AssignStmt:
		return r.recvAssign(st)
	}
	return s
}

func isBlankIdent(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

func copyExpr(e ast.Expr) ast.Expr {
	if id, ok := e.(*ast.Ident); ok {
		return ast.NewIdent(id.Name)
	}
	return e
}

// RuntimePkg is the name the runtime support package is imported under.
const RuntimePkg = Prefix + "rt"

// HasPrefix reports whether a name belongs to the engine: made by a
// Rewrite (golit__), or a hidden variable of the magics (_golit).
func HasPrefix(s string) bool {
	return strings.HasPrefix(s, Prefix) || strings.HasPrefix(s, "_golit")
}
