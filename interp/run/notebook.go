package run

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"maps"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/parse"

	"github.com/golit/golit/kernel"
)

// Global describes one identifier a notebook defines, for completion,
// inspection and magics such as %who.
type Global struct {
	Name string // the identifier; T.M for a method
	// Kind is "var", "const", "func", "type", "method" or "import".
	Kind string
	// Type is the Go type as text: the value's type for variables and
	// constants, the import path for imports, "" when unknown.
	Type string
	// Value is the current value of a variable or constant.
	Value reflect.Value
	// Source is the declaration as written in its cell ("" for x := ...).
	Source string
	// Cell is the execution count of the cell that declared it (0 if
	// unknown).
	Cell int
}

// Globals lists the notebook's identifiers, sorted by name; methods are
// named T.M. Call it between cells (from the goroutine that calls Execute).
func (e *Session) Globals() []Global {
	var out []Global
	seen := map[string]bool{}
	for _, d := range e.decls.sorted() {
		for _, n := range d.Names {
			if rewrite.HasPrefix(n) {
				continue
			}
			g := Global{Name: n, Kind: d.Kind.String(), Source: d.Src, Cell: d.Cell}
			if d.Kind == parse.MethodDecl {
				g.Name = d.Recv + "." + n
			}
			out = append(out, g)
			seen[g.Name] = true
		}
	}
	vals := e.yi.Globals()
	for i := range out {
		if v, ok := vals[out[i].Name]; ok && (out[i].Kind == "var" || out[i].Kind == "const") {
			out[i].Value = v
			out[i].Type = e.typeString(v)
		}
	}
	for n, v := range vals {
		if seen[n] || rewrite.HasPrefix(n) {
			continue
		}
		out = append(out, Global{Name: n, Kind: "var", Value: v, Type: e.typeString(v)})
	}
	for n, p := range e.imports {
		if rewrite.HasPrefix(n) {
			continue
		}
		out = append(out, Global{Name: n, Kind: "import", Type: p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// typeString names the type of a notebook value, using notebook type names.
func (e *Session) typeString(v reflect.Value) string {
	v = present.UnwrapYaegi(v)
	if !v.IsValid() {
		return ""
	}
	t := v.Type()
	if n := e.typeNameOf(t); n != "" {
		return n
	}
	if t.Kind() == reflect.Pointer {
		if n := e.typeNameOf(t.Elem()); n != "" {
			return "*" + n
		}
	}
	return t.String()
}

// Symbols returns the symbol tables of the compiled packages cells can
// import (standard library and helper packages), by import path. The maps
// must not be modified.
func (e *Session) Symbols() map[string]map[string]reflect.Value {
	return e.allSymbols()
}

// Imports returns the notebook's imports, package name to import path.
func (e *Session) Imports() map[string]string {
	out := map[string]string{}
	for n, p := range e.imports {
		if !rewrite.HasPrefix(n) {
			out[n] = p
		}
	}
	return out
}

// Eval evaluates a Go expression in the notebook's scope and returns its
// value, without showing anything. It is meant for tools (the process-pool
// worker, magics) and must not run while a cell runs.
func (e *Session) Eval(ctx context.Context, expr string) (reflect.Value, error) {
	x, err := parser.ParseExprFrom(e.yi.FileSet(), e.fileName(), expr, 0)
	if err != nil {
		return reflect.Value{}, err
	}
	if xe := e.ensureImports(ctx, e.fileName()); xe != nil {
		return reflect.Value{}, xe
	}
	v, xe := e.compileRun(ctx, e.newBlock(&ast.ExprStmt{X: x}))
	if xe != nil {
		return reflect.Value{}, xe
	}
	return present.UnwrapYaegi(v), nil
}

// Declarations returns Go source that declares the notebook's imports,
// constants, types, functions and methods, and its variables without
// running their initialisers (a process-pool worker or a restarted engine
// evaluates it to get the notebook's functions back). It is the
// concatenation of DeclarationParts in the order of their keys.
func (e *Session) Declarations() string {
	return joinParts(e.DeclarationParts())
}

// DeclarationParts returns Declarations split into keyed parts: one per
// import, per declaration (in the order of definition), per variable and
// per lost-variable marker. A part's key stays the same as long as the
// thing it declares does, so a caller that keeps the parts of an earlier
// call can pass on only those that changed (the supervised engine does,
// after every cell) and rebuild the source by joining them in key order.
func (e *Session) DeclarationParts() map[string]string {
	parts := map[string]string{}
	for n, p := range e.Imports() {
		parts["0"+n] = importPart(n, p)
	}
	vals := e.yi.Globals()
	lookup := func(n string) reflect.Value { return vals[n] }
	var vars []string
	cells := map[string]int{}
	for n, c := range e.varCell {
		cells[n] = c
	}
	for _, d := range e.decls.byKey {
		parts[entryPartKey(d)] = e.entryPart(d, lookup)
		if d.Kind != parse.VarDecl {
			continue
		}
		for _, n := range d.Names {
			if rewrite.HasPrefix(n) {
				continue
			}
			vars = append(vars, n)
			if d.Cell > 0 {
				cells[n] = d.Cell
			}
		}
	}
	for n, v := range vals {
		if e.decls.byName[n] == nil && !rewrite.HasPrefix(n) {
			vars = append(vars, n)
			if t := e.varType(v); t != "" {
				parts["2"+n] = "var " + n + " " + t + "\n"
			}
		}
	}
	// The variables' values are not carried: Restore marks them lost.
	for _, n := range vars {
		parts["3"+n] = lostLines([]string{n}, cells)
	}
	return parts
}

// DeclarationChanges returns what changed in DeclarationParts since its
// last call: the parts added or changed, and the keys of the parts that
// went away. On the first call, and when all is true, it returns every
// part with full set. Its cost follows what the cells since the last call
// declared, not the size of the notebook, so the supervised engine calls
// it after every cell.
func (e *Session) DeclarationChanges(all bool) (changed map[string]string, dropped []string, full bool) {
	s := e.decls
	if all || s.reported == nil {
		parts := e.DeclarationParts()
		s.reported = maps.Clone(parts)
		s.reportedImports = e.Imports()
		s.entryPart = map[string]string{}
		for k, d := range s.byKey {
			s.entryPart[k] = entryPartKey(d)
		}
		clear(s.changedKeys)
		clear(s.changedNames)
		return parts, nil, true
	}
	changed = map[string]string{}
	set := func(k, p string) {
		if old, ok := s.reported[k]; !ok || old != p {
			changed[k] = p
			s.reported[k] = p
		}
	}
	del := func(k string) {
		if _, ok := s.reported[k]; ok {
			delete(s.reported, k)
			delete(changed, k)
			dropped = append(dropped, k)
		}
	}
	// Imports are few: compare them all.
	imps := e.Imports()
	for k := range s.reportedImports {
		if _, ok := imps[k]; !ok {
			del("0" + k)
		}
	}
	s.reportedImports = imps
	for n, p := range imps {
		set("0"+n, importPart(n, p))
	}
	if len(s.changedKeys) > 0 || len(s.changedNames) > 0 {
		lookup := func(n string) reflect.Value {
			v, _ := e.global(n)
			return v
		}
		for k := range s.changedKeys {
			old := s.entryPart[k]
			d := s.byKey[k]
			if d == nil {
				if old != "" {
					del(old)
				}
				delete(s.entryPart, k)
				continue
			}
			pk := entryPartKey(d)
			if old != "" && old != pk {
				del(old)
			}
			set(pk, e.entryPart(d, lookup))
			s.entryPart[k] = pk
		}
		for n := range s.changedNames {
			if rewrite.HasPrefix(n) {
				continue
			}
			d := s.byName[n]
			switch {
			case d == nil:
				v, ok := e.global(n)
				if !ok {
					del("2" + n)
					del("3" + n)
					continue
				}
				if t := e.varType(v); t != "" {
					set("2"+n, "var "+n+" "+t+"\n")
				} else {
					del("2" + n)
				}
				set("3"+n, lostLines([]string{n}, map[string]int{n: e.varCell[n]}))
			case d.Kind == parse.VarDecl:
				del("2" + n)
				c := e.varCell[n]
				if d.Cell > 0 {
					c = d.Cell
				}
				set("3"+n, lostLines([]string{n}, map[string]int{n: c}))
			default:
				del("2" + n)
				del("3" + n)
			}
		}
		clear(s.changedKeys)
		clear(s.changedNames)
	}
	return changed, dropped, false
}

// entryPartKey is the key of a declaration's part: definition order.
func entryPartKey(d *parse.Declaration) string { return "1" + fmt.Sprintf("%012d", d.Seq) }

func importPart(name, path string) string {
	return "import " + name + " " + strconv.Quote(path) + "\n"
}

// entryPart renders one declaration: its source, or for variables their
// declarations without initialisers.
func (e *Session) entryPart(d *parse.Declaration, global func(string) reflect.Value) string {
	if d.Kind != parse.VarDecl {
		return d.Src + "\n"
	}
	var sb strings.Builder
	for _, n := range d.Names {
		if rewrite.HasPrefix(n) {
			continue
		}
		if t := e.varType(global(n)); t != "" {
			fmt.Fprintf(&sb, "var %s %s\n", n, t)
		}
	}
	return sb.String()
}

// joinParts concatenates parts made by DeclarationParts in the order of
// their keys.
func joinParts(parts map[string]string) string {
	keys := make([]string, 0, len(parts))
	n := 0
	for k, p := range parts {
		keys = append(keys, k)
		n += len(p)
	}
	sort.Strings(keys)
	var sb strings.Builder
	sb.Grow(n)
	for _, k := range keys {
		sb.WriteString(parts[k])
	}
	return sb.String()
}

// varType returns a Go type for a variable's declaration, or "" when the
// type cannot be written (a notebook type yaegi made anonymous).
func (e *Session) varType(v reflect.Value) string {
	t := e.typeString(v)
	if t == "" || strings.Contains(t, "struct {") || strings.Contains(t, "interp.") || strings.Contains(t, "func(") && strings.Contains(t, "interp") {
		return ""
	}
	return t
}

// Restore evaluates source made by Declarations, for an engine that
// replaces one that crashed. The variables it declares have lost their
// values: until a cell defines or assigns them again, a cell that reads
// one fails with ENameLost (lostvars.go).
func (e *Session) Restore(src string) error {
	e.execMu.Lock()
	defer e.execMu.Unlock()
	r := e.Run(context.Background(), kernel.ExecuteRequest{Code: src, Silent: true})
	if r.Status != kernel.StatusOK && r.Err != nil {
		return fmt.Errorf("%s: %s", r.Err.Name, r.Err.Value)
	}
	e.noteLost(src)
	return nil
}
