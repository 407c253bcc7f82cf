package futures_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golit/golit/futures"
)

// A future shows its state the way Python prints one. With one worker, the
// second task waits in the queue while the first runs.
func Example() {
	ex := futures.NewGoroutinePool(1)
	defer ex.Shutdown(true, false)

	release := make(chan struct{})
	busy := ex.Submit(func() (any, error) { <-release; return "done", nil })
	queued := ex.Submit(strings.ToUpper, "br") // any function, then its arguments
	for !busy.Running() {
		time.Sleep(time.Millisecond)
	}
	fmt.Println("busy:  ", busy)
	fmt.Println("queued:", queued)

	close(release)
	v, err := queued.Result() // waits
	fmt.Println(v, err)
	fmt.Println("queued:", queued)
	// Output:
	// busy:   <Future state=running>
	// queued: <Future state=pending>
	// BR <nil>
	// queued: <Future state=finished returned string>
}

// Map returns results in input order, whatever order the tasks finish in;
// an error stays at its position.
func ExampleGoroutinePool_Map() {
	ex := futures.NewThreadPool(3) // the Python name for NewGoroutinePool
	defer ex.Shutdown(true, false)

	loiter := func(n int) (int, error) {
		time.Sleep(time.Duration(5-n) * time.Millisecond) // later items finish first
		if n == 3 {
			return 0, errors.New("three is unlucky")
		}
		return n * 10, nil
	}
	for r := range ex.Map(loiter, futures.Items([]int{1, 2, 3, 4})...) {
		fmt.Println(r.Index, r.Value, r.Err)
	}
	// Output:
	// 0 10 <nil>
	// 1 20 <nil>
	// 2 0 three is unlucky
	// 3 40 <nil>
}

// AsCompleted yields futures in the order they finish, not the order they
// were passed in. With one worker the tasks finish in the order submitted.
func ExampleAsCompleted() {
	ex := futures.NewGoroutinePool(1)
	defer ex.Shutdown(true, false)

	var fs []*futures.Future
	for _, cc := range []string{"BR", "CN", "IN"} {
		fs = append(fs, ex.Submit(strings.ToLower, cc))
	}
	reversed := []*futures.Future{fs[2], fs[1], fs[0]}
	for f := range futures.AsCompleted(reversed, 0) {
		fmt.Println(f.Result()) // never waits: f is done
	}
	// Output:
	// br <nil>
	// cn <nil>
	// in <nil>
}

// Wait splits futures into done and not done.
func ExampleWait() {
	ex := futures.NewGoroutinePool(2)
	defer ex.Shutdown(true, false)

	release := make(chan struct{})
	slow := ex.Submit(func() (any, error) { <-release; return "slow", nil })
	fast := ex.Submit(func() (any, error) { return "fast", nil })

	done, notDone := futures.Wait([]*futures.Future{slow, fast}, time.Second, futures.FirstCompleted)
	fmt.Println(len(done), "done:", done[0])
	fmt.Println(len(notDone), "not done:", notDone[0])
	close(release)
	// Output:
	// 1 done: <Future state=finished returned string>
	// 1 not done: <Future state=running>
}

// Cancel works only while the task waits in the queue.
func ExampleFuture_Cancel() {
	ex := futures.NewGoroutinePool(1)
	defer ex.Shutdown(true, false)

	release := make(chan struct{})
	running := ex.Submit(func() (any, error) { <-release; return nil, nil })
	queued := ex.Submit(func() (any, error) { return "never runs", nil })
	for !running.Running() {
		time.Sleep(time.Millisecond)
	}
	fmt.Println(running.Cancel(), queued.Cancel())
	_, err := queued.Result()
	fmt.Println(err, errors.Is(err, futures.ErrCancelled))
	close(release)
	// Output:
	// false true
	// futures: cancelled true
}

// A panic in a task becomes the future's error; the program goes on.
func ExamplePanicError() {
	ex := futures.NewGoroutinePool(1)
	defer ex.Shutdown(true, false)

	_, err := ex.Submit(func(xs []int) int { return xs[3] }, []int{1, 2}).Result()
	var pe *futures.PanicError
	fmt.Println(errors.As(err, &pe))
	fmt.Println(err)
	// fmt.Printf("%+v", err) would add the stack trace.
	// Output:
	// true
	// panic: runtime error: index out of range [3] with length 2
}

// A process pool runs functions by name in worker processes; arguments and
// results travel as JSON. In this test binary, TestMain registered square
// with futures.RegisterFunc and called futures.ServeWorkerIfChild; in the
// golit kernel, the workers know every function declared in the notebook.
func ExampleProcessPool() {
	pp := futures.NewProcessPool(2)
	defer pp.Shutdown(true, false)

	v, err := pp.Submit("square", 12).Result()
	fmt.Println(v, err)

	squares, err := futures.Collect(pp.Map("square", 1, 2, 3))
	fmt.Println(squares, err)

	_, err = pp.Submit("fail", "no such flag").Result()
	fmt.Println(err)
	// Output:
	// 144 <nil>
	// [1 4 9] <nil>
	// no such flag
}
