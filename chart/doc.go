// Package chart draws the two charts of the concurrency workshop as SVG in
// the notebook: a Comparison of the wall time of several runs of the same
// job (sequential vs thread pool vs event loop), and a Timeline with one
// row per worker or task and one bar per job, which shows what ran at the
// same time and what waited.
//
// Both are display.Renderers: show them with display.Show, or leave one as
// the last expression of a cell. Each renders a self-contained SVG (no
// scripts, no external fonts or images) and a plain-text fallback, which is
// what a terminal or a text export sees.
//
// A Timeline records spans through the small recorder interface that the
// pools, executors and the event loop accept:
//
//	interface{ Record(lane, label string, start, end time.Time) }
//
// so the same Timeline can be handed to any of them; Track records a step
// of ordinary sequential code.
//
// # From the Python workshop to chart
//
//	Python (matplotlib, by hand)                 chart
//	-----------------------------------------    ------------------------------------
//	plt.barh(labels, seconds)                    chart.NewComparison(title).Add(label, s)
//	a Gantt chart of thread/process activity     tl := chart.NewTimeline(title)
//	logging start/end of each job                tl.Record(lane, label, start, end)
//	with timer(): step()                         tl.Track(lane, label, func() { step() })
//	plt.show()                                   display.Show(c) or c as a cell's value
package chart
