package sched_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"regexp"
	"runtime"
	"runtime/trace"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/golit/golit/sched"
)

// spin burns about d of CPU time (measured once, alone), without
// allocating, so the scheduler, not the GC, decides who runs.
func spin(d time.Duration) {
	perMs := calibrate()
	x := uint64(1)
	for range int64(d/time.Millisecond) * perMs {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sinkU.Store(x)
}

var calibrate = sync.OnceValue(func() int64 {
	const n = 20_000_000
	start := time.Now()
	x := uint64(1)
	for range n {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sinkU.Store(x)
	return max(1, int64(n/max(time.Since(start).Seconds()*1000, 1e-3)))
})

var sinkU atomic.Uint64

// spinners records n named goroutines that each spin for d at the given
// GOMAXPROCS.
func spinners(t *testing.T, procs, n int, d time.Duration) *sched.Chart {
	t.Helper()
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	c, err := sched.Record(fmt.Sprintf("%d spinners, GOMAXPROCS(%d)", n, procs), func() {
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sched.Name(fmt.Sprintf("spin #%d", i))
				spin(d)
			}()
		}
		wg.Wait()
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func byName(c *sched.Chart) map[string]sched.Goroutine {
	m := map[string]sched.Goroutine{}
	for _, g := range c.Goroutines() {
		m[g.Name] = g
	}
	return m
}

// With one P, goroutines take turns: one P lane, each spinner runnable for
// a large share of the time, and the P switching between them many times.
func TestOnePTakesTurns(t *testing.T) {
	c := spinners(t, 1, 3, 150*time.Millisecond)
	if c.GOMAXPROCS() != 1 {
		t.Errorf("GOMAXPROCS() = %d, want 1", c.GOMAXPROCS())
	}
	ps := c.Procs()
	if len(ps) != 1 {
		t.Fatalf("%d P lanes, want 1: %+v", len(ps), ps)
	}
	gs := byName(c)
	var run, wait time.Duration
	for i := range 3 {
		g, ok := gs[fmt.Sprintf("spin #%d", i)]
		if !ok {
			t.Fatalf("no lane for spin #%d; lanes %v", i, c.Lanes())
		}
		if g.Running < 30*time.Millisecond {
			t.Errorf("%s ran %v, want about 150ms", g.Name, g.Running)
		}
		run += g.Running
		wait += g.Runnable
	}
	if run > c.Duration()+time.Millisecond {
		t.Errorf("spinners ran %v in all in %v on one P", run, c.Duration())
	}
	// Three goroutines on one P wait for it while the others run (about
	// twice as long as they run when slices are short; a loaded machine
	// makes slices longer, so ask for less).
	if wait < run/3 {
		t.Errorf("runnable %v, running %v: the spinners did not wait for the P", wait, run)
	}
	if n := c.Switches(); n < 6 {
		t.Errorf("P0 switched between goroutines of the work %d times, want many (preemption every ~10ms)", n)
	}
	if root, ok := gs["sched_test.spinners.func1"]; ok {
		t.Errorf("the caller's lane is named after the closure: %+v", root)
	}
	if _, ok := gs["sched_test.spinners"]; !ok {
		t.Errorf("no lane for the calling function; lanes %v", c.Lanes())
	}
}

// With two Ps, two spinners run at the same time.
func TestTwoPsRunSideBySide(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("needs 2 CPUs")
	}
	c := spinners(t, 2, 2, 200*time.Millisecond)
	if len(c.Procs()) != 2 {
		t.Fatalf("%d P lanes, want 2: %+v", len(c.Procs()), c.Procs())
	}
	if o := c.Overlap("spin #0", "spin #1"); o <= 0 {
		t.Errorf("spin #0 and spin #1 never ran at the same time on 2 Ps")
	}
}

// Each kind of wait lands in its state.
func TestBlockedStates(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	const wait = 150 * time.Millisecond
	c, err := sched.RecordOptions(sched.Options{Title: "waits", Goroutines: true}, func() {
		var wg sync.WaitGroup
		var mu sync.Mutex
		ch := make(chan int)
		mu.Lock()
		run := func(name string, f func()) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sched.Name(name)
				f()
			}()
		}
		run("chan", func() { <-ch })
		run("mutex", func() { mu.Lock(); mu.Unlock() })
		run("sleep", func() { time.Sleep(wait) })
		run("net", func() {
			conn, err := ln.Accept()
			if err == nil {
				io.ReadAll(conn)
				conn.Close()
			}
		})
		run("syscall", func() {
			ts := syscall.NsecToTimespec(int64(wait))
			syscall.Nanosleep(&ts, nil)
		})
		conn, err := net.Dial("tcp", ln.Addr().String())
		time.Sleep(wait)
		ch <- 1
		mu.Unlock()
		if err == nil {
			conn.Close()
		}
		wg.Wait()
	})
	if err != nil {
		t.Fatal(err)
	}
	gs := byName(c)
	for name, st := range map[string]sched.State{
		"chan": sched.BlockedChan, "mutex": sched.BlockedSync, "sleep": sched.Sleeping,
		"net": sched.BlockedNet, "syscall": sched.InSyscall,
	} {
		g, ok := gs[name]
		if !ok {
			t.Errorf("no goroutine %q; lanes %v", name, c.Lanes())
			continue
		}
		if g.Blocked[st] < wait/2 {
			t.Errorf("%s: %v in %s, want about %v; %+v", name, g.Blocked[st], st, wait, g)
		}
	}
	lanes := strings.Join(c.Lanes(), ",")
	for _, want := range []string{"chan", "mutex", "sleep", "net", "syscall", "P"} {
		if !strings.Contains(lanes, want) {
			t.Errorf("lanes %s lack %s", lanes, want)
		}
	}
	svg := c.SVG()
	wellFormed(t, svg)
	for _, want := range []string{">mutex<", ">network poller<", ">syscall<", ">sleep<", ">channel/select<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %s", want)
		}
	}
}

// Lanes without Name take the first region, else the start function.
func TestLaneNames(t *testing.T) {
	c, err := sched.Record("names", func() {
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			sched.Region("download CN", func() { time.Sleep(5 * time.Millisecond) })
		}()
		go worker(&wg)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sched.Name(long)
		}()
		wg.Wait()
	})
	if err != nil {
		t.Fatal(err)
	}
	c.PerGoroutine = true
	svg := c.SVG()
	if got := regexp.MustCompile(`>[^<]*column at all<`).FindString(svg); !strings.HasPrefix(got, ">…") {
		t.Errorf("a long lane name is not shortened to fit the label column: %q", got)
	}
	gs := byName(c)
	for _, want := range []string{"download CN", "sched_test.worker", "sched_test.TestLaneNames"} {
		if _, ok := gs[want]; !ok {
			t.Errorf("no lane %q in %v", want, c.Lanes())
		}
	}
}

const long = "a goroutine name far too long to fit in the label column at all"

func worker(wg *sync.WaitGroup) {
	defer wg.Done()
	time.Sleep(5 * time.Millisecond)
}

// Goroutines started before Record are not the work's unless named or All.
func TestOtherGoroutinesAreGrey(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	go func() { // busy before and during the recording
		for {
			select {
			case <-stop:
				return
			default:
				spin(2 * time.Millisecond)
			}
		}
	}()
	work := func() { spin(50 * time.Millisecond) }
	c, err := sched.Record("other", work)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Goroutines()); n != 1 {
		t.Errorf("%d goroutines of the work, want only the caller: %+v", n, c.Goroutines())
	}
	c, err = sched.RecordOptions(sched.Options{All: true}, work)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Goroutines()); n < 2 {
		t.Errorf("All: %d goroutines of the work, want the busy one too", n)
	}
}

// An allocating workload shows GC cycles and GC time on the Ps.
func TestGCIsShown(t *testing.T) {
	c, err := sched.Record("garbage", func() {
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var keep [][]byte
				for i := range 200_000 {
					keep = append(keep, make([]byte, 256))
					if i%1000 == 0 {
						keep = nil
					}
				}
			}()
		}
		wg.Wait()
	})
	if err != nil {
		t.Fatal(err)
	}
	gc := c.GC()
	if gc.Cycles == 0 || gc.Mark <= 0 {
		t.Fatalf("no GC seen: %+v\n%s", gc, c)
	}
	var onPs time.Duration
	for _, p := range c.Procs() {
		onPs += p.GC
	}
	if onPs <= 0 || onPs != gc.Workers+gc.Assist {
		t.Errorf("GC on the Ps %v, want workers %v + assists %v > 0", onPs, gc.Workers, gc.Assist)
	}
	if !strings.Contains(c.String(), "GC: ") {
		t.Errorf("summary lacks the GC line:\n%s", c)
	}
}

// A trace written by runtime/trace outside Record parses too: every
// non-runtime goroutine is the work's.
func TestParseForeignTrace(t *testing.T) {
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	go func() {
		trace.Log(context.Background(), "golit/sched.name", "helper")
		time.Sleep(10 * time.Millisecond)
		done <- true
	}()
	<-done
	trace.Stop()
	c, err := sched.Parse(&buf, sched.Options{Title: "foreign"})
	if err != nil {
		t.Fatal(err)
	}
	gs := byName(c)
	if _, ok := gs["helper"]; !ok {
		t.Errorf("no helper lane in %v", c.Lanes())
	}
	for _, g := range c.Goroutines() {
		if strings.HasPrefix(g.Name, "runtime.") {
			t.Errorf("runtime goroutine %q counted as work", g.Name)
		}
	}
}

func TestErrors(t *testing.T) {
	if _, err := sched.Parse(strings.NewReader("not a trace"), sched.Options{}); err == nil ||
		!strings.Contains(err.Error(), "not an execution trace") {
		t.Errorf("Parse(garbage) = %v", err)
	}
	if _, err := sched.Record("nil", nil); err == nil {
		t.Error("Record(nil) succeeded")
	}
	var inner error
	if _, err := sched.Record("outer", func() { _, inner = sched.Record("inner", func() {}) }); err != nil {
		t.Fatal(err)
	}
	if inner == nil || !strings.Contains(inner.Error(), "cannot start the execution tracer") {
		t.Errorf("Record inside Record = %v", inner)
	}
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := sched.Record("nested", func() {})
	trace.Stop()
	if err == nil || !strings.Contains(err.Error(), "cannot start the execution tracer") {
		t.Errorf("Record under another trace = %v", err)
	}
}

// A panic in the work stops the trace, so the next Record works.
func TestPanicStopsTracing(t *testing.T) {
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		sched.Record("panics", func() { panic("boom") })
	}()
	if trace.IsEnabled() {
		t.Fatal("tracing still on after the panic")
	}
	if _, err := sched.Record("after", func() {}); err != nil {
		t.Fatal(err)
	}
}

func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
}
