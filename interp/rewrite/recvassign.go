package rewrite

import (
	"go/ast"
	"go/token"
)

// Receives into captured variables: in a function literal, v = <-ch
// with v captured from the enclosing function lost the value on yaegi
// v0.16.1 (see recvAssign); it becomes a receive into a fresh variable
// followed by a plain assignment, which Go's semantics allow.
// Proved by TestScenarios "receive assigned to a captured variable in a
// closure" (interp/run/engine_test.go).

// recvAssign rewrites v = <-ch in a function literal, where v is a
// variable the literal captures, into
//
//	{ golit__rN := <-ch; v = golit__rN }
//
// (and v, ok = <-ch likewise). yaegi v0.16.1 stores a received value by
// replacing the variable's slot in the running frame instead of setting
// the variable, so in a closure the value lands in the closure's copy of
// the enclosing frame and is lost; a plain assignment sets the shared
// variable. The receive still happens before the assignment, as in Go.
// Elsewhere the statement is left alone: a variable defined by x := <-ch
// holds a value that cannot be set, only replaced, so x = t would panic.
func (r *Rewriter) recvAssign(st *ast.AssignStmt) ast.Stmt {
	if st.Tok != token.ASSIGN || len(st.Rhs) != 1 || !r.capturedAssign[st] {
		return st
	}
	if u, ok := st.Rhs[0].(*ast.UnaryExpr); !ok || u.Op != token.ARROW {
		return st
	}
	define := &ast.AssignStmt{TokPos: st.TokPos, Tok: token.DEFINE, Rhs: st.Rhs}
	assign := &ast.AssignStmt{TokPos: st.TokPos, Tok: token.ASSIGN}
	for _, l := range st.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			return st
		}
		if id.Name == "_" {
			define.Lhs = append(define.Lhs, ast.NewIdent("_"))
			continue
		}
		tmp := r.fresh("r")
		define.Lhs = append(define.Lhs, ast.NewIdent(tmp))
		assign.Lhs = append(assign.Lhs, id)
		assign.Rhs = append(assign.Rhs, ast.NewIdent(tmp))
	}
	if len(assign.Lhs) == 0 {
		return st
	}
	return &ast.BlockStmt{Lbrace: st.Pos(), List: []ast.Stmt{define, assign}, Rbrace: st.End()}
}

// capturedAssigns finds the assignments in function literals of n whose
// variables (all those not blank) are not declared in that literal: the
// literal assigns variables it captured. Names are compared, so a name
// declared anywhere in the literal counts as its own.
func capturedAssigns(n ast.Node) map[*ast.AssignStmt]bool {
	out := map[*ast.AssignStmt]bool{}
	ast.Inspect(n, func(c ast.Node) bool {
		fl, ok := c.(*ast.FuncLit)
		if !ok {
			return true
		}
		declared := map[string]bool{}
		var assigns []*ast.AssignStmt
		for _, fields := range []*ast.FieldList{fl.Type.Params, fl.Type.Results} {
			if fields == nil {
				continue
			}
			for _, f := range fields.List {
				for _, id := range f.Names {
					declared[id.Name] = true
				}
			}
		}
		ast.Inspect(fl.Body, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.FuncLit:
				return false // seen by the outer walk
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE {
					for _, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							declared[id.Name] = true
						}
					}
				} else {
					assigns = append(assigns, x)
				}
			case *ast.ValueSpec:
				for _, id := range x.Names {
					declared[id.Name] = true
				}
			case *ast.RangeStmt:
				if x.Tok == token.DEFINE {
					for _, e := range []ast.Expr{x.Key, x.Value} {
						if id, ok := e.(*ast.Ident); ok {
							declared[id.Name] = true
						}
					}
				}
			}
			return true
		})
		for _, as := range assigns {
			captured := true
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && declared[id.Name] {
					captured = false
				}
			}
			if captured {
				out[as] = true
			}
		}
		return true
	})
	return out
}
