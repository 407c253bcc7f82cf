package rewrite

import (
	"go/ast"
	"go/token"
)

// Range over an integer (Go 1.22): yaegi v0.16.1 ranges over arrays,
// slices, strings, maps, channels only, so for i := range n, with n an
// integer, becomes a three-clause loop whose variable has n's type. The
// guesser here is syntactic (literals, len, integer variables of the cell
// and of the notebook): collectInts and isIntExpr.
// Proved by TestScenarios "range over int" (interp/run/engine_test.go).

// rangeInt turns for k := range n into
//
//	{ n' := n; for k := n' - n'; k < n'; k++ { ... } }
//
// so that k has n's type, as in Go 1.22.
func (r *Rewriter) rangeInt(st *ast.RangeStmt, label *ast.Ident) ast.Stmt {
	lim := ast.NewIdent(r.fresh("n"))
	key := st.Key
	if key == nil || isBlankIdent(key) {
		key = ast.NewIdent(r.fresh("i"))
	}
	define := st.Tok == token.DEFINE || st.Key == nil || isBlankIdent(st.Key)
	var init ast.Stmt
	zero := &ast.BinaryExpr{X: lim, Op: token.SUB, Y: ast.NewIdent(lim.Name)}
	if define {
		init = &ast.AssignStmt{Lhs: []ast.Expr{key}, Tok: token.DEFINE, Rhs: []ast.Expr{zero}}
	} else {
		init = &ast.AssignStmt{Lhs: []ast.Expr{key}, Tok: token.ASSIGN, Rhs: []ast.Expr{zero}}
	}
	loop := &ast.ForStmt{
		For:  st.For,
		Init: init,
		Cond: &ast.BinaryExpr{X: copyExpr(key), Op: token.LSS, Y: ast.NewIdent(lim.Name)},
		Post: &ast.IncDecStmt{X: copyExpr(key), Tok: token.INC},
		Body: st.Body,
	}
	var inner ast.Stmt = r.forCopy(loop, label)
	return &ast.BlockStmt{List: []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{lim}, Tok: token.DEFINE, Rhs: []ast.Expr{st.X}},
		inner,
	}}
}

// intTypes are the names of Go's integer types.
var intTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"uintptr": true, "byte": true, "rune": true,
}

// isIntExpr guesses, without type checking, whether e is an integer.
func (r *Rewriter) isIntExpr(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT
	case *ast.Ident:
		if r.ints[x.Name] {
			return true
		}
		return r.IsIntGlobal != nil && r.IsIntGlobal(x.Name)
	case *ast.ParenExpr:
		return r.isIntExpr(x.X)
	case *ast.UnaryExpr:
		return (x.Op == token.SUB || x.Op == token.ADD || x.Op == token.XOR) && r.isIntExpr(x.X)
	case *ast.BinaryExpr:
		switch x.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.AND, token.OR, token.XOR, token.SHL, token.SHR, token.AND_NOT:
			if x.Op == token.SHL || x.Op == token.SHR {
				return r.isIntExpr(x.X)
			}
			return r.isIntExpr(x.X) || r.isIntExpr(x.Y)
		}
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok {
			return id.Name == "len" || id.Name == "cap" || intTypes[id.Name]
		}
	}
	return false
}

// collectInts records names that hold integers in n: variables and
// parameters declared with an integer type or initialised from an integer
// expression.
func (r *Rewriter) collectInts(n ast.Node) {
	if r.ints == nil {
		r.ints = map[string]bool{}
	}
	if r.Consts == nil {
		r.Consts = map[string]bool{}
	}
	for pass := 0; pass < 3; pass++ {
		ast.Inspect(n, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE && len(x.Lhs) == len(x.Rhs) {
					for i, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok && r.isIntExpr(x.Rhs[i]) {
							r.ints[id.Name] = true
						}
					}
				}
			case *ast.ValueSpec:
				isInt := false
				if t, ok := x.Type.(*ast.Ident); ok && intTypes[t.Name] {
					isInt = true
				}
				for i, id := range x.Names {
					if isInt || (x.Type == nil && i < len(x.Values) && r.isIntExpr(x.Values[i])) {
						r.ints[id.Name] = true
					}
				}
			case *ast.GenDecl:
				if x.Tok == token.CONST {
					for _, s := range x.Specs {
						for _, id := range s.(*ast.ValueSpec).Names {
							r.Consts[id.Name] = true
						}
					}
				}
			case *ast.Field:
				if t, ok := x.Type.(*ast.Ident); ok && intTypes[t.Name] {
					for _, id := range x.Names {
						r.ints[id.Name] = true
					}
				}
			}
			return true
		})
	}
}
