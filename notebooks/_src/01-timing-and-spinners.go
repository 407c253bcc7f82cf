// -*- coding: utf-8 -*-
// ---
// jupyter:
//   jupytext:
//     comment_magics: false
//     formats: ipynb,_src//go:percent
//     notebook_metadata_filter: rise
//     text_representation:
//       extension: .go
//       format_name: percent
//       format_version: '1.3'
//       jupytext_version: 1.19.6
//   kernelspec:
//     display_name: Go (golit)
//     language: go
//     name: golit
//   rise:
//     scroll: true
//     theme: simple
// ---

// %% [markdown] slideshow={"slide_type": "slide"}
// # 1. Timing and spinners
//
// **What you will learn**
//
// - how to time a cell: `%time`, `%%time`, `%timeit`, and the `timing` package;
// - how to read *wall* time against *CPU* time — the one habit this workshop asks of you;
// - three ways to keep a spinner turning while a slow function runs: a **goroutine**, a
//   **child process** and an **event-loop task** — and how a blocking call freezes the last one.

// %% [markdown] slideshow={"slide_type": "notes"}
// Python's workshop opens with the spinner: the simplest program where two things happen at once.
// We keep that, but first we learn to measure, because every later notebook is an experiment.

// %% slideshow={"slide_type": "skip"}
// Setup: the helper packages golit ships. The standard library is imported
// automatically when a cell uses it.
import (
	"golit/chart"
	"golit/eventloop"
	"golit/steps"
	"golit/timing"
)

fmt.Println("Go", runtime.Version(), "on", runtime.NumCPU(), "cores")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Wall time and CPU time
//
// `%time` runs a statement once and prints two clocks:
//
// - **wall time**: what a stopwatch on the wall shows;
// - **CPU time**: how long this process kept CPUs busy (user + system), summed over all cores.
//
// | CPU against wall | means |
// |---|---|
// | CPU ≈ wall | one core busy the whole time: serial work |
// | CPU > wall | several cores busy at once: parallel work |
// | CPU ≪ wall | the process was mostly *waiting* (sleep, network, disk) |

// %% slideshow={"slide_type": "subslide"}
%time time.Sleep(300 * time.Millisecond)

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["remove-cell"]
// Check of the claim below (hidden; not in HTML or slides): waiting costs no CPU.
if r := timing.Time(func() { time.Sleep(300 * time.Millisecond) }); r.CPU() > r.Wall/10 {
	panic(fmt.Sprintf("claim \"waiting costs no CPU\" does not hold: %v", r))
}

// %% [markdown] slideshow={"slide_type": "fragment"}
// Waiting costs no CPU. Now a function that keeps a core busy:

// %% slideshow={"slide_type": "fragment"}
// busy counts for a while and keeps one core busy.
func busy(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i % 7
	}
	return s
}

// %% slideshow={"slide_type": "fragment"}
%time busy(2_000_000)

// %% [markdown] slideshow={"slide_type": "subslide"}
// `%%time` times a whole cell; `%timeit` runs a short statement many times and reports the mean
// and spread, like IPython. By default it picks a loop count so one run takes at least 0.2 s; `-n`
// (loops per run) and `-r` (runs) fix them, which keeps interpreted cells quick.

// %% slideshow={"slide_type": "-"}
%%time
total := 0
for i := 0; i < 3; i++ {
	total += busy(500_000)
}
fmt.Println("total", total)

// %% slideshow={"slide_type": "fragment"}
%timeit -n 2000 -r 5 strings.Repeat("go", 100)

// %% [markdown] slideshow={"slide_type": "subslide"}
// ## The same clocks from code
//
// Inside a program use the `timing` package: `timing.Time(fn)` returns what `%time` prints, and a
// `timing.Stopwatch` measures by hand, with laps.

// %% slideshow={"slide_type": "-"}
r := timing.Time(func() { busy(1_000_000) })
fmt.Println(r)
fmt.Printf("CPU/wall = %.2f\n", r.CPU().Seconds()/r.Wall.Seconds())

// %% slideshow={"slide_type": "fragment"}
sw := timing.Start()
time.Sleep(100 * time.Millisecond)
fmt.Println("lap 1:", timing.Format(sw.Lap()))
busy(500_000)
fmt.Println("lap 2:", timing.Format(sw.Lap()))
fmt.Println("total:", sw)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The spinner
//
// A supervisor starts a slow function that answers **42** after a while. Meanwhile a spinner draws
// `| / - \` so the user sees the program is alive. Two things must happen at the same time.
//
// The Python book's `slow()` takes 3 s; we use 2 s to keep the workshop moving.

// %% slideshow={"slide_type": "-"}
const slowFor = 2 * time.Second

// slow pretends to work: it sleeps, then answers.
func slow() int {
	time.Sleep(slowFor)
	return 42
}

// frames are the pictures of the spinner, drawn in a loop.
var frames = []string{"|", "/", "-", "\\"}

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### 1. With a goroutine
//
// A goroutine is Go's thread of control. The supervisor tells the spinner to stop by **closing a
// channel**; the spinner waits on that channel *or* 100 ms, whichever comes first (`select`).

// %% slideshow={"slide_type": "-"}
// spin draws frames until done is closed, then tells the caller how many it drew.
func spin(msg string, done <-chan struct{}, drawn chan<- int) {
	n := 0
	for {
		fmt.Printf("\r%s %s", frames[n%len(frames)], msg)
		n++
		select {
		case <-done:
			fmt.Printf("\r%s\r", strings.Repeat(" ", len(msg)+2))
			drawn <- n
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// %% slideshow={"slide_type": "fragment"}
sw := timing.Start()
done := make(chan struct{})
drawn := make(chan int)
go spin("thinking!", done, drawn)
answer := slow()
close(done)
goroutineFrames := <-drawn
goroutineSecs := sw.Seconds()
fmt.Printf("Answer: %d  (%.2f s, %d frames)\n", answer, goroutineSecs, goroutineFrames)
steps.Done("01 spinner")

// %% [markdown] slideshow={"slide_type": "notes"}
// Point out `close(done)`: one close wakes every goroutine waiting on the channel. Python's
// version uses `threading.Event`; a closed channel is Go's event.

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### 2. With a child process
//
// A process shares no memory with us, so there is no channel to close: we **send it a signal**
// (Python's `Process.terminate()` sends SIGTERM; `Kill` sends SIGKILL). Here the spinner is a tiny
// shell loop; we copy its output into the cell.

// %% slideshow={"slide_type": "-"}
// spinProcess starts a shell process that draws the spinner on its standard output.
func spinProcess(msg string) (*exec.Cmd, io.ReadCloser) {
	script := `while :; do for c in '|' '/' '-' '\'; do printf '\r%s %s' "$c" "$1"; sleep 0.1; done; done`
	cmd := exec.Command("sh", "-c", script, "spinner", msg)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	return cmd, out
}

// %% slideshow={"slide_type": "fragment"}
sw = timing.Start()
cmd, out := spinProcess("thinking in a process!")
copied := make(chan int64)
go func() { n, _ := io.Copy(os.Stdout, out); copied <- n }()
answer = slow()
cmd.Process.Kill() // stop the process from outside
bytesFromChild := <-copied
cmd.Wait()
processSecs := sw.Seconds()
fmt.Printf("\rAnswer: %d  (%.2f s, %d bytes from pid %d)\n", answer, processSecs, bytesFromChild, cmd.Process.Pid)

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### 3. With an event-loop task
//
// golit's `eventloop` works like asyncio: **one task runs at a time**, and a task gives the loop
// away only at an *await point* such as `l.Sleep`. Stopping the spinner is `Cancel()`: its pending
// `l.Sleep` returns `eventloop.ErrCancelled` (Python's `CancelledError`).

// %% slideshow={"slide_type": "-"}
// spinTask draws frames until cancelled; it yields to the loop at every l.Sleep.
func spinTask(l *eventloop.Loop, msg string, count *int) func() (any, error) {
	return func() (any, error) {
		for {
			fmt.Printf("\r%s %s", frames[*count%len(frames)], msg)
			*count++
			if err := l.Sleep(100 * time.Millisecond); err != nil {
				fmt.Printf("\r%s\r", strings.Repeat(" ", len(msg)+2))
				return nil, err
			}
		}
	}
}

// %% slideshow={"slide_type": "fragment"}
loopFrames := 0
sw = timing.Start()
v, err := eventloop.Run(func(l *eventloop.Loop) (any, error) {
	spinner := l.CreateTask(spinTask(l, "thinking in a task!", &loopFrames))
	if err := l.Sleep(slowFor); err != nil { // the awaitable slow(): asyncio.sleep(3)
		return nil, err
	}
	spinner.Cancel()
	return 42, nil
})
loopSecs := sw.Seconds()
fmt.Printf("Answer: %v  (%.2f s, %d frames, err=%v)\n", v, loopSecs, loopFrames, err)
steps.Done("01 spinners")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Freezing the loop
//
// Now `slow()` calls the **blocking** `time.Sleep` inside the task, the mistake of the book's
// `spinner_async_experiment.py`. The task never reaches an await point, so the loop never gets the
// chance to run the spinner. We record every turn a task holds the loop to see it.

// %% slideshow={"slide_type": "skip"}
steps.Need("01 spinner", "the cells under “The spinner”")

// %% slideshow={"slide_type": "-"}
frozenFrames := 0
frozenLine := chart.NewTimeline("frozen loop: who held the loop, when")
sw := timing.Start()
v, err := eventloop.New(eventloop.Options{Recorder: frozenLine, RecordSlices: true}).Run(func(l *eventloop.Loop) (any, error) {
	spinner := l.CreateTaskNamed("spinner", spinTask(l, "thinking?", &frozenFrames))
	answer := slow() // blocks the only thread of the loop
	spinner.Cancel()
	return answer, nil
})
frozenSecs := sw.Seconds()
fmt.Printf("Answer: %v  (%.2f s, %d frames", v, frozenSecs, frozenFrames)
if frozenFrames == 0 {
	fmt.Println(": the spinner never ran)")
} else {
	fmt.Println(")")
}
steps.Done("01 frozen")

// %% slideshow={"slide_type": "fragment"}
frozenLine

// %% [markdown] slideshow={"slide_type": "notes"}
// The "loop" lane has one long bar: the main task held the loop for the whole sleep. In the
// goroutine version nothing like this can happen: the Go runtime preempts goroutines.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Comparison
//
// `slow()` takes `slowFor`. A spinner that runs *while* we wait adds nothing to that.

// %% slideshow={"slide_type": "skip"}
steps.Need("01 spinners", "the cells under “The spinner”")
steps.Need("01 frozen", "the cell under “Freezing the loop”")

// %% slideshow={"slide_type": "-"}
chart.NewComparison("spinner + slow(): wall time").
	Add("goroutine", goroutineSecs).
	Add("child process", processSecs).
	Add("event-loop task", loopSecs).
	Add("blocked loop (frozen)", frozenSecs)

// %% slideshow={"slide_type": "-"}
shortest, longest := math.Inf(1), 0.0
for _, secs := range []float64{goroutineSecs, processSecs, loopSecs, frozenSecs} {
	shortest, longest = math.Min(shortest, secs), math.Max(longest, secs)
}
fmt.Printf("slow() takes %.1f s; every version took %.2f to %.2f s. The spinners turned while we waited: the goroutine drew %d frames, the process wrote %d bytes, the task drew %d frames.\n",
	slowFor.Seconds(), shortest, longest, goroutineFrames, bytesFromChild, loopFrames)
fmt.Printf("The blocked loop took as long (%.2f s) and drew %d frames: the user saw nothing move.\n", frozenSecs, frozenFrames)

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: every version takes about slowFor; the working spinners drew, the frozen one did not.
for i, secs := range []float64{goroutineSecs, processSecs, loopSecs, frozenSecs} {
	if secs < slowFor.Seconds()-0.05 || secs > slowFor.Seconds()+1 {
		panic(fmt.Sprintf("%s spinner: %.2f s, want about %v", []string{"goroutine", "process", "loop", "frozen"}[i], secs, slowFor))
	}
}
if goroutineFrames < 10 || loopFrames < 10 || bytesFromChild == 0 || frozenFrames != 0 {
	panic(fmt.Sprintf("frames: goroutine %d, loop %d, process %d bytes, frozen %d", goroutineFrames, loopFrames, bytesFromChild, frozenFrames))
}

// %% slideshow={"slide_type": "skip"}
fmt.Printf("RESULT goroutine_s=%.3f process_s=%.3f loop_s=%.3f frozen_s=%.3f\n", goroutineSecs, processSecs, loopSecs, frozenSecs)
fmt.Printf("RESULT goroutine_frames=%d loop_frames=%d frozen_frames=%d process_bytes=%d\n", goroutineFrames, loopFrames, frozenFrames, bytesFromChild)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Exercises
//
// 1. Make the goroutine spinner show the elapsed seconds next to the frame (`| thinking! 1.3s`).
// 2. Build a 10,000-character string one `"x"` at a time with `+=` and with `strings.Builder`.
//    Compare the time (`timing.TimeIt`) and the bytes allocated (`TotalAlloc` of
//    `runtime.MemStats`, read before and after). Which copies less, and why? Count the
//    allocations too (`Mallocs`): which makes more of them here, and what does the interpreter
//    add that compiled Go would not?
// 3. Fix the frozen spinner *without* changing `slow()`: hand the blocking call to
//    `l.ToThread` (Python's `asyncio.to_thread`).

// %% [markdown] slideshow={"slide_type": "subslide"} tags=["solution"]
// ### Solutions
//
// Collapsed; click the bar on the left of a cell to open it.

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("01 spinner", "the cells under “The spinner”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 1: the elapsed time next to the frame.
func spinClock(msg string, done <-chan struct{}, drawn chan<- int) {
	start := time.Now()
	n := 0
	for {
		fmt.Printf("\r%s %s %.1fs", frames[n%len(frames)], msg, time.Since(start).Seconds())
		n++
		select {
		case <-done:
			fmt.Println()
			drawn <- n
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

done := make(chan struct{})
go spinClock("thinking!", done, drawn)
time.Sleep(500 * time.Millisecond)
close(done)
fmt.Println("frames:", <-drawn)

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "subslide"} tags=["solution"]
// Exercise 2: += copies the whole string every time (about n²/2 bytes in all); a Builder
// grows its buffer by doubling (a few times n). Under the interpreter every method call
// allocates a little of its own, so the Builder makes more, smaller allocations.
func concat(n int) string {
	s := ""
	for i := 0; i < n; i++ {
		s += "x"
	}
	return s
}

func build(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("x")
	}
	return b.String()
}

// allocated returns how many allocations fn made and how many bytes they took.
func allocated(fn func()) (count, bytes uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc
}

const length = 10_000
plusTime := timing.TimeIt(func() { concat(length) }, timing.Runs(3), timing.Loops(3))
buildTime := timing.TimeIt(func() { build(length) }, timing.Runs(3), timing.Loops(3))
plusCount, plusBytes := allocated(func() { concat(length) })
buildCount, buildBytes := allocated(func() { build(length) })
fmt.Println("+=     ", plusTime)
fmt.Println("Builder", buildTime)
fmt.Printf("+= allocated %.1f MB in %d allocations; the Builder %.2f MB in %d.\n",
	float64(plusBytes)/1e6, plusCount, float64(buildBytes)/1e6, buildCount)
fmt.Printf("The Builder was %.1fx faster (best runs) and allocated %.0fx fewer bytes, in %.1fx as many allocations.\n",
	plusTime.Best/buildTime.Best, float64(plusBytes)/float64(buildBytes), float64(buildCount)/float64(plusCount))

// %% slideshow={"slide_type": "skip"} tags=["solution", "remove-cell"] jupyter={"source_hidden": true}
// Test: what the solution of exercise 2 says.
if buildBytes*5 > plusBytes || buildTime.Best > plusTime.Best {
	panic(fmt.Sprintf("the Builder should allocate far fewer bytes and be faster: %d against %d bytes, %v against %v", buildBytes, plusBytes, buildTime, plusTime))
}

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("01 spinner", "the cells under “The spinner”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "subslide"} tags=["solution"]
// Exercise 3: the blocking call runs on another goroutine; the task awaits it.
fixedFrames := 0
sw := timing.Start()
v, err := eventloop.Run(func(l *eventloop.Loop) (any, error) {
	spinner := l.CreateTask(spinTask(l, "thinking, unfrozen!", &fixedFrames))
	answer, err := l.ToThread(func() (any, error) { return slow(), nil })
	spinner.Cancel()
	return answer, err
})
fmt.Printf("Answer: %v  (%.2f s, %d frames)\n", v, sw.Seconds(), fixedFrames)
fmt.Printf("RESULT fixed_frames=%d\n", fixedFrames)
