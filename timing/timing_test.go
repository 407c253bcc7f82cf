package timing

import (
	"context"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 ns"},
		{1, "1 ns"},
		{999, "999 ns"},
		{1000, "1 µs"},
		{1500, "1.5 µs"},
		{45600, "45.6 µs"},
		{1230 * time.Microsecond, "1.23 ms"},
		{10 * time.Millisecond, "10 ms"},
		{620 * time.Millisecond, "620 ms"},
		{999900 * time.Microsecond, "1e+03 ms"}, // IPython rounds the same way
		{time.Second, "1 s"},
		{1210 * time.Millisecond, "1.21 s"},
		{59 * time.Second, "59 s"},
		{60 * time.Second, "1min"},
		{63 * time.Second, "1min 3s"},
		{63*time.Second + 500*time.Millisecond, "1min 3s"},
		{3600 * time.Second, "1h"},
		{3661 * time.Second, "1h 1min 1s"},
		{26 * time.Hour, "1d 2h"},
	}
	for _, tt := range tests {
		if got := Format(tt.d); got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 1: "1", 999: "999", 1000: "1,000",
		1000000: "1,000,000", 12345: "12,345", -1000: "-1,000"} {
		if got := groupThousands(n); got != want {
			t.Errorf("groupThousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTimeMeasuresWallAndCPU(t *testing.T) {
	r := Time(func() { time.Sleep(30 * time.Millisecond) })
	if r.Wall < 30*time.Millisecond {
		t.Fatalf("wall %v < 30ms", r.Wall)
	}
	if !r.CPUKnown {
		t.Fatal("CPU times unknown on a unix system")
	}
	// Spinning uses CPU: spin until the process has used 50 ms more user
	// time (however long that takes on a busy machine); Time must see it.
	r = Time(func() {
		u0, _, _ := cpuTimes() // after Time's own reading: Time sees at least as much
		deadline := time.Now().Add(10 * time.Second)
		x := 0
		for time.Now().Before(deadline) {
			for i := 0; i < 10000; i++ {
				x += i
			}
			if u, _, _ := cpuTimes(); u-u0 >= 50*time.Millisecond {
				break
			}
		}
		_ = x
	})
	if r.User < 50*time.Millisecond || r.User > r.Wall*time.Duration(runtime.NumCPU())+50*time.Millisecond {
		t.Errorf("spinning for 50ms of CPU: user %v, wall %v", r.User, r.Wall)
	}
	s := r.String()
	if !strings.HasPrefix(s, "CPU times: user ") || !strings.Contains(s, ", sys: ") ||
		!strings.Contains(s, ", total: ") || !strings.Contains(s, "\nWall time: ") {
		t.Errorf("String() = %q", s)
	}
}

func TestResultStringWithoutCPU(t *testing.T) {
	r := Result{Wall: 2 * time.Second}
	if got := r.String(); got != "Wall time: 2 s" {
		t.Errorf("got %q", got)
	}
}

func TestTimeItAutoLoops(t *testing.T) {
	// A call of about 1 ms needs 1000 loops... too slow for a unit test, so
	// use ~25ms calls: 10 loops make the first run >= 0.2 s.
	calls := 0
	r := TimeIt(func() { calls++; time.Sleep(25 * time.Millisecond) }, Runs(2))
	if r.Loops != 10 {
		t.Errorf("Loops = %d, want 10", r.Loops)
	}
	if r.Runs != 2 || len(r.All) != 2 {
		t.Errorf("Runs = %d, All = %v", r.Runs, r.All)
	}
	// calibration: 1 + 10 calls, then 2 runs of 10.
	if calls != 1+10+20 {
		t.Errorf("fn called %d times, want 31", calls)
	}
	if r.Mean < 0.025 || r.Mean > 0.2 {
		t.Errorf("mean %v s per loop for a 25 ms sleep", r.Mean)
	}
	if !strings.Contains(r.String(), "(mean ± std. dev. of 2 runs, 10 loops each)") {
		t.Errorf("String() = %q", r.String())
	}
}

func TestTimeItFixed(t *testing.T) {
	calls := 0
	r := TimeIt(func() { calls++ }, Loops(5), Runs(3))
	if calls != 15 || r.Loops != 5 || r.Runs != 3 {
		t.Errorf("calls=%d loops=%d runs=%d", calls, r.Loops, r.Runs)
	}
	if r.Err != nil {
		t.Error(r.Err)
	}
}

func TestTimeItContextStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	r := TimeIt(func() {
		calls++
		if calls == 2 {
			cancel()
		}
	}, Loops(1), Runs(100), Context(ctx))
	if r.Err == nil || calls != 2 || r.Runs != 2 {
		t.Errorf("err=%v calls=%d runs=%d", r.Err, calls, r.Runs)
	}
}

func TestSummarizeStatistics(t *testing.T) {
	r := TimeItResult{Loops: 10, All: []time.Duration{
		10 * time.Millisecond, 20 * time.Millisecond, 30 * time.Millisecond, 40 * time.Millisecond}}
	r.Runs = len(r.All)
	r.summarize()
	// per loop: 1, 2, 3, 4 ms; mean 2.5 ms; population sd sqrt(1.25) ms.
	if math.Abs(r.Mean-2.5e-3) > 1e-12 || math.Abs(r.StdDev-math.Sqrt(1.25)*1e-3) > 1e-12 {
		t.Errorf("mean %v sd %v", r.Mean, r.StdDev)
	}
	if r.Best != 1e-3 || r.Worst != 4e-3 {
		t.Errorf("best %v worst %v", r.Best, r.Worst)
	}
	if r.Warning() != "" {
		t.Errorf("4x is not more than 4x: %q", r.Warning())
	}
	want := "2.5 ms ± 1.12 ms per loop (mean ± std. dev. of 4 runs, 10 loops each)"
	if got := r.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSlowestRunWarning(t *testing.T) {
	r := TimeItResult{Loops: 1, All: []time.Duration{time.Millisecond, 10 * time.Millisecond}}
	r.Runs = 2
	r.summarize()
	want := "The slowest run took 10.00 times longer than the fastest. " +
		"This could mean that an intermediate result is being cached.\n" +
		"5.5 ms ± 4.5 ms per loop (mean ± std. dev. of 2 runs, 1 loop each)"
	if got := r.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// Below 1 µs per loop, no warning (timer noise).
	r = TimeItResult{Loops: 1000, All: []time.Duration{100 * time.Nanosecond, 900 * time.Microsecond}}
	r.summarize()
	if r.Worst <= 1e-6 && r.Warning() != "" {
		t.Error("warning below 1 µs")
	}
}

func TestStopwatch(t *testing.T) {
	var sw Stopwatch
	if sw.Elapsed() != 0 {
		t.Fatal("zero Stopwatch not at zero")
	}
	sw.Start()
	time.Sleep(10 * time.Millisecond)
	l1 := sw.Lap()
	time.Sleep(10 * time.Millisecond)
	l2 := sw.Lap()
	total := sw.Stop()
	if l1 < 10*time.Millisecond || l2 < 10*time.Millisecond || total < l1+l2 {
		t.Errorf("laps %v %v total %v", l1, l2, total)
	}
	time.Sleep(5 * time.Millisecond)
	if sw.Elapsed() != total {
		t.Error("a stopped stopwatch kept running")
	}
	sw.Resume()
	time.Sleep(5 * time.Millisecond)
	if sw.Elapsed() < total+5*time.Millisecond || sw.Elapsed() > total+time.Second {
		t.Errorf("resume: %v after %v", sw.Elapsed(), total)
	}
	if sw.Seconds() <= 0 || !strings.HasSuffix(sw.String(), " ms") {
		t.Errorf("Seconds %v String %q", sw.Seconds(), sw.String())
	}
	sw.Start()
	if len(sw.Laps()) != 0 || sw.Elapsed() > time.Second {
		t.Error("Start did not reset")
	}
}

func TestStopwatchConcurrentLaps(t *testing.T) {
	sw := Start()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				sw.Lap()
				_ = sw.String()
			}
		}()
	}
	wg.Wait()
	laps := sw.Laps()
	var sum time.Duration
	for _, l := range laps {
		sum += l
	}
	if len(laps) != 800 || sum > sw.Elapsed() {
		t.Errorf("%d laps summing to %v > %v", len(laps), sum, sw.Elapsed())
	}
}
