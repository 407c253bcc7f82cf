package supervise_test

import (
	"context"
	"fmt"
	"os"

	"github.com/golit/golit/interp/supervise"
	"github.com/golit/golit/kernel"
)

// inProcessEngine stands for the real engine constructor, interp.New.
var inProcessEngine func() (kernel.Engine, error)

// A program that is both the kernel and its engine process: `prog engine`
// serves the engine; otherwise the supervisor starts `prog engine` (by
// default os.Executable() with the argument "engine") and proxies to it.
func Example() {
	if len(os.Args) > 1 && os.Args[1] == "engine" {
		os.Exit(supervise.RunChild(inProcessEngine))
	}
	eng, err := supervise.New(supervise.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer eng.Shutdown(false)
	// Hand eng to the kernel; here, run one cell.
	var io kernel.IO // the kernel's session IO
	reply := eng.Execute(context.Background(), kernel.ExecuteRequest{Code: `println("hi")`}, io)
	if reply.Err != nil && reply.Err.Name == supervise.ErrNameCrashed {
		fmt.Println("the engine crashed and was restarted:", reply.Err.Value)
	}
}
