package run

import (
	"go/ast"
	"go/token"
	"path"
	"sort"
	"strings"

	"github.com/golit/golit/interp/symbols"
)

// preferred names the package a bare name means when several standard
// packages share it. math/rand is chosen over math/rand/v2 and crypto/rand
// because most teaching material (and Go by Example) uses rand.Intn.
var preferred = map[string]string{
	"rand":       "math/rand",
	"template":   "text/template",
	"scanner":    "text/scanner",
	"pprof":      "runtime/pprof",
	"constraint": "go/build/constraint",
	"parser":     "go/parser",
	"format":     "go/format",
	"build":      "go/build",
}

// packageIndex maps a package name to the import paths that provide it,
// from the symbol tables the interpreter knows. A helper package appears
// once, under its long path: golit/display and github.com/golit/golit/display
// are one package with two import paths, not two packages to choose from.
func (e *Session) packageIndex() map[string][]string {
	e.pkgIdxOnce.Do(func() {
		idx := map[string][]string{}
		syms := e.allSymbols()
		for p := range syms {
			if strings.Contains(p, "internal") || strings.HasPrefix(p, rtImportPath) || p == "main" || p == "" {
				continue
			}
			if rest, ok := strings.CutPrefix(p, symbols.ShortPrefix); ok {
				if _, long := syms[moduleHelperPrefix+rest]; long {
					continue
				}
			}
			name := e.pkgName(p)
			idx[name] = append(idx[name], p)
		}
		for _, v := range idx {
			sort.Strings(v)
		}
		e.pkgIdx = idx
	})
	return e.pkgIdx
}

// pkgName is the name a package is imported under by default.
func (e *Session) pkgName(p string) string {
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(p))
	}
	return strings.ReplaceAll(base, "-", "_")
}

// missingImports returns the standard packages nodes use without importing
// them, and a note for names that were ambiguous.
func (e *Session) missingImports(nodes []ast.Node, known func(string) bool) (paths []string, notes []string) {
	defined := map[string]bool{}
	used := map[string]map[string]bool{} // package name -> selectors
	for _, n := range nodes {
		ast.Inspect(n, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok {
					if used[id.Name] == nil {
						used[id.Name] = map[string]bool{}
					}
					used[id.Name][x.Sel.Name] = true
				}
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE {
					for _, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							defined[id.Name] = true
						}
					}
				}
			case *ast.RangeStmt:
				if x.Tok == token.DEFINE {
					for _, l := range []ast.Expr{x.Key, x.Value} {
						if id, ok := l.(*ast.Ident); ok {
							defined[id.Name] = true
						}
					}
				}
			case *ast.ValueSpec:
				for _, id := range x.Names {
					defined[id.Name] = true
				}
			case *ast.TypeSpec:
				defined[x.Name.Name] = true
			case *ast.FuncDecl:
				defined[x.Name.Name] = true
			case *ast.Field:
				for _, id := range x.Names {
					defined[id.Name] = true
				}
			case *ast.ImportSpec:
				if x.Name != nil {
					defined[x.Name.Name] = true
				} else {
					defined[e.pkgName(strings.Trim(x.Path.Value, "\"`"))] = true
				}
			}
			return true
		})
	}
	idx := e.packageIndex()
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if defined[name] || known(name) {
			continue
		}
		cands := idx[name]
		if len(cands) == 0 {
			continue
		}
		pick := cands[0]
		if len(cands) > 1 {
			// Keep the candidates that have every selector used.
			var fit []string
			for _, c := range cands {
				syms := e.allSymbols()[c]
				ok := true
				for sel := range used[name] {
					if _, has := syms[sel]; !has {
						ok = false
						break
					}
				}
				if ok {
					fit = append(fit, c)
				}
			}
			if len(fit) == 0 {
				fit = cands
			}
			pick = fit[0]
			for _, c := range fit {
				if c == preferred[name] {
					pick = c
				}
			}
			if len(fit) > 1 {
				var others []string
				for _, c := range fit {
					if c != pick {
						others = append(others, c)
					}
				}
				notes = append(notes, "auto-imported "+pick+" for "+name+" (also possible: "+strings.Join(others, ", ")+"; import one explicitly to choose)")
			}
		}
		paths = append(paths, pick)
	}
	return paths, notes
}
