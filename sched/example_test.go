package sched_test

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/golit/golit/sched"
)

// Two named goroutines share one P: the chart shows them taking turns on
// P0, each runnable while the other runs. In a notebook the chart is the
// cell's value (or display.Show(c)); here we print what it measured.
func ExampleRecord() {
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	c, err := sched.Record("two workers, one P", func() {
		var wg sync.WaitGroup
		for i := 1; i <= 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sched.Name(fmt.Sprintf("worker #%d", i))
				spin(30 * time.Millisecond)
			}()
		}
		wg.Wait()
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var names []string
	for _, g := range c.Goroutines() {
		if g.Running > 0 {
			names = append(names, g.Name)
		}
	}
	slices.Sort(names)
	fmt.Println("ran:", names)
	fmt.Println("P lanes:", len(c.Procs()))
	// Output:
	// ran: [sched_test.ExampleRecord worker #1 worker #2]
	// P lanes: 1
}

// Name goes first in each goroutine the work starts, so that its lane
// reads "download CN", not a goroutine id.
func ExampleName() {
	c, _ := sched.Record("downloads", func() {
		var wg sync.WaitGroup
		for _, cc := range []string{"CN", "IN"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sched.Name("download " + cc)
				time.Sleep(10 * time.Millisecond) // a slow server
			}()
		}
		wg.Wait()
	})
	c.PerGoroutine = true // a lane per goroutine below the P lanes
	var names []string
	for _, g := range c.Goroutines() {
		names = append(names, g.Name)
	}
	slices.Sort(names)
	fmt.Println(names)
	// Output:
	// [download CN download IN sched_test.ExampleName]
}

// Parse draws a trace saved earlier: this one was recorded from notebook
// cells with GOMAXPROCS(1) (see testdata).
func ExampleParse() {
	f, err := os.Open("testdata/p1.trace")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	c, err := sched.Parse(f, sched.Options{Title: "4 isPrime goroutines, GOMAXPROCS(1)"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Lanes())
	fmt.Println("GOMAXPROCS", c.GOMAXPROCS())
	// Output:
	// [goroutines GC P0]
	// GOMAXPROCS 1
}
