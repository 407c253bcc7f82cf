// Package rtsync holds the sync.WaitGroup notebook cells get: the same API,
// but Wait returns when the engine is interrupted, so that a cell waiting
// for goroutines that never finish can be stopped (the interpreter then
// ends the cell's code at its next instruction).
package rtsync

import "sync"

var (
	mu   sync.Mutex
	stop = make(chan struct{})
)

// Interrupt wakes every Wait in progress.
func Interrupt() {
	mu.Lock()
	close(stop)
	stop = make(chan struct{})
	mu.Unlock()
}

func stopped() chan struct{} {
	mu.Lock()
	defer mu.Unlock()
	return stop
}

// WaitGroup is sync.WaitGroup with an interruptible Wait.
type WaitGroup struct {
	wg sync.WaitGroup
}

// Add adds delta to the counter, as sync.WaitGroup.Add.
func (w *WaitGroup) Add(delta int) { w.wg.Add(delta) }

// Done decrements the counter, as sync.WaitGroup.Done.
func (w *WaitGroup) Done() { w.wg.Done() }

// Go runs f in a new goroutine and counts it, as sync.WaitGroup.Go.
func (w *WaitGroup) Go(f func()) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		f()
	}()
}

// Wait blocks until the counter is zero or the engine is interrupted.
func (w *WaitGroup) Wait() {
	stop := stopped()
	done := make(chan struct{})
	go func() {
		w.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-stop:
	}
}
