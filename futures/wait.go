package futures

import (
	"sort"
	"sync"
	"time"
)

// ReturnWhen tells Wait when to return.
type ReturnWhen int

const (
	// AllCompleted returns when every future is done (Python's
	// ALL_COMPLETED).
	AllCompleted ReturnWhen = iota
	// FirstCompleted returns when any future is done (FIRST_COMPLETED).
	FirstCompleted
	// FirstException returns when any future finishes with an error, or
	// when all are done (FIRST_EXCEPTION). A cancelled future does not
	// count as an error here, as in Python.
	FirstException
)

// String returns the Python name of the condition.
func (w ReturnWhen) String() string {
	switch w {
	case FirstCompleted:
		return "FIRST_COMPLETED"
	case FirstException:
		return "FIRST_EXCEPTION"
	default:
		return "ALL_COMPLETED"
	}
}

// AsCompleted delivers the futures in fs on the returned channel in the order
// they finish (or are cancelled): Python's as_completed. Futures already done
// come first, in the order they finished. The channel is closed after the last one, or when timeout
// (if > 0) expires first; then the futures not delivered are the ones still
// running, so compare the count you received with len(fs), or use Wait.
//
//	for f := range futures.AsCompleted(fs, 0) {
//		v, err := f.Result() // never blocks here
//	}
//
// Duplicates in fs are delivered once. The channel is buffered for all of
// them: stopping early leaks nothing.
func AsCompleted(fs []*Future, timeout time.Duration) <-chan *Future {
	uniq := unique(fs)
	ch := make(chan *Future, len(uniq))
	if len(uniq) == 0 {
		close(ch)
		return ch
	}
	var mu sync.Mutex
	left := len(uniq)
	closed := false
	var timer *time.Timer
	deliver := func(f *Future) {
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return
		}
		ch <- f
		left--
		if left == 0 {
			closed = true
			close(ch)
			if timer != nil {
				timer.Stop()
			}
		}
	}
	if timeout > 0 {
		mu.Lock()
		timer = time.AfterFunc(timeout, func() {
			mu.Lock()
			defer mu.Unlock()
			if !closed {
				closed = true
				close(ch)
			}
		})
		mu.Unlock()
	}
	// Done futures first, in the order they finished, then the others as
	// they finish. Under finishMu no future finishes, so none can slip
	// between the split and the registration, and the registered
	// deliveries run in finish order (markDone).
	finishMu.Lock()
	var done []*Future
	for _, f := range uniq {
		if f.seq != 0 {
			done = append(done, f)
		} else {
			f.ordered = append(f.ordered, deliver)
		}
	}
	sort.Slice(done, func(i, j int) bool { return done[i].seq < done[j].seq })
	for _, f := range done {
		deliver(f)
	}
	finishMu.Unlock()
	return ch
}

// Wait waits until the condition when is met for fs, or until timeout
// (if > 0) expires, and returns the futures that are done and those that
// are not, each in input order: Python's wait(fs, timeout, return_when).
func Wait(fs []*Future, timeout time.Duration, when ReturnWhen) (done, notDone []*Future) {
	uniq := unique(fs)
	if len(uniq) > 0 {
		wake := make(chan struct{}, 1)
		var mu sync.Mutex
		finished := 0
		var once sync.Once
		for _, f := range uniq {
			// Runs at once for a future already done.
			f.AddDoneCallback(func(f *Future) {
				mu.Lock()
				finished++
				hit := finished == len(uniq) || when == FirstCompleted ||
					(when == FirstException && f.Err() != nil && !f.Cancelled())
				mu.Unlock()
				if hit {
					once.Do(func() { wake <- struct{}{} })
				}
			})
		}
		var tc <-chan time.Time
		if timeout > 0 {
			t := time.NewTimer(timeout)
			defer t.Stop()
			tc = t.C
		}
		select {
		case <-wake:
		case <-tc:
		}
	}
	for _, f := range uniq {
		if f.Done() {
			done = append(done, f)
		} else {
			notDone = append(notDone, f)
		}
	}
	return done, notDone
}

func unique(fs []*Future) []*Future {
	seen := make(map[*Future]bool, len(fs))
	out := make([]*Future, 0, len(fs))
	for _, f := range fs {
		if f != nil && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
