package complete

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"sync"
)

// declKind is the kind of a notebook or cell declaration.
type declKind int

const (
	kindVar declKind = iota
	kindConst
	kindFunc
	kindType
	kindMethod
	kindField
	kindPackage
	kindKeyword
	kindBuiltin
	kindMagic
	kindPath
)

// jupyterType names a kind for the _jupyter_types_experimental metadata.
func (k declKind) jupyterType() string {
	return [...]string{"variable", "constant", "function", "type", "method", "field",
		"module", "keyword", "builtin", "magic", "path"}[k]
}

// decl is one declared name of the notebook's source.
type decl struct {
	name string
	kind declKind
	// typ is the declared type expression (vars, consts, struct fields) or
	// the type's definition (types); nil when not written.
	typ ast.Expr
	// value is the initialising expression of a var or const, if any, and
	// index the position of name among several names so declared.
	value ast.Expr
	index int
	multi bool // value is one call whose results are split over names
	// rangeOver marks "k, v := range value": index 0 is the key, 1 the element.
	rangeOver bool
	fn        *ast.FuncType
	node      ast.Node // the declaration, for showing its source
	doc       string
	recv      string // receiver base type of a method
}

// index is what the notebook's declarations say, parsed once per change.
type index struct {
	fset    *token.FileSet
	src     []byte
	names   map[string]*decl   // funcs, types, vars, consts
	methods map[string][]*decl // receiver base type -> methods
}

// notebookCache parses Source.Decls only when its text changes.
type notebookCache struct {
	mu  sync.Mutex
	src string
	idx *index
}

func (c *notebookCache) get(src string) *index {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx == nil || src != c.src {
		c.src, c.idx = src, parseIndex(src)
	}
	return c.idx
}

// parseIndex parses declarations, tolerating errors: whatever parses is
// kept. A missing package clause is added.
func parseIndex(src string) *index {
	idx := &index{fset: token.NewFileSet(), names: map[string]*decl{}, methods: map[string][]*decl{}}
	text := src
	if !strings.HasPrefix(strings.TrimSpace(text), "package ") {
		text = "package main\n" + text
	}
	idx.src = []byte(text)
	f, _ := parser.ParseFile(idx.fset, "notebook.go", idx.src, parser.ParseComments|parser.SkipObjectResolution)
	if f == nil {
		return idx
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			fd := &decl{name: d.Name.Name, kind: kindFunc, fn: d.Type, node: d, doc: d.Doc.Text()}
			if d.Recv != nil && len(d.Recv.List) > 0 {
				fd.kind = kindMethod
				fd.recv = recvBase(d.Recv.List[0].Type)
				idx.methods[fd.recv] = append(idx.methods[fd.recv], fd)
				continue
			}
			idx.names[fd.name] = fd
		case *ast.GenDecl:
			for _, ds := range genDecls(d) {
				idx.names[ds.name] = ds
			}
		}
	}
	return idx
}

// genDecls describes the names a var, const or type declaration declares.
func genDecls(d *ast.GenDecl) []*decl {
	var out []*decl
	var lastType ast.Expr // consts repeat the previous spec's type
	for _, spec := range d.Specs {
		switch s := spec.(type) {
		case *ast.TypeSpec:
			doc := s.Doc.Text()
			if doc == "" {
				doc = d.Doc.Text()
			}
			node := ast.Node(d)
			if len(d.Specs) > 1 {
				node = s
			}
			out = append(out, &decl{name: s.Name.Name, kind: kindType, typ: s.Type, node: node, doc: doc})
		case *ast.ValueSpec:
			kind := kindVar
			if d.Tok == token.CONST {
				kind = kindConst
				if s.Type != nil || len(s.Values) > 0 {
					lastType = s.Type
				}
			}
			doc := s.Doc.Text()
			if doc == "" {
				doc = d.Doc.Text()
			}
			for i, n := range s.Names {
				if n.Name == "_" {
					continue
				}
				ds := &decl{name: n.Name, kind: kind, typ: s.Type, node: d, doc: doc, index: i}
				if kind == kindConst && ds.typ == nil {
					ds.typ = lastType
				}
				switch {
				case len(s.Values) == len(s.Names):
					ds.value = s.Values[i]
				case len(s.Values) == 1:
					ds.value, ds.multi = s.Values[0], true
				}
				out = append(out, ds)
			}
		}
	}
	return out
}

// recvBase returns the base type name of a receiver: T for *T or T[K].
func recvBase(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// source returns the text of a node of the index as written (without the
// doc comment of a declaration, which starts before the node).
func (idx *index) source(n ast.Node) string {
	if n == nil {
		return ""
	}
	start, end := idx.fset.Position(n.Pos()).Offset, idx.fset.Position(n.End()).Offset
	if _, ok := n.(*ast.TypeSpec); ok {
		return "type " + idx.slice(start, end, n)
	}
	return idx.slice(start, end, n)
}

func (idx *index) slice(start, end int, n ast.Node) string {
	if start >= 0 && end <= len(idx.src) && start < end {
		return string(idx.src[start:end])
	}
	return nodeString(idx.fset, n)
}

// signature prints a func declaration without its body and doc comment.
func signature(fset *token.FileSet, fd *ast.FuncDecl) string {
	c := *fd
	c.Body, c.Doc = nil, nil
	return nodeString(fset, &c)
}

// nodeString prints a node with go/printer.
func nodeString(fset *token.FileSet, n any) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, n); err != nil {
		return ""
	}
	return b.String()
}
