package eventloop

import (
	"reflect"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// Notebook cells are interpreted by yaegi, which calls compiled packages
// through reflection and cannot call generic code. This test runs the
// workshop's shapes as interpreted code against the compiled loop.
func TestInterpretedTasks(t *testing.T) {
	if testing.Short() {
		t.Skip("interpreter start-up")
	}
	var out strings.Builder
	i := interp.New(interp.Options{Stdout: &out})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	err := i.Use(interp.Exports{"github.com/golit/golit/eventloop/eventloop": {
		"Run":          reflect.ValueOf(Run),
		"Loop":         reflect.ValueOf((*Loop)(nil)),
		"Task":         reflect.ValueOf((*Task)(nil)),
		"TaskGroup":    reflect.ValueOf((*TaskGroup)(nil)),
		"ErrCancelled": reflect.ValueOf(&ErrCancelled).Elem(),
		"ErrTimeout":   reflect.ValueOf(&ErrTimeout).Elem(),
		"PanicError":   reflect.ValueOf((*PanicError)(nil)),
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = i.Eval(`
import (
	"errors"
	"fmt"
	"time"

	"github.com/golit/golit/eventloop"
)

func countdown(l *eventloop.Loop, name string, n int, d time.Duration) func() (any, error) {
	return func() (any, error) {
		for n > 0 {
			if err := l.Sleep(d); err != nil {
				return nil, err
			}
			n--
		}
		return name, nil
	}
}

func main() {
	start := time.Now()
	v, err := eventloop.Run(func(l *eventloop.Loop) (any, error) {
		a := l.CreateTaskNamed("A", countdown(l, "A", 3, 30*time.Millisecond))
		b := l.CreateTaskNamed("B", countdown(l, "B", 3, 60*time.Millisecond))
		res, err := l.Gather(a, b)
		fmt.Println("gather:", res, err)

		spin := l.Go(func() {
			for l.Sleep(5*time.Millisecond) == nil {
			}
		})
		l.Sleep(20 * time.Millisecond)
		spin.Cancel()
		_, err = l.Await(spin)
		fmt.Println("spinner cancelled:", errors.Is(err, eventloop.ErrCancelled), spin.Cancelled())

		bad := l.CreateTask(func() (any, error) { panic("interpreted panic") })
		_, err = l.Await(bad)
		var pe *eventloop.PanicError
		fmt.Println("panic became error:", errors.As(err, &pe))

		slow := l.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
		_, err = l.WaitFor(slow, 10*time.Millisecond)
		fmt.Println("timeout:", err == eventloop.ErrTimeout)

		err = l.TaskGroup(func(g *eventloop.TaskGroup) error {
			g.Go(func() error { return errors.New("one failed") })
			g.Go(func() error { return l.Sleep(time.Hour) })
			return nil
		})
		fmt.Println("group:", err)

		sem := l.NewSemaphore(2)
		q := l.NewQueue(1)
		prod := l.CreateTask(func() (any, error) {
			for i := 0; i < 3; i++ {
				sem.With(func() (any, error) { return nil, q.Put(i) })
			}
			return nil, nil
		})
		sum := 0
		for i := 0; i < 3; i++ {
			v, _ := q.Get()
			sum += v.(int)
		}
		l.Await(prod)
		fmt.Println("queue sum:", sum)
		it := l.AsCompleted(l.CreateTask(func() (any, error) { return "x", nil }))
		for it.Next() {
			fmt.Println(it.Result())
		}
		return 42, nil
	})
	fmt.Println("run:", v, err, time.Since(start) < 400*time.Millisecond)
}
`)
	if err != nil {
		t.Fatalf("%v\noutput:\n%s", err, out.String())
	}
	want := `gather: [A B] <nil>
spinner cancelled: true true
panic became error: true
timeout: true
group: eventloop: task group: Task-7: one failed
queue sum: 3
x <nil>
run: 42 <nil> true
`
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}
