package compiled

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// decl is one top-level declaration of a compiled cell.
type decl struct {
	names []string // the names it declares ("fib", "Point", "Point.String")
	cell  int
	text  string // its source
	line  int    // where it starts in the cell
	col   int
	node  ast.Decl
	src   []byte         // the parsed text node's offsets point into
	fset  *token.FileSet // positions of node
	uses  map[string]bool
	shift int // lines the parsed text has above the cell's
}

// fn is a function of a compiled cell as the dispatcher and the stubs see
// it.
type fn struct {
	name     string // the function's name, or the method's
	key      string // what a call names: "fib", "Point.Dist", "(*Point).Scale"
	recv     string // a method's receiver type name, or ""
	recvText string // the receiver's type as written, without its star ("Stack[T]")
	tparams  string // a generic function's type parameters as written ("[T any]")
	ptrRecv  bool   // the receiver is a pointer
	params   []param
	results  []param
	variadic bool
	why      string   // why it cannot be called from interpreted code, or ""
	pos      string   // where its func keyword is: "In[n]:line:col"
	pkgs     []string // packages its signature names (time in time.Duration)
}

// param is one parameter or result: its type's source and whether it is
// the error interface (results only).
type param struct {
	typ   string
	isErr bool
}

// cellName is the file name positions in cell n are reported under.
func cellName(n int) string { return fmt.Sprintf("In[%d]", n) }

// parsedCell is a compiled cell after parsing.
type parsedCell struct {
	imports map[string]string // name -> path
	decls   []*decl
}

// parseCell parses the source of compiled cell n. src is padded so that
// its line numbers are the cell's, its first line (the %%compile line)
// blank.
func parseCell(n int, src string) (*parsedCell, error) {
	// The package clause takes the blank first line, so that the
	// positions are the cell's.
	text, shift := "package main"+src, 0
	if !strings.HasPrefix(src, "\n") {
		text, shift = "package main\n"+src, 1
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, cellName(n), text, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		var list scanner.ErrorList
		if el, ok := err.(scanner.ErrorList); ok {
			for _, e := range el {
				e.Pos.Line -= shift
				if strings.Contains(e.Msg, "expected declaration") {
					e.Msg += " (a compiled cell holds declarations only: import, func, type, const, var; call its functions from an interpreted cell)"
				}
				list = append(list, e)
			}
			return nil, list
		}
		return nil, err
	}
	pc := &parsedCell{imports: map[string]string{}}
	src2 := []byte(text)
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			for _, s := range gd.Specs {
				is := s.(*ast.ImportSpec)
				p, _ := strconv.Unquote(is.Path.Value)
				name := p[strings.LastIndex(p, "/")+1:]
				if is.Name != nil {
					name = is.Name.Name
				}
				if v := strings.TrimPrefix(name, "v"); name != p && len(v) > 0 && v[0] >= '0' && v[0] <= '9' {
					// math/rand/v2 is package rand.
					q := strings.TrimSuffix(p, "/"+name)
					name = q[strings.LastIndex(q, "/")+1:]
				}
				pc.imports[name] = p
			}
			continue
		}
		start := d.Pos()
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			start = fd.Doc.Pos()
		}
		if gd, ok := d.(*ast.GenDecl); ok && gd.Doc != nil {
			start = gd.Doc.Pos()
		}
		ps := fset.Position(start)
		pe := fset.Position(d.End())
		dc := &decl{
			cell: n, text: text[ps.Offset:pe.Offset], line: ps.Line - shift, col: ps.Column,
			node: d, src: src2, fset: fset, uses: map[string]bool{}, shift: shift,
		}
		dc.names = declNames(d, n, len(pc.decls))
		ast.Inspect(d, func(x ast.Node) bool {
			if sel, ok := x.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					dc.uses[id.Name] = true
				}
			}
			return true
		})
		pc.decls = append(pc.decls, dc)
	}
	return pc, nil
}

// declNames returns the names d declares. Declarations that declare
// nothing nameable (init, blank variables) get a name of their own cell.
func declNames(d ast.Decl, cell, idx int) []string {
	own := fmt.Sprintf("#%d.%d", cell, idx)
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Name.Name == "init" || d.Name.Name == "_" {
			return []string{own}
		}
		if d.Recv != nil && len(d.Recv.List) > 0 {
			return []string{recvName(d.Recv.List[0].Type) + "." + d.Name.Name}
		}
		return []string{d.Name.Name}
	case *ast.GenDecl:
		var out []string
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				out = append(out, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					if n.Name != "_" {
						out = append(out, n.Name)
					}
				}
			}
		}
		if len(out) == 0 {
			return []string{own}
		}
		return out
	}
	return []string{own}
}

// embeddedName is the field name of an embedded field of type t: its
// type's name without package and type arguments.
func embeddedName(t ast.Expr) string {
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.SelectorExpr:
			return x.Sel.Name
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}

func recvName(t ast.Expr) string {
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}

// nodeText is the source of a node of d.
func (d *decl) nodeText(n ast.Node) string {
	return string(d.src[d.fset.Position(n.Pos()).Offset:d.fset.Position(n.End()).Offset])
}

// typeSpecs maps the type names of the store to their specs.
func typeSpecs(decls []*decl) map[string]*ast.TypeSpec {
	out := map[string]*ast.TypeSpec{}
	for _, d := range decls {
		if gd, ok := d.node.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				out[ts.Name.Name] = ts
			}
		}
	}
	return out
}

var basicTypes = map[string]bool{
	"bool": true, "string": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"float32": true, "float64": true, "complex64": true, "complex128": true, "byte": true, "rune": true,
}

// crossable tells why a value of type t cannot be copied between the
// interpreter and the worker, or "" when it can.
func crossable(t ast.Expr, types map[string]*ast.TypeSpec, seen map[string]bool) string {
	switch t := t.(type) {
	case *ast.Ident:
		if basicTypes[t.Name] {
			return ""
		}
		if t.Name == "any" || t.Name == "error" {
			return "an interface (" + t.Name + "): the worker could not know the concrete type to decode"
		}
		ts, ok := types[t.Name]
		if !ok {
			return "of type " + t.Name + ", which no compiled cell declares"
		}
		if seen[t.Name] {
			return ""
		}
		seen[t.Name] = true
		if ts.TypeParams != nil {
			return "of the generic type " + t.Name
		}
		if why := crossable(ts.Type, types, seen); why != "" {
			return why + " (in type " + t.Name + ")"
		}
		return ""
	case *ast.ParenExpr:
		return crossable(t.X, types, seen)
	case *ast.SelectorExpr:
		return "" // a package's type: gob copies what it can and says so at the call
	case *ast.ArrayType:
		return crossable(t.Elt, types, seen)
	case *ast.Ellipsis:
		return crossable(t.Elt, types, seen)
	case *ast.MapType:
		if why := crossable(t.Key, types, seen); why != "" {
			return why
		}
		return crossable(t.Value, types, seen)
	case *ast.StructType:
		for _, f := range t.Fields.List {
			name := embeddedName(f.Type) // an embedded field is named by its type
			if len(f.Names) > 0 {
				name = f.Names[0].Name
			}
			for _, n := range f.Names {
				if !ast.IsExported(n.Name) {
					name = n.Name
				}
			}
			if !ast.IsExported(name) {
				return "a struct with the unexported field " + name + ": values are copied with encoding/gob, which copies exported fields only, so " + name + " would be lost (export it, or keep the value inside compiled code)"
			}
			if why := crossable(f.Type, types, seen); why != "" {
				return why
			}
		}
		return ""
	case *ast.StarExpr:
		return "a pointer: the worker is another process with its own memory, so a pointer cannot point into the interpreter's (pass or return the value instead)"
	case *ast.ChanType:
		return "a channel: a channel cannot be shared between the interpreter and the worker process (use it inside compiled code)"
	case *ast.FuncType:
		return "a function: a function value cannot be copied to another process (call it inside compiled code)"
	case *ast.InterfaceType:
		return "an interface: the worker could not know the concrete type to decode"
	}
	return "of a type golit cannot copy"
}

// funcsOf returns the plain functions of decls as the stubs see them.
func funcsOf(decls []*decl, all []*decl) []fn {
	types := typeSpecs(all)
	var out []fn
	for _, d := range decls {
		fd, ok := d.node.(*ast.FuncDecl)
		if !ok || fd.Name.Name == "init" || fd.Name.Name == "_" || (fd.Name.Name == "main" && fd.Recv == nil) {
			continue
		}
		p := d.fset.Position(fd.Pos())
		f := fn{name: fd.Name.Name, key: fd.Name.Name, pos: fmt.Sprintf("%s:%d:%d", cellName(d.cell), p.Line-d.shift, p.Column)}
		if fd.Recv != nil {
			if len(fd.Recv.List) != 1 {
				continue
			}
			rt := fd.Recv.List[0].Type
			if st, ok := rt.(*ast.StarExpr); ok {
				f.ptrRecv, rt = true, st.X
			}
			f.recv, f.recvText = recvName(rt), d.nodeText(rt)
			f.key = f.recv + "." + f.name
			if f.ptrRecv {
				f.key = "(*" + f.recv + ")." + f.name
			}
			switch rt.(type) {
			case *ast.IndexExpr, *ast.IndexListExpr:
				f.why = "its receiver's type " + f.recv + " is generic (the worker has one compiled form per instantiation, and the interpreter cannot name which; call it from a compiled function of concrete types)"
			default:
				if why := crossable(rt, types, map[string]bool{}); why != "" {
					f.why = fmt.Sprintf("its receiver (%s) is %s", f.recv, why)
				}
			}
		}
		ast.Inspect(fd.Type, func(x ast.Node) bool {
			if sel, ok := x.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && !slices.Contains(f.pkgs, id.Name) {
					f.pkgs = append(f.pkgs, id.Name)
				}
			}
			return true
		})
		if fd.Type.TypeParams != nil {
			f.tparams = d.nodeText(fd.Type.TypeParams)
			f.why = "it is generic: the worker is compiled before any interpreted cell names an instantiation, so it holds only the instantiations compiled code uses, and the interpreter cannot choose one (wrap it in a function of concrete types, e.g. func SumInts(xs []int) int { return Sum(xs) })"
		}
		for i, fl := range fd.Type.Params.List {
			n := max(1, len(fl.Names))
			for k := 0; k < n; k++ {
				t := fl.Type
				if el, ok := t.(*ast.Ellipsis); ok {
					f.variadic = true
					t = &ast.ArrayType{Elt: el.Elt}
				}
				f.params = append(f.params, param{typ: d.nodeText(fl.Type)})
				if why := crossable(t, types, map[string]bool{}); why != "" && f.why == "" {
					f.why = fmt.Sprintf("its parameter %d (%s) is %s", i+1+k, d.nodeText(fl.Type), why)
				}
			}
		}
		if fd.Type.Results != nil {
			for _, fl := range fd.Type.Results.List {
				n := max(1, len(fl.Names))
				for k := 0; k < n; k++ {
					p := param{typ: d.nodeText(fl.Type)}
					if id, ok := fl.Type.(*ast.Ident); ok && id.Name == "error" {
						p.isErr = true
					} else if why := crossable(fl.Type, types, map[string]bool{}); why != "" && f.why == "" {
						f.why = fmt.Sprintf("its result %d (%s) is %s", len(f.results)+1, p.typ, why)
					}
					f.results = append(f.results, p)
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// methodsElsewhere returns the methods, declared in all but not in cell,
// of the types cell declares.
func methodsElsewhere(cell, all []*decl) []fn {
	mine := map[*decl]bool{}
	for _, d := range cell {
		mine[d] = true
	}
	types := typeSpecs(cell)
	var others []*decl
	for _, d := range all {
		if !mine[d] {
			others = append(others, d)
		}
	}
	var out []fn
	for _, f := range funcsOf(others, all) {
		if _, ok := types[f.recv]; ok && f.recv != "" {
			out = append(out, f)
		}
	}
	return out
}

// cellFile writes the source of one cell's surviving declarations, with
// //line directives that give them their cell's positions.
func cellFile(cell int, decls []*decl, imports map[string]string) string {
	used := map[string]bool{}
	for _, d := range decls {
		for u := range d.uses {
			used[u] = true
		}
	}
	var names []string
	for n := range imports {
		if used[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var sb strings.Builder
	sb.WriteString("package main\n\n")
	for _, n := range names {
		fmt.Fprintf(&sb, "import %s %q\n", n, imports[n])
	}
	for _, d := range decls {
		fmt.Fprintf(&sb, "\n//line %s:%d:%d\n%s\n", cellName(cell), d.line, d.col, d.text)
	}
	return sb.String()
}

// dispatcher writes the worker's main: it reads a function name and its
// arguments, runs the function under a recover and writes a status and
// the results.
func dispatcher(funcs []fn, imports map[string]string) string {
	var sb strings.Builder
	// The packages the signatures name join the head's import block.
	head, rest, _ := strings.Cut(dispatcherHead, "\n)\n")
	sb.WriteString(head)
	used := map[string]bool{}
	for _, f := range funcs {
		for _, p := range f.pkgs {
			if _, ok := imports[p]; ok && f.why == "" && !used[p] {
				used[p] = true
				fmt.Fprintf(&sb, "\n\t%s %q", p, imports[p])
			}
		}
	}
	sb.WriteString("\n)\n" + rest)
	sb.WriteString("\nfunc golit__dispatch(golit__name string, golit__dec *golit__gob.Decoder, golit__enc *golit__gob.Encoder) {\n\tswitch golit__name {\n")
	for _, f := range funcs {
		if f.why != "" {
			continue
		}
		fmt.Fprintf(&sb, "\tcase %q:\n", f.key)
		if f.recv != "" {
			fmt.Fprintf(&sb, "\t\tvar golit__recv %s\n\t\tgolit__must(golit__dec.Decode(&golit__recv))\n", f.recv)
		}
		var args []string
		for i, p := range f.params {
			t := p.typ
			if f.variadic && i == len(f.params)-1 {
				t = "[]" + strings.TrimPrefix(t, "...")
			}
			fmt.Fprintf(&sb, "\t\tvar golit__a%d %s\n\t\tgolit__must(golit__dec.Decode(&golit__a%d))\n", i, t, i)
			a := fmt.Sprintf("golit__a%d", i)
			if f.variadic && i == len(f.params)-1 {
				a += "..."
			}
			args = append(args, a)
		}
		var rs []string
		for i, p := range f.results {
			fmt.Fprintf(&sb, "\t\tvar golit__r%d %s\n", i, p.typ)
			rs = append(rs, fmt.Sprintf("golit__r%d", i))
		}
		call := fmt.Sprintf("%s(%s)", f.name, strings.Join(args, ", "))
		if f.recv != "" {
			call = "golit__recv." + call
		}
		if len(rs) > 0 {
			call = strings.Join(rs, ", ") + " = " + call
		}
		fmt.Fprintf(&sb, "\t\tif golit__msg := golit__protect(func() { %s }); golit__msg != \"\" {\n\t\t\tgolit__must(golit__enc.Encode(golit__msg))\n\t\t\treturn\n\t\t}\n", call)
		sb.WriteString("\t\tgolit__must(golit__enc.Encode(\"\"))\n")
		if f.ptrRecv {
			// The receiver as the method left it, copied back.
			sb.WriteString("\t\tgolit__must(golit__enc.Encode(golit__recv))\n")
		}
		for i, p := range f.results {
			if p.isErr {
				fmt.Fprintf(&sb, "\t\tgolit__encErr(golit__enc, golit__r%d)\n", i)
			} else {
				fmt.Fprintf(&sb, "\t\tgolit__must(golit__enc.Encode(golit__r%d))\n", i)
			}
		}
	}
	sb.WriteString("\tdefault:\n\t\tgolit__must(golit__enc.Encode(\"no compiled function \" + golit__name + \"\\x00\"))\n\t}\n}\n")
	return sb.String()
}

const dispatcherHead = `package main

import (
	golit__bufio "bufio"
	golit__fmt "fmt"
	golit__gob "encoding/gob"
	golit__os "os"
	golit__runtime "runtime"
	golit__strings "strings"
)

func main() {
	golit__in := golit__bufio.NewReader(golit__input())
	golit__outf := golit__bufio.NewWriter(golit__output())
	golit__dec := golit__gob.NewDecoder(golit__in)
	golit__enc := golit__gob.NewEncoder(golit__outf)
	for {
		var golit__name string
		if err := golit__dec.Decode(&golit__name); err != nil {
			golit__os.Exit(0)
		}
		golit__dispatch(golit__name, golit__dec, golit__enc)
		golit__must(golit__outf.Flush())
	}
}

func golit__must(err error) {
	if err != nil {
		golit__fmt.Fprintln(golit__os.Stderr, "golit compiled worker: cannot exchange values:", err)
		golit__os.Exit(3)
	}
}

func golit__encErr(enc *golit__gob.Encoder, err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	golit__must(enc.Encode(msg))
	golit__must(enc.Encode(err != nil))
}

// golit__protect runs f; a panic becomes its message, a NUL, and the
// frames of compiled cells ("In[n]:line function"), innermost first.
func golit__protect(f func()) (msg string) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		var sb golit__strings.Builder
		golit__fmt.Fprint(&sb, v)
		sb.WriteString("\x00")
		pcs := make([]uintptr, 100)
		n := golit__runtime.Callers(2, pcs)
		frames := golit__runtime.CallersFrames(pcs[:n])
		for {
			fr, more := frames.Next()
			file := fr.File[golit__strings.LastIndex(fr.File, "/")+1:]
			if golit__strings.HasPrefix(file, "In[") {
				golit__fmt.Fprintf(&sb, "%s:%d\t%s\n", file, fr.Line, golit__strings.TrimPrefix(fr.Function, "main."))
			}
			if !more {
				break
			}
		}
		msg = sb.String()
	}()
	f()
	return ""
}
`

// stubs writes the interpreted side of a cell: its types and constants as
// they are, and for each function a stub that calls the worker (or, when
// its values cannot cross, panics saying why).
func stubs(decls []*decl, funcs []fn) string {
	var sb strings.Builder
	for _, d := range decls {
		if gd, ok := d.node.(*ast.GenDecl); ok && (gd.Tok == token.TYPE || gd.Tok == token.CONST) {
			sb.WriteString(d.text)
			sb.WriteString("\n\n")
		}
	}
	for _, f := range funcs {
		var ps, rs []string
		for i, p := range f.params {
			ps = append(ps, fmt.Sprintf("golit__a%d %s", i, p.typ))
		}
		for i, p := range f.results {
			rs = append(rs, fmt.Sprintf("golit__r%d %s", i, p.typ))
		}
		// One line, placed by a //line directive where the compiled
		// function is declared, so that stacks and panics point there.
		recv := ""
		switch {
		case f.ptrRecv:
			recv = "(golit__p *" + f.recvText + ") "
		case f.recv != "":
			recv = "(golit__p " + f.recvText + ") "
		}
		fmt.Fprintf(&sb, "//line %s\nfunc %s%s%s(%s) (%s) {", f.pos, recv, f.name, f.tparams, strings.Join(ps, ", "), strings.Join(rs, ", "))
		if f.why != "" {
			fmt.Fprintf(&sb, " panic(%q) }\n\n", crossError(f))
			continue
		}
		var args, outs, post []string
		switch {
		case f.ptrRecv:
			// Copy in, copy back: the worker cannot point into the
			// interpreter's memory, so the method runs on a copy that
			// replaces *golit__p when it returns.
			fmt.Fprintf(&sb, " if golit__p == nil { panic(%q) }; var golit__n %s;",
				"compiled method "+f.key+" called on a nil *"+f.recv+": the receiver is copied to the compiled worker, so it must point to a value", f.recv)
			args = append(args, "*golit__p")
			outs = append(outs, "&golit__n")
			post = append(post, " *golit__p = golit__n;")
		case f.recv != "":
			args = append(args, "golit__p")
		}
		for i := range f.params {
			args = append(args, fmt.Sprintf("golit__a%d", i))
		}
		for i, p := range f.results {
			if p.isErr {
				fmt.Fprintf(&sb, " var golit__e%d string; var golit__s%d bool;", i, i)
				outs = append(outs, fmt.Sprintf("&golit__e%d", i), fmt.Sprintf("&golit__s%d", i))
				post = append(post, fmt.Sprintf(" if golit__s%d { golit__r%d = golit__rt.CompiledError(golit__e%d) };", i, i, i))
				continue
			}
			outs = append(outs, fmt.Sprintf("&golit__r%d", i))
		}
		fmt.Fprintf(&sb, " golit__rt.Compiled(%q, []any{%s}, []any{%s});", f.key, strings.Join(args, ", "), strings.Join(outs, ", "))
		sb.WriteString(strings.Join(post, ""))
		sb.WriteString(" return }\n\n")
	}
	return sb.String()
}

// crossError is the message of a function whose values cannot cross
// between the interpreter and the worker.
func crossError(f fn) string {
	what := "function " + f.key
	if f.recv != "" {
		what = "method " + f.key
	}
	return fmt.Sprintf("compiled %s cannot be called from an interpreted cell: %s. Values are copied between the interpreter and the compiled worker process; call %s from another compiled function instead", what, f.why, f.key)
}
