package run

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/parse"

	"github.com/traefik/yaegi/stdlib/generic"
)

// Errors in golit's own interpreted sources. yaegi reports some failures
// of generic code (type arguments it cannot infer, mostly) at the
// declaration of the generic function, which for golit's additions is a
// file the user never sees (golit-maps.go:3:25: undefined type for V).
// relocateInternal moves such an error to the cell's use of the function
// and says what it means.

// internalPosRE matches a position in one of golit's source files.
var internalPosRE = regexp.MustCompile(`^(?:internal interpreter error while compiling: )?(golit-[a-z]+\.go):(\d+):(\d+): (.*)$`)

// internalSources are golit's interpreted files by name, with the package
// name cells know their functions by.
var internalSources = func() map[string]rewrite.SourceFile {
	m := map[string]rewrite.SourceFile{}
	for _, sf := range rewrite.GenericSources {
		m[sf.Name] = sf
	}
	m["golit-stdgeneric.go"] = rewrite.SourceFile{Name: "golit-stdgeneric.go", Src: rewrite.StdGenericSource + rewrite.RunDefersSource}
	return m
}()

// yaegiPosRE matches a position in the sources of slices, maps and cmp
// that yaegi embeds (compiled without a file name).
var yaegiPosRE = regexp.MustCompile(`^(?:internal interpreter error while compiling: )?(\d+):(\d+): (undefined type for \w+)$`)

// yaegiSources are yaegi's embedded generic sources.
var yaegiSources = func() []rewrite.SourceFile {
	var out []rewrite.SourceFile
	for i, src := range generic.Sources {
		out = append(out, rewrite.SourceFile{Name: fmt.Sprintf("yaegi-%d.go", i), Src: src})
	}
	return out
}()

// relocateYaegiSource names the function of slices, maps or cmp that a
// position in yaegi's embedded sources belongs to, when the cell calls it.
func (e *Session) relocateYaegiSource(cell *cellRun, x *execError) *execError {
	m := yaegiPosRE.FindStringSubmatch(x.err.Error())
	if m == nil {
		return x
	}
	line, _ := strconv.Atoi(m[1])
	for _, sf := range yaegiSources {
		pkg, fn := declaredAt(sf, line)
		if fn == "" {
			continue
		}
		name := pkg + "." + fn
		if l, c, ok := findCall(cell.src, name); ok {
			return &execError{kind: "compile", err: fmt.Errorf("%s:%d:%d: yaegi could not infer the type arguments of %s here (%s); write them: %s[...](...), or see interp/LIMITS.md", cellName(cell.count), l, c, name, m[3], name)}
		}
	}
	return x
}

// relocateInternal rewrites an error reported in golit's sources into one
// at the cell's code.
func (e *Session) relocateInternal(cell *cellRun, x *execError) *execError {
	m := internalPosRE.FindStringSubmatch(x.err.Error())
	if m == nil {
		return e.relocateYaegiSource(cell, x)
	}
	sf, ok := internalSources[m[1]]
	if !ok {
		return x
	}
	line, _ := strconv.Atoi(m[2])
	pkg, fn, sig := declarationAt(sf, line)
	why := m[4]
	if sf.Name == "golit-range.go" {
		msg := fmt.Sprintf("yaegi could not infer the types of the values this range over a function yields (%s); declare the iterator's type where it is made, for example var seq iter.Seq[int] = ... or func f() iter.Seq[int]", why)
		if len(cell.funcRanges) > 0 {
			msg = fmt.Sprintf("%s: %s", e.yi.FileSet().Position(cell.funcRanges[0]), msg)
		} else {
			msg = cellName(cell.count) + ": " + msg
		}
		return &execError{kind: "compile", err: fmt.Errorf("%s", msg)}
	}
	name := fn
	if pkg != "main" && pkg != "" {
		name = pkg + "." + fn
	}
	shown := present.CleanMessage(name)
	if pkg == "main" {
		// golit's versions of sync.OnceValue and friends.
		for k, v := range rewrite.StdGenericNames {
			if v == name {
				shown = path.Base(k)
			}
		}
	}
	where := cellName(cell.count)
	if line, col, ok := findCall(cell.src, shown); ok {
		where = fmt.Sprintf("%s:%d:%d", where, line, col)
	}
	if !strings.HasPrefix(why, "undefined type for") {
		return &execError{kind: "compile", err: fmt.Errorf("%s: yaegi could not compile this call of %s (%s in golit's version of it; see interp/LIMITS.md)", where, shown, why)}
	}
	decl := ""
	if sig != "" && pkg != "main" {
		decl = fmt.Sprintf(" (golit's version is %s)", sig)
	}
	return &execError{kind: "compile", err: fmt.Errorf("%s: yaegi could not infer the type arguments of %s here (%s); convert the arguments to plain map, slice or function types (for example map[string][]string(h) for an http.Header), or write the type arguments: %s[...](...)%s", where, shown, why, shown, decl)}
}

// cfgPanicRE matches yaegi's message for a crash while compiling code at a
// position of the cell.
var cfgPanicRE = regexp.MustCompile(`^internal interpreter error while compiling: (In\[(\d+)\]:(\d+):(\d+)): CFG post-order panic: (.*)$`)

// relocateCFGPanic explains yaegi's crash on a call of a generic function
// of slices or maps with arguments whose types it cannot follow (nil, or
// values of compiled named types the rewrite could not see).
func (e *Session) relocateCFGPanic(cell *cellRun, x *execError) *execError {
	m := cfgPanicRE.FindStringSubmatch(x.err.Error())
	if m == nil {
		return x
	}
	line, _ := strconv.Atoi(m[3])
	col, _ := strconv.Atoi(m[4])
	lines := strings.Split(cell.src, "\n")
	if line < 1 || line > len(lines) || col < 1 || col > len(lines[line-1])+1 {
		return x
	}
	rest := lines[line-1][col-1:]
	call := callPrefixRE.FindStringSubmatch(rest)
	if call == nil || !sourcePackages[call[1]] {
		return x
	}
	name := call[1] + "." + call[2]
	return &execError{kind: "compile", err: fmt.Errorf("%s: yaegi could not instantiate %s with these arguments (%s); give them a plain slice, map or function type (nil has none: write []int(nil))", m[1], name, m[5])}
}

// callPrefixRE matches the start of a call pkg.Name( or pkg.Name[.
var callPrefixRE = regexp.MustCompile(`^\s*(?:\w+\s*:?=\s*)?(\w+)\.(\w+)\s*[(\[]`)

// findCall returns the position in src of the first call of name (pkg.F
// or F), 1-based.
func findCall(src, name string) (int, int, bool) {
	re := regexp.MustCompile(`(^|[^\w.])` + regexp.QuoteMeta(name) + `\s*[(\[]`)
	loc := re.FindStringSubmatchIndex(src)
	if loc == nil {
		return 0, 0, false
	}
	off := loc[3] // end of the character before the name
	if loc[2] < 0 {
		off = loc[0]
	}
	line, col := parse.LineCol(src, off)
	return line, col, true
}

// declaredAt returns the package and the name of the function (or type)
// declared at line of a golit source file.
func declaredAt(sf rewrite.SourceFile, line int) (pkg, name string) {
	pkg, name, _ = declarationAt(sf, line)
	return pkg, name
}

// declarationAt is declaredAt with the function's signature as Go source
// ("" for a type).
func declarationAt(sf rewrite.SourceFile, line int) (pkg, name, sig string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, sf.Name, sf.Src, parser.SkipObjectResolution)
	if err != nil {
		return "", "", ""
	}
	for _, d := range f.Decls {
		start, end := fset.Position(d.Pos()).Line, fset.Position(d.End()).Line
		if line < start || line > end {
			continue
		}
		switch x := d.(type) {
		case *ast.FuncDecl:
			var sb strings.Builder
			if printer.Fprint(&sb, fset, &ast.FuncDecl{Name: x.Name, Type: x.Type}) == nil {
				sig = sb.String()
			}
			return f.Name.Name, x.Name.Name, sig
		case *ast.GenDecl:
			for _, sp := range x.Specs {
				if ts, ok := sp.(*ast.TypeSpec); ok {
					return f.Name.Name, ts.Name.Name, ""
				}
			}
		}
	}
	return f.Name.Name, "", ""
}
