package complete

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// scanned is one token of the code being completed.
type scanned struct {
	tok token.Token
	lit string
	off int
}

func scanAll(src string) []scanned {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)
	var out []scanned
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		if lit == "" {
			lit = tok.String()
		}
		out = append(out, scanned{tok, lit, file.Offset(pos)})
	}
}

// cellScope is what the code typed so far in the cell declares: names
// defined with :=, var, const, type and func, and function parameters.
// It is approximate on purpose (it ignores block scopes): completion only
// needs to know what a name probably is.
type cellScope struct {
	idx    *index           // declarations found in the cell
	locals map[string]*decl // := variables and parameters
}

// scanCell collects the declarations of src (the cell up to the cursor).
func scanCell(src string) *cellScope {
	toks := scanAll(src)
	var declText strings.Builder
	locals := map[string]*decl{}
	depth := 0
	stmtStart := true
	header := false // in the header of an if/for/switch statement

	// stmtEnd returns the index of the token ending the statement that
	// starts at i: a semicolon at the starting depth, a closing bracket
	// below it, or (in a header) an opening brace.
	stmtEnd := func(i int, header bool) int {
		d := 0
		for j := i; j < len(toks); j++ {
			switch toks[j].tok {
			case token.LPAREN, token.LBRACK:
				d++
			case token.LBRACE:
				if d == 0 && header {
					return j
				}
				d++
			case token.RPAREN, token.RBRACK, token.RBRACE:
				d--
				if d < 0 {
					return j
				}
			case token.SEMICOLON:
				if d == 0 {
					return j
				}
			}
		}
		return len(toks)
	}
	text := func(i, j int) string {
		if i >= len(toks) {
			return ""
		}
		end := len(src)
		if j < len(toks) {
			end = toks[j].off
		}
		return src[toks[i].off:end]
	}

	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.tok {
		case token.LPAREN, token.LBRACK:
			depth++
		case token.LBRACE:
			depth++
			header = false
			stmtStart = true
			continue
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		if t.tok == token.FUNC {
			addParams(toks, i, src, locals)
		}
		if stmtStart {
			switch t.tok {
			case token.IF, token.FOR, token.SWITCH:
				header = true
			case token.VAR, token.CONST, token.TYPE:
				j := stmtEnd(i+1, false)
				declText.WriteString(text(i, j) + "\n")
			case token.FUNC:
				if depth == 0 {
					j := stmtEnd(i+1, false)
					if j < len(toks) {
						declText.WriteString(text(i, j) + "\n")
					}
				}
			}
		}
		if t.tok == token.IDENT && (stmtStart || header && (i > 0 && (toks[i-1].tok == token.FOR || toks[i-1].tok == token.IF || toks[i-1].tok == token.SWITCH || toks[i-1].tok == token.SEMICOLON))) {
			defineAt(toks, i, src, header, stmtEnd, text, locals)
		}
		stmtStart = t.tok == token.SEMICOLON || t.tok == token.RBRACE || t.tok == token.COLON
	}
	return &cellScope{idx: parseIndex(declText.String()), locals: locals}
}

// defineAt records the names of "a, b := ..." starting at toks[i].
func defineAt(toks []scanned, i int, src string, header bool, stmtEnd func(int, bool) int, text func(int, int) string, locals map[string]*decl) {
	var names []string
	j := i
	for j < len(toks) && toks[j].tok == token.IDENT {
		names = append(names, toks[j].lit)
		if j+1 < len(toks) && toks[j+1].tok == token.COMMA {
			j += 2
			continue
		}
		j++
		break
	}
	if j >= len(toks) || toks[j].tok != token.DEFINE {
		return
	}
	end := stmtEnd(j+1, header)
	rhs := strings.TrimSpace(text(j+1, end))
	if r, ok := strings.CutPrefix(rhs, "range "); ok {
		e, err := parser.ParseExpr(r)
		if err != nil {
			return
		}
		for k, n := range names {
			locals[n] = &decl{name: n, kind: kindVar, value: e, index: k, rangeOver: true}
		}
		return
	}
	parts := splitTopLevel(rhs)
	for k, n := range names {
		d := &decl{name: n, kind: kindVar, index: k}
		switch {
		case len(parts) == len(names):
			d.value, _ = parser.ParseExpr(parts[k])
		case len(parts) == 1:
			d.value, _ = parser.ParseExpr(parts[0])
			d.multi = true
		}
		locals[n] = d
	}
}

// splitTopLevel splits s at the commas outside brackets and strings.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	for _, t := range scanAll(s) {
		switch t.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.COMMA:
			if depth == 0 {
				parts = append(parts, s[start:t.off])
				start = t.off + 1
			}
		}
	}
	return append(parts, s[start:])
}

// addParams records the receiver and parameters of the func at toks[i].
func addParams(toks []scanned, i int, src string, locals map[string]*decl) {
	// The signature runs to the body's opening brace at the func's depth.
	d := 0
	end := -1
	for j := i + 1; j < len(toks) && end < 0; j++ {
		switch toks[j].tok {
		case token.LPAREN, token.LBRACK:
			d++
		case token.RPAREN, token.RBRACK:
			d--
		case token.LBRACE:
			if d == 0 {
				// interface{} or struct{} in a signature have their
				// keyword just before the brace.
				if toks[j-1].tok == token.INTERFACE || toks[j-1].tok == token.STRUCT {
					d++
					continue
				}
				end = j
			} else {
				d++
			}
		case token.RBRACE:
			d--
		case token.SEMICOLON:
			if d == 0 {
				return
			}
		}
	}
	if end < 0 {
		return
	}
	sig := src[toks[i].off:toks[end].off]
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+sig+"{}", parser.SkipObjectResolution)
	var ft *ast.FuncType
	var recv *ast.FieldList
	if err == nil && len(f.Decls) == 1 {
		if fd, ok := f.Decls[0].(*ast.FuncDecl); ok {
			ft, recv = fd.Type, fd.Recv
		}
	}
	if ft == nil {
		e, err := parser.ParseExpr(sig + "{}")
		if err != nil {
			return
		}
		lit, ok := e.(*ast.FuncLit)
		if !ok {
			return
		}
		ft = lit.Type
	}
	for _, fl := range []*ast.FieldList{recv, ft.Params, ft.Results} {
		if fl == nil {
			continue
		}
		for _, field := range fl.List {
			for _, n := range field.Names {
				locals[n.Name] = &decl{name: n.Name, kind: kindVar, typ: field.Type}
			}
		}
	}
}
