package parse

import (
	"go/scanner"
	"go/token"
)

// Kind classifies one top-level unit of a cell.
type Kind int

const (
	Stmt    Kind = iota // a statement, run in order
	Decl                // const, var, type, func or method declaration
	Import              // an import declaration
	Package             // a package clause, dropped
)

// Unit is one top-level piece of a cell: a declaration or a statement.
type Unit struct {
	Kind       Kind // what the unit is
	Start, End int  // byte offsets in the cell
	Line, Col  int  // position of start in the cell, 1-based
}

// Split cuts a cell into top-level units at the semicolons (explicit or
// inserted at line ends) found outside brackets. It does not parse: a unit is
// classified by its first tokens, and the parser reports errors later, with
// positions that point into the cell.
func Split(src string) []Unit {
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

	var units []Unit
	depth := 0
	first := -1 // index in toks of the unit's first token
	finish := func(endOff int) {
		if first < 0 {
			return
		}
		startOff := file.Offset(toks[first].pos)
		p := file.Position(toks[first].pos)
		u := Unit{Start: startOff, End: endOff, Line: p.Line, Col: p.Column}
		u.Kind = classify(toks[first].tok, func(i int) (token.Token, bool) {
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
		for units[i].End > units[i].Start && isSpace(src[units[i].End-1]) {
			units[i].End--
		}
	}
	return units
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// classify tells the kind of a unit from its first tokens; at(i) returns the
// i-th token of the unit.
func classify(first token.Token, at func(i int) (token.Token, bool)) Kind {
	switch first {
	case token.PACKAGE:
		return Package
	case token.IMPORT:
		return Import
	case token.CONST, token.TYPE, token.VAR:
		return Decl
	case token.FUNC:
		next, _ := at(1)
		if next == token.IDENT {
			return Decl
		}
		if next != token.LPAREN {
			return Stmt
		}
		// func (recv T) Name(...) is a method; func(...) ... is a literal.
		depth := 0
		for i := 1; ; i++ {
			t, ok := at(i)
			if !ok {
				return Stmt
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
					return Decl
				}
				return Stmt
			}
		}
	}
	return Stmt
}
