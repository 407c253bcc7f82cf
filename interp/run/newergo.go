package run

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"strings"
)

// Newer Go that golit cannot run. yaegi v0.16.1 cannot carry generic
// functions and types of compiled packages, and its own language support
// stops at Go 1.22. golit supplies much of the later Go itself (see
// README.md); what it does not is listed here, so that a cell using it gets
// a compile error that says why and what to write instead, never a wrong
// value.

// newerGo maps a package ("unique") or a package member ("reflect.TypeAssert")
// to an explanation.
var newerGo = map[string]string{
	"unique":             "package unique (Go 1.23) is generic (unique.Make[T]), and yaegi v0.16.1 cannot load generic code of compiled packages; intern values in a map[T]*T of your own",
	"weak":               "package weak (Go 1.24) is generic (weak.Make[T]), and yaegi v0.16.1 cannot load generic code of compiled packages; there is no substitute in a cell",
	"testing/synctest":   "package testing/synctest (Go 1.25) needs a *testing.T and the test runner; it cannot run in a cell",
	"synctest":           "package testing/synctest (Go 1.25) needs a *testing.T and the test runner; it cannot run in a cell",
	"crypto/hkdf":        "package crypto/hkdf (Go 1.24) has only generic functions, and yaegi v0.16.1 cannot load generic code of compiled packages; use golang.org/x/crypto/hkdf in a compiled program",
	"hkdf":               "package crypto/hkdf (Go 1.24) has only generic functions, and yaegi v0.16.1 cannot load generic code of compiled packages; use golang.org/x/crypto/hkdf in a compiled program",
	"crypto/pbkdf2":      "package crypto/pbkdf2 (Go 1.24) has only generic functions, and yaegi v0.16.1 cannot load generic code of compiled packages",
	"pbkdf2":             "package crypto/pbkdf2 (Go 1.24) has only generic functions, and yaegi v0.16.1 cannot load generic code of compiled packages",
	"reflect.TypeAssert": "reflect.TypeAssert (Go 1.25) is generic, and yaegi v0.16.1 cannot load generic code of compiled packages; write v.Interface().(T)",
	"runtime.AddCleanup": "runtime.AddCleanup (Go 1.24) is generic, and yaegi v0.16.1 cannot load generic code of compiled packages; runtime.SetFinalizer works on values made by compiled code only",
}

var (
	undefinedNameRE = regexp.MustCompile(`undefined: (\w+)\s*$`)
	undefinedSelRE2 = regexp.MustCompile(`undefined selector:? (\S+)\.(\w+)\s*$`)
	noSymbolRE      = regexp.MustCompile(`package \w+ "([^"]+)" has no symbol (\w+)`)
	importErrRE     = regexp.MustCompile(`import "([^"]+)" error`)
)

// explainNewerGo appends the explanation of a compile error caused by Go
// golit cannot run, if it is one.
func explainNewerGo(err error) error {
	msg := err.Error()
	first := msg
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	var keys []string
	if m := undefinedNameRE.FindStringSubmatch(first); m != nil {
		keys = append(keys, m[1])
	}
	if m := undefinedSelRE2.FindStringSubmatch(first); m != nil {
		p := m[1]
		keys = append(keys, p+"."+m[2], p[strings.LastIndex(p, "/")+1:]+"."+m[2])
	}
	if m := noSymbolRE.FindStringSubmatch(first); m != nil {
		keys = append(keys, m[1]+"."+m[2])
	}
	if m := importErrRE.FindStringSubmatch(first); m != nil {
		keys = append(keys, m[1])
	}
	for _, k := range keys {
		if note, ok := newerGo[k]; ok {
			return fmt.Errorf("%s\n(%s)", first, note)
		}
	}
	return err
}

// genericAliases reports a generic type alias (Go 1.24), which yaegi
// v0.16.1 crashes on, as a compile error.
func genericAliases(f *ast.File, fset *token.FileSet) error {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, sp := range gd.Specs {
			ts := sp.(*ast.TypeSpec)
			if ts.Assign.IsValid() && ts.TypeParams != nil {
				return fmt.Errorf("%s: generic type aliases (Go 1.24) are not supported by golit's interpreter (yaegi v0.16.1): declare %s as a defined type instead (the same declaration without the =)",
					fset.Position(ts.Name.Pos()), ts.Name.Name)
			}
		}
	}
	return nil
}
