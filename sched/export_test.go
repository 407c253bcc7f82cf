package sched

import "time"

// Switches counts the times a P went from one goroutine of the work
// straight to another.
func (c *Chart) Switches() int {
	n := 0
	for _, pr := range c.m.procs {
		var last *goroutine
		for _, s := range pr.spans {
			if !s.g.ours || s.syscall {
				continue
			}
			if last != nil && last != s.g {
				n++
			}
			last = s.g
		}
	}
	return n
}

// Overlap returns how long goroutines named a and b ran at the same time.
func (c *Chart) Overlap(a, b string) time.Duration {
	var ga, gb *goroutine
	for _, g := range c.m.goroutines {
		switch c.m.label(g) {
		case a:
			ga = g
		case b:
			gb = g
		}
	}
	if ga == nil || gb == nil {
		return 0
	}
	var o int64
	for _, x := range ga.spans {
		for _, y := range gb.spans {
			if x.st == Running && y.st == Running {
				o += max(0, min(x.b, y.b)-max(x.a, y.a))
			}
		}
	}
	return time.Duration(o)
}
