package complete

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strings"

	"github.com/golit/golit/interp/magic"
)

// Source is what the completer needs to know about the running notebook.
// The engine implements it; its methods are called during Complete and
// Inspect only, on the goroutine calling them.
type Source interface {
	// Packages returns the symbol tables the interpreter imports from, in
	// yaegi's form: "importpath/pkgname" -> exported name -> value (the
	// stdlib.Symbols map merged with golit's own tables, as given to
	// Interpreter.Use).
	Packages() map[string]map[string]reflect.Value
	// Imports maps each package name usable in cells to its import path:
	// the notebook's imports ("fmt" -> "fmt", or "str" -> "strings" for
	// import str "strings"). Standard-library packages that are not
	// imported are found by name from Packages (auto-import).
	Imports() map[string]string
	// Globals returns the notebook's variables and constants with their
	// current values (yaegi's Interpreter.Globals()).
	Globals() map[string]reflect.Value
	// Decls returns the Go source of the notebook's current declarations
	// (functions, methods, types, variables, constants), doc comments
	// included, without a package clause.
	Decls() string
}

// Completer answers completion and inspection requests about a notebook.
// A Completer is safe for concurrent use if its Source is.
type Completer struct {
	src Source
	nb  notebookCache
}

// New returns a Completer for the notebook src describes. A nil src is an
// empty notebook without packages.
func New(src Source) *Completer {
	return &Completer{src: src}
}

// Completion is the answer to a completion request. Positions are in
// Unicode code points, as the Jupyter protocol counts them.
type Completion struct {
	// Matches replace the text from Start to End.
	Matches    []string
	Start, End int
	// Types holds one entry per match: "function", "type", "variable",
	// "constant", "method", "field", "module", "keyword", "builtin",
	// "magic" or "path" (for _jupyter_types_experimental).
	Types []string
}

// Go's keywords, builtin functions and predeclared constants and types.
var (
	keywords = []string{"break", "case", "chan", "const", "continue", "default", "defer",
		"else", "fallthrough", "for", "func", "go", "goto", "if", "import", "interface",
		"map", "package", "range", "return", "select", "struct", "switch", "type", "var"}
	builtinFuncs = []string{"append", "cap", "clear", "close", "complex", "copy", "delete",
		"imag", "len", "make", "max", "min", "new", "panic", "print", "println", "real", "recover"}
	builtinConsts = []string{"false", "iota", "nil", "true"}
)

// request holds the state of one Complete or Inspect call.
func (c *Completer) resolver(before string) *resolver {
	r := &resolver{imports: map[string]string{}, globals: map[string]reflect.Value{}}
	var tables map[string]map[string]reflect.Value
	decls := ""
	if c.src != nil {
		tables = c.src.Packages()
		if im := c.src.Imports(); im != nil {
			r.imports = im
		}
		if g := c.src.Globals(); g != nil {
			r.globals = g
		}
		decls = c.src.Decls()
	}
	r.pkgs, r.byName = newPackages(tables)
	r.nb = c.nb.get(decls)
	r.cell = scanCell(before)
	for name, path := range cellImports(before) {
		r.imports[name] = path
	}
	return r
}

// cellImports returns the imports written in the cell itself.
func cellImports(src string) map[string]string {
	out := map[string]string{}
	if !strings.Contains(src, "import") {
		return out
	}
	toks := scanAll(src)
	for i := 0; i < len(toks); i++ {
		if toks[i].tok != token.IMPORT {
			continue
		}
		j := i + 1
		group := j < len(toks) && toks[j].tok == token.LPAREN
		if group {
			j++
		}
		for j < len(toks) {
			name := ""
			if toks[j].tok == token.IDENT || toks[j].tok == token.PERIOD {
				name = toks[j].lit
				j++
			}
			if j < len(toks) && toks[j].tok == token.STRING {
				path := strings.Trim(toks[j].lit, "\"`")
				if name == "" {
					name = path[strings.LastIndexByte(path, '/')+1:]
				}
				if name != "_" && name != "." {
					out[name] = path
				}
				j++
			}
			for j < len(toks) && toks[j].tok == token.SEMICOLON {
				j++
			}
			if !group || j >= len(toks) || toks[j].tok == token.RPAREN {
				break
			}
		}
		i = j
	}
	return out
}

// Complete returns the completions for code at cursor (in code points):
// members after "pkg." or "value.", otherwise identifiers of the cell and
// the notebook, package names, keywords and builtins; magic names on a %
// line; import paths inside an import's string; file names in ! commands,
// magic arguments and other strings.
func (c *Completer) Complete(code string, cursor int) Completion {
	off := byteOffset(code, cursor)
	before := code[:off]
	res := Completion{Start: runeOffset(code, off), End: runeOffset(code, off)}

	line := strings.TrimLeft(before[lineStart(before, off):], " \t")
	paths := func(word int) Completion {
		for _, p := range pathMatches(before[word:]) {
			res.Matches = append(res.Matches, p)
			res.Types = append(res.Types, kindPath.jupyterType())
		}
		res.Start = runeOffset(code, word)
		return res
	}
	if strings.HasPrefix(line, "%") {
		if strings.ContainsAny(line, " \t") {
			// Arguments of a magic: file names.
			return paths(off - len(line) + lastWord(line))
		}
		for _, n := range magic.Names() {
			if strings.HasPrefix(n, line) {
				res.Matches = append(res.Matches, n)
				res.Types = append(res.Types, kindMagic.jupyterType())
			}
		}
		res.Start = runeOffset(code, off-len(line))
		return res
	}
	if strings.HasPrefix(line, "!") && !strings.HasPrefix(line, "!=") && classifyLine(before, off, line) {
		return paths(off - len(line) + lastWord(line))
	}

	switch where, strStart := classify(before, off); where {
	case inComment:
		return res
	case inString:
		if !isImportString(before[:strStart]) {
			// Another string: maybe a file name, as in os.ReadFile("da
			lit := before[strStart+1:]
			if before[strStart] == '\'' || strings.ContainsAny(lit, "\n\\") {
				return res
			}
			return paths(strStart + 1)
		}
		r := c.resolver("")
		prefix := before[strStart+1:]
		var paths []string
		for p := range r.pkgs {
			if strings.HasPrefix(p, prefix) {
				paths = append(paths, p)
			}
		}
		sort.Strings(paths)
		res.Matches = paths
		for range paths {
			res.Types = append(res.Types, kindPath.jupyterType())
		}
		res.Start = runeOffset(code, strStart+1)
		return res
	}

	start := identBefore(code, off)
	prefix := code[start:off]
	res.Start = runeOffset(code, start)
	r := c.resolver(before)
	var cands []member
	if start > 0 && code[start-1] == '.' {
		exprStart := chainBefore(code, start-1)
		cands = r.selectorCandidates(code[exprStart : start-1])
	} else {
		cands = r.identCandidates()
	}
	filter := func(fold bool) {
		for _, m := range cands {
			ok := strings.HasPrefix(m.name, prefix)
			if fold {
				ok = strings.HasPrefix(strings.ToLower(m.name), strings.ToLower(prefix))
			}
			if ok {
				res.Matches = append(res.Matches, m.name)
				res.Types = append(res.Types, m.kind.jupyterType())
			}
		}
	}
	filter(false)
	if len(res.Matches) == 0 {
		filter(true)
	}
	return res
}

// isImportString reports whether a string literal starting right after
// src is an import path.
func isImportString(src string) bool {
	toks := scanAll(src)
	n := len(toks)
	if n == 0 {
		return false
	}
	last := toks[n-1].tok
	if last == token.IMPORT {
		return true
	}
	if (last == token.IDENT || last == token.PERIOD) && n >= 2 && toks[n-2].tok == token.IMPORT {
		return true
	}
	// Inside "import ( ... )"?
	for i := n - 1; i >= 0; i-- {
		switch toks[i].tok {
		case token.RPAREN, token.LBRACE, token.RBRACE:
			return false
		case token.LPAREN:
			return i > 0 && toks[i-1].tok == token.IMPORT
		}
	}
	return false
}

// selectorCandidates lists what may follow "expr.".
func (r *resolver) selectorCandidates(expr string) []member {
	e, err := parser.ParseExpr(expr)
	if err != nil {
		return nil
	}
	if id, ok := e.(*ast.Ident); ok {
		if p := r.pkg(id.Name); p != nil {
			return packageMembers(p)
		}
		if !r.isValueName(id.Name) {
			// A package the symbol tables lack, such as a generic-only one
			// (slices, maps) that yaegi loads from source: use its docs.
			path := id.Name
			if ip, ok := r.imports[id.Name]; ok {
				path = ip
			}
			if pd := packageDoc(path); pd != nil && pd.Name == id.Name {
				return packageMembers(&pkgInfo{path: path, name: pd.Name})
			}
		}
	}
	ms := r.members(r.exprType(e))
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].name < ms[j].name })
	return ms
}

// packageMembers lists the exported names of a package, sorted: those of
// its symbol table, and those its documentation adds (generic functions
// and types, which yaegi's tables cannot hold).
func packageMembers(p *pkgInfo) []member {
	var out []member
	seen := map[string]bool{}
	for name, v := range p.syms {
		if strings.HasPrefix(name, "_") {
			continue // yaegi's interface wrappers
		}
		seen[name] = true
		out = append(out, member{name: name, kind: symKind(v)})
	}
	if pd := packageDoc(p.path); pd != nil {
		for name, en := range pd.Entries {
			if strings.Contains(name, ".") || seen[name] || !ast.IsExported(name) {
				continue
			}
			if len(p.syms) > 0 && !strings.Contains(en.Decl, " "+name+"[") {
				continue // only generics are missing from a symbol table
			}
			k := map[string]declKind{"func": kindFunc, "type": kindType, "var": kindVar, "const": kindConst}[en.Kind]
			out = append(out, member{name: name, kind: k})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// identCandidates lists every name that may start an expression, nearest
// first: the cell's, the notebook's, imported packages, then Go's own
// words, then packages that would be imported automatically.
func (r *resolver) identCandidates() []member {
	var out []member
	seen := map[string]bool{}
	group := func(ms []member) {
		sort.Slice(ms, func(i, j int) bool { return ms[i].name < ms[j].name })
		for _, m := range ms {
			if !seen[m.name] && m.name != "_" {
				seen[m.name] = true
				out = append(out, m)
			}
		}
	}
	var g []member
	for n, d := range r.cell.locals {
		g = append(g, member{name: n, kind: d.kind})
	}
	for n, d := range r.cell.idx.names {
		g = append(g, member{name: n, kind: d.kind})
	}
	for n, d := range r.nb.names {
		g = append(g, member{name: n, kind: d.kind})
	}
	for n, v := range r.globals {
		if strings.HasPrefix(n, HiddenPrefix) {
			continue
		}
		k := kindVar
		if v.IsValid() && v.CanInterface() {
			if _, ok := v.Interface().(interface{ ExactString() string }); ok {
				k = kindConst
			}
		}
		g = append(g, member{name: n, kind: k})
	}
	group(g)
	g = nil
	for n := range r.imports {
		g = append(g, member{name: n, kind: kindPackage})
	}
	group(g)
	g = nil
	for _, k := range keywords {
		g = append(g, member{name: k, kind: kindKeyword})
	}
	for _, b := range builtinFuncs {
		g = append(g, member{name: b, kind: kindBuiltin})
	}
	for _, b := range builtinConsts {
		g = append(g, member{name: b, kind: kindConst})
	}
	for t := range predeclared {
		g = append(g, member{name: t, kind: kindType})
	}
	group(g)
	g = nil
	for n := range r.byName {
		if !strings.HasPrefix(n, "_") && n != "main" {
			g = append(g, member{name: n, kind: kindPackage})
		}
	}
	group(g)
	return out
}

// classifyLine reports whether a line starting with ! (line is its text up
// to off) is a shell command, that is whether the Go before it ends a
// statement; "!ok" continuing an expression is Go.
func classifyLine(before string, off int, line string) bool {
	goBefore := before[:off-len(line)]
	toks := scanAll(goBefore)
	depth := 0
	for _, t := range toks {
		switch t.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
	}
	return depth <= 0 && (len(toks) == 0 || toks[len(toks)-1].tok == token.SEMICOLON)
}
