package interp

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"reflect"
	"sort"
	"strings"

	"github.com/golit/golit/kernel"
)

// Global describes one identifier a notebook defines, for completion,
// inspection and magics such as %who.
type Global struct {
	Name string
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
func (e *Engine) Globals() []Global {
	var out []Global
	seen := map[string]bool{}
	for _, d := range e.decls.sorted() {
		for _, n := range d.names {
			if hasGolitPrefix(n) {
				continue
			}
			g := Global{Name: n, Kind: d.kind.String(), Source: d.src, Cell: d.cell}
			if d.kind == declMethod {
				g.Name = d.recv + "." + n
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
		if seen[n] || hasGolitPrefix(n) {
			continue
		}
		out = append(out, Global{Name: n, Kind: "var", Value: v, Type: e.typeString(v)})
	}
	for n, p := range e.imports {
		if hasGolitPrefix(n) {
			continue
		}
		out = append(out, Global{Name: n, Kind: "import", Type: p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// typeString names the type of a notebook value, using notebook type names.
func (e *Engine) typeString(v reflect.Value) string {
	v = unwrapYaegi(v)
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
func (e *Engine) Symbols() map[string]map[string]reflect.Value {
	return e.allSymbols()
}

// Imports returns the notebook's imports, package name to import path.
func (e *Engine) Imports() map[string]string {
	out := map[string]string{}
	for n, p := range e.imports {
		if !hasGolitPrefix(n) {
			out[n] = p
		}
	}
	return out
}

// Eval evaluates a Go expression in the notebook's scope and returns its
// value, without showing anything. It is meant for tools (the process-pool
// worker, magics) and must not run while a cell runs.
func (e *Engine) Eval(ctx context.Context, expr string) (reflect.Value, error) {
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
	return unwrapYaegi(v), nil
}

// Declarations returns Go source that declares the notebook's imports,
// constants, types, functions and methods, and its variables without
// running their initialisers (a process-pool worker or a restarted engine
// evaluates it to get the notebook's functions back).
func (e *Engine) Declarations() string {
	var sb strings.Builder
	imps := e.Imports()
	names := make([]string, 0, len(imps))
	for n := range imps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&sb, "import %s %q\n", n, imps[n])
	}
	vals := e.yi.Globals()
	declared := map[string]bool{}
	var vars []string
	cells := map[string]int{}
	for n, c := range e.varCell {
		cells[n] = c
	}
	for _, d := range e.decls.sorted() {
		switch d.kind {
		case declVar:
			for _, n := range d.names {
				declared[n] = true
				if hasGolitPrefix(n) {
					continue
				}
				vars = append(vars, n)
				if d.cell > 0 {
					cells[n] = d.cell
				}
				if t := e.varType(vals[n]); t != "" {
					fmt.Fprintf(&sb, "var %s %s\n", n, t)
				}
			}
		default:
			for _, n := range d.names {
				declared[n] = true
			}
			sb.WriteString(d.src)
			sb.WriteString("\n")
		}
	}
	var rest []string
	for n := range vals {
		if !declared[n] && !hasGolitPrefix(n) {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	for _, n := range rest {
		vars = append(vars, n)
		if t := e.varType(vals[n]); t != "" {
			fmt.Fprintf(&sb, "var %s %s\n", n, t)
		}
	}
	// The variables' values are not carried: Restore marks them lost.
	sb.WriteString(lostLines(vars, cells))
	return sb.String()
}

// varType returns a Go type for a variable's declaration, or "" when the
// type cannot be written (a notebook type yaegi made anonymous).
func (e *Engine) varType(v reflect.Value) string {
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
func (e *Engine) Restore(src string) error {
	e.execMu.Lock()
	defer e.execMu.Unlock()
	r := e.run(context.Background(), kernel.ExecuteRequest{Code: src, Silent: true})
	if r.Status != kernel.StatusOK && r.Err != nil {
		return fmt.Errorf("%s: %s", r.Err.Name, r.Err.Value)
	}
	e.noteLost(src)
	return nil
}
