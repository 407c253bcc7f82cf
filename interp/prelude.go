package interp

import (
	"context"
	"go/parser"
)

// preludeImports are imported under hidden names for the display helper.
var preludeImports = []importSpec{
	{name: rtPkgName, path: rtImportPath},
	{name: golitPrefix + "display", path: "github.com/golit/golit/display"},
}

// preludeSrc is interpreted once per engine. golit__result hands the value
// of a cell's last expression to the engine (see richResult).
const preludeSrc = `package main

func golit__result(v any) {
	golit__rt.Result(v)
}
` + probeDecl

// prelude imports the runtime support and compiles the display helper.
func (e *Engine) prelude() error {
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
	f, err = parser.ParseFile(e.yi.FileSet(), "golit-stdgeneric.go", stdGenericSource+runDefersSource, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	if _, x := e.compileRun(ctx, f); x != nil {
		return x
	}
	return nil
}
