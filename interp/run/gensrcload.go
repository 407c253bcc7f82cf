package run

import (
	"fmt"
	"go/parser"

	"github.com/golit/golit/interp/rewrite"
)

// The Go sources of interp/rewrite (GenericSources: slices, maps, iter
// and the range-over-function support) compiled into the interpreter once
// per session.

// addGenericSources compiles rewrite.GenericSources.
func (e *Session) addGenericSources() error {
	for _, sf := range rewrite.GenericSources {
		f, err := parser.ParseFile(e.yi.FileSet(), sf.Name, sf.Src, parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("interp: generic sources: %w", err)
		}
		if _, err := e.yi.CompileAST(f); err != nil {
			return fmt.Errorf("interp: generic sources for %s: %w", f.Name.Name, err)
		}
	}
	return nil
}
