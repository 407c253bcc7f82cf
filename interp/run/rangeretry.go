package run

import (
	"fmt"
	"go/ast"
	"strings"

	"github.com/golit/golit/interp/rewrite"
)

// The run stage's half of ranges over functions: when yaegi cannot type a
// range the guesser could not follow (rewrite.RangeAt), the group is
// rewritten again with that range forced to a range over a function.

// isNilType reports whether x is yaegi's failure on code it cannot type,
// which a range over a function the rewrite did not recognise causes.
func isNilType(x *execError) bool {
	return x != nil && x.kind == "compile" && strings.HasSuffix(x.err.Error(), "nil type")
}

// retryRangeFuncs compiles code again (with try) treating the ranges the
// guesser could not type as ranges over functions: all of them at once,
// then each alone, with the number of values each iteration most likely
// yields. It returns nil when one attempt ran, the error of an attempt
// that compiled and then failed, or first, with the ranges named, when
// none compiled.
func (e *Session) retryRangeFuncs(first *execError, unknown []rewrite.RangeAt, try func(rewrite.RangeForce) *execError) *execError {
	arities := func(vars int) []int {
		switch vars {
		case 0:
			return []int{1, 0, 2}
		case 1:
			return []int{1, 2}
		}
		return []int{2}
	}
	var attempts []rewrite.RangeForce
	all := rewrite.RangeForce{}
	for _, u := range unknown {
		all[u.Key] = arities(u.Vars)[0]
	}
	attempts = append(attempts, all)
	if len(unknown) > 1 || len(arities(unknown[0].Vars)) > 1 {
		for _, u := range unknown {
			for _, a := range arities(u.Vars) {
				attempts = append(attempts, rewrite.RangeForce{u.Key: a})
			}
		}
	}
	if len(attempts) > 8 {
		attempts = attempts[:8]
	}
	for _, f := range attempts {
		x := try(f)
		if x == nil {
			return nil
		}
		if x.kind != "compile" {
			return x // it compiled, and ran
		}
	}
	var at []string
	for _, u := range unknown {
		at = append(at, u.Key)
	}
	first.err = fmt.Errorf("%w (golit could not tell the type of the range at %s)", first.err, strings.Join(at, ", "))
	return first
}

// hasRange reports whether n has a range statement.
func hasRange(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(c ast.Node) bool {
		if _, ok := c.(*ast.RangeStmt); ok {
			found = true
		}
		return !found
	})
	return found
}
