// Package docindex extracts the documentation of a Go package (signatures
// and doc comments of its exported identifiers) into a small index that
// can be stored as JSON. The completer builds indexes of standard-library
// packages from GOROOT when asked, and embeds an index of golit's helper
// packages made by go generate, so that an installed golit binary can
// document them without their source.
package docindex

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// Package is the documentation of one package.
type Package struct {
	Path string `json:"path"` // import path
	Name string `json:"name"` // package name
	Doc  string `json:"doc"`  // package doc comment, as comment text
	// Entries maps "Name" for functions, types, variables and constants,
	// and "Type.Method" for methods, to their documentation.
	Entries map[string]Entry `json:"entries"`
}

// Entry is the documentation of one identifier.
type Entry struct {
	Kind string `json:"kind"` // "func", "method", "type", "var" or "const"
	Decl string `json:"decl"` // the declaration, without function bodies
	Doc  string `json:"doc"`  // the doc comment, as comment text
}

// Build reads the package in dir (the files ctx selects, tests excluded)
// and indexes its exported identifiers under importPath. A nil ctx means
// build.Default.
func Build(dir, importPath string, ctx *build.Context) (*Package, error) {
	if ctx == nil {
		ctx = &build.Default
	}
	bp, err := ctx.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range append(append([]string(nil), bp.GoFiles...), bp.CgoFiles...) {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	var mode doc.Mode
	if importPath == "builtin" {
		mode = doc.AllDecls // its identifiers are lower-case: len, append...
	}
	dp, err := doc.NewFromFiles(fset, files, importPath, mode)
	if err != nil {
		return nil, err
	}
	p := &Package{Path: importPath, Name: dp.Name, Doc: dp.Doc, Entries: map[string]Entry{}}
	for _, f := range dp.Funcs {
		p.Entries[f.Name] = Entry{Kind: "func", Decl: print(fset, f.Decl), Doc: f.Doc}
	}
	addValues := func(vs []*doc.Value, kind string) {
		for _, v := range vs {
			for _, spec := range v.Decl.Specs {
				vs := spec.(*ast.ValueSpec)
				docText := v.Doc
				if vs.Doc != nil {
					docText = vs.Doc.Text()
				} else if vs.Comment != nil && docText == "" {
					docText = vs.Comment.Text()
				}
				one := &ast.GenDecl{Tok: v.Decl.Tok, Specs: []ast.Spec{&ast.ValueSpec{
					Names: vs.Names, Type: vs.Type, Values: vs.Values}}}
				for _, n := range vs.Names {
					if ast.IsExported(n.Name) || mode&doc.AllDecls != 0 {
						p.Entries[n.Name] = Entry{Kind: kind, Decl: print(fset, one), Doc: docText}
					}
				}
			}
		}
	}
	addValues(dp.Consts, "const")
	addValues(dp.Vars, "var")
	for _, t := range dp.Types {
		p.Entries[t.Name] = Entry{Kind: "type", Decl: print(fset, t.Decl), Doc: t.Doc}
		addValues(t.Consts, "const")
		addValues(t.Vars, "var")
		for _, f := range t.Funcs {
			p.Entries[f.Name] = Entry{Kind: "func", Decl: print(fset, f.Decl), Doc: f.Doc}
		}
		for _, m := range t.Methods {
			p.Entries[t.Name+"."+m.Name] = Entry{Kind: "method", Decl: print(fset, m.Decl), Doc: m.Doc}
		}
	}
	return p, nil
}

// print formats a declaration without its doc comment or body.
func print(fset *token.FileSet, n ast.Node) string {
	switch d := n.(type) {
	case *ast.FuncDecl:
		c := *d
		c.Doc, c.Body = nil, nil
		n = &c
	case *ast.GenDecl:
		c := *d
		c.Doc = nil
		n = &c
	}
	var b bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	if err := cfg.Fprint(&b, fset, n); err != nil {
		return ""
	}
	return b.String()
}

// skipDirs are top-level directories of the golit module that hold no
// helper package a notebook imports.
var skipDirs = map[string]bool{
	"interp": true, "kernel": true, "cmd": true, "bench": true, "tests": true,
	"e2e": true, "notebooks": true, "kernelspec": true, "testdata": true,
	"vendor": true, "internal": true,
}

// Helpers indexes the helper packages of the module rooted at root (the
// top-level directories holding a non-main package, except the kernel's
// own), keyed by import path (modulePath + "/" + directory).
func Helpers(root, modulePath string) (map[string]*Package, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	out := map[string]*Package{}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || skipDirs[name] || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		dir := filepath.Join(root, name)
		bp, err := build.Default.ImportDir(dir, 0)
		if err != nil || bp.Name == "main" || len(bp.GoFiles) == 0 {
			continue
		}
		p, err := Build(dir, modulePath+"/"+name, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[p.Path] = p
	}
	return out, nil
}

// Marshal encodes an index as indented JSON with sorted keys, so that the
// same documentation always gives the same bytes.
func Marshal(idx map[string]*Package) ([]byte, error) {
	// encoding/json writes map keys sorted.
	b, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Unmarshal decodes what Marshal encoded.
func Unmarshal(data []byte) (map[string]*Package, error) {
	idx := map[string]*Package{}
	if len(data) == 0 {
		return idx, nil
	}
	err := json.Unmarshal(data, &idx)
	return idx, err
}
