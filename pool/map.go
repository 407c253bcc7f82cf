package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/golit/golit/futures"
)

// Map calls fn(ctx, item) on every item, at most limit at once (NoLimit: no
// limit), and returns the values in input order: Python's Pool.map. The
// first error cancels the context of the calls still running, items not yet
// started are skipped, and Map returns that error with the values gathered
// so far (nil at positions that failed or did not run). A limit below 1 is
// an error and runs nothing.
func Map(ctx context.Context, limit int, items []any, fn func(ctx context.Context, item any) (any, error)) ([]any, error) {
	out := make([]any, len(items))
	if err := checkLimit(limit); err != nil {
		return out, err
	}
	g := NewGroup(ctx, limit)
	for i, it := range items {
		g.Go(func(ctx context.Context) error {
			v, err := fn(ctx, it)
			if err != nil {
				return err
			}
			out[i] = v
			return nil
		})
	}
	err := g.Wait()
	return out, err
}

// MapAll calls fn on every item, at most limit at once, whatever happens to
// the others, and returns the values in input order with all errors joined
// (nil if none). Each error is wrapped in an *ItemError that says which item
// failed; errors.Is and errors.As see through it. A limit below 1 is an
// error and runs nothing.
func MapAll(ctx context.Context, limit int, items []any, fn func(ctx context.Context, item any) (any, error)) ([]any, error) {
	out := make([]any, len(items))
	if err := checkLimit(limit); err != nil {
		return out, err
	}
	errs := make([]error, len(items))
	g := NewGroup(ctx, limit).CollectErrors()
	for i, it := range items {
		g.Go(func(ctx context.Context) error {
			v, err := futures.Protect(func() (any, error) { return fn(ctx, it) })
			out[i] = v
			if err != nil {
				errs[i] = &ItemError{Index: i, Item: it, Err: err}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return out, err // the parent context was cancelled before all started
	}
	return out, errors.Join(errs...)
}

// ItemError is the error of one item in MapAll.
type ItemError struct {
	Index int
	Item  any
	Err   error
}

// Error says which item failed and why.
func (e *ItemError) Error() string {
	return fmt.Sprintf("item %d (%v): %v", e.Index, e.Item, e.Err)
}

// Unwrap returns the item's own error.
func (e *ItemError) Unwrap() error { return e.Err }

// Result is one result of Stream or StreamOrdered.
type Result struct {
	// Index is the item's position in the input.
	Index int
	// Item is the input item.
	Item any
	// Value and Err are what fn returned (Err is a *futures.PanicError if
	// fn panicked, or the context's error if the item never ran).
	Value any
	Err   error
}

// Stream calls fn on every item, at most limit at once, and delivers each
// result as soon as it is ready, in completion order: Python's
// Pool.imap_unordered. Every item yields exactly one Result; errors do not
// stop the others. If ctx is cancelled, items not yet started yield
// Result{Err: ctx.Err()}; with a limit below 1, every item yields that
// error and none runs. The channel is buffered for all results, so a
// reader that stops early leaks nothing, and it is closed after the last.
//
//	for r := range pool.Stream(ctx, 20, futures.Items(codes), download) {
//		fmt.Println(r.Item, r.Err)
//	}
func Stream(ctx context.Context, limit int, items []any, fn func(ctx context.Context, item any) (any, error)) <-chan Result {
	ch := make(chan Result, len(items))
	go func() {
		defer close(ch)
		stream(ctx, limit, items, fn, func(r Result) { ch <- r })
	}()
	return ch
}

// StreamOrdered is Stream with results delivered in input order, each as
// soon as it and all before it are ready: Python's Pool.imap.
func StreamOrdered(ctx context.Context, limit int, items []any, fn func(ctx context.Context, item any) (any, error)) <-chan Result {
	ch := make(chan Result, len(items))
	go func() {
		defer close(ch)
		var mu sync.Mutex
		ready := make(map[int]Result)
		next := 0
		stream(ctx, limit, items, fn, func(r Result) {
			mu.Lock()
			defer mu.Unlock()
			ready[r.Index] = r
			for {
				r, ok := ready[next]
				if !ok {
					return
				}
				delete(ready, next)
				ch <- r
				next++
			}
		})
	}()
	return ch
}

// stream runs fn over items with the limit and calls emit once per item,
// from several goroutines; it returns when all have been emitted.
func stream(ctx context.Context, limit int, items []any, fn func(context.Context, any) (any, error), emit func(Result)) {
	if err := checkLimit(limit); err != nil {
		for i, it := range items {
			emit(Result{Index: i, Item: it, Err: err})
		}
		return
	}
	if ctx == nil {
		ctx = context.Background()
	}
	var sem chan struct{}
	if limit != NoLimit {
		sem = make(chan struct{}, limit)
	}
	var wg sync.WaitGroup
	for i, it := range items {
		acquired := sem == nil
		if sem != nil && ctx.Err() == nil {
			select {
			case sem <- struct{}{}:
				acquired = true
			case <-ctx.Done():
			}
		}
		if err := ctx.Err(); err != nil || !acquired {
			if acquired && sem != nil {
				<-sem
			}
			emit(Result{Index: i, Item: it, Err: ctx.Err()})
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if sem != nil {
				defer func() { <-sem }()
			}
			v, err := futures.Protect(func() (any, error) { return fn(ctx, it) })
			emit(Result{Index: i, Item: it, Value: v, Err: err})
		}()
	}
	wg.Wait()
}

// Items converts any slice ([]string, []int, ...) to the []any the helpers
// take; it is futures.Items.
func Items(slice any) []any { return futures.Items(slice) }
