package complete

import (
	"go/parser"
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
// broken by a newline, a syntax error before the end such as a missing
// comma); "complete" otherwise, including code that parses but fails to
// compile, which running it will explain.
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
		if st.Kind == magic.LineMagic && st.Name == "time" {
			// %time's statement is Go on one line: only a syntax error
			// counts.
			if s, _ := goComplete(st.Source); s == StatusInvalid {
				return s, ""
			}
			continue
		}
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
	return parseStatus(src), ""
}

// parseStatus parses src with go/parser the way the engine does (imports and
// declarations at the top level of a file, runs of statements in a function
// body) and answers "complete" when it parses, "incomplete" when the first
// syntax error is at the end of the code (more lines could still fix it, as
// in "if x" before its brace) and "invalid" when it is before the end.
func parseStatus(src string) string {
	file, end := cellFile(src)
	_, err := parser.ParseFile(token.NewFileSet(), "", file, parser.SkipObjectResolution)
	if err == nil {
		return StatusComplete
	}
	list, ok := err.(scanner.ErrorList)
	if !ok || len(list) == 0 {
		return StatusInvalid
	}
	if list[0].Pos.Offset >= end {
		return StatusIncomplete
	}
	return StatusInvalid
}

// cellFile turns the Go source of a cell into a file the parser accepts, as
// the engine groups it: a package clause in the cell is dropped, imports and
// declarations stay at the top level and each run of statements goes into a
// function body. end is the offset in the file just after the cell's last
// unit; a syntax error at or after it is an error at the end of the cell.
func cellFile(src string) (file string, end int) {
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(f, []byte(src), func(token.Position, string) {}, 0)
	var toks []token.Token
	var offs []int
	for {
		pos, t, _ := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, t)
		offs = append(offs, f.Offset(pos))
	}
	var b strings.Builder
	b.WriteString("package p\n")
	inFunc := false
	// emit writes the unit of toks[first:last] (src[offs[first]:stop]).
	emit := func(first, last, stop int) {
		text := strings.TrimRight(src[offs[first]:stop], " \t\r\n")
		u := toks[first:last]
		decl := u[0] == token.IMPORT || u[0] == token.FUNC && isFuncDecl(u)
		switch {
		case u[0] == token.PACKAGE:
			return
		case decl && inFunc:
			b.WriteString("}\n")
			inFunc = false
		case !decl && !inFunc:
			b.WriteString("func _() {\n")
			inFunc = true
		}
		b.WriteString(text)
		end = b.Len()
		b.WriteString("\n")
	}
	depth, first := 0, -1
	for i, t := range toks {
		switch t {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			if depth > 0 {
				depth--
			}
		case token.SEMICOLON:
			if depth == 0 {
				if first >= 0 {
					emit(first, i, offs[i])
					first = -1
				}
				continue
			}
		}
		if first < 0 {
			first = i
		}
	}
	if first >= 0 {
		emit(first, len(toks), len(src))
	}
	if inFunc {
		b.WriteString("}\n")
	}
	return b.String(), end
}

// isFuncDecl tells whether a unit that starts with the func keyword is a
// function or method declaration ("func Name" or "func (recv) Name(" or
// "func (recv) Name[") rather than a statement with a function literal.
func isFuncDecl(u []token.Token) bool {
	if len(u) < 2 {
		return false
	}
	if u[1] == token.IDENT {
		return true
	}
	if u[1] != token.LPAREN {
		return false
	}
	depth := 0
	for i := 1; i < len(u); i++ {
		switch u[i] {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		if depth == 0 {
			return i+2 < len(u) && u[i+1] == token.IDENT && (u[i+2] == token.LPAREN || u[i+2] == token.LBRACK)
		}
	}
	return false
}
