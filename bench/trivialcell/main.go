// Command trivialcell measures the engine's own work for small cells: it
// runs each cell N times through the interpreter in this process (no
// supervisor, no protocol) after a warm-up, numbering the cells as the
// kernel does (execution count 1, 2, 3, ...), and prints the median and
// mean time per cell and the process's CPU time per cell (all threads). With -cpuprofile it writes a CPU profile of the timed
// cells.
//
//	go run ./bench/trivialcell -n 20000
//	go run ./bench/trivialcell -n 5000 -set small
//	go run ./bench/trivialcell -n 20000 -cpuprofile /tmp/cell.prof
//	go tool pprof -top -cum /tmp/cell.prof
//
// The default set is the trivial cell, `1 + 1`; -set small times, one after
// the other, a few ordinary small cells (a print, a variable, a function
// declaration, a statement that calls it), each re-run N times; -code times
// one cell of your own (after -setup, run once untimed).
//
// -samecount runs every cell as execution count 0, as this command did
// before it numbered cells (the engine then finds the cell's imports made
// already).
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
	"slices"
	"syscall"
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

// sets are the named lists of cells -set chooses from.
var sets = map[string][]string{
	"trivial": {"1 + 1"},
	"small": {
		"1 + 1",
		`fmt.Println("hello")`,
		"x := 42",
		"var y = 7",
		"func add(a, b int) int { return a + b }",
		"add(x, y)",
	},
}

func main() {
	n := flag.Int("n", 20000, "number of timed runs of each cell")
	set := flag.String("set", "trivial", "the cells to time: trivial or small")
	code := flag.String("code", "", "time this cell instead of a -set")
	setup := flag.String("setup", "", "run this cell once, untimed, first (declarations -code uses)")
	same := flag.Bool("samecount", false, "run every cell as execution count 0")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the timed cells to `file`")
	flag.Parse()
	cells := sets[*set]
	if *code != "" {
		cells = []string{*code}
	}
	if len(cells) == 0 {
		fmt.Fprintf(os.Stderr, "trivialcell: no set %q\n", *set)
		os.Exit(2)
	}
	if err := run(*setup, cells, *n, *same, *cpuprofile); err != nil {
		fmt.Fprintln(os.Stderr, "trivialcell:", err)
		os.Exit(1)
	}
}

func run(setup string, cells []string, n int, same bool, cpuprofile string) error {
	e, err := interp.New(interp.Options{GCPercent: 400}) // as cmd/golit sets it
	if err != nil {
		return err
	}
	count := 0
	exec := func(code string) kernel.ExecuteReply {
		if !same {
			count++
		}
		return e.Execute(context.Background(), kernel.ExecuteRequest{Code: code, ExecutionCount: count}, discard{})
	}
	if setup != "" {
		if r := exec(setup); r.Err != nil {
			return fmt.Errorf("setup cell failed: %s", r.Err.Value)
		}
	}
	for _, c := range cells {
		for range 200 {
			if r := exec(c); r.Err != nil {
				return fmt.Errorf("cell %q failed: %s", c, r.Err.Value)
			}
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
	times := make([]time.Duration, n)
	for _, c := range cells {
		start, cpu0 := time.Now(), cpuTime()
		for i := range n {
			t0 := time.Now()
			exec(c)
			times[i] = time.Since(t0)
		}
		mean := time.Since(start) / time.Duration(max(n, 1))
		cpu := (cpuTime() - cpu0) / time.Duration(max(n, 1))
		slices.Sort(times)
		fmt.Printf("%-45q median %8v  mean %8v  cpu %8v  (%d cells)\n", c, times[n/2].Round(100*time.Nanosecond),
			mean.Round(100*time.Nanosecond), cpu.Round(100*time.Nanosecond), n)
	}
	return nil
}

// cpuTime is the CPU time (user and system) this process has used, every
// thread's (the collector's included): per cell, it depends less on what
// else the machine runs than the elapsed time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
