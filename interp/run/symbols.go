package run

import (
	"fmt"
	"path"
	"reflect"
	"strings"

	yaegi "github.com/traefik/yaegi/interp"

	"github.com/golit/golit/interp/gostd"
	"github.com/golit/golit/interp/symbols"
)

// useExtraSymbols loads the regenerated standard library tables and those
// of golit's helper packages.
func (e *Session) useExtraSymbols() error {
	if err := e.use(gostd.Symbols); err != nil {
		return fmt.Errorf("interp: loading regenerated standard library: %w", err)
	}
	if err := e.use(symbols.All()); err != nil {
		return fmt.Errorf("interp: loading helper packages: %w", err)
	}
	// The runtime overrides win over the regenerated tables.
	if err := e.yi.Use(e.rtExports()); err != nil {
		return fmt.Errorf("interp: loading the runtime support: %w", err)
	}
	if err := e.yi.Use(e.cellFmtExports()); err != nil {
		return fmt.Errorf("interp: loading fmt for notebook types: %w", err)
	}
	return nil
}

// use loads symbol tables into the interpreter and remembers them for
// Symbols, completion and auto-import.
func (e *Session) use(x yaegi.Exports) error {
	if err := e.yi.Use(x); err != nil {
		return err
	}
	e.symMu.Lock()
	defer e.symMu.Unlock()
	if e.syms == nil {
		e.syms = map[string]map[string]reflect.Value{}
	}
	for k, v := range x {
		p := path.Dir(k)
		if p == "." || strings.HasPrefix(p, rtImportPath) {
			continue
		}
		m := e.syms[p]
		if m == nil {
			m = map[string]reflect.Value{}
			e.syms[p] = m
		}
		for n, s := range v {
			m[n] = s
		}
	}
	return nil
}

// allSymbols returns the symbol tables of the compiled packages cells can
// import, by import path.
func (e *Session) allSymbols() map[string]map[string]reflect.Value {
	e.symMu.Lock()
	defer e.symMu.Unlock()
	return e.syms
}
