package sched_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/kernel"
	"github.com/golit/golit/sched"
)

// go test ./sched -run Golden -update rewrites the golden SVGs from the
// traces in testdata; with -record it first records those traces again
// (from notebook cells run by golit's interpreter). Look at the new SVGs
// (e2e renders them in Chromium) before committing them.
var (
	update = flag.Bool("update", false, "rewrite the golden SVGs")
	record = flag.Bool("record", false, "with -update, record the testdata traces again")
)

// The cells of notebook 02's scheduler demo, interpreted as in a notebook.
const primesCell = `
import (
	"fmt"
	"os"
	"runtime"
	"sync"

	"golit/sched"
)

func isPrime(n int64) bool {
	if n < 2 {
		return false
	}
	if n%2 == 0 {
		return n == 2
	}
	for i := int64(3); i*i <= n; i += 2 {
		if n%i == 0 {
			return false
		}
	}
	return true
}

func checkAll(title string) *sched.Chart {
	c, err := sched.Record(title, func() {
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sched.Name(fmt.Sprintf("isPrime #%d", i))
				for range 3 {
					isPrime(999999999989)
				}
			}()
		}
		wg.Wait()
	})
	if err != nil {
		panic(err)
	}
	return c
}
`

type quietIO struct{ out strings.Builder }

func (q *quietIO) Stream(name, text string)                    { q.out.WriteString(text) }
func (*quietIO) Display(kernel.Bundle, map[string]any, string) {}
func (*quietIO) Update(kernel.Bundle, map[string]any, string)  {}
func (*quietIO) ClearOutput(bool)                              {}
func (*quietIO) Input(string, bool) (string, error)            { return "", kernel.ErrNoStdin }

// recordFromCells runs the demo in golit's interpreter and writes the two
// traces: GOMAXPROCS(1) and all cores.
func recordFromCells(t *testing.T) {
	e, err := interp.New(interp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown(false)
	run := func(code string) {
		t.Helper()
		var io quietIO
		r := e.Execute(context.Background(), kernel.ExecuteRequest{Code: code, ExecutionCount: 1}, &io)
		if r.Err != nil {
			t.Fatalf("%s: %s\n%s", r.Err.Name, r.Err.Value, io.out.String())
		}
	}
	run(primesCell)
	run(`old := runtime.GOMAXPROCS(1)
c1 := checkAll("4 isPrime goroutines, GOMAXPROCS(1)")
runtime.GOMAXPROCS(old)
f, _ := os.Create("testdata/p1.trace")
c1.WriteTrace(f)
f.Close()
c2 := checkAll("4 isPrime goroutines, all cores")
f, _ = os.Create("testdata/allcores.trace")
c2.WriteTrace(f)
f.Close()`)
}

func TestGolden(t *testing.T) {
	if *update && *record {
		os.MkdirAll("testdata", 0o755)
		recordFromCells(t)
	}
	for _, tc := range []struct{ name, title string }{
		{"p1", "4 isPrime goroutines, GOMAXPROCS(1)"},
		{"allcores", "4 isPrime goroutines, all cores"},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", tc.name+".trace"))
		if err != nil {
			t.Fatal(err)
		}
		c, err := sched.Parse(bytes.NewReader(data), sched.Options{Title: tc.title, Goroutines: true})
		if err != nil {
			t.Fatal(err)
		}
		// The lanes a reader sees: the cell and the four named goroutines.
		lanes := strings.Join(c.Lanes(), ",")
		for _, want := range []string{"P0", "cell", "isPrime #0", "isPrime #1", "isPrime #2", "isPrime #3"} {
			if !strings.Contains(lanes, want) {
				t.Errorf("%s: lanes %s lack %q", tc.name, lanes, want)
			}
		}
		if tc.name == "p1" && len(c.Procs()) != 1 {
			t.Errorf("p1: %d P lanes", len(c.Procs()))
		}
		if tc.name == "allcores" && len(c.Procs()) < 2 {
			t.Errorf("allcores: %d P lanes (recorded on one core?)", len(c.Procs()))
		}
		t.Logf("%s", c)
		svg := c.SVG()
		wellFormed(t, svg)
		golden := filepath.Join("testdata", tc.name+".golden.svg")
		if *update {
			if err := os.WriteFile(golden, []byte(svg), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if svg != string(want) {
			t.Errorf("%s: the SVG differs from %s (run go test ./sched -run Golden -update, then look at it)", tc.name, golden)
		}
	}
}
