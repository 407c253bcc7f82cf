// Package realengine_test runs the supervisor with the real interp engine in
// the child: the fatal errors are produced by notebook cells, as a user
// would type them. It is a separate package so that the supervisor's own
// tests do not depend on the interpreter building.
package realengine_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/interp/supervise"
	"github.com/golit/golit/kernel"
)

const childEnv = "SUPERVISE_REAL_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(supervise.RunChild(func() (kernel.Engine, error) {
			return interp.New(interp.Options{CaptureProcessOutput: true})
		}))
	}
	os.Exit(m.Run())
}

type recIO struct {
	mu  sync.Mutex
	out map[string]*strings.Builder
}

func (r *recIO) Stream(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.out == nil {
		r.out = map[string]*strings.Builder{}
	}
	if r.out[name] == nil {
		r.out[name] = &strings.Builder{}
	}
	r.out[name].WriteString(text)
}
func (r *recIO) Display(kernel.Bundle, map[string]any, string) {}
func (r *recIO) Update(kernel.Bundle, map[string]any, string)  {}
func (r *recIO) ClearOutput(bool)                              {}
func (r *recIO) Input(string, bool) (string, error)            { return "", kernel.ErrNoStdin }
func (r *recIO) text(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.out[name] == nil {
		return ""
	}
	return r.out[name].String()
}

func newEngine(t testing.TB, opts supervise.Options) *supervise.Engine {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	opts.Command = []string{exe, "-test.run=^$"}
	opts.Env = []string{childEnv + "=1"}
	start := time.Now()
	e, err := supervise.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Shutdown(false) })
	if err := e.Ready(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("real engine child ready %v after New", time.Since(start).Round(time.Millisecond))
	return e
}

func run(e *supervise.Engine, io kernel.IO, code string) kernel.ExecuteReply {
	return e.Execute(context.Background(), kernel.ExecuteRequest{Code: code, StoreHistory: true}, io)
}

func TestRealEngineFatalCells(t *testing.T) {
	cases := []struct{ name, code, want string }{
		{"stack overflow", "func down(n int) int { return down(n+1) + 1 }\ndown(0)", "stack overflow"},
		{"concurrent map writes", `m := map[int]int{}
var wg sync.WaitGroup
for g := 0; g < 4; g++ {
	wg.Add(1)
	go func(g int) {
		defer wg.Done()
		for i := 0; i < 10000000; i++ {
			m[i%100+g] = i
		}
	}(g)
}
wg.Wait()`, "concurrent map"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEngine(t, supervise.Options{})
			io := &recIO{}
			r := run(e, io, "import \"fmt\"\nx := 41\nfmt.Println(x + 1)")
			if r.Status != kernel.StatusOK || io.text("stdout") != "42\n" {
				t.Fatalf("warm-up cell: %+v %q", r.Err, io.text("stdout"))
			}
			start := time.Now()
			r = run(e, io, c.code)
			took := time.Since(start)
			if r.Status != kernel.StatusError || r.Err.Name != supervise.ErrNameCrashed || !strings.Contains(r.Err.Value, c.want) {
				t.Fatalf("reply %+v", r.Err)
			}
			t0 := time.Now()
			io2 := &recIO{}
			r2 := run(e, io2, "import \"fmt\"\nfmt.Println(\"back\")")
			if r2.Status != kernel.StatusOK || io2.text("stdout") != "back\n" {
				t.Fatalf("cell after the crash: %+v %q", r2.Err, io2.text("stdout"))
			}
			t.Logf("%s: crash reported after %v (%s); next cell done %v later; restart %v\n%s",
				c.name, took.Round(time.Millisecond), r.Err.Value, time.Since(t0).Round(time.Millisecond),
				e.LastRestart().Round(time.Millisecond), strings.Join(r.Err.Traceback, "\n"))
		})
	}
}

// TestStackDepth measures how deep interpreted recursion gets under a stack
// limit, and how long overflowing takes (for the MaxStack default).
func TestStackDepth(t *testing.T) {
	if testing.Short() || os.Getenv("SUPERVISE_MEASURE") == "" {
		t.Skip("measurement; set SUPERVISE_MEASURE=1")
	}
	for _, limit := range []int64{64 << 20, 128 << 20, 256 << 20} {
		e := newEngine(t, supervise.Options{MaxStack: limit})
		io := &recIO{}
		r := run(e, io, "func depth(n int) int { if n == 0 { return 0 }; return depth(n-1) + 1 }")
		if r.Status != kernel.StatusOK {
			t.Fatal(r.Err)
		}
		ok := 0
		for _, n := range []int{10000, 30000, 100000, 300000, 1000000} {
			r = run(e, io, "depth("+strconv.Itoa(n)+")")
			if r.Status != kernel.StatusOK {
				break
			}
			ok = n
		}
		start := time.Now()
		r = run(e, io, "func down(n int) int { return down(n+1) + 1 }\ndown(0)")
		t.Logf("max stack %d MiB: depth %d fits; overflow reported after %v (%s)", limit>>20, ok, time.Since(start).Round(time.Millisecond), r.Err.Value)
		_ = e.Shutdown(false)
	}
}
