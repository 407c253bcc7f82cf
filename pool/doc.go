// Package pool runs many small tasks with bounded concurrency, for the three
// shapes that come up again and again:
//
//   - run N tasks, at most K at once, and wait: Run (the first error cancels
//     the rest) and RunAll (everything runs; all errors joined), or a Group to
//     add tasks one by one;
//   - map a function over a slice and get the results in order: Map (fail
//     fast) and MapAll (collect every error);
//   - stream results as they finish: Stream (completion order, Python's
//     imap_unordered) and StreamOrdered (input order, imap).
//
// Every task receives a context.Context. It is cancelled when the caller's
// context is, and, in the fail-fast shapes, when another task fails: a task
// that watches ctx stops early; tasks not started yet are skipped. A task
// that panics does not crash the program; its panic becomes a
// *futures.PanicError (value and stack) returned like any other error.
//
// The functions take []any and func(ctx context.Context, item any) (any,
// error) rather than generics, so notebook cells can call them; Items turns
// a []string or []int into []any.
//
// Before, with a WaitGroup, a semaphore channel and a mutex for the first
// error (and no cancellation, and a panic kills the program):
//
//	var wg sync.WaitGroup
//	sem := make(chan struct{}, 20)
//	var mu sync.Mutex
//	var firstErr error
//	for _, cc := range codes {
//		wg.Add(1)
//		sem <- struct{}{}
//		go func() {
//			defer func() { <-sem; wg.Done() }()
//			if err := download(cc); err != nil {
//				mu.Lock()
//				if firstErr == nil {
//					firstErr = err
//				}
//				mu.Unlock()
//			}
//		}()
//	}
//	wg.Wait()
//
// After:
//
//	_, err := pool.Map(ctx, 20, pool.Items(codes), func(ctx context.Context, cc any) (any, error) {
//		return nil, download(ctx, cc.(string))
//	})
//
// # Python names
//
//	Python                                          Go (package pool)
//	multiprocessing.Pool(k).map(fn, items)          Map(ctx, k, items, fn)
//	Pool.imap(fn, items)                            StreamOrdered(ctx, k, items, fn)
//	Pool.imap_unordered(fn, items)                  Stream(ctx, k, items, fn)
//	asyncio.TaskGroup (first failure cancels)       NewGroup(ctx, k); g.Go(task); g.Wait()
//	asyncio.gather(..., return_exceptions=True)     RunAll / MapAll (errors.Join)
//	threading.Semaphore(k) around each task         the limit k
//
// These helpers run goroutines in this process. For the futures-shaped API
// (Submit, Map, AsCompleted, Wait) and for worker processes, see package
// futures.
package pool
