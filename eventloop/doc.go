// Package eventloop is an asyncio-style event loop for Go: tasks that take
// turns on one loop, the way coroutines do in Python's asyncio.
//
// Go does not need an event loop: goroutines already let blocking code run
// concurrently. This package exists to show, honestly, what cooperative
// scheduling is. Every task runs in its own goroutine, but a loop-wide token
// lets exactly one of them run at a time, and a task gives the token back
// only at an await point: Sleep, Await, Gather, GatherAll, WaitFor, Timeout,
// AsCompletedIter.Next, Semaphore.Acquire, Queue.Put/Get/Join, Event.Wait,
// TaskGroup and ToThread. Between two await points a task owns the loop. So
// tasks may share plain variables without locks, and a task that blocks
// without awaiting (a plain time.Sleep, a long computation) freezes every
// other task, exactly like time.sleep inside an asyncio coroutine. That is
// the frozen-spinner lesson:
//
//	eventloop.Run(func(l *eventloop.Loop) (any, error) {
//		spinner := l.Go(func() {
//			for _, c := range `|/-\` + `|/-\` {
//				fmt.Printf("\r%c thinking", c)
//				if l.Sleep(100*time.Millisecond) != nil { // an await point
//					return // cancelled
//				}
//			}
//		})
//		l.Sleep(3 * time.Second)  // the spinner spins
//		time.Sleep(3 * time.Second) // the spinner freezes: the loop is blocked
//		spinner.Cancel()
//		return 42, nil
//	})
//
// Waiting is cheap: ten thousand tasks that each Sleep one second finish in
// about one second (see BENCH.md). Blocking work belongs in ToThread, which
// runs it on another goroutine while the task waits.
//
// # Errors, panics and cancellation
//
// A task's function returns (any, error); Await returns them. A panic in a
// task is recovered and becomes that task's error, a *PanicError with the
// stack, so it never crashes the program. Task.Cancel wakes a waiting task:
// its await point returns ErrCancelled, and the task should return it. When
// main returns, Run cancels the tasks still running and waits for them, as
// asyncio.run does. When every task waits and nothing can wake any of them,
// Run reports a *DeadlockError naming what each task waits for, instead of
// hanging.
//
// # From asyncio to eventloop
//
//	asyncio                                  eventloop
//	-------------------------------------    -------------------------------------------
//	asyncio.run(main())                      eventloop.Run(func(l *Loop) (any, error))
//	asyncio.create_task(coro())              l.CreateTask(fn), l.CreateTaskNamed(name, fn)
//	create_task for a coroutine w/o result   l.Go(func())
//	await task                               l.Await(task)
//	await asyncio.sleep(d)                   l.Sleep(d)   (error: ErrCancelled)
//	await asyncio.sleep(0)                   l.Sleep(0)
//	await asyncio.gather(*tasks)             l.Gather(tasks...)
//	gather(*tasks, return_exceptions=True)   l.GatherAll(tasks...) -> []Result
//	await asyncio.wait_for(t, timeout)       l.WaitFor(task, timeout)   (ErrTimeout)
//	async with asyncio.timeout(d): ...       l.Timeout(d, fn)
//	for f in asyncio.as_completed(tasks)     it := l.AsCompleted(tasks...); for it.Next() {}
//	asyncio.Semaphore(n); async with sem     l.NewSemaphore(n); sem.Acquire/Release, sem.With(fn)
//	asyncio.Queue(maxsize)                   l.NewQueue(maxsize): Put, Get, PutNowait,
//	                                         GetNowait, TaskDone, Join, Len
//	asyncio.Event()                          l.NewEvent(): Set, Clear, IsSet, Wait
//	async with asyncio.TaskGroup() as tg     l.TaskGroup(func(g *TaskGroup) error {...})
//	tg.create_task(coro())                   g.CreateTask(fn), g.Go(func() error)
//	await asyncio.to_thread(f)               l.ToThread(fn)
//	loop.call_soon(f), call_soon_threadsafe  l.CallSoon(fn)
//	loop.call_later(d, f)                    l.CallLater(d, fn) -> *Handle
//	task.cancel(), task.cancelled()          task.Cancel(), task.Cancelled()
//	task.done(), task.result()               task.Done(), task.Result()
//	task.add_done_callback(f)                task.AddDoneCallback(fn)
//	asyncio.current_task()                   l.CurrentTask()
//	asyncio.CancelledError, TimeoutError     ErrCancelled, ErrTimeout
//
// # Timelines
//
// Options.Recorder (chart.Timeline implements it) receives one span per
// task; with Options.RecordSlices also one span per turn on a lane named
// "loop", whose bars never overlap.
//
// # Rules
//
// Await points must be called from the task's own code, not from a
// goroutine the task starts, nor from callbacks (they return ErrNotInTask
// there). CallSoon, CallLater and Task.Cancel are safe from any goroutine.
// The cell-facing API is deliberately non-generic (any, func values) so
// that notebook cells interpreted by yaegi can call it.
package eventloop
