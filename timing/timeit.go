package timing

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Defaults used by TimeIt when no option says otherwise.
const (
	// DefaultRuns is the number of timed runs, as in IPython's %timeit.
	DefaultRuns = 7
	// MinRunTime is how long one run must take for the automatic loop
	// count to stop growing.
	MinRunTime = 200 * time.Millisecond
	// maxLoopPower bounds the automatic loop count at 10^9.
	maxLoopPower = 9
)

// Option changes how TimeIt measures. Options are made by Loops, Runs and
// Context.
type Option func(*config)

type config struct {
	loops int
	runs  int
	ctx   context.Context
}

// Loops fixes the number of calls per run (IPython's -n). Without it TimeIt
// picks the smallest power of ten whose run takes at least MinRunTime.
func Loops(n int) Option { return func(c *config) { c.loops = n } }

// Runs sets the number of timed runs (IPython's -r); the default is
// DefaultRuns.
func Runs(r int) Option { return func(c *config) { c.runs = r } }

// Context makes TimeIt stop early when ctx is done: it checks between runs
// and between calibration steps, and TimeItResult.Err is then ctx.Err().
// A function that can run for long should watch ctx itself too.
func Context(ctx context.Context) Option { return func(c *config) { c.ctx = ctx } }

// TimeItResult holds the measurements of TimeIt. Per-loop figures are in
// seconds (float64) because fast functions take fractions of a nanosecond
// more or less than a whole time.Duration can say.
type TimeItResult struct {
	// Loops is the number of calls in each run; Runs the number of runs.
	Loops, Runs int
	// All holds the total time of each run, in order.
	All []time.Duration
	// Mean and StdDev are the mean and population standard deviation of
	// the time per loop over the runs, in seconds.
	Mean, StdDev float64
	// Best and Worst are the per-loop times of the fastest and slowest
	// runs, in seconds.
	Best, Worst float64
	// Err is non-nil when a Context option stopped the measurement early;
	// the other fields then describe the runs completed.
	Err error
}

// TimeIt calls fn repeatedly and reports the time per call, like IPython's
// %timeit. See the package documentation for how the loop count is chosen.
// A panic in fn goes on unchanged to the caller.
func TimeIt(fn func(), opts ...Option) TimeItResult {
	c := config{runs: DefaultRuns, ctx: context.Background()}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.runs < 1 {
		c.runs = 1
	}
	if c.ctx == nil {
		c.ctx = context.Background()
	}
	res := TimeItResult{Runs: c.runs, Loops: c.loops}
	if res.Loops <= 0 {
		res.Loops = 1
		for k := 0; k <= maxLoopPower; k++ {
			res.Loops = pow10(k)
			if runLoops(fn, res.Loops) >= MinRunTime {
				break
			}
			if err := c.ctx.Err(); err != nil {
				res.Err = err
				return res
			}
		}
	}
	for i := 0; i < c.runs; i++ {
		if err := c.ctx.Err(); err != nil {
			res.Err = err
			break
		}
		res.All = append(res.All, runLoops(fn, res.Loops))
	}
	res.Runs = len(res.All)
	res.summarize()
	return res
}

func pow10(k int) int {
	n := 1
	for ; k > 0; k-- {
		n *= 10
	}
	return n
}

// runLoops returns the time n calls of fn take.
func runLoops(fn func(), n int) time.Duration {
	start := time.Now()
	for i := 0; i < n; i++ {
		fn()
	}
	return time.Since(start)
}

// summarize computes the statistics from All and Loops.
func (r *TimeItResult) summarize() {
	if len(r.All) == 0 || r.Loops <= 0 {
		return
	}
	per := make([]float64, len(r.All))
	sum := 0.0
	for i, d := range r.All {
		per[i] = d.Seconds() / float64(r.Loops)
		sum += per[i]
	}
	r.Mean = sum / float64(len(per))
	r.Best, r.Worst = per[0], per[0]
	sq := 0.0
	for _, p := range per {
		sq += (p - r.Mean) * (p - r.Mean)
		r.Best = math.Min(r.Best, p)
		r.Worst = math.Max(r.Worst, p)
	}
	r.StdDev = math.Sqrt(sq / float64(len(per)))
}

// Warning returns IPython's caching warning when the slowest run was more
// than four times slower than the fastest (and slower than 1 µs per loop),
// and "" otherwise.
func (r TimeItResult) Warning() string {
	if r.Best > 0 && r.Worst > 4*r.Best && r.Worst > 1e-6 {
		return fmt.Sprintf("The slowest run took %0.2f times longer than the fastest. "+
			"This could mean that an intermediate result is being cached.", r.Worst/r.Best)
	}
	return ""
}

// Summary returns the one-line result in IPython's format:
//
//	1.23 ms ± 45.6 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)
func (r TimeItResult) Summary() string {
	return fmt.Sprintf("%s ± %s per loop (mean ± std. dev. of %d run%s, %s loop%s each)",
		formatSeconds(r.Mean, 3), formatSeconds(r.StdDev, 3),
		r.Runs, plural(r.Runs), groupThousands(r.Loops), plural(r.Loops))
}

// String returns Summary, preceded by the Warning line when there is one.
func (r TimeItResult) String() string {
	if w := r.Warning(); w != "" {
		return w + "\n" + r.Summary()
	}
	return r.Summary()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
