package run

import (
	"context"
	"go/ast"
	"reflect"
	"strconv"

	"github.com/golit/golit/interp/parse"
	"github.com/golit/golit/interp/present"
	"github.com/golit/golit/interp/rewrite"
	"github.com/golit/golit/kernel"
)

// The stages of a cell's Go code, one method each, in the order
// interp.Engine.Execute calls them (and RunCode, for the Go code of a cell
// with magics and for Restore):
//
//	cell, f := s.NewCell(ctx, req) // the cell's file In[n]
//	f = s.ParseCell(cell)          // parse: groups with positions in the cell
//	f = s.Import(cell)             // imports, written and missing
//	f = s.CheckLost(cell)          // variables lost in a restart
//	for _, g := range cell.Groups {
//		f = s.Rewrite(cell, g)  // rewrite: the group's syntax for yaegi
//		f = s.RunGroup(cell, g) // run: compiled and run on yaegi
//	}
//	f = s.RunMain(cell)            // a pasted program's main
//	reply := s.Present(cell)       // Out[n]; a failure: s.PresentFailure(f)
//
// Each stage returns nil or the Failure that ends the cell.

// A Cell is one cell's Go code on its way through the stages: what NewCell
// and ParseCell made of the request, and what the later stages learn.
type Cell struct {
	// Groups are the cell's declarations and statements, in runs of one
	// kind, in the order they appear in the cell. ParseCell fills it;
	// the cell's imports are not in it (Import makes them first).
	Groups []*Group

	req     kernel.ExecuteRequest
	run     cellRun        // what the run stage's steps share
	parsed  []*parsedGroup // every group, imports first
	imports []*parsedGroup // the groups of imports

	assigned    map[string]bool // names the cell assigns as a whole (lostvars.go)
	mainDefined bool            // the cell declares func main
	last        reflect.Value   // the value of the cell's final expression
	lastShown   bool            // last is the cell's result
}

// A Group is a run of a cell's top-level units of one kind, declarations
// or statements, parsed with positions in the cell (In[n]:line:col).
type Group struct {
	Kind      parse.Kind // parse.Decl or parse.Stmt
	Line, Col int        // where the group starts in the cell

	pg   parsedGroup
	last bool // the cell's last group: a final expression is its result

	rewritten // what Rewrite leaves for RunGroup
}

// rewritten is what the rewrite stage of a group records for its run
// stage, besides the group's syntax, which it rewrites in place.
type rewritten struct {
	rw *rewrite.Rewriter // the group's rewriter (its range-over-func notes; a final expression)

	// A group of statements (stmts.go).
	wantResult bool       // the cell's last group, not silent: a final expression is its result
	final      ast.Expr   // that expression, taken out of the group, not yet rewritten
	origStmts  []ast.Stmt // the statements before the rewrite, for retryRangeFuncs; nil when no retry can find them
	marks      []stmtMark // where each rewritten statement is in the cell

	// A group of declarations (redefine.go).
	entries      []*parse.Declaration // the group's declarations, for the registry
	changed      map[string]bool      // names the group redefines
	changedTypes map[string]bool      // types declared again (redefined, or for a method)
	pre          []*parse.Declaration // types declared again before the group, for a redefined method
	origFile     *ast.File            // the group before the rewrite, for retryRangeFuncs
}

// A Failure is a stage's error, not yet a Jupyter error: PresentFailure
// makes it one.
type Failure struct {
	x    *execError
	cell *Cell         // set when the cell's code can make x more precise
	kerr *kernel.Error // set when the error is ready as it is
}

// Error returns the failure's message.
func (f *Failure) Error() string {
	if f.kerr != nil {
		return f.kerr.Name + ": " + f.kerr.Value
	}
	return f.x.Error()
}

// NewCell prepares the session for a cell's Go code: positions in it are
// reported as In[n] (req.ExecutionCount), the notebook's imports are made
// again in that file (yaegi keys imports by file, see fileName), imports
// and roots kept for earlier cells are dropped, and the previous cell's
// panics and result are forgotten.
func (s *Session) NewCell(ctx context.Context, req kernel.ExecuteRequest) (*Cell, *Failure) {
	cell := &Cell{req: req, run: cellRun{ctx: ctx, count: req.ExecutionCount, src: req.Code}}
	s.curFile = cellName(cell.run.count)
	s.forgetImports(s.curFile)
	s.forgetRoots()
	if x := s.ensureImports(ctx, s.curFile); x != nil {
		return nil, &Failure{x: x}
	}
	s.resetPanics()
	s.resMu.Lock()
	s.res = result{}
	s.resMu.Unlock()
	return cell, nil
}

// ParseCell is the parse stage: interp/parse cuts the cell at its
// top-level semicolons into imports, declarations and statements; the
// imports go first, neighbouring units of one kind are joined into a
// group, and each group is parsed with go/parser at its place in the cell,
// so that errors point to In[n]:line:col. A syntax error is the cell's
// failure.
func (s *Session) ParseCell(cell *Cell) *Failure {
	units := groupUnits(parse.Split(cell.run.src))
	cell.parsed = make([]*parsedGroup, 0, len(units))
	for _, u := range units {
		if u.kind == parse.Package {
			continue
		}
		g := &Group{Kind: u.kind, Line: u.line, Col: u.col}
		if err := s.parseGroup(&cell.run, u, &g.pg); err != nil {
			return &Failure{x: &execError{kind: "compile", err: err}}
		}
		cell.parsed = append(cell.parsed, &g.pg)
		if u.kind == parse.Import {
			cell.imports = append(cell.imports, &g.pg)
			continue
		}
		if cell.Groups == nil {
			cell.Groups = make([]*Group, 0, len(units)-len(cell.imports))
		}
		cell.Groups = append(cell.Groups, g)
	}
	if n := len(cell.Groups); n > 0 && &cell.Groups[n-1].pg == cell.parsed[len(cell.parsed)-1] {
		cell.Groups[n-1].last = true
	}
	var nodes []ast.Node
	if len(cell.parsed) > 0 {
		nodes = make([]ast.Node, 0, len(cell.parsed))
	}
	for _, pg := range cell.parsed {
		if pg.file != nil {
			nodes = append(nodes, pg.file)
		} else {
			nodes = append(nodes, pg.block)
		}
	}
	cell.run.nodes = nodes
	return nil
}

// Import makes the cell's imports in the session: those it writes, and the
// standard and helper packages it uses without importing them
// (autoimport.go, with a note on stderr when a name fits several), each
// bound to its name for the cells that follow. It also records where the
// cell's functions are declared, for the stacks of panics (stack.go).
func (s *Session) Import(cell *Cell) *Failure {
	nodes := cell.run.nodes
	s.recordSpans(cell.run.count, nodes)
	var specs []importSpec
	for _, pg := range cell.imports {
		for _, d := range pg.file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, sp := range gd.Specs {
				is := sp.(*ast.ImportSpec)
				p, _ := strconv.Unquote(is.Path.Value)
				spec := importSpec{path: p, pos: s.yi.FileSet().Position(is.Pos()).String()}
				if is.Name != nil {
					spec.name = is.Name.Name
				}
				specs = append(specs, spec)
			}
		}
	}
	auto, notes := s.missingImports(nodes, s.isKnownName)
	for _, p := range auto {
		specs = append(specs, importSpec{path: p, auto: true})
	}
	for _, n := range notes {
		s.note("note: " + n + "\n")
	}
	if x := s.importAll(cell.run.ctx, specs); x != nil {
		return &Failure{x: x}
	}
	return nil
}

// CheckLost fails a cell that reads a variable lost in a restart of the
// engine without assigning it first, naming the cell to run again
// (lostvars.go).
func (s *Session) CheckLost(cell *Cell) *Failure {
	cell.assigned = cellAssigns(cell.parsed)
	if kerr := s.checkLost(cell.run.nodes, cell.assigned); kerr != nil {
		return &Failure{kerr: kerr}
	}
	return nil
}

// Rewrite is the rewrite stage of one group: its syntax is rewritten in
// place by a rewrite.Rewriter told what the notebook declares at this
// moment (rewriter.go), and what the run stage needs is recorded on g: the
// rewriter, the statements' positions for panics' stacks, a final
// expression to show, and a copy of the group before the rewrite for a
// retry. A group of statements takes the names it defines out of the
// registry first, a group of declarations finds the names it redefines
// (stmts.go, redefine.go). The groups go one at a time, Rewrite then
// RunGroup, because a group's rewrite depends on what the groups before it
// declared. A rewrite error is the cell's failure.
//
// Rewrite is not free of yaegi: before a group of declarations is
// rewritten, the types it declares again are unbound on yaegi, and a type
// whose method it redefines is declared again (redefine.go), because the
// rewriter reads the interpreter's globals, which these steps change.
func (s *Session) Rewrite(cell *Cell, g *Group) *Failure {
	var x *execError
	switch g.Kind {
	case parse.Decl:
		if rewrite.RenameMain(g.pg.file) {
			cell.mainDefined = true
		}
		x = s.rewriteDecls(&cell.run, g)
	case parse.Stmt:
		x = s.rewriteStmts(&cell.run, g, g.last && !cell.req.Silent)
	}
	if x != nil {
		return &Failure{x: x, cell: cell}
	}
	return nil
}

// RunGroup is the run stage of one group that Rewrite prepared: it is
// compiled and run on yaegi (compile.go). Declarations update the
// notebook's registry and compile again what depends on a name they
// redefine (redefine.go); statements define notebook variables and keep
// the value of a final expression, which is rewritten, with the group's
// rewriter, once the statements before it ran (stmts.go). When yaegi
// rejects a range over a function whose kind the rewrite could not tell,
// the run stage asks the rewrite again: a new rewriter, given a hint
// (rewrite.RangeForce, rangeretry.go), rewrites a copy of the group's
// original code, which is compiled and run instead. An interrupt during
// the group is the cell's failure.
func (s *Session) RunGroup(cell *Cell, g *Group) *Failure {
	switch g.Kind {
	case parse.Decl:
		if x := s.runDecls(&cell.run, g); x != nil {
			return &Failure{x: x, cell: cell}
		}
	case parse.Stmt:
		v, shown, x := s.runStmts(&cell.run, g)
		if x != nil {
			return &Failure{x: x, cell: cell}
		}
		cell.last, cell.lastShown = v, shown
	}
	if err := cell.run.ctx.Err(); err != nil {
		return &Failure{x: &execError{kind: "interrupt", err: err}}
	}
	return nil
}

// RunMain runs the main function of a pasted program (package main ...
// func main), which Rewrite renamed and RunGroup declared; then the
// variables the cell assigned are no longer lost.
func (s *Session) RunMain(cell *Cell) *Failure {
	if cell.mainDefined {
		s.clearStmt() // main runs, no statement of the cell
		blk := s.newBlock(&ast.ExprStmt{X: &ast.CallExpr{Fun: ast.NewIdent(rewrite.MainName)}})
		if _, x := s.compileRun(cell.run.ctx, blk); x != nil {
			return &Failure{x: x}
		}
	}
	s.forgetLost(cell.assigned, cell.run.count)
	return nil
}

// Present is the present stage of a cell that ran: its result, Out[n], is
// the value of its final expression, in every MIME form the value has
// (interp/present; the forms that call the value's methods, such as
// Render or HTML, were computed by interpreted code as the expression ran,
// richcalls.go); then the request's user expressions are evaluated.
func (s *Session) Present(cell *Cell) kernel.ExecuteReply {
	req := cell.req
	reply := kernel.ExecuteReply{Status: kernel.StatusOK}
	s.resMu.Lock()
	res := s.res
	s.resMu.Unlock()
	if cell.lastShown && !req.Silent {
		lastVal := cell.last
		if !res.set && lastVal.IsValid() && !isInternal(lastVal) {
			res = result{set: true, v: present.UnwrapYaegi(lastVal)}
		}
		if res.set {
			reply.Result = bundleOf(s.richResult(cell.run.ctx, res))
		}
	}
	if len(req.UserExpressions) > 0 {
		s.clearStmt()
		reply.UserExpressions = s.userExpressions(&cell.run, req.UserExpressions)
	}
	return reply
}

// PresentFailure is the present stage of a cell that failed: the failure
// becomes a Jupyter error at In[n]:line:col with the line quoted
// (interp/present). A failure while the groups ran is first made more
// precise with the cell's code, where yaegi's message is vague or points
// into golit's own sources (failure.go, internalerr.go, inferhint.go).
func (s *Session) PresentFailure(f *Failure) kernel.ExecuteReply {
	switch {
	case f.kerr != nil:
		return kernel.ExecuteReply{Status: kernel.StatusError, Err: f.kerr}
	case f.cell != nil:
		return s.failureIn(&f.cell.run, f.x)
	default:
		return s.failure(f.x)
	}
}
