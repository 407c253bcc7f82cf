package complete

import (
	"go/scanner"
	"go/token"
	"strings"

	"github.com/golit/golit/interp/magic"
)

// Statuses returned by IsComplete, as is_complete_reply names them.
const (
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
	StatusInvalid    = "invalid"
)

// indentUnit is what IsComplete suggests per open block.
const indentUnit = "    "

// IsComplete tells a console whether code is ready to run (without running
// it): "incomplete", with the indent for the next line, while a bracket,
// brace, raw string or comment is open or the last line ends in an
// operator; "invalid" when no continuation can make it valid Go (a closing
// bracket that matches nothing, a character Go does not know, a string
// broken by a newline); "complete" otherwise, including code that merely
// fails to compile, which running it will explain.
//
// Magic, ! and ? lines count as complete lines. A cell magic (%% first
// line) is incomplete until the cell ends with an empty line, as in
// IPython.
func IsComplete(code string) (status, indent string) {
	if strings.TrimSpace(code) == "" {
		return StatusComplete, ""
	}
	plan := magic.Parse(code)
	steps := plan.Steps
	if steps[0].Kind == magic.CellMagic {
		// Complete once a line after the magic's is followed by an empty one.
		lines := strings.Split(strings.TrimRight(code, " \t"), "\n")
		if len(lines) >= 3 && strings.TrimSpace(lines[len(lines)-1]) == "" {
			return StatusComplete, ""
		}
		return StatusIncomplete, ""
	}
	for i, st := range steps {
		if st.Kind != magic.Go {
			continue
		}
		status, indent := goComplete(st.Source)
		if status == StatusInvalid {
			return status, ""
		}
		if i == len(steps)-1 {
			return status, indent
		}
	}
	return StatusComplete, ""
}

// goComplete is IsComplete for Go source only.
func goComplete(src string) (string, string) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	status := StatusComplete
	var s scanner.Scanner
	s.Init(file, []byte(src), func(_ token.Position, msg string) {
		switch {
		case strings.Contains(msg, "raw string literal not terminated"),
			strings.Contains(msg, "comment not terminated"):
			if status != StatusInvalid {
				status = StatusIncomplete
			}
		default:
			status = StatusInvalid
		}
	}, 0)
	type open struct {
		tok  token.Token
		line int
	}
	var stack []open
	last := token.SEMICOLON
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		line := file.Line(pos)
		switch tok {
		case token.ILLEGAL:
			return StatusInvalid, ""
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, open{tok, line})
		case token.RPAREN, token.RBRACK, token.RBRACE:
			want := map[token.Token]token.Token{token.RPAREN: token.LPAREN, token.RBRACK: token.LBRACK, token.RBRACE: token.LBRACE}[tok]
			if len(stack) == 0 || stack[len(stack)-1].tok != want {
				return StatusInvalid, ""
			}
			stack = stack[:len(stack)-1]
		}
		last = tok
	}
	if status != StatusComplete {
		return status, ""
	}
	if len(stack) > 0 {
		levels, prev := 0, -1
		for _, o := range stack {
			if o.line != prev {
				levels++
				prev = o.line
			}
		}
		return StatusIncomplete, strings.Repeat(indentUnit, levels)
	}
	if last.IsOperator() && last != token.SEMICOLON && last != token.INC && last != token.DEC {
		return StatusIncomplete, ""
	}
	return StatusComplete, ""
}
