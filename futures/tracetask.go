package futures

import (
	"context"
	"runtime/trace"
)

// traceTask marks a task for Go's execution tracer when one is running
// (golit/sched records one): it names the worker goroutine lane, so a
// scheduler chart's lane reads "worker 2", and opens a trace region named
// after the task for the bars' tooltips. The returned function ends the
// region. Without a trace it costs one check.
func traceTask(lane string, j *job) (end func()) {
	if !trace.IsEnabled() {
		return func() {}
	}
	ctx := context.Background()
	trace.Log(ctx, "golit/sched.name", lane)
	return trace.StartRegion(ctx, j.label()).End
}
