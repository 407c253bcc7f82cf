package rewrite

// iterSource is the iter package of the Go release that built golit, for
// cells: yaegi v0.16.1 knows no iter package (it is generic only, so
// `yaegi extract` cannot make a table of it). It is interpreted, like
// slices and maps, and cells import it as "iter".
//
// Pull runs the iterator in a goroutine of its own, one step per call of
// next, where Go uses a coroutine of the runtime; the behaviour a caller
// sees is the same: seq starts at the first next, stop makes yield return
// false, a panic in seq comes out of next or stop, and next after the end
// or after stop returns the zero value and false.
//
// The functions take func types rather than Seq and Seq2 because yaegi
// infers type arguments from those only; Seq and Seq2 values are
// assignable to them, as in Go.
const iterSource = `package iter

import golit__rt "github.com/golit/golit/interp/rt"

// Seq is an iterator over single values: it calls yield with each value
// in turn, and stops when yield returns false.
//
// Proved by TestModernGo "the iter package" (interp/run/modern_test.go).
type Seq[V any] func(yield func(V) bool)

// Seq2 is an iterator over pairs of values.
type Seq2[K, V any] func(yield func(K, V) bool)

// Pull turns the iterator seq into a function returning the next value
// (and false after the last one) and a function ending the iteration.
func Pull[V any](seq func(yield func(V) bool)) (func() (V, bool), func()) {
	resume := make(chan bool)
	values := make(chan V)
	finished := make(chan struct{})
	started, over := false, false
	var caught any
	hasCaught := false

	run := func() {
		running := false
		defer close(finished)
		defer func() {
			if running {
				caught = recover()
				hasCaught = true
			}
		}()
		if !<-resume {
			return
		}
		running = true
		stopped := false
		seq(func(v V) bool {
			if stopped {
				panic("iter.Pull: the iterator called yield again after it returned false")
			}
			values <- v
			if !<-resume {
				stopped = true
				return false
			}
			return true
		})
		running = false
	}
	rethrow := func() {
		if hasCaught {
			hasCaught = false
			golit__rt.Panic(caught)
		}
	}
	next := func() (V, bool) {
		var zero V
		if over {
			return zero, false
		}
		if !started {
			started = true
			go run()
		}
		resume <- true
		select {
		case v := <-values:
			return v, true
		case <-finished:
			over = true
			rethrow()
			return zero, false
		}
	}
	stop := func() {
		if over {
			return
		}
		over = true
		if !started {
			return
		}
		resume <- false
		<-finished
		rethrow()
	}
	return next, stop
}

// Pull2 is Pull for iterators of pairs.
func Pull2[K, V any](seq func(yield func(K, V) bool)) (func() (K, V, bool), func()) {
	resume := make(chan bool)
	keys := make(chan K)
	values := make(chan V)
	finished := make(chan struct{})
	started, over := false, false
	var caught any
	hasCaught := false

	run := func() {
		running := false
		defer close(finished)
		defer func() {
			if running {
				caught = recover()
				hasCaught = true
			}
		}()
		if !<-resume {
			return
		}
		running = true
		stopped := false
		seq(func(k K, v V) bool {
			if stopped {
				panic("iter.Pull2: the iterator called yield again after it returned false")
			}
			keys <- k
			values <- v
			if !<-resume {
				stopped = true
				return false
			}
			return true
		})
		running = false
	}
	rethrow := func() {
		if hasCaught {
			hasCaught = false
			golit__rt.Panic(caught)
		}
	}
	next := func() (K, V, bool) {
		var zk K
		var zv V
		if over {
			return zk, zv, false
		}
		if !started {
			started = true
			go run()
		}
		resume <- true
		select {
		case k := <-keys:
			v := <-values
			return k, v, true
		case <-finished:
			over = true
			rethrow()
			return zk, zv, false
		}
	}
	stop := func() {
		if over {
			return
		}
		over = true
		if !started {
			return
		}
		resume <- false
		<-finished
		rethrow()
	}
	return next, stop
}
`
