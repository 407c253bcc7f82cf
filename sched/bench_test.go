package sched_test

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/golit/golit/sched"
)

// BenchmarkParseAndRender reads and draws a trace of about three seconds
// of busy work: 8 goroutines that allocate (so the GC runs dozens of
// cycles) and pass values over a channel, recorded once before timing.
// The target: a trace of a few seconds renders in under a second.
//
//	go test ./sched -run '^$' -bench ParseAndRender -benchtime 5x
func BenchmarkParseAndRender(b *testing.B) {
	c, err := sched.Record("busy", func() {
		ch := make(chan int, 16)
		var wg sync.WaitGroup
		deadline := time.Now().Add(3 * time.Second)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sched.Name(fmt.Sprintf("worker #%d", i))
				var keep [][]byte
				for n := 0; time.Now().Before(deadline); n++ {
					keep = append(keep, make([]byte, 512))
					if n%2000 == 0 {
						keep = nil
						select {
						case ch <- n:
						default:
							<-ch
						}
					}
				}
			}()
		}
		wg.Wait()
	})
	if err != nil {
		b.Fatal(err)
	}
	var raw bytes.Buffer
	c.WriteTrace(&raw)
	b.ResetTimer()
	for b.Loop() {
		c, err := sched.Parse(bytes.NewReader(raw.Bytes()), sched.Options{Goroutines: true})
		if err != nil {
			b.Fatal(err)
		}
		if len(c.SVG()) == 0 || len(c.String()) == 0 {
			b.Fatal("empty chart")
		}
	}
	b.ReportMetric(float64(c.Events()), "events")
	b.ReportMetric(c.Duration().Seconds(), "traced-s")
	b.ReportMetric(float64(raw.Len())/1e6, "trace-MB")
}

// BenchmarkNotebookTrace reads and draws the all-cores trace of
// testdata (notebook 02's demo, recorded from interpreted cells).
func BenchmarkNotebookTrace(b *testing.B) {
	data, err := os.ReadFile("testdata/allcores.trace")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := sched.Parse(bytes.NewReader(data), sched.Options{Goroutines: true})
		if err != nil {
			b.Fatal(err)
		}
		if len(c.SVG()) == 0 {
			b.Fatal("empty chart")
		}
	}
}
