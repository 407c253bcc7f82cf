package complete

import (
	"go/scanner"
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// byteOffset converts a position counted in Unicode code points (as the
// Jupyter protocol counts) into a byte offset in s, clamped to s.
func byteOffset(s string, runes int) int {
	if runes <= 0 {
		return 0
	}
	i := 0
	for n := 0; n < runes && i < len(s); n++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// runeOffset converts a byte offset in s into a count of code points.
func runeOffset(s string, bytes int) int {
	if bytes > len(s) {
		bytes = len(s)
	}
	return utf8.RuneCountInString(s[:bytes])
}

func isIdentRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// identBefore returns the start of the identifier characters that end at
// byte offset end of s.
func identBefore(s string, end int) int {
	i := end
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !isIdentRune(r) {
			break
		}
		i -= size
	}
	return i
}

// identAfter returns the end of the identifier characters that start at
// byte offset start of s.
func identAfter(s string, start int) int {
	i := start
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isIdentRune(r) {
			break
		}
		i += size
	}
	return i
}

// chainBefore returns the start of the selector/call chain that ends at
// byte offset end of s, e.g. for `x := strings.NewReader("a").Len` ending
// before Len's dot it returns the offset of "strings". Brackets are skipped
// as balanced groups; the chain stops at anything else.
func chainBefore(s string, end int) int {
	i := end
	for i > 0 {
		c := s[i-1]
		switch {
		case c == ')' || c == ']' || c == '}':
			open := map[byte]byte{')': '(', ']': '[', '}': '{'}[c]
			j := matchingOpen(s, i-1, open, c)
			if j < 0 {
				return i
			}
			if c == '}' {
				// A composite literal T{...}: keep going only if a type
				// name precedes the brace.
				k := identBefore(s, j)
				if k == j {
					return i
				}
			}
			i = j
		case c == '.':
			i--
		case c == '*' || c == '&':
			// &T{} or *p: part of the chain only at its very start.
			return i
		default:
			r, size := utf8.DecodeLastRuneInString(s[:i])
			if !isIdentRune(r) {
				return i
			}
			i -= size
		}
	}
	return i
}

// matchingOpen finds the opening bracket for the closing one at s[close],
// skipping nested groups and string literals roughly; -1 if none.
func matchingOpen(s string, closeAt int, open, closeCh byte) int {
	depth := 0
	for i := closeAt; i >= 0; i-- {
		switch s[i] {
		case closeCh:
			depth++
		case open:
			depth--
			if depth == 0 {
				return i
			}
		case '"', '`', '\'':
			q := s[i]
			j := strings.LastIndexByte(s[:i], q)
			if j < 0 {
				return -1
			}
			i = j
		}
	}
	return -1
}

// tokenAt describes what the scanner sees at a byte offset.
type tokenAt int

const (
	inCode tokenAt = iota
	inString
	inComment
)

// classify reports whether offset off of src lies inside a string literal
// (including an unterminated one) or a comment. For strings it also
// returns the literal's start offset.
func classify(src string, off int) (tokenAt, int) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, scanner.ScanComments)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return inCode, 0
		}
		start := file.Offset(pos)
		if start >= off {
			return inCode, 0
		}
		end := start + len(lit)
		switch tok {
		case token.STRING, token.CHAR:
			if off < end || (off == end && !closedLiteral(lit)) {
				return inString, start
			}
		case token.COMMENT:
			if off < end || (off == end && strings.HasPrefix(lit, "//")) {
				return inComment, start
			}
			if off == end && strings.HasPrefix(lit, "/*") && !strings.HasSuffix(lit, "*/") {
				return inComment, start
			}
		}
	}
}

// closedLiteral reports whether a string or rune literal has its closing
// quote.
func closedLiteral(lit string) bool {
	if len(lit) < 2 {
		return false
	}
	q := lit[0]
	if lit[len(lit)-1] != q {
		return false
	}
	if q == '`' {
		return true
	}
	// An escaped final quote does not close it.
	bs := 0
	for i := len(lit) - 2; i > 0 && lit[i] == '\\'; i-- {
		bs++
	}
	return bs%2 == 0
}

// lineStart returns the offset of the start of the line holding off.
func lineStart(s string, off int) int {
	return strings.LastIndexByte(s[:off], '\n') + 1
}
