// Command goroutines measures what a sleeping goroutine costs in golit's
// engine and in compiled Go, side by side: it starts N goroutines that each
// call time.Sleep(time.Hour), waits until they are all asleep, and reports
// the growth of the Go runtime's heap and stacks and of the process's
// resident memory per goroutine.
//
//	go run ./bench/goroutines -n 100000
//
// Each measurement runs in a process of its own (the program starts itself
// again with -mode), so the two sides do not share a heap.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/kernel"
)

func main() {
	n := flag.Int("n", 100000, "goroutines to start")
	mode := flag.String("mode", "", "compiled or interpreted: measure one side in this process (internal)")
	rounds := flag.Int("rounds", 3, "measurements per side; the median is reported")
	cell := flag.String("cell", "sleep", "interpreted cell: sleep (go func() { time.Sleep(time.Hour) }()), named (go sleeper()), or a cell of your own that starts %d goroutines (%d is replaced by -n)")
	heapProfile := flag.String("heapprofile", "", "with -mode: write a heap profile here once all goroutines sleep")
	hold := flag.Bool("hold", false, "with -mode: stay alive after measuring (to look at the goroutines with GOTRACEBACK=system and SIGQUIT)")
	flag.Parse()
	if *mode != "" {
		if err := measure(*mode, *n, *cell, *heapProfile); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if *hold {
			select {}
		}
		return
	}
	fmt.Printf("%d goroutines each in time.Sleep(time.Hour); bytes per goroutine, median of %d runs\n", *n, *rounds)
	fmt.Printf("%-12s %12s %12s %12s %10s\n", "side", "heap+stack", "stack", "RSS", "start (s)")
	var med [2][4]float64
	for i, side := range []string{"compiled", "interpreted"} {
		var rows [][4]float64
		for r := 0; r < *rounds; r++ {
			out, err := exec.Command(os.Args[0], "-mode", side, "-n", strconv.Itoa(*n), "-cell", *cell).CombinedOutput()
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n%s", side, err, out)
				os.Exit(1)
			}
			var row [4]float64
			if _, err := fmt.Sscan(strings.TrimSpace(string(out)), &row[0], &row[1], &row[2], &row[3]); err != nil {
				fmt.Fprintf(os.Stderr, "%s: bad output %q\n", side, out)
				os.Exit(1)
			}
			rows = append(rows, row)
		}
		for c := 0; c < 4; c++ {
			vals := make([]float64, len(rows))
			for j, r := range rows {
				vals[j] = r[c]
			}
			sort.Float64s(vals)
			med[i][c] = vals[len(vals)/2]
		}
		fmt.Printf("%-12s %12.0f %12.0f %12.0f %10.2f\n", side, med[i][0], med[i][1], med[i][2], med[i][3])
	}
	fmt.Printf("%-12s %12.2f %12.2f %12.2f\n", "ratio", med[1][0]/med[0][0], med[1][1]/med[0][1], med[1][2]/med[0][2])
}

type nullIO struct{}

func (nullIO) Stream(name, text string)                      { fmt.Fprint(os.Stderr, text) }
func (nullIO) Display(kernel.Bundle, map[string]any, string) {}
func (nullIO) Update(kernel.Bundle, map[string]any, string)  {}
func (nullIO) ClearOutput(bool)                              {}
func (nullIO) Input(string, bool) (string, error)            { return "", kernel.ErrNoStdin }

// measure prints heap+stack bytes, stack bytes and RSS bytes per goroutine,
// and the seconds it took to start them.
func measure(mode string, n int, cell, heapProfile string) error {
	var start func() error
	switch mode {
	case "compiled":
		start = func() error {
			for i := 0; i < n; i++ {
				go func() { time.Sleep(time.Hour) }()
			}
			return nil
		}
	case "interpreted":
		e, err := interp.New(interp.Options{})
		if err != nil {
			return err
		}
		run := func(code string) error {
			r := e.Execute(context.Background(), kernel.ExecuteRequest{Code: code}, nullIO{})
			if r.Err != nil {
				return fmt.Errorf("%s: %s", r.Err.Name, r.Err.Value)
			}
			return nil
		}
		// Warm up: compile what the cell uses.
		if err := run("func sleeper() { time.Sleep(time.Hour) }\ngo func() {}()\ntime.Sleep(10 * time.Millisecond)"); err != nil {
			return err
		}
		code := fmt.Sprintf("for i := 0; i < %d; i++ { go func() { time.Sleep(time.Hour) }() }", n)
		switch {
		case cell == "named":
			code = fmt.Sprintf("for i := 0; i < %d; i++ { go sleeper() }", n)
		case strings.Contains(cell, "%d"):
			code = strings.ReplaceAll(cell, "%d", strconv.Itoa(n))
		}
		start = func() error { return run(code) }
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	base := runtime.NumGoroutine()
	h0, s0 := memory()
	r0 := rss()
	t0 := time.Now()
	if err := start(); err != nil {
		return err
	}
	// Wait until every goroutine is parked in Sleep.
	for runtime.NumGoroutine() < base+n {
		time.Sleep(10 * time.Millisecond)
	}
	took := time.Since(t0).Seconds()
	time.Sleep(200 * time.Millisecond)
	h1, s1 := memory()
	r1 := rss()
	if heapProfile != "" {
		f, err := os.Create(heapProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := writeHeapProfile(f); err != nil {
			return err
		}
	}
	per := func(a, b uint64) float64 { return (float64(b) - float64(a)) / float64(n) }
	fmt.Printf("%.0f %.0f %.0f %.3f\n", per(h0+s0, h1+s1), per(s0, s1), per(r0, r1), took)
	return nil
}

// memory returns the bytes of live heap and of goroutine stacks, after a
// full collection.
func memory() (heap, stack uint64) {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, m.StackInuse
}

// rss returns the process's resident memory (Linux; 0 elsewhere).
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}
