package run

import (
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"

	yaegi "github.com/traefik/yaegi/interp"
)

// Cancellation. yaegi stops interpreted code by bumping the interpreter's
// run id (every instruction compares its frame's id with it) and closing a
// channel that blocked channel operations also select on. Its public entry,
// ExecuteWithContext, returns as soon as the context ends while the
// goroutine running the code writes its results later: a data race, and no
// way to know when the stopped code has really left. The engine therefore
// runs programs with Execute in a goroutine of its own and performs the
// same stop itself, through the fields yaegi v0.16.1 uses for it (checked
// when the package loads; without them the engine falls back to
// ExecuteWithContext).

type yaegiFields struct {
	ok                               bool
	idOff, doneOff, muOff, cancelOff uintptr
}

var yfields = func() yaegiFields {
	t := reflect.TypeOf(yaegi.Interpreter{})
	id, ok1 := t.FieldByName("id")
	done, ok2 := t.FieldByName("done")
	mu, ok3 := t.FieldByName("mutex")
	cc, ok4 := t.FieldByName("cancelChan")
	if !ok1 || !ok2 || !ok3 || !ok4 ||
		id.Type.Kind() != reflect.Uint64 ||
		done.Type != reflect.TypeOf((chan struct{})(nil)) ||
		mu.Type != reflect.TypeOf(sync.RWMutex{}) ||
		cc.Type.Kind() != reflect.Bool {
		return yaegiFields{}
	}
	return yaegiFields{ok: true, idOff: id.Offset, doneOff: done.Offset, muOff: mu.Offset, cancelOff: cc.Offset}
}()

// runControl arms and fires the stop of one program run.
type runControl struct {
	yi   *yaegi.Interpreter
	mu   sync.Mutex
	done chan struct{} // the channel armed for the current run
	shut bool          // done was closed
}

func (c *runControl) field(off uintptr) unsafe.Pointer {
	return unsafe.Add(unsafe.Pointer(c.yi), off)
}

// arm gives the next run a fresh stop channel, as ExecuteWithContext does.
func (c *runControl) arm() {
	ch := make(chan struct{})
	mu := (*sync.RWMutex)(c.field(yfields.muOff))
	mu.Lock()
	*(*chan struct{})(c.field(yfields.doneOff)) = ch
	*(*bool)(c.field(yfields.cancelOff)) = true
	mu.Unlock()
	c.mu.Lock()
	c.done, c.shut = ch, false
	c.mu.Unlock()
}

// stop stops every interpreted goroutine, like yaegi's own stop.
func (c *runControl) stop() {
	atomic.AddUint64((*uint64)(c.field(yfields.idOff)), 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done != nil && !c.shut {
		close(c.done)
		c.shut = true
	}
}
