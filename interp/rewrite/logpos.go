package rewrite

import (
	"go/ast"
	"go/token"
)

// Positions in log output. With log.Lshortfile or log.Llongfile a compiled
// logger asks runtime.Caller for its caller, which in a cell is a frame of
// reflect (yaegi calls compiled functions through reflect.Value.Call):
// "value.go:586". golit therefore
//
//   - puts golit__logAt("In[n]:line") before every statement that calls a
//     method or function named like a log call (Print, Printf, Println,
//     Fatal*, Panic*, Output) of anything but fmt (markLogCalls); it
//     records the position for the calling goroutine;
//   - gives the standard logger (log.Print*, log.SetFlags, ...) and the
//     loggers log.New makes a writer (posWriter) that replaces the file and
//     line of each line it writes by the position recorded for the writing
//     goroutine, or by "???:0" (what log writes when it cannot know) when
//     none was recorded (the log call went through a function value).
//
// Proved by TestCorrectnessScenarios "log positions are the cell's"
// (interp/run/correctness_test.go) and
// tests/test_correctness.py::test_log_shortfile_names_the_cell_line.
// The writer that uses the recorded positions is interp/run/logwriter.go.

// logCallNames are the names whose calls record their position.
var logCallNames = map[string]bool{
	"Print": true, "Printf": true, "Println": true,
	"Fatal": true, "Fatalf": true, "Fatalln": true,
	"Panic": true, "Panicf": true, "Panicln": true, "Output": true,
}

func posText(file string, line int) string {
	return file + ":" + itoa(line)
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// MarkLogCalls puts golit__logAt before the statements of n that call a
// log function or method.
func MarkLogCalls(fset *token.FileSet, n ast.Node, paths map[string]string) {
	logCall := func(s ast.Stmt) *ast.SelectorExpr {
		var found *ast.SelectorExpr
		ast.Inspect(s, func(c ast.Node) bool {
			if found != nil {
				return false
			}
			switch x := c.(type) {
			case *ast.BlockStmt, *ast.FuncLit, *ast.CaseClause, *ast.CommClause:
				return false // their statements are marked on their own
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok || !logCallNames[sel.Sel.Name] || !sel.Sel.Pos().IsValid() {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok {
					if p, isPkg := paths[id.Name]; isPkg && p != "log" {
						return true // fmt.Println and the like
					}
				}
				found = sel
			}
			return true
		})
		return found
	}
	mark := func(list []ast.Stmt) []ast.Stmt {
		var out []ast.Stmt
		for i, s := range list {
			sel := logCall(s)
			if sel == nil {
				if out != nil {
					out = append(out, s)
				}
				continue
			}
			if out == nil {
				out = append(make([]ast.Stmt, 0, len(list)+1), list[:i]...)
			}
			pos := fset.Position(sel.Sel.Pos())
			out = append(out, callAt(sel.Sel.Pos(), Prefix+"logAt", posText(pos.Filename, pos.Line)), s)
		}
		if out == nil {
			return list
		}
		return out
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.BlockStmt:
			x.List = mark(x.List)
		case *ast.CaseClause:
			x.Body = mark(x.Body)
		case *ast.CommClause:
			x.Body = mark(x.Body)
		}
		return true
	})
}
