package rewrite

import "go/ast"

// Pasted programs: a cell that declares func main runs it once, as go
// run would, rather than having yaegi run it again after later cells.
// Proved by TestScenarios "pasted whole program"
// (interp/run/engine_test.go).

// RenameMain renames func main in a pasted program so that yaegi does not
// run it again after every later cell; it reports whether main was found.
func RenameMain(f *ast.File) bool {
	found := false
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			fd.Name.Name = MainName
			found = true
		}
	}
	return found
}

// MainName is what func main of a pasted program is renamed to.
const MainName = Prefix + "main"
