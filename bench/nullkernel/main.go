// Command nullkernel is golit's protocol core with an engine that does no
// work: every cell answers "2" at once. bench/harness.py times a trivial
// cell and a kernel_info request on it next to golit and ipykernel, so the
// report shows how much of a round trip is the client and the protocol
// (the same for any kernel built on package kernel) and how much is golit's
// engine.
//
//	go build -o /tmp/nullkernel ./bench/nullkernel
//	/tmp/nullkernel -f CONNECTION_FILE
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/golit/golit/kernel"
)

// noEngine answers every request at once.
type noEngine struct{}

func (noEngine) Execute(context.Context, kernel.ExecuteRequest, kernel.IO) kernel.ExecuteReply {
	return kernel.ExecuteReply{Status: kernel.StatusOK, Result: kernel.Bundle{"text/plain": "2"}}
}

func (noEngine) Complete(string, int) kernel.CompleteReply { return kernel.CompleteReply{} }

func (noEngine) Inspect(string, int, int) kernel.InspectReply { return kernel.InspectReply{} }

func (noEngine) IsComplete(string) kernel.IsCompleteReply {
	return kernel.IsCompleteReply{Status: "complete"}
}

func (noEngine) Interrupt() {}

func (noEngine) Shutdown(bool) error { return nil }

func main() {
	conn := flag.String("f", "", "the Jupyter connection file")
	flag.Parse()
	info, err := kernel.ReadConnectionFile(*conn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nullkernel:", err)
		os.Exit(1)
	}
	k, err := kernel.New(kernel.Config{
		Implementation: "nullkernel",
		LanguageInfo:   kernel.LanguageInfo{Name: "go", FileExtension: ".go", Mimetype: "text/x-go"},
		Log:            os.Stderr,
	}, info, noEngine{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "nullkernel:", err)
		os.Exit(1)
	}
	if err := k.Run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "nullkernel:", err)
		os.Exit(1)
	}
}
