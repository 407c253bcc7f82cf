package complete

import (
	"go/ast"
	"go/constant"
	"go/types"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// gtype is what completion knows about the type of an expression. Exactly
// one of rt, named or expr is set.
type gtype struct {
	rt    reflect.Type // known by reflection (compiled or interpreted)
	named string       // a type declared in the notebook or the cell
	ptr   bool         // with named: a pointer to it
	expr  ast.Expr     // a type literal from source ([]T, map[K]V, struct{...}, func(...))
}

// member is a field or method of a type, or a member of a package.
type member struct {
	name string
	kind declKind
	typ  *gtype // the field's type, or the method's func type
}

// pkgInfo is one package of the symbol tables.
type pkgInfo struct {
	path, name string
	syms       map[string]reflect.Value
}

// resolver answers "what is this name / expression" for one request.
type resolver struct {
	pkgs    map[string]*pkgInfo   // import path -> package
	byName  map[string][]*pkgInfo // package name -> packages
	imports map[string]string
	globals map[string]reflect.Value
	nb      *index
	cell    *cellScope
	depth   int
}

// preferred breaks ties between packages of the same name for names that
// are not imported, as goimports would for the common cases.
var preferred = map[string]string{
	"rand": "math/rand", "template": "text/template", "scanner": "text/scanner",
	"pprof": "runtime/pprof", "parser": "go/parser", "format": "go/format",
	"constant": "go/constant", "token": "go/token", "ast": "go/ast", "build": "go/build",
	"doc": "go/doc", "printer": "go/printer", "types": "go/types", "errors": "errors",
	"trace": "runtime/trace", "url": "net/url", "user": "os/user", "exec": "os/exec",
	"signal": "os/signal", "atomic": "sync/atomic", "syntax": "regexp/syntax",
}

func newPackages(tables map[string]map[string]reflect.Value) (map[string]*pkgInfo, map[string][]*pkgInfo) {
	pkgs := map[string]*pkgInfo{}
	byName := map[string][]*pkgInfo{}
	for key, syms := range tables {
		path, name := key, key
		if i := strings.LastIndexByte(key, '/'); i >= 0 {
			path, name = key[:i], key[i+1:]
		}
		if p, ok := pkgs[path]; ok {
			// The same package under two keys: merge into a new map (the
			// tables belong to the engine).
			merged := make(map[string]reflect.Value, len(p.syms)+len(syms))
			for _, m := range []map[string]reflect.Value{syms, p.syms} {
				for n, v := range m {
					merged[n] = v
				}
			}
			p.syms = merged
			continue
		}
		p := &pkgInfo{path: path, name: name, syms: syms}
		pkgs[path] = p
		byName[name] = append(byName[name], p)
	}
	for _, ps := range byName {
		sort.Slice(ps, func(i, j int) bool {
			if len(ps[i].path) != len(ps[j].path) {
				return len(ps[i].path) < len(ps[j].path)
			}
			return ps[i].path < ps[j].path
		})
	}
	return pkgs, byName
}

// sourceOnly are standard packages the engine interprets from source
// without a symbol table (they are generic only): cells use them without
// an import, and their documentation comes from GOROOT.
var sourceOnly = map[string]bool{"iter": true, "slices": true, "maps": true, "cmp": true}

// isValueName reports whether name is a variable, constant, function or
// type of the cell or notebook, which hides a package of that name.
func (r *resolver) isValueName(name string) bool {
	if _, ok := r.cell.locals[name]; ok {
		return true
	}
	if _, ok := r.cell.idx.names[name]; ok {
		return true
	}
	if _, ok := r.nb.names[name]; ok {
		return true
	}
	_, ok := r.globals[name]
	return ok
}

// pkg returns the package a name refers to: an import of the notebook, or
// a package the engine would import automatically.
func (r *resolver) pkg(name string) *pkgInfo {
	if r.isValueName(name) {
		return nil
	}
	if path, ok := r.imports[name]; ok {
		if p := r.pkgs[path]; p != nil {
			return p
		}
		return &pkgInfo{path: path, name: name}
	}
	cands := r.byName[name]
	if len(cands) == 0 {
		if sourceOnly[name] {
			return &pkgInfo{path: name, name: name}
		}
		return nil
	}
	if path, ok := preferred[name]; ok {
		if p := r.pkgs[path]; p != nil {
			return p
		}
	}
	return cands[0]
}

// symKind classifies a symbol-table value the way yaegi's tables store
// them: types as nil pointers to the type, variables as addressable values,
// constants as go/constant values.
func symKind(v reflect.Value) declKind {
	if !v.IsValid() {
		return kindVar
	}
	if v.CanAddr() {
		return kindVar
	}
	if _, ok := v.Interface().(constant.Value); ok {
		return kindConst
	}
	switch v.Kind() {
	case reflect.Func:
		return kindFunc
	case reflect.Pointer:
		if v.IsNil() {
			return kindType
		}
	}
	return kindConst
}

// symType is the type of a package member used as an expression (for a
// type name: the type itself).
func symType(v reflect.Value) *gtype {
	switch symKind(v) {
	case kindType:
		return &gtype{rt: v.Type().Elem()}
	case kindConst:
		if c, ok := v.Interface().(constant.Value); ok {
			return constType(c)
		}
	}
	if !v.IsValid() {
		return nil
	}
	return &gtype{rt: v.Type()}
}

func constType(c constant.Value) *gtype {
	switch c.Kind() {
	case constant.Int:
		return &gtype{rt: reflect.TypeOf(0)}
	case constant.Float:
		return &gtype{rt: reflect.TypeOf(0.0)}
	case constant.String:
		return &gtype{rt: reflect.TypeOf("")}
	case constant.Bool:
		return &gtype{rt: reflect.TypeOf(false)}
	case constant.Complex:
		return &gtype{rt: reflect.TypeOf(complex128(0))}
	}
	return nil
}

var predeclared = map[string]reflect.Type{
	"bool": reflect.TypeOf(false), "string": reflect.TypeOf(""),
	"int": reflect.TypeOf(0), "int8": reflect.TypeOf(int8(0)), "int16": reflect.TypeOf(int16(0)),
	"int32": reflect.TypeOf(int32(0)), "int64": reflect.TypeOf(int64(0)),
	"uint": reflect.TypeOf(uint(0)), "uint8": reflect.TypeOf(uint8(0)), "uint16": reflect.TypeOf(uint16(0)),
	"uint32": reflect.TypeOf(uint32(0)), "uint64": reflect.TypeOf(uint64(0)), "uintptr": reflect.TypeOf(uintptr(0)),
	"float32": reflect.TypeOf(float32(0)), "float64": reflect.TypeOf(0.0),
	"complex64": reflect.TypeOf(complex64(0)), "complex128": reflect.TypeOf(complex128(0)),
	"byte": reflect.TypeOf(byte(0)), "rune": reflect.TypeOf(rune(0)),
	"error": reflect.TypeOf((*error)(nil)).Elem(), "any": reflect.TypeOf((*any)(nil)).Elem(),
}

// lookupDecl finds a name declared by the cell or the notebook.
func (r *resolver) lookupDecl(name string) *decl {
	if d, ok := r.cell.locals[name]; ok {
		return d
	}
	if d, ok := r.cell.idx.names[name]; ok {
		return d
	}
	return r.nb.names[name]
}

// methodsOf returns the methods declared for a notebook or cell type.
func (r *resolver) methodsOf(name string) []*decl {
	ms := append([]*decl(nil), r.nb.methods[name]...)
	for _, m := range r.cell.idx.methods[name] {
		replaced := false
		for i, old := range ms {
			if old.name == m.name {
				ms[i], replaced = m, true
			}
		}
		if !replaced {
			ms = append(ms, m)
		}
	}
	return ms
}

// typeOf resolves a type expression.
func (r *resolver) typeOf(e ast.Expr) *gtype {
	if !r.enter() {
		return nil
	}
	defer r.leave()
	switch t := e.(type) {
	case *ast.Ident:
		if d := r.lookupDecl(t.Name); d != nil && d.kind == kindType {
			return &gtype{named: t.Name}
		}
		if rt, ok := predeclared[t.Name]; ok {
			return &gtype{rt: rt}
		}
	case *ast.ParenExpr:
		return r.typeOf(t.X)
	case *ast.SelectorExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			if p := r.pkg(id.Name); p != nil {
				if v, ok := p.syms[t.Sel.Name]; ok && symKind(v) == kindType {
					return &gtype{rt: v.Type().Elem()}
				}
			}
		}
	case *ast.StarExpr:
		inner := r.typeOf(t.X)
		return pointerTo(inner)
	case *ast.IndexExpr: // a generic instantiation: keep the base
		return r.typeOf(t.X)
	case *ast.IndexListExpr:
		return r.typeOf(t.X)
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.StructType, *ast.InterfaceType:
		return &gtype{expr: e}
	}
	return nil
}

func pointerTo(t *gtype) *gtype {
	switch {
	case t == nil:
		return nil
	case t.rt != nil:
		return &gtype{rt: reflect.PointerTo(t.rt)}
	case t.named != "" && !t.ptr:
		return &gtype{named: t.named, ptr: true}
	}
	return t
}

func (r *resolver) enter() bool {
	r.depth++
	return r.depth < 40
}

func (r *resolver) leave() { r.depth-- }

// declType is the type of a declared variable or constant.
func (r *resolver) declType(d *decl) *gtype {
	if d.typ != nil {
		return r.typeOf(d.typ)
	}
	if d.value == nil {
		return nil
	}
	t := r.exprType(d.value)
	switch {
	case d.rangeOver:
		if d.index == 0 {
			return r.keyOf(t)
		}
		return r.elemOf(t)
	case d.multi:
		if call, ok := d.value.(*ast.CallExpr); ok {
			return r.resultOf(r.exprType(call.Fun), d.index)
		}
		if d.index == 1 { // v, ok := m[k] / x.(T) / <-ch
			return &gtype{rt: reflect.TypeOf(false)}
		}
	}
	return t
}

// globalType is the type of a notebook variable or constant.
func (r *resolver) globalType(name string) *gtype {
	if d := r.lookupDecl(name); d != nil {
		switch d.kind {
		case kindVar, kindConst:
			if t := r.declType(d); t != nil {
				return t
			}
		case kindFunc:
			return &gtype{expr: d.fn}
		case kindType:
			return &gtype{named: name}
		}
	}
	if v, ok := r.globals[name]; ok && v.IsValid() {
		if c, ok := v.Interface().(constant.Value); ok {
			return constType(c)
		}
		return &gtype{rt: v.Type()}
	}
	return nil
}

// exprType resolves the type of a value expression.
func (r *resolver) exprType(e ast.Expr) *gtype {
	if !r.enter() {
		return nil
	}
	defer r.leave()
	switch x := e.(type) {
	case *ast.Ident:
		if t := r.globalType(x.Name); t != nil {
			return t
		}
		if rt, ok := predeclared[x.Name]; ok {
			return &gtype{rt: rt}
		}
	case *ast.ParenExpr:
		return r.exprType(x.X)
	case *ast.BasicLit:
		return constType(constant.MakeFromLiteral(x.Value, x.Kind, 0))
	case *ast.CompositeLit:
		return r.typeOf(x.Type)
	case *ast.UnaryExpr:
		switch x.Op.String() {
		case "&":
			return pointerTo(r.exprType(x.X))
		case "<-":
			return r.elemOf(r.exprType(x.X))
		}
		return r.exprType(x.X)
	case *ast.StarExpr:
		return r.deref(r.exprType(x.X))
	case *ast.IndexExpr:
		return r.elemOf(r.exprType(x.X))
	case *ast.SliceExpr:
		return r.exprType(x.X)
	case *ast.TypeAssertExpr:
		return r.typeOf(x.Type)
	case *ast.FuncLit:
		return &gtype{expr: x.Type}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if p := r.pkg(id.Name); p != nil {
				if v, ok := p.syms[x.Sel.Name]; ok {
					return symType(v)
				}
				return nil
			}
		}
		for _, m := range r.members(r.exprType(x.X)) {
			if m.name == x.Sel.Name {
				return m.typ
			}
		}
	case *ast.CallExpr:
		return r.callType(x)
	case *ast.BinaryExpr:
		switch x.Op.String() {
		case "==", "!=", "<", "<=", ">", ">=", "&&", "||":
			return &gtype{rt: reflect.TypeOf(false)}
		}
		return r.exprType(x.X)
	}
	return nil
}

// callType is the type of a call: a conversion, a builtin, or the first
// result of a function.
func (r *resolver) callType(x *ast.CallExpr) *gtype {
	if id, ok := x.Fun.(*ast.Ident); ok {
		if !r.isValueName(id.Name) {
			switch id.Name {
			case "new":
				if len(x.Args) == 1 {
					return pointerTo(r.typeOf(x.Args[0]))
				}
			case "make":
				if len(x.Args) >= 1 {
					return r.typeOf(x.Args[0])
				}
			case "append":
				if len(x.Args) >= 1 {
					return r.exprType(x.Args[0])
				}
			case "len", "cap", "copy":
				return &gtype{rt: reflect.TypeOf(0)}
			}
		}
		if t := r.typeOf(id); t != nil { // a conversion such as Celsius(3)
			return t
		}
	}
	if t := r.conversion(x.Fun); t != nil {
		return t
	}
	return r.resultOf(r.exprType(x.Fun), 0)
}

// conversion returns the type when fun names a type (pkg.T(x), (*T)(x)).
func (r *resolver) conversion(fun ast.Expr) *gtype {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			if p := r.pkg(id.Name); p != nil {
				if v, ok := p.syms[f.Sel.Name]; ok && symKind(v) == kindType {
					return &gtype{rt: v.Type().Elem()}
				}
			}
		}
	case *ast.ParenExpr:
		return r.typeOf(f.X)
	case *ast.ArrayType, *ast.MapType:
		return r.typeOf(f)
	}
	return nil
}

// resultOf is the i-th result type of a function type.
func (r *resolver) resultOf(fn *gtype, i int) *gtype {
	switch {
	case fn == nil:
		return nil
	case fn.rt != nil:
		if fn.rt.Kind() == reflect.Func && i < fn.rt.NumOut() {
			return &gtype{rt: fn.rt.Out(i)}
		}
	case fn.expr != nil:
		ft, ok := fn.expr.(*ast.FuncType)
		if !ok || ft.Results == nil {
			return nil
		}
		k := 0
		for _, f := range ft.Results.List {
			n := len(f.Names)
			if n == 0 {
				n = 1
			}
			if i < k+n {
				return r.typeOf(f.Type)
			}
			k += n
		}
	}
	return nil
}

// underlying returns the type a notebook type is defined as.
func (r *resolver) underlying(t *gtype) *gtype {
	if t == nil || t.named == "" {
		return t
	}
	d := r.lookupDecl(t.named)
	if d == nil || d.kind != kindType || d.typ == nil {
		return nil
	}
	u := r.typeOf(d.typ)
	if u != nil && u.named != "" {
		return r.underlying(u)
	}
	return u
}

func (r *resolver) deref(t *gtype) *gtype {
	switch {
	case t == nil:
		return nil
	case t.rt != nil:
		if t.rt.Kind() == reflect.Pointer {
			return &gtype{rt: t.rt.Elem()}
		}
	case t.named != "":
		return &gtype{named: t.named}
	case t.expr != nil:
		if s, ok := t.expr.(*ast.StarExpr); ok {
			return r.typeOf(s.X)
		}
	}
	return t
}

// elemOf is the element type of a slice, array, map, channel or pointer to
// array (what indexing, ranging or receiving yields).
func (r *resolver) elemOf(t *gtype) *gtype {
	if t != nil && t.named != "" && !t.ptr {
		t = r.underlying(t)
	}
	switch {
	case t == nil:
		return nil
	case t.rt != nil:
		rt := t.rt
		if rt.Kind() == reflect.Pointer && rt.Elem().Kind() == reflect.Array {
			rt = rt.Elem()
		}
		switch rt.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
			return &gtype{rt: rt.Elem()}
		case reflect.String:
			return &gtype{rt: reflect.TypeOf(byte(0))}
		}
	case t.expr != nil:
		switch x := t.expr.(type) {
		case *ast.ArrayType:
			return r.typeOf(x.Elt)
		case *ast.MapType:
			return r.typeOf(x.Value)
		case *ast.ChanType:
			return r.typeOf(x.Value)
		}
	}
	return nil
}

// keyOf is the key type of what a range clause ranges over.
func (r *resolver) keyOf(t *gtype) *gtype {
	if t != nil && t.named != "" && !t.ptr {
		t = r.underlying(t)
	}
	switch {
	case t == nil:
		return nil
	case t.rt != nil && t.rt.Kind() == reflect.Map:
		return &gtype{rt: t.rt.Key()}
	case t.rt != nil && t.rt.Kind() == reflect.Chan:
		return &gtype{rt: t.rt.Elem()}
	case t.expr != nil:
		switch x := t.expr.(type) {
		case *ast.MapType:
			return r.typeOf(x.Key)
		case *ast.ChanType:
			return r.typeOf(x.Value)
		}
	}
	return &gtype{rt: reflect.TypeOf(0)}
}

// members lists the fields and methods of t (for a pointer, of what it
// points to, plus pointer methods).
func (r *resolver) members(t *gtype) []member {
	if t == nil || !r.enter() {
		return nil
	}
	defer r.leave()
	var out []member
	seen := map[string]bool{}
	add := func(m member) {
		if !seen[m.name] && m.name != "" && m.name != "_" {
			seen[m.name] = true
			out = append(out, m)
		}
	}
	switch {
	case t.named != "":
		for _, m := range r.methodsOf(t.named) {
			add(member{name: m.name, kind: kindMethod, typ: &gtype{expr: m.fn}})
		}
		if u := r.underlying(&gtype{named: t.named}); u != nil {
			for _, m := range r.members(u) {
				if m.kind == kindField || u.expr != nil {
					add(m) // a defined type keeps fields, not methods (except interfaces)
				}
			}
		}
	case t.rt != nil:
		if named, ptr, ok := r.matchStruct(t.rt); ok {
			return r.members(&gtype{named: named, ptr: ptr})
		}
		for _, m := range reflectMembers(t.rt) {
			add(m)
		}
	case t.expr != nil:
		switch x := t.expr.(type) {
		case *ast.StructType:
			for _, f := range x.Fields.List {
				ft := r.typeOf(f.Type)
				if len(f.Names) == 0 { // embedded: its name, then promoted members
					add(member{name: recvBase(f.Type), kind: kindField, typ: ft})
					for _, m := range r.members(ft) {
						add(m)
					}
				}
				for _, n := range f.Names {
					add(member{name: n.Name, kind: kindField, typ: ft})
				}
			}
		case *ast.InterfaceType:
			for _, f := range x.Methods.List {
				for _, n := range f.Names {
					add(member{name: n.Name, kind: kindMethod, typ: &gtype{expr: f.Type}})
				}
				if len(f.Names) == 0 {
					for _, m := range r.members(r.typeOf(f.Type)) {
						add(m)
					}
				}
			}
		case *ast.StarExpr:
			return r.members(r.typeOf(x.X))
		}
	}
	return out
}

// reflectMembers lists exported fields and methods known to reflect.
func reflectMembers(rt reflect.Type) []member {
	var out []member
	seen := map[string]bool{}
	base := rt
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if base.Kind() == reflect.Struct {
		for _, f := range reflect.VisibleFields(base) {
			name := f.Name
			if base.Name() == "" && !f.IsExported() {
				continue
			}
			if base.Name() == "" {
				name = unmangle(name)
			} else if !f.IsExported() {
				continue
			}
			if !seen[name] {
				seen[name] = true
				out = append(out, member{name: name, kind: kindField, typ: &gtype{rt: f.Type}})
			}
		}
	}
	mt := base
	if base.Kind() != reflect.Interface && base.Kind() != reflect.Pointer {
		mt = reflect.PointerTo(base)
	}
	for i := 0; i < mt.NumMethod(); i++ {
		m := mt.Method(i)
		if !m.IsExported() || seen[m.Name] {
			continue
		}
		seen[m.Name] = true
		ft := m.Type
		if mt.Kind() != reflect.Interface {
			ft = methodType(m.Type)
		}
		out = append(out, member{name: m.Name, kind: kindMethod, typ: &gtype{rt: ft}})
	}
	return out
}

// methodType drops the receiver from a method's func type.
func methodType(ft reflect.Type) reflect.Type {
	in := make([]reflect.Type, 0, ft.NumIn())
	for i := 1; i < ft.NumIn(); i++ {
		in = append(in, ft.In(i))
	}
	out := make([]reflect.Type, 0, ft.NumOut())
	for i := 0; i < ft.NumOut(); i++ {
		out = append(out, ft.Out(i))
	}
	return reflect.FuncOf(in, out, ft.IsVariadic())
}

// unmangle undoes yaegi's renaming of unexported fields of interpreted
// structs: reflect needs exported names, so yaegi writes "name" as "Xname".
func unmangle(name string) string {
	if rest, ok := strings.CutPrefix(name, "X"); ok && rest != "" {
		r, _ := utf8.DecodeRuneInString(rest)
		if unicode.IsLower(r) || r == '_' {
			return rest
		}
	}
	return name
}

// matchStruct finds the notebook struct type whose fields match an
// interpreted (unnamed) struct type: yaegi's values carry no type name.
func (r *resolver) matchStruct(rt reflect.Type) (name string, ptr bool, ok bool) {
	if rt.Kind() == reflect.Pointer {
		ptr = true
		rt = rt.Elem()
	}
	if rt.Kind() != reflect.Struct || rt.Name() != "" {
		return "", false, false
	}
	try := func(names map[string]*decl) (string, bool) {
		keys := make([]string, 0, len(names))
		for k := range names {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			d := names[k]
			st, isStruct := d.typ.(*ast.StructType)
			if d.kind != kindType || !isStruct {
				continue
			}
			var fields []string
			for _, f := range st.Fields.List {
				if len(f.Names) == 0 {
					fields = append(fields, recvBase(f.Type))
				}
				for _, n := range f.Names {
					fields = append(fields, n.Name)
				}
			}
			if len(fields) != rt.NumField() {
				continue
			}
			match := true
			for i, f := range fields {
				if got := rt.Field(i).Name; got != f && unmangle(got) != f {
					match = false
					break
				}
			}
			if match {
				return k, true
			}
		}
		return "", false
	}
	if n, found := try(r.cell.idx.names); found {
		return n, ptr, true
	}
	if n, found := try(r.nb.names); found {
		return n, ptr, true
	}
	return "", false, false
}

// exprString writes a type or value expression as Go.
func exprString(e ast.Expr) string {
	if e == nil {
		return ""
	}
	return types.ExprString(e)
}
