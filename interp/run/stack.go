package run

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/parse"
)

// The interpreted stack of a panic.
//
// As a panic unwinds an interpreted frame, yaegi v0.16.1 writes one line to
// its stderr: a position and the function's name. The position is that of
// the function's first instruction, not of the statement that was running
// (runCfg reports an outer variable that its loop shadows), so every frame
// of a recursive function quotes the same line, and the names come from the
// scope of that first instruction (a function whose body starts with a
// closure is named after the closure). The engine therefore uses yaegi's
// lines only to count frames and to tell which function each one runs,
// finding the function by position among the functions the cells declare
// (funcSpan), and adds what it can know for certain:
//
//   - where an explicit panic(...) was called: the rewrite below records the
//     position just before the call (panicAt), which costs nothing until a
//     panic happens;
//   - which top-level statement of the cell was running: the cell's
//     statements set a variable to their number (stmtMark), once per
//     statement per run, never inside loops or functions.
//
// Other frames show the function's name and where it is declared, and say
// so: yaegi does not record the line a function was running.

// rawFrame is a line yaegi wrote while a panic unwound a frame, and how many
// times in a row it wrote it (recursion).
type rawFrame struct {
	pos string // "In[3]:2:5", or "-" when the first instruction has no position
	fn  string // yaegi's name: main.deep, main.func, main
	n   int
}

// A goroutine keeps up to maxFrames distinct frames of a panic, innermost
// first, and then its tailFrames outermost ones (the cell's own frame among
// them); the frames in between are counted.
const (
	maxFrames  = 100
	tailFrames = 10
)

// goroutineStack holds the frames one goroutine's panic has unwound so far.
type goroutineStack struct {
	frames  []rawFrame
	tail    []rawFrame
	dropped int // frames between frames and tail
}

// add records the next frame outwards.
func (st *goroutineStack) add(r rawFrame) {
	list := &st.frames
	if len(st.frames) >= maxFrames {
		list = &st.tail
		if len(st.tail) == 0 {
			list = &st.frames // a run of the last kept frame goes on
		}
	}
	if n := len(*list); n > 0 && (*list)[n-1].pos == r.pos && (*list)[n-1].fn == r.fn {
		(*list)[n-1].n++
		return
	}
	if len(st.frames) < maxFrames {
		st.frames = append(st.frames, r)
		return
	}
	if len(st.tail) == tailFrames {
		st.dropped += st.tail[0].n
		st.tail = append(st.tail[:0], st.tail[1:]...)
	}
	st.tail = append(st.tail, r)
}

// all returns the frames, with a frame without position for the dropped ones.
func (st *goroutineStack) all() []rawFrame {
	out := append([]rawFrame(nil), st.frames...)
	if st.dropped > 0 {
		out = append(out, rawFrame{n: st.dropped})
	}
	return append(out, st.tail...)
}

// funcSpan is a function declared in a cell: a function or method
// declaration, or a function literal.
type funcSpan struct {
	name string         // "deep", "T.M"; for a literal, the function it is in ("" for the cell)
	lit  bool           // a function literal
	decl token.Position // the name of a declaration, the func keyword of a literal
	from token.Position // the body's braces
	to   token.Position
}

// contains reports whether p lies inside the span's body.
func (s *funcSpan) contains(p token.Position) bool {
	return p.Filename == s.from.Filename && !before(p, s.from) && !before(s.to, p)
}

// before reports whether a comes before b in the same file.
func before(a, b token.Position) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
}

// label names the span's function for a user.
func (s *funcSpan) label() string {
	if !s.lit {
		return s.name
	}
	if s.name == "" {
		return "a function literal in the cell"
	}
	return "a function literal in " + s.name
}

// recordSpans remembers the functions that nodes (the parsed groups of a
// cell, before any rewrite) declare, by the positions the cell gives them.
func (e *Session) recordSpans(cell int, nodes []ast.Node) {
	fset := e.yi.FileSet()
	var spans []*funcSpan
	var walk func(n ast.Node, in string)
	walk = func(n ast.Node, in string) {
		ast.Inspect(n, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.FuncDecl:
				if x.Body == nil {
					return false
				}
				name := x.Name.Name
				if x.Recv != nil && len(x.Recv.List) == 1 {
					name = orUnknown(parse.RecvBase(x.Recv.List[0].Type)) + "." + name
				}
				spans = append(spans, &funcSpan{name: name, decl: fset.Position(x.Name.Pos()),
					from: fset.Position(x.Body.Lbrace), to: fset.Position(x.Body.Rbrace)})
				walk(x.Body, name)
				return false
			case *ast.FuncLit:
				spans = append(spans, &funcSpan{name: in, lit: true, decl: fset.Position(x.Type.Func),
					from: fset.Position(x.Body.Lbrace), to: fset.Position(x.Body.Rbrace)})
				walk(x.Body, in)
				return false
			}
			return true
		})
	}
	for _, n := range nodes {
		walk(n, "")
	}
	e.panicMu.Lock()
	e.spans[cell] = append(e.spans[cell], spans...)
	e.panicMu.Unlock()
}

// orUnknown is name, or "?" when it is empty.
func orUnknown(name string) string {
	if name == "" {
		return "?"
	}
	return name
}

// spanAt returns the innermost declared function whose body holds the
// position pos ("In[3]:2:5"), or nil when pos is the cell's own code or
// unknown. The caller holds panicMu.
func (e *Session) spanAt(pos string) (*funcSpan, bool) {
	p, ok := parsePos(pos)
	if !ok {
		return nil, false
	}
	cell, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p.Filename, "In["), "]"))
	if err != nil {
		return nil, false
	}
	var best *funcSpan
	for _, s := range e.spans[cell] {
		if s.contains(p) && (best == nil || before(best.from, s.from)) {
			best = s
		}
	}
	return best, true
}

// parsePos parses "In[3]:2:5".
func parsePos(s string) (token.Position, bool) {
	m := present.CellPosRE.FindStringSubmatch(s)
	if m == nil || m[0] != s {
		return token.Position{}, false
	}
	line, _ := strconv.Atoi(m[3])
	col, _ := strconv.Atoi(m[4])
	return token.Position{Filename: m[1], Line: line, Column: col}, true
}

// stmtMark is where a top-level statement of a cell starts and its last
// line. The statements are numbered in the order they run (Engine.stmts);
// golit__stmt holds the number of the one running. A statement the engine
// runs on its own gets it from the engine (setStmt); in a run of
// statements compiled together, each one increments golit__stmt (markStmt)
// after the engine has set it to the number before the run's first
// (startStmts). An increment costs yaegi less to compile than an assignment
// of a constant or a call, and top-level statements run once each, in order
// (a goto backwards at the top level of a cell would confuse the count).
type stmtMark struct {
	pos  string
	last int
}

// stmtMarks returns where each statement of list starts and its last line.
func (e *Session) stmtMarks(list []ast.Stmt) []stmtMark {
	fset := e.yi.FileSet()
	out := make([]stmtMark, len(list))
	for i, s := range list {
		if s.Pos().IsValid() {
			out[i] = stmtMark{pos: fset.Position(s.Pos()).String(), last: fset.Position(s.End()).Line}
		}
	}
	return out
}

// markStmt numbers m and returns the statement golit__stmt++ at the
// position of st with its number, or nil when m has no position.
func (e *Session) markStmt(m stmtMark, st ast.Stmt) (ast.Stmt, int) {
	if m.pos == "" {
		return nil, 0
	}
	return &ast.IncDecStmt{X: &ast.Ident{NamePos: st.Pos(), Name: rewrite.Prefix + "stmt"}, TokPos: st.Pos(), Tok: token.INC}, e.addStmt(m)
}

// addStmt gives m the next number.
func (e *Session) addStmt(m stmtMark) int {
	e.panicMu.Lock()
	defer e.panicMu.Unlock()
	e.stmts = append(e.stmts, m)
	return len(e.stmts) - 1
}

// startStmts prepares golit__stmt for a run whose first counting statement
// is number first (nothing when first < 0).
func (e *Session) startStmts(first int) {
	if first >= 0 && e.stmtVar.IsValid() {
		e.stmtVar.SetInt(int64(first - 1))
	}
}

// clearStmt records that no statement of the cell is running.
func (e *Session) clearStmt() {
	if e.stmtVar.IsValid() {
		e.stmtVar.SetInt(0)
	}
}

// setStmt records that the statement m, run on its own, is about to run.
func (e *Session) setStmt(m stmtMark) {
	if m.pos == "" || !e.stmtVar.IsValid() {
		return
	}
	e.stmtVar.SetInt(int64(e.addStmt(m)))
}

// runningStmt returns the top-level statement that ran last. The caller
// holds panicMu; the cell's code has stopped.
func (e *Session) runningStmt() stmtMark {
	if !e.stmtVar.IsValid() {
		return stmtMark{}
	}
	n := int(e.stmtVar.Int())
	if n <= 0 || n >= len(e.stmts) {
		return stmtMark{}
	}
	return e.stmts[n]
}

// panicAt records where the running goroutine is about to call panic
// (golit__panicAt). Frames left from an earlier panic of the goroutine,
// which something recovered, are dropped.
func (e *Session) panicAt(pos string) {
	g := goid()
	e.panicMu.Lock()
	e.panicPos[g] = pos
	delete(e.panicFrames, g)
	e.panicMu.Unlock()
}

// notePanicFrame records one interpreted frame of a panic in progress in
// the calling goroutine (yaegi writes the line from the panicking
// goroutine).
func (e *Session) notePanicFrame(pos, fn string) {
	if debugRewrite {
		fmt.Fprintln(os.Stderr, "golit: panic frame", pos, fn)
	}
	g := goid()
	e.panicMu.Lock()
	defer e.panicMu.Unlock()
	st := e.panicFrames[g]
	if st == nil {
		st = &goroutineStack{}
		e.panicFrames[g] = st
	}
	st.add(rawFrame{pos: pos, fn: strings.TrimSuffix(fn, "(...)"), n: 1})
}

// resetPanics forgets the frames, panic positions and statement recorded so
// far (a new cell starts).
func (e *Session) resetPanics() {
	e.panicMu.Lock()
	clear(e.panicFrames)
	clear(e.panicPos)
	e.stmts = append(e.stmts[:0], stmtMark{}) // number 0: none
	e.panicMu.Unlock()
	e.clearStmt()
}

// takeStack returns the interpreted stack of the panic of goroutine g (all
// goroutines' frames when g is 0) with value v, and forgets that
// goroutine's frames. The cell's own frame is shown only when cell is set
// (the panic happened in the cell's goroutine).
func (e *Session) takeStack(g uint64, v any, cell bool) present.StackTrace {
	e.panicMu.Lock()
	defer e.panicMu.Unlock()
	var raw []rawFrame
	note, hasNote := e.panicPos[g]
	if g == 0 {
		for _, st := range e.panicFrames {
			raw = append(raw, st.all()...)
		}
		clear(e.panicFrames)
	} else if st := e.panicFrames[g]; st != nil {
		raw = st.all()
		delete(e.panicFrames, g)
	}
	delete(e.panicPos, g)
	if present.IsRuntimeError(v) {
		// A runtime error did not come from a panic call: a recorded
		// position belongs to an earlier, recovered panic.
		hasNote = false
	}

	type frame struct {
		span    *funcSpan // nil: the cell's own code
		raw     string    // yaegi's position
		calls   int
		exact   string // the position of the running statement, if known
		dropped int    // not a frame: this many frames are not shown
	}
	var frames []frame
	for _, r := range raw {
		if r.pos == "" {
			frames = append(frames, frame{dropped: r.n})
			continue
		}
		span, ok := e.spanAt(r.pos)
		if !ok {
			if r.fn != "main" && r.fn != "main.func" && r.fn != "main.init" {
				continue // golit's own wrappers, or code outside the cells
			}
			// The cell's wrapper (callCellFunc's init), whose first
			// instruction golit made.
			span = nil
		}
		if span == nil && !cell {
			continue
		}
		if n := len(frames); n > 0 && frames[n-1].span == span && frames[n-1].dropped == 0 {
			// The cell runs in nested wrappers: one frame. A function
			// with its own first instruction again is recursion; with
			// another, it is a wrapper golit put inside the function (a
			// loop body run per iteration): one frame.
			if last := &frames[n-1]; span != nil && last.raw == r.pos {
				last.calls += r.n
			}
			continue
		}
		calls := r.n
		if span == nil {
			calls = 1
		}
		frames = append(frames, frame{span: span, raw: r.pos, calls: calls})
	}
	if len(frames) > 0 && hasNote && frames[0].dropped == 0 {
		if s, ok := e.spanAt(note); ok && s == frames[0].span {
			// The innermost frame called panic there; its other calls
			// (recursion) are frames of their own.
			if frames[0].calls > 1 {
				rest := frames[0]
				rest.calls--
				frames = append([]frame{{span: s, raw: rest.raw, calls: 1}}, frames...)
				frames[1] = rest
			}
			frames[0].exact = note
		}
	}
	var out present.StackTrace
	for _, f := range frames {
		switch {
		case f.dropped > 0:
			out.Frames = append(out.Frames, fmt.Sprintf("(%d more frames)", f.dropped))
		case f.exact != "" && f.span == nil:
			out.Frames = append(out.Frames, f.exact+": cell")
		case f.exact != "":
			out.Frames = append(out.Frames, f.exact+": "+f.span.label())
		case f.span == nil:
			s := e.runningStmt()
			switch {
			case s.pos == "":
				// Nothing to say beyond the frames inside (a pasted
				// program's main, say).
			case s.last > lineOf(s.pos):
				out.Frames = append(out.Frames, "in the cell, in the statement at "+s.pos)
			default:
				out.Frames = append(out.Frames, s.pos+": cell")
			}
		default:
			calls := ""
			if f.calls > 1 {
				calls = fmt.Sprintf(" (%d calls)", f.calls)
			}
			out.Frames = append(out.Frames, fmt.Sprintf("in %s%s, declared at %s", f.span.label(), calls, f.span.decl))
			out.Approximate = true
		}
	}
	return out
}

// lineOf returns the line of a position "In[n]:line:col".
func lineOf(pos string) int {
	p, _ := parsePos(pos)
	return p.Line
}

// goid returns the id of the calling goroutine (from its stack trace's
// first line, "goroutine 123 [running]:"). Only panics pay for it.
func goid() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	n, _ := strconv.ParseUint(string(b), 10, 64)
	return n
}
