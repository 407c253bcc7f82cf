// Package futures runs tasks in the background and hands back futures, the
// way Python's concurrent.futures does, over goroutines (GoroutinePool) or
// over worker OS processes (ProcessPool).
//
// A Future is a placeholder for a result that is not there yet. You get one
// from an Executor's Submit, carry on with other work, and ask for the result
// when you need it:
//
//	ex := futures.NewGoroutinePool(3)
//	defer ex.Shutdown(true, false)
//	f := ex.Submit(download, "BR")   // returns at once
//	fmt.Println(f)                   // <Future state=running>
//	img, err := f.Result()           // waits for download("BR")
//
// Three ways to collect many results:
//
//   - Map delivers them in input order, each as soon as it and all before it
//     are done (Python's executor.map).
//   - AsCompleted delivers the futures in the order they finish, so fast
//     tasks are not stuck behind slow ones (as_completed).
//   - Wait returns when the first finishes, the first fails, or all are done,
//     with the futures split into done and not done (wait).
//
// # Functions, not just closures
//
// Submit takes any function whose results are (), (T), (error) or
// (T, error), followed by its arguments: Submit(isPrime, 97) for
// func isPrime(n int) bool, or a closure func() (any, error). Arguments that
// do not fit the parameters make the future fail with an error that says so.
// The API has no generics, so notebook cells (run by the yaegi interpreter,
// which cannot call compiled generic functions) use it as is; values come back
// as any: v.(bool).
//
// # Errors, panics and cancellation
//
// A task's error is the future's error, returned by Result and Exception.
// A task that panics does not crash the program: its future fails with a
// *PanicError holding the panic value and the goroutine's stack (print it
// with %+v). Cancel only works while a task is still queued, exactly as in
// Python: Go cannot stop a running goroutine from outside; a task that should
// stop early must watch a context or channel itself.
//
// # Goroutines or processes
//
// GoroutinePool and ProcessPool implement the same Executor interface. Go has
// no GIL, so goroutines already run CPU-bound work on every core; a process
// pool adds start-up time per worker and JSON encoding per task, and buys
// isolation (a crash takes down one worker, which is replaced). A process
// pool runs functions by name: pp.Submit("isPrime", 97). In the golit kernel
// the workers load the notebook's declarations; a compiled program registers
// its functions with RegisterFunc and calls ServeWorkerIfChild at the start
// of main.
//
// # Python names
//
//	Python (concurrent.futures / multiprocessing)   Go (package futures)
//	ThreadPoolExecutor(max_workers=n)                NewGoroutinePool(n), alias NewThreadPool(n)
//	ProcessPoolExecutor(max_workers=n)               NewProcessPool(n)
//	multiprocessing.Pool(n)                          NewProcessPool(n)
//	executor.submit(fn, *args)                       ex.Submit(fn, args...)
//	executor.map(fn, items)                          ex.Map(fn, items...)  (Result{Index, Value, Err})
//	list(executor.map(fn, items))                    Collect(ex.Map(fn, items...))
//	executor.shutdown(wait, cancel_futures=...)      ex.Shutdown(wait, cancelFutures)
//	with ThreadPoolExecutor() as ex:                 defer ex.Shutdown(true, false)
//	future.result()                                  f.Result()
//	future.result(timeout=2)                         f.ResultTimeout(2 * time.Second)  (ErrTimeout)
//	future.exception()                               f.Exception()  (f.Err() does not wait)
//	future.done() / running() / cancelled()          f.Done() / f.Running() / f.Cancelled()
//	future.cancel()                                  f.Cancel()
//	future.add_done_callback(fn)                     f.AddDoneCallback(func(f *futures.Future))
//	repr(future)                                     f.String(): <Future state=finished returned int>
//	as_completed(fs, timeout)                        for f := range AsCompleted(fs, timeout)
//	wait(fs, timeout, return_when=FIRST_COMPLETED)   Wait(fs, timeout, FirstCompleted)
//	FIRST_EXCEPTION / ALL_COMPLETED                  FirstException / AllCompleted
//	CancelledError / TimeoutError                    ErrCancelled / ErrTimeout
//	Pool.apply_async(fn, args).get()                 pp.Submit("fn", args...).Result()
//	Pool.map(fn, items)                              Collect(pp.Map("fn", items...))
//	Pool.imap(fn, items)                             for r := range pp.Map("fn", items...)
//	Pool.imap_unordered(fn, items)                   AsCompleted over pp.Submit futures
//	Pool.close(); Pool.join()                        pp.Shutdown(true, false)
//	Pool.terminate()                                 pp.Terminate()
//
// Package pool has the bounded-concurrency shapes without futures: run N tasks
// at most K at once, map over a slice, stream results as they finish.
//
// # Timelines
//
// WithRecorder makes a pool report each task (worker, label, start, end) to a
// Recorder such as chart.Timeline, to draw which worker ran what when.
// Without one, a pool reads no clocks.
package futures
