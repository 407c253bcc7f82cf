package run

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/parse"

	"github.com/golit/golit/kernel"
)

// Variables lost in a restart. When the engine process dies (a fatal
// error, out of memory, an interrupt that could not stop the cell), the
// supervisor starts a new one and restores the notebook's declarations
// (Declarations, Restore) but not the values of its variables: re-running
// their initialisers could repeat side effects or the crash. The variables
// are declared again, so that the functions using them compile, but their
// values are zero, and reading one would be a silent wrong value. So the
// engine remembers them as lost, with the cell that defined them, and
// refuses to run a cell that reads one, directly or through the notebook's
// functions and methods, until a cell defines or assigns it again:
//
//	LostVariable: keepVar was defined in In[3] and lost when the engine
//	restarted: run In[3] again

// ENameLost is the ename of a cell that uses a variable lost in a restart.
const ENameLost = "LostVariable"

// lostMarker marks a variable in the source Declarations returns.
const lostMarker = "//golit:lost "

var lostMarkerRE = regexp.MustCompile(`(?m)^//golit:lost (\S+) (\d+)$`)

// lostLines returns the markers of the notebook's variables for
// Declarations: name and the cell that defined it.
func lostLines(names []string, cells map[string]int) string {
	var sb strings.Builder
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&sb, "%s%s %d\n", lostMarker, n, cells[n])
	}
	return sb.String()
}

// noteLost records the variables src (from Declarations) marks as lost.
func (e *Session) noteLost(src string) {
	for _, m := range lostMarkerRE.FindAllStringSubmatch(src, -1) {
		n, _ := strconv.Atoi(m[2])
		e.lost[m[1]] = n
		e.varCell[m[1]] = n
		e.decls.touchName(m[1])
	}
}

// cellAssigns returns the names a cell defines or assigns as a whole at its
// top level (x := ..., x = ..., var x ...): after it, they are no longer
// lost.
func cellAssigns(groups []*parsedGroup) map[string]bool {
	out := map[string]bool{}
	for _, pg := range groups {
		if pg.block != nil {
			for _, s := range pg.block.List {
				if as, ok := s.(*ast.AssignStmt); ok && (as.Tok == token.DEFINE || as.Tok == token.ASSIGN) {
					for _, l := range as.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							out[id.Name] = true
						}
					}
				}
			}
		}
		if pg.file != nil {
			for _, d := range pg.file.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
					for _, sp := range gd.Specs {
						for _, n := range sp.(*ast.ValueSpec).Names {
							out[n.Name] = true
						}
					}
				}
			}
		}
	}
	return out
}

// checkLost returns the error of a cell that would read a lost variable,
// or nil. assigned are the names the cell defines or assigns.
func (e *Session) checkLost(nodes []ast.Node, assigned map[string]bool) *kernel.Error {
	if len(e.lost) == 0 {
		return nil
	}
	lost := map[string]bool{}
	for n := range e.lost {
		if !assigned[n] {
			lost[n] = true
		}
	}
	if len(lost) == 0 {
		return nil
	}
	// The notebook's functions and methods that read a lost variable,
	// transitively (name -> the lost variable it reaches); the cell's own
	// declarations replace the notebook's.
	type fn struct {
		method bool
		name   string
		refs   map[string]bool
	}
	all := map[string]fn{}
	for k, d := range e.decls.byKey {
		if d.Kind == parse.FuncDecl || d.Kind == parse.MethodDecl {
			all[k] = fn{d.Kind == parse.MethodDecl, d.Names[0], d.Refs}
		}
	}
	for _, n := range nodes {
		f, ok := n.(*ast.File)
		if !ok {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				k := fd.Name.Name
				if fd.Recv != nil && len(fd.Recv.List) > 0 {
					k = parse.RecvBase(fd.Recv.List[0].Type) + "." + k
				}
				all[k] = fn{fd.Recv != nil, fd.Name.Name, parse.IdentsOf(fd)}
			}
		}
	}
	funcs := map[string]string{}
	methods := map[string]string{}
	for grew := true; grew; {
		grew = false
		for _, f := range all {
			have := funcs
			if f.method {
				have = methods
			}
			if _, ok := have[f.name]; ok {
				continue
			}
			for r := range f.refs {
				if r == f.name {
					continue // its own name
				}
				via := ""
				if lost[r] {
					via = r
				} else if v, ok := funcs[r]; ok {
					via = v
				} else if v, ok := methods[r]; ok {
					via = v
				}
				if via != "" {
					have[f.name] = via
					grew = true
					break
				}
			}
		}
	}
	var problem, through string
	for _, n := range nodes {
		ast.Inspect(n, func(c ast.Node) bool {
			if problem != "" {
				return false
			}
			switch x := c.(type) {
			case *ast.FuncDecl:
				return false // declaring reads nothing; calls are checked
			case *ast.SelectorExpr:
				if v, ok := methods[x.Sel.Name]; ok {
					problem, through = v, x.Sel.Name
				}
			case *ast.Ident:
				if lost[x.Name] {
					problem = x.Name
				} else if v, ok := funcs[x.Name]; ok {
					problem, through = v, x.Name
				}
			}
			return true
		})
	}
	if problem == "" {
		return nil
	}
	where := "in an earlier cell"
	again := "run the cell that defines it again"
	if c := e.lost[problem]; c > 0 {
		where = "in " + cellName(c)
		again = "run " + cellName(c) + " again"
	}
	msg := fmt.Sprintf("%s was defined %s and lost when the engine restarted: %s", problem, where, again)
	if through != "" {
		msg = fmt.Sprintf("%s uses %s, which was defined %s and lost when the engine restarted: %s", through, problem, where, again)
	}
	msg += " (or assign " + problem + " a value)"
	return &kernel.Error{Name: ENameLost, Value: msg, Traceback: []string{present.Red + present.Bold + ENameLost + ": " + present.Reset + msg}}
}

// forgetLost drops the names a cell that succeeded defined or assigned;
// that cell is now the one to run again.
func (e *Session) forgetLost(assigned map[string]bool, cell int) {
	for n := range assigned {
		if _, ok := e.lost[n]; ok {
			delete(e.lost, n)
			e.varCell[n] = cell
			e.decls.touchName(n)
		}
	}
}
