package magic

import "context"

// CellFunc runs a cell magic registered with RegisterCell. args is the rest
// of the %%name line; src is the cell's body padded with blank lines so that
// its line numbers are the cell's (as Step.Source). env is the Env given to
// Run, which the engine may type-assert to its own implementation.
type CellFunc func(ctx context.Context, env Env, args, src string) (any, error)

// RegisterCell adds a cell magic %%name implemented outside this package
// (the engine's %%compile). It is meant to be called from init functions;
// a later registration of the same name replaces the earlier one.
func RegisterCell(name, usage, brief string, run CellFunc) {
	cellMagics[name] = magic{usage: usage, brief: brief, run: func(ctx context.Context, r *runner, st Step) (any, error) {
		return run(ctx, r.env, st.Args, st.Source)
	}}
}
