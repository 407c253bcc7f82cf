package rewrite

import "go/ast"

// contains reports whether pred holds for a node of n. The passes that
// rewrite expressions through parse.ReplaceExprs (a walk by reflection,
// many times the cost of ast.Inspect) first look for a node they would
// change with it, and skip the walk when there is none: most cells have
// none, and every cell pays for every pass.
func contains(n ast.Node, pred func(ast.Node) bool) bool {
	found := false
	ast.Inspect(n, func(c ast.Node) bool {
		if found {
			return false
		}
		if c != nil && pred(c) {
			found = true
		}
		return !found
	})
	return found
}
