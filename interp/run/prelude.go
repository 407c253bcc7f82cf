package run

import (
	"context"
	"fmt"
	"go/parser"
	"reflect"

	"github.com/golit/golit/interp/rewrite"
)

// preludeImports are imported under hidden names for the display helper.
var preludeImports = []importSpec{
	{name: rewrite.RuntimePkg, path: rtImportPath},
	{name: rewrite.Prefix + "display", path: "github.com/golit/golit/display"},
}

// preludeSrc is interpreted once per engine. golit__result hands the value
// of a cell's last expression to the engine (see richResult).
// golit__panicAt is the runtime's PanicAt (stack.go): rewritten code calls
// it through this variable because yaegi gives every call of a package's
// function a slot in the calling function's frame, which each call of that
// function allocates, panicking or not, while a call through a
// package-level variable needs none. The cell's top-level statements set
// golit__stmt to their number (see stmtMark).
const preludeSrc = `package main

func golit__result(v any) {
	golit__rt.Result(v)
}

var golit__panicAt = golit__rt.PanicAt

var golit__logAt = golit__rt.LogAt

var golit__stmt int

` + probeDecl

// prelude imports the runtime support and compiles the display helper.
func (e *Session) prelude() error {
	ctx := context.Background()
	if x := e.importAll(ctx, preludeImports); x != nil {
		return x
	}
	f, err := parser.ParseFile(e.yi.FileSet(), e.fileName(), preludeSrc, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	if _, x := e.compileRun(ctx, f); x != nil {
		return x
	}
	e.stmtVar = e.yi.Globals()[rewrite.Prefix+"stmt"]
	if !e.stmtVar.CanSet() || e.stmtVar.Kind() != reflect.Int {
		return fmt.Errorf("interp: the prelude's %sstmt is not a settable int", rewrite.Prefix)
	}
	f, err = parser.ParseFile(e.yi.FileSet(), "golit-stdgeneric.go", rewrite.StdGenericSource+rewrite.RunDefersSource, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	if _, x := e.compileRun(ctx, f); x != nil {
		return x
	}
	return nil
}
