package complete

import (
	"fmt"
	"go/ast"
	"go/parser"
	"reflect"
	"sort"
	"strings"

	"github.com/golit/golit/interp/complete/internal/docindex"
)

// Inspection is the answer to an inspection request: what is known about
// the name at the cursor.
type Inspection struct {
	Found bool
	// Text is the plain-text answer: a declaration, then its documentation.
	Text string
	// Markdown is the same answer in Markdown, the declaration in a Go
	// code block.
	Markdown string
}

// Bundle returns the inspection as a MIME bundle for inspect_reply's data:
// text/plain and text/markdown. It is empty when nothing was found.
func (in Inspection) Bundle() map[string]any {
	if !in.Found {
		return map[string]any{}
	}
	return map[string]any{"text/plain": in.Text, "text/markdown": in.Markdown}
}

// answer builds an Inspection from a declaration and a doc comment.
func answer(decl, docComment, extra string) Inspection {
	plain, md := docText(docComment)
	decl = strings.TrimRight(decl, "\n")
	in := Inspection{Found: true, Text: decl, Markdown: "```go\n" + decl + "\n```"}
	if plain != "" {
		in.Text += "\n\n" + plain
		in.Markdown += "\n\n" + md
	}
	if extra != "" {
		in.Text += "\n\n" + extra
		in.Markdown += "\n\n```\n" + extra + "\n```"
	}
	return in
}

// Inspect describes the identifier at cursor (in code points), or when the
// cursor is not on one, the function whose call's parentheses enclose it:
// the signature and doc comment of standard-library and helper-package
// identifiers, the declaration (with doc comment) of notebook identifiers,
// and the type and value of notebook variables. With detailLevel 1 a
// notebook function is shown with its body and a type with its methods.
func (c *Completer) Inspect(code string, cursor, detailLevel int) Inspection {
	off := byteOffset(code, cursor)
	where, strStart := classify(code[:off], off)
	if where == inComment {
		return Inspection{}
	}
	if where == inString {
		if !isImportString(code[:strStart]) {
			return Inspection{}
		}
		end := strings.IndexAny(code[strStart+1:], "\"`\n")
		if end < 0 {
			end = len(code) - strStart - 1
		}
		return c.describePackage(code[strStart+1:strStart+1+end], detailLevel)
	}
	start, end := identBefore(code, off), identAfter(code, off)
	if start == end {
		p := enclosingCall(code[:off])
		if p < 0 {
			return Inspection{}
		}
		end = p
		start = identBefore(code, end)
		if start == end {
			return Inspection{}
		}
	}
	exprStart := start
	if start > 0 && code[start-1] == '.' {
		exprStart = chainBefore(code, start-1)
	}
	e, err := parser.ParseExpr(code[exprStart:end])
	if err != nil {
		return Inspection{}
	}
	r := c.resolver(code)
	return r.describe(e, detailLevel)
}

// enclosingCall returns the offset of the "(" of the call whose arguments
// the end of src is in, or -1.
func enclosingCall(src string) int {
	depth := 0
	for i := len(src) - 1; i >= 0; i-- {
		switch c := src[i]; c {
		case ')', ']', '}':
			depth++
		case '(':
			if depth == 0 {
				return i
			}
			depth--
		case '[', '{':
			if depth == 0 {
				return -1
			}
			depth--
		case '"', '`', '\'':
			j := strings.LastIndexByte(src[:i], c)
			if j < 0 {
				return -1
			}
			i = j
		case '\n':
			if depth == 0 && i > 0 && src[i-1] == '\n' {
				return -1 // a blank line: not in a call any more
			}
		}
	}
	return -1
}

// describePackage documents a package by import path.
func (c *Completer) describePackage(path string, detail int) Inspection {
	r := c.resolver("")
	var p *pkgInfo
	if pk, ok := r.pkgs[path]; ok {
		p = pk
	}
	return describePkg(path, p, detail)
}

func describePkg(path string, p *pkgInfo, detail int) Inspection {
	pd := packageDoc(path)
	if pd == nil {
		if p == nil {
			return Inspection{}
		}
		return answer(fmt.Sprintf("package %s // import %q", p.name, path), "", "")
	}
	head := fmt.Sprintf("package %s // import %q", pd.Name, path)
	if detail == 0 {
		s := synopsis(pd.Doc)
		return answer(head, s, "")
	}
	var names []string
	for n := range pd.Entries {
		if !strings.Contains(n, ".") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return answer(head, pd.Doc, "Exported: "+strings.Join(names, ", "))
}

// describe documents the identifier or selector e.
func (r *resolver) describe(e ast.Expr, detail int) Inspection {
	switch x := e.(type) {
	case *ast.Ident:
		return r.describeIdent(x.Name, detail)
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if p := r.pkg(id.Name); p != nil {
				return r.describePkgMember(p, x.Sel.Name, detail)
			}
		}
		return r.describeMember(r.exprType(x.X), x.Sel.Name, detail)
	case *ast.ParenExpr:
		return r.describe(x.X, detail)
	}
	return Inspection{}
}

// describeIdent documents a name of the cell, the notebook, a package or
// a builtin.
func (r *resolver) describeIdent(name string, detail int) Inspection {
	if d, ok := r.cell.locals[name]; ok {
		return answer(fmt.Sprintf("var %s %s", name, typeString(r.named(r.declType(d)))), "", r.valueLine(name))
	}
	for _, idx := range []*index{r.cell.idx, r.nb} {
		if d, ok := idx.names[name]; ok {
			return r.describeDecl(idx, d, detail)
		}
	}
	if v, ok := r.globals[name]; ok {
		return answer(fmt.Sprintf("var %s %s", name, typeString(r.named(r.globalType(name)))), "", valueString(v))
	}
	if p := r.pkg(name); p != nil {
		return describePkg(p.path, p, detail)
	}
	if bd := packageDoc("builtin"); bd != nil {
		if en, ok := bd.Entries[name]; ok {
			return answer(en.Decl, en.Doc, "")
		}
	}
	return Inspection{}
}

// describeDecl shows a declaration of the cell or the notebook.
func (r *resolver) describeDecl(idx *index, d *decl, detail int) Inspection {
	switch d.kind {
	case kindFunc, kindMethod:
		fd := d.node.(*ast.FuncDecl)
		if detail > 0 {
			return answer(idx.source(fd), d.doc, "")
		}
		return answer(signature(idx.fset, fd), d.doc, "")
	case kindType:
		extra := ""
		if ms := r.methodsOf(d.name); len(ms) > 0 {
			var sigs []string
			for _, m := range ms {
				sigs = append(sigs, strings.TrimSpace(nodeString(idx.fset, &ast.FuncDecl{Recv: m.node.(*ast.FuncDecl).Recv, Name: m.node.(*ast.FuncDecl).Name, Type: m.fn})))
			}
			sort.Strings(sigs)
			extra = "Methods:\n" + strings.Join(sigs, "\n")
		}
		return answer(idx.source(d.node), d.doc, extra)
	default:
		return answer(idx.source(d.node), d.doc, r.valueLine(d.name))
	}
}

// valueLine shows the current value of a notebook variable, if it has one.
func (r *resolver) valueLine(name string) string {
	v, ok := r.globals[name]
	if !ok {
		return ""
	}
	return valueString(v)
}

// valueString renders a value briefly for inspection.
func valueString(v reflect.Value) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	if !v.IsValid() || !v.CanInterface() {
		return ""
	}
	s = fmt.Sprintf("%v", v.Interface())
	if rs := []rune(s); len(rs) > 300 {
		s = string(rs[:299]) + "…"
	}
	return "value: " + s
}

// typeString writes a resolved type as Go.
func typeString(t *gtype) string {
	switch {
	case t == nil:
		return "(unknown type)"
	case t.rt != nil:
		return t.rt.String()
	case t.named != "" && t.ptr:
		return "*" + t.named
	case t.named != "":
		return t.named
	default:
		return exprString(t.expr)
	}
}

// describePkgMember documents pkg.name.
func (r *resolver) describePkgMember(p *pkgInfo, name string, detail int) Inspection {
	if pd := packageDoc(p.path); pd != nil {
		if en, ok := pd.Entries[name]; ok {
			extra := ""
			if en.Kind == "type" && detail > 0 {
				extra = methodList(pd, name)
			}
			return answer(en.Decl, en.Doc, extra)
		}
	}
	v, ok := p.syms[name]
	if !ok {
		return Inspection{}
	}
	note := noSourcesNote(p.path)
	switch symKind(v) {
	case kindFunc:
		return answer(fmt.Sprintf("func %s.%s: %s", p.name, name, v.Type()), note, "")
	case kindType:
		return answer(fmt.Sprintf("type %s.%s %s", p.name, name, v.Type().Elem().Kind()), note, "")
	default:
		return answer(fmt.Sprintf("%s.%s %s", p.name, name, typeString(symType(v))), note, "")
	}
}

// noSourcesNote explains a standard-library member without its doc
// comment when there are no Go sources to read it from (golit installed
// without Go, from a wheel say), and is empty otherwise.
func noSourcesNote(path string) string {
	if goroot() != "" || strings.HasPrefix(path, modulePath+"/") || strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
		return ""
	}
	return "(The documentation of the standard library is read from Go's sources, and Go is not " +
		"installed here. Get Go from https://go.dev/dl/ , then restart the kernel, to see it.)"
}

// methodList lists the documented methods of type typ in pd.
func methodList(pd *docindex.Package, typ string) string {
	var sigs []string
	for k, en := range pd.Entries {
		if strings.HasPrefix(k, typ+".") {
			sigs = append(sigs, en.Decl)
		}
	}
	if len(sigs) == 0 {
		return ""
	}
	sort.Strings(sigs)
	return "Methods:\n" + strings.Join(sigs, "\n")
}

// describeMember documents field or method name of type t.
func (r *resolver) describeMember(t *gtype, name string, detail int) Inspection {
	if t == nil {
		return Inspection{}
	}
	t = r.named(t)
	if t.named != "" {
		for _, m := range r.methodsOf(t.named) {
			if m.name == name {
				idx := r.nb
				if _, ok := r.cell.idx.methods[t.named]; ok {
					for _, cm := range r.cell.idx.methods[t.named] {
						if cm == m {
							idx = r.cell.idx
						}
					}
				}
				return r.describeDecl(idx, m, detail)
			}
		}
	}
	if t.rt != nil {
		base := t.rt
		if base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		if base.Name() != "" && base.PkgPath() != "" {
			if pd := packageDoc(base.PkgPath()); pd != nil {
				if en, ok := pd.Entries[base.Name()+"."+name]; ok {
					return answer(en.Decl, en.Doc, "")
				}
			}
		}
	}
	for _, m := range r.members(t) {
		if m.name == name {
			if m.kind == kindField {
				return answer(fmt.Sprintf("field %s %s", name, typeString(m.typ)), "", "in "+typeString(t))
			}
			return answer(fmt.Sprintf("method %s %s", name, typeString(m.typ)), "", "of "+typeString(t))
		}
	}
	return Inspection{}
}

// named replaces an interpreted struct type known only by reflection with
// the notebook type it matches, if any.
func (r *resolver) named(t *gtype) *gtype {
	if t != nil && t.rt != nil {
		if named, ptr, ok := r.matchStruct(t.rt); ok {
			return &gtype{named: named, ptr: ptr}
		}
	}
	return t
}
