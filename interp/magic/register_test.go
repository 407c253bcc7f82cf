package magic

import (
	"context"
	"slices"
	"testing"
)

func TestRegisteredCellMagicGetsArgsAndPaddedBody(t *testing.T) {
	var gotArgs, gotSrc string
	var gotEnv Env
	RegisterCell("testreg", "%%testreg", "a magic of this test", func(ctx context.Context, env Env, args, src string) (any, error) {
		gotEnv, gotArgs, gotSrc = env, args, src
		return "value", nil
	})
	defer delete(cellMagics, "testreg")
	env := &fakeEnv{}
	v, err := Run(context.Background(), Parse("\n%%testreg -x 1\nfunc f() {}\n"), env)
	if err != nil || v != "value" {
		t.Fatalf("Run: %v, %v", v, err)
	}
	if gotEnv != env || gotArgs != "-x 1" || gotSrc != "\n\nfunc f() {}\n" {
		t.Fatalf("got env %v, args %q, src %q", gotEnv, gotArgs, gotSrc)
	}
	if !slices.Contains(Names(), "%%testreg") {
		t.Fatalf("Names() lacks %%%%testreg: %v", Names())
	}
}
