package magic

import (
	"context"
	"strings"
)

// GoModules is implemented by an Env whose cells can import third-party
// modules; %go get and %go mod call it. Without it, %go explains why
// modules are not available.
type GoModules interface {
	// GoGet sets requirements of the notebook's module as `go get args`
	// does (path@version, path@latest, path@none to drop) and returns a
	// report naming the versions chosen.
	GoGet(ctx context.Context, args []string) (string, error)
	// GoMod returns the notebook's requirements.
	GoMod(ctx context.Context) (string, error)
}

// goUsage is the usage of %go with modules.
const goUsage = "usage: %go get PATH[@VERSION]... (VERSION: a version, latest, or none to drop) | %go mod"

// goMagic is %go get and %go mod.
func goMagic(ctx context.Context, r *runner, st Step) (any, error) {
	gm, ok := r.env.(GoModules)
	if !ok {
		return nil, &Error{Name: "UsageError", Message: goMessage}
	}
	args := strings.Fields(st.Args)
	if len(args) == 0 {
		return nil, &Error{Name: "UsageError", Message: goUsage}
	}
	var out string
	var err error
	switch args[0] {
	case "get":
		if len(args) == 1 {
			return nil, &Error{Name: "UsageError", Message: goUsage}
		}
		out, err = gm.GoGet(ctx, args[1:])
	case "mod":
		out, err = gm.GoMod(ctx)
	default:
		return nil, &Error{Name: "UsageError", Message: "%go " + args[0] + " is not supported; " + goUsage}
	}
	if out != "" {
		r.out("%s", out)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &Error{Name: "GoError", Message: err.Error()}
	}
	return nil, nil
}
