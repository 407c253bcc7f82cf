package interp

import (
	"fmt"
	"path"
	"reflect"
	"strings"

	yaegi "github.com/traefik/yaegi/interp"

	"github.com/golit/golit/display"
)

// useExtraSymbols loads the symbol tables of golit's helper packages.
func (e *Engine) useExtraSymbols() error {
	syms := map[string]map[string]reflect.Value{
		"github.com/golit/golit/display/display": {
			"Bundle":       reflect.ValueOf((*display.Bundle)(nil)),
			"Renderer":     reflect.ValueOf((*display.Renderer)(nil)),
			"ShowBundle":   reflect.ValueOf(display.ShowBundle),
			"UpdateBundle": reflect.ValueOf(display.UpdateBundle),
			"Clear":        reflect.ValueOf(display.Clear),
			"InKernel":     reflect.ValueOf(display.InKernel),
		},
	}
	if err := e.use(syms); err != nil {
		return fmt.Errorf("interp: loading helper packages: %w", err)
	}
	return nil
}

// use loads symbol tables into the interpreter and remembers them for
// Symbols, completion and auto-import.
func (e *Engine) use(x yaegi.Exports) error {
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
func (e *Engine) allSymbols() map[string]map[string]reflect.Value {
	e.symMu.Lock()
	defer e.symMu.Unlock()
	return e.syms
}
