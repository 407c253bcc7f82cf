package interp

import (
	"go/scanner"
	"go/token"
)

// unitKind classifies one top-level unit of a cell.
type unitKind int

const (
	unitStmt    unitKind = iota // a statement, run in order
	unitDecl                    // const, var, type, func or method declaration
	unitImport                  // an import declaration
	unitPackage                 // a package clause, dropped
)

// unit is one top-level piece of a cell: a declaration or a statement.
type unit struct {
	kind       unitKind
	start, end int // byte offsets in the cell
	line, col  int // position of start in the cell, 1-based
}

// splitCell cuts a cell into top-level units at the semicolons (explicit or
// inserted at line ends) found outside brackets. It does not parse: a unit is
// classified by its first tokens, and the parser reports errors later, with
// positions that point into the cell.
func splitCell(src string) []unit {
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)

	type tok struct {
		pos token.Pos
		tok token.Token
		lit string
	}
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{pos, t, lit})
	}

	var units []unit
	depth := 0
	first := -1 // index in toks of the unit's first token
	finish := func(endOff int) {
		if first < 0 {
			return
		}
		startOff := file.Offset(toks[first].pos)
		p := file.Position(toks[first].pos)
		u := unit{start: startOff, end: endOff, line: p.Line, col: p.Column}
		u.kind = classify(toks[first].tok, func(i int) (token.Token, bool) {
			j := first + i
			if j < len(toks) {
				return toks[j].tok, true
			}
			return token.EOF, false
		})
		units = append(units, u)
		first = -1
	}
	for i, t := range toks {
		switch t.tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			if depth > 0 {
				depth--
			}
		case token.SEMICOLON:
			if depth == 0 {
				finish(file.Offset(t.pos))
				continue
			}
		}
		if first < 0 {
			first = i
		}
	}
	finish(len(src))
	// Trim trailing spaces of units (an inserted semicolon sits at the newline).
	for i := range units {
		for units[i].end > units[i].start && isSpace(src[units[i].end-1]) {
			units[i].end--
		}
	}
	return units
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// classify tells the kind of a unit from its first tokens; at(i) returns the
// i-th token of the unit.
func classify(first token.Token, at func(i int) (token.Token, bool)) unitKind {
	switch first {
	case token.PACKAGE:
		return unitPackage
	case token.IMPORT:
		return unitImport
	case token.CONST, token.TYPE, token.VAR:
		return unitDecl
	case token.FUNC:
		next, _ := at(1)
		if next == token.IDENT {
			return unitDecl
		}
		if next != token.LPAREN {
			return unitStmt
		}
		// func (recv T) Name(...) is a method; func(...) ... is a literal.
		depth := 0
		for i := 1; ; i++ {
			t, ok := at(i)
			if !ok {
				return unitStmt
			}
			switch t {
			case token.LPAREN, token.LBRACK, token.LBRACE:
				depth++
			case token.RPAREN, token.RBRACK, token.RBRACE:
				depth--
			}
			if depth == 0 {
				a, _ := at(i + 1)
				b, _ := at(i + 2)
				if a == token.IDENT && (b == token.LPAREN || b == token.LBRACK) {
					return unitDecl
				}
				return unitStmt
			}
		}
	}
	return unitStmt
}
