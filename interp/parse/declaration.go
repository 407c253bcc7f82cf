package parse

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// DeclKind is the kind of a notebook declaration.
type DeclKind int

// The kinds of declarations.
const (
	FuncDecl   DeclKind = iota // func f()
	MethodDecl                 // func (T) M()
	TypeDecl                   // type T ...
	VarDecl                    // var ...
	ConstDecl                  // const ...
)

// String returns the keyword of the kind: func, method, type, var or const.
func (k DeclKind) String() string {
	return [...]string{"func", "method", "type", "var", "const"}[k]
}

// Declaration is one top-level declaration of the notebook, kept as source so
// that it can be evaluated again: when something it uses is redefined, when
// a worker process needs the notebook's functions, or after a restart.
type Declaration struct {
	Kind    DeclKind        // what it declares
	Key     string          // "f", "T", "T.M" for a method, "var a,b" for a var group
	Names   []string        // identifiers it declares (the method name for a method)
	Recv    string          // receiver base type of a method
	PtrRecv bool            // the method has a pointer receiver
	Src     string          // source text, doc comment included
	Cell    int             // execution count of the cell it came from
	Line    int             // position of src in that cell
	Col     int             // column of src in that cell
	Refs    map[string]bool // identifiers its source mentions
	Seq     int             // order of definition
}

// Declarations describes the declarations of a parsed group. src is the text
// the file was parsed from and base the offset of the cell text in it.
func Declarations(f *ast.File, fset *token.FileSet, src string, base int, cellSrc string, cellOff int, cell int) []*Declaration {
	var out []*Declaration
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
		line, col := LineCol(cellSrc, cellOff+so-base)
		e := &Declaration{Src: text, Cell: cell, Line: line, Col: col, Refs: IdentsOf(d)}
		switch x := d.(type) {
		case *ast.FuncDecl:
			if x.Recv != nil && len(x.Recv.List) > 0 {
				e.Kind = MethodDecl
				e.Recv = RecvBase(x.Recv.List[0].Type)
				_, e.PtrRecv = x.Recv.List[0].Type.(*ast.StarExpr)
				e.Key = e.Recv + "." + x.Name.Name
			} else {
				e.Kind = FuncDecl
				e.Key = x.Name.Name
			}
			e.Names = []string{x.Name.Name}
		case *ast.GenDecl:
			switch x.Tok {
			case token.TYPE:
				e.Kind = TypeDecl
			case token.VAR:
				e.Kind = VarDecl
			case token.CONST:
				e.Kind = ConstDecl
			}
			for _, sp := range x.Specs {
				switch s := sp.(type) {
				case *ast.TypeSpec:
					e.Names = append(e.Names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" {
							e.Names = append(e.Names, n.Name)
						}
					}
				}
			}
			if e.Kind == TypeDecl && len(e.Names) == 1 {
				e.Key = e.Names[0]
			} else {
				e.Key = e.Kind.String() + " " + strings.Join(e.Names, ",")
			}
		}
		if len(e.Names) == 0 {
			continue
		}
		out = append(out, e)
	}
	return out
}

// RecvBase returns the type name of a method receiver: T for *T, T[K].
func RecvBase(t ast.Expr) string {
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

// IdentsOf returns every identifier name used in n.
func IdentsOf(n ast.Node) map[string]bool {
	m := map[string]bool{}
	ast.Inspect(n, func(c ast.Node) bool {
		if id, ok := c.(*ast.Ident); ok {
			m[id.Name] = true
		}
		return true
	})
	return m
}

// LineCol converts a byte offset in src into a 1-based line and column.
func LineCol(src string, off int) (int, int) {
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

// ParseDeclaration parses the source of a declaration; nil when it does not
// parse (it always does: it was compiled).
func ParseDeclaration(d *Declaration) ast.Decl {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p;"+d.Src, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) == 0 {
		return nil
	}
	return f.Decls[0]
}
