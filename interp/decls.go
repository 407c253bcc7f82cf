package interp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
)

// declKind is the kind of a notebook declaration.
type declKind int

const (
	declFunc declKind = iota
	declMethod
	declType
	declVar
	declConst
)

func (k declKind) String() string {
	return [...]string{"func", "method", "type", "var", "const"}[k]
}

// declEntry is one top-level declaration of the notebook, kept as source so
// that it can be evaluated again: when something it uses is redefined, when
// a worker process needs the notebook's functions, or after a restart.
type declEntry struct {
	kind    declKind
	key     string   // "f", "T", "T.M" for a method, "var a,b" for a var group
	names   []string // identifiers it declares (the method name for a method)
	recv    string   // receiver base type of a method
	ptrRecv bool     // the method has a pointer receiver
	src     string   // source text, doc comment included
	cell    int      // execution count of the cell it came from
	line    int      // position of src in that cell
	col     int
	refs    map[string]bool // identifiers its source mentions
	seq     int             // order of definition
}

// declStore holds the notebook's current declarations.
type declStore struct {
	byKey  map[string]*declEntry
	byName map[string]*declEntry // declared name -> entry (methods excluded)
	seq    int

	// Entries (by key) and variables (by name) whose parts of the
	// declarations may have changed since DeclarationChanges last ran.
	changedKeys  map[string]bool
	changedNames map[string]bool
	// The parts DeclarationChanges reported, nil before the first call;
	// entry key -> key of its part.
	reported        map[string]string
	entryPart       map[string]string
	reportedImports map[string]string
}

func newDeclStore() *declStore {
	return &declStore{byKey: map[string]*declEntry{}, byName: map[string]*declEntry{},
		changedKeys: map[string]bool{}, changedNames: map[string]bool{}}
}

// touch records that d (its key and names) changed.
func (s *declStore) touch(d *declEntry) {
	s.changedKeys[d.key] = true
	for _, n := range d.names {
		s.changedNames[n] = true
	}
}

// touchName records that the variable name changed (defined by a
// statement, or its cell changed).
func (s *declStore) touchName(name string) { s.changedNames[name] = true }

// add records d, replacing what declared the same key or names before.
func (s *declStore) add(d *declEntry) {
	s.seq++
	d.seq = s.seq
	s.touch(d)
	if old := s.byKey[d.key]; old != nil {
		s.remove(old)
	}
	if d.kind != declMethod {
		for _, n := range d.names {
			if old := s.byName[n]; old != nil {
				s.dropName(old, n)
			}
			s.byName[n] = d
		}
	}
	s.byKey[d.key] = d
}

// dropName removes name from old; an entry left without names goes away.
func (s *declStore) dropName(old *declEntry, name string) {
	s.touch(old)
	var keep []string
	for _, n := range old.names {
		if n != name {
			keep = append(keep, n)
		}
	}
	old.names = keep
	delete(s.byName, name)
	if len(keep) == 0 {
		delete(s.byKey, old.key)
	}
}

func (s *declStore) remove(d *declEntry) {
	s.touch(d)
	delete(s.byKey, d.key)
	if d.kind != declMethod {
		for _, n := range d.names {
			if s.byName[n] == d {
				delete(s.byName, n)
			}
		}
	}
}

// forgetName removes name, declared again by a statement (x := ...).
func (s *declStore) forgetName(name string) {
	if old := s.byName[name]; old != nil && old.kind != declMethod {
		s.dropName(old, name)
	}
}

// sorted returns the entries in definition order.
func (s *declStore) sorted() []*declEntry {
	out := make([]*declEntry, 0, len(s.byKey))
	for _, d := range s.byKey {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// dependents returns, in definition order, the functions, methods and types
// that must be compiled again because they mention a name in changed
// (transitively), or are methods of a type in changedTypes. Entries in skip
// (just compiled) are left out.
func (s *declStore) dependents(changed map[string]bool, changedTypes map[string]bool, skip map[*declEntry]bool) []*declEntry {
	todo := map[string]bool{}
	for n := range changed {
		todo[n] = true
	}
	picked := map[*declEntry]bool{}
	for {
		grew := false
		for _, d := range s.byKey {
			if picked[d] || skip[d] || d.kind == declVar || d.kind == declConst {
				continue
			}
			hit := d.kind == declMethod && changedTypes[d.recv]
			if !hit {
				for r := range d.refs {
					if todo[r] {
						hit = true
						break
					}
				}
			}
			if hit {
				picked[d] = true
				grew = true
				for _, n := range d.names {
					todo[n] = true
				}
				if d.kind == declType {
					for _, n := range d.names {
						changedTypes[n] = true
					}
				}
			}
		}
		if !grew {
			break
		}
	}
	var out []*declEntry
	for d := range picked {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// entriesOf describes the declarations of a parsed group. src is the text
// the file was parsed from and base the offset of the cell text in it.
func entriesOf(f *ast.File, fset *token.FileSet, src string, base int, cellSrc string, cellOff int, cell int) []*declEntry {
	var out []*declEntry
	tf := fset.File(f.Pos())
	for _, d := range f.Decls {
		start := d.Pos()
		switch x := d.(type) {
		case *ast.FuncDecl:
			if x.Doc != nil {
				start = x.Doc.Pos()
			}
		case *ast.GenDecl:
			if x.Doc != nil {
				start = x.Doc.Pos()
			}
			if x.Tok == token.IMPORT {
				continue
			}
		}
		so, eo := tf.Offset(start), tf.Offset(d.End())
		if so < base || eo > len(src) {
			continue
		}
		text := src[so:eo]
		line, col := lineCol(cellSrc, cellOff+so-base)
		e := &declEntry{src: text, cell: cell, line: line, col: col, refs: identsOf(d)}
		switch x := d.(type) {
		case *ast.FuncDecl:
			if x.Recv != nil && len(x.Recv.List) > 0 {
				e.kind = declMethod
				e.recv = recvBase(x.Recv.List[0].Type)
				_, e.ptrRecv = x.Recv.List[0].Type.(*ast.StarExpr)
				e.key = e.recv + "." + x.Name.Name
			} else {
				e.kind = declFunc
				e.key = x.Name.Name
			}
			e.names = []string{x.Name.Name}
		case *ast.GenDecl:
			switch x.Tok {
			case token.TYPE:
				e.kind = declType
			case token.VAR:
				e.kind = declVar
			case token.CONST:
				e.kind = declConst
			}
			for _, sp := range x.Specs {
				switch s := sp.(type) {
				case *ast.TypeSpec:
					e.names = append(e.names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" {
							e.names = append(e.names, n.Name)
						}
					}
				}
			}
			if e.kind == declType && len(e.names) == 1 {
				e.key = e.names[0]
			} else {
				e.key = e.kind.String() + " " + strings.Join(e.names, ",")
			}
		}
		if len(e.names) == 0 {
			continue
		}
		out = append(out, e)
	}
	return out
}

// recvBase returns the type name of a method receiver: T for *T, T[K].
func recvBase(t ast.Expr) string {
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// identsOf returns every identifier name used in n.
func identsOf(n ast.Node) map[string]bool {
	m := map[string]bool{}
	ast.Inspect(n, func(c ast.Node) bool {
		if id, ok := c.(*ast.Ident); ok {
			m[id.Name] = true
		}
		return true
	})
	return m
}

// lineCol converts a byte offset in src into a 1-based line and column.
func lineCol(src string, off int) (int, int) {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	line := 1 + strings.Count(src[:off], "\n")
	col := off - strings.LastIndex(src[:off], "\n")
	return line, col
}

// parseDeclSource parses the source of a declaration; nil when it does not
// parse (it always does: it was compiled).
func parseDeclSource(d *declEntry) ast.Decl {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p;"+d.src, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) == 0 {
		return nil
	}
	return f.Decls[0]
}
