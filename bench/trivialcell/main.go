// Command trivialcell measures the engine's own work for a trivial cell:
// it runs `1 + 1` N times through the interpreter in this process (no
// supervisor, no protocol) after a warm-up, and prints the mean time per
// cell. With -cpuprofile it writes a CPU profile of the timed cells.
//
//	go run ./bench/trivialcell -n 20000 -cpuprofile /tmp/cell.prof
//	go tool pprof -top -cum /tmp/cell.prof
//
// The machine is shared: compare two builds in interleaved runs and quote
// medians (BENCHMARKS.md, "Round trip at the protocol's floor").
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/kernel"
)

// discard is a kernel.IO that drops what cells send.
type discard struct{}

func (discard) Stream(name, text string)                      {}
func (discard) Display(kernel.Bundle, map[string]any, string) {}
func (discard) Update(kernel.Bundle, map[string]any, string)  {}
func (discard) ClearOutput(bool)                              {}
func (discard) Input(string, bool) (string, error)            { return "", kernel.ErrNoStdin }

func main() {
	n := flag.Int("n", 20000, "number of timed cells")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the timed cells to `file`")
	flag.Parse()
	if err := run(*n, *cpuprofile); err != nil {
		fmt.Fprintln(os.Stderr, "trivialcell:", err)
		os.Exit(1)
	}
}

func run(n int, cpuprofile string) error {
	e, err := interp.New(interp.Options{GCPercent: 400}) // as cmd/golit sets it
	if err != nil {
		return err
	}
	req := kernel.ExecuteRequest{Code: "1 + 1"}
	for range 200 {
		if r := e.Execute(context.Background(), req, discard{}); r.Err != nil {
			return fmt.Errorf("cell failed: %s", r.Err.Value)
		}
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	for range n {
		e.Execute(context.Background(), req, discard{})
	}
	fmt.Printf("1 + 1 in process: %v per cell (%d cells)\n", time.Since(start)/time.Duration(max(n, 1)), n)
	return nil
}
