// Command session measures what a long notebook session costs: it runs N
// cells, each declaring one variable and one function and printing a line,
// through golit's supervised engine (the real `golit engine` child, started
// and talked to exactly as the kernel does) or, with -inprocess, through the
// interpreter in this process. It reports the median time per cell of the
// first and last 100 cells, their ratio, and the engine's resident memory
// before and after, per cell.
//
//	go build -o bin/golit ./cmd/golit
//	go run ./bench/session -n 5000
//	go run ./bench/session -n 5000 -inprocess
//
// GOLIT_CPUPROFILE and GOLIT_MEMPROFILE in the environment make the engine
// child write CPU and heap profiles (cmd/golit/profile.go). With -inprocess,
// -memprofile writes a heap profile of every allocation still live after the
// last cell; two runs of different lengths give the growth per cell:
//
//	go run ./bench/session -inprocess -n 1000 -memprofile /tmp/s1000.heap
//	go run ./bench/session -inprocess -n 2000 -memprofile /tmp/s2000.heap
//	go tool pprof -top -sample_index=inuse_space -base /tmp/s1000.heap /tmp/s2000.heap
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/interp/supervise"
	"github.com/golit/golit/kernel"
)

func main() {
	n := flag.Int("n", 1500, "number of cells")
	golit := flag.String("golit", "bin/golit", "golit executable whose `golit engine` child runs the cells")
	inproc := flag.Bool("inprocess", false, "run the interpreter in this process (like GOLIT_INPROCESS=1)")
	every := flag.Int("every", 0, "print progress every this many cells (0: only the summary)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of this process to `file` (useful with -inprocess)")
	memprofile := flag.String("memprofile", "", "write a heap profile of this process to `file` after the last cell, every allocation sampled (useful with -inprocess)")
	flag.Parse()
	if *memprofile != "" {
		runtime.MemProfileRate = 1
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "session:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "session:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*n, *golit, *inproc, *every, *memprofile); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "session:", err)
		os.Exit(1)
	}
}

// writeHeap writes a heap profile after a collection, so that its in-use
// figures are the live heap.
func writeHeap(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cell is the i-th cell of the session.
func cell(i int) string {
	return fmt.Sprintf("var v%d = %d\nfunc f%d(x int) int { return x + v%d }\nfmt.Println(\"cell\", f%d(1))\n", i, i, i, i, i)
}

// countIO counts what the cells print.
type countIO struct{ bytes int }

func (c *countIO) Stream(name, text string)                      { c.bytes += len(text) }
func (c *countIO) Display(kernel.Bundle, map[string]any, string) {}
func (c *countIO) Update(kernel.Bundle, map[string]any, string)  {}
func (c *countIO) ClearOutput(bool)                              {}
func (c *countIO) Input(string, bool) (string, error)            { return "", kernel.ErrNoStdin }

func run(n int, golit string, inproc bool, every int, memprofile string) error {
	var (
		eng kernel.Engine
		pid func() int
	)
	if inproc {
		e, err := interp.New(interp.Options{GCPercent: 400}) // as cmd/golit sets it
		if err != nil {
			return err
		}
		eng, pid = e, os.Getpid
	} else {
		exe, err := filepath.Abs(golit)
		if err != nil {
			return err
		}
		if _, err := os.Stat(exe); err != nil {
			return fmt.Errorf("%v (build it: go build -o bin/golit ./cmd/golit)", err)
		}
		e, err := supervise.New(supervise.Options{Command: []string{exe, "engine"}})
		if err != nil {
			return err
		}
		if err := e.Ready(context.Background()); err != nil {
			return err
		}
		eng, pid = e, e.PID
	}
	defer eng.Shutdown(false)

	io := &countIO{}
	ctx := context.Background()
	// One import cell first, as a notebook would have.
	if r := eng.Execute(ctx, kernel.ExecuteRequest{Code: "import \"fmt\""}, io); r.Status != kernel.StatusOK {
		return fmt.Errorf("import cell: %v", r.Err)
	}
	rss0 := rss(pid())
	times := make([]time.Duration, n)
	start := time.Now()
	for i := range n {
		t := time.Now()
		r := eng.Execute(ctx, kernel.ExecuteRequest{Code: cell(i), StoreHistory: true}, io)
		times[i] = time.Since(t)
		if r.Status != kernel.StatusOK {
			return fmt.Errorf("cell %d: %s: %s", i, r.Err.Name, r.Err.Value)
		}
		if every > 0 && (i+1)%every == 0 {
			fmt.Printf("cell %5d: median of last %d %.2f ms, engine RSS %.1f MB\n", i+1, min(100, i+1), ms(median(times[max(0, i+1-100):i+1])), float64(rss(pid()))/1e6)
		}
	}
	total := time.Since(start)
	rss1 := rss(pid())
	if memprofile != "" {
		if err := writeHeap(memprofile); err != nil {
			return err
		}
	}
	k := min(100, n)
	first, last := median(times[:k]), median(times[n-k:])
	mode := "supervised child"
	if inproc {
		mode = "in process"
	}
	fmt.Printf("golit session, %d cells (%s), %s/%s, %d CPUs\n", n, mode, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	fmt.Printf("per cell: median of first %d %.2f ms, last %d %.2f ms, ratio %.2fx; total %.1f s\n", k, ms(first), k, ms(last), float64(last)/float64(first), total.Seconds())
	fmt.Printf("engine RSS: %.1f MB after the import cell, %.1f MB after %d cells: %.1f KB per cell\n", float64(rss0)/1e6, float64(rss1)/1e6, n, float64(rss1-rss0)/1e3/float64(n))
	if io.bytes == 0 {
		return fmt.Errorf("the cells printed nothing")
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// rss returns the resident set of process pid in bytes (Linux), or 0.
func rss(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
