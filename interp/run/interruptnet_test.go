package run

import (
	"testing"
	"time"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/kernel"
)

// netWaitCell serves connections on an event loop whose tasks block in
// Read, and waits on a WaitGroup for clients blocked in Read until their
// deadline. Its goroutines use no notebook variables: yaegi grows the
// global frame when a later cell defines one, unsynchronised with
// goroutines of earlier cells that read globals (the race detector
// reports it; a goroutine reading notebook variables across cells is a
// yaegi limitation, not what this test is about).
const netWaitCell = `import "github.com/golit/golit/eventloop"
func netWait() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	time.AfterFunc(time.Second, func() { ln.Close() })
	go eventloop.New(eventloop.Options{NoDeadlockCheck: true}).Run(func(l *eventloop.Loop) (any, error) {
		for {
			c, err := l.ToThread(func() (any, error) { return ln.Accept() })
			if err != nil {
				return nil, nil
			}
			conn := c.(net.Conn)
			l.CreateTask(func() (any, error) {
				buf := make([]byte, 10)
				return l.ToThread(func() (any, error) { return conn.Read(buf) })
			})
		}
	})
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				return
			}
			conn.SetDeadline(time.Now().Add(time.Second))
			buf := make([]byte, 10)
			conn.Read(buf)
			fmt.Println("client read returned")
		}()
	}
	wg.Wait()
	select {}
}
netWait()
`

// TestInterruptNetworkWaits interrupts a cell whose goroutines are blocked
// in network reads, and checks that the engine keeps working after the
// reads return into the stopped code.
func TestInterruptNetworkWaits(t *testing.T) {
	s := newSession(t)
	s.ok("kept := 6")
	done := make(chan kernel.ExecuteReply, 1)
	go func() { done <- s.run(netWaitCell) }()
	time.Sleep(300 * time.Millisecond)
	s.e.Interrupt()
	select {
	case r := <-done:
		if r.Status != kernel.StatusError || r.Err.Name != present.ENameInterrupted {
			t.Fatalf("reply %+v, want %s", r.Err, present.ENameInterrupted)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cell did not stop after an interrupt")
	}
	_, r := s.ok("kept")
	if textOf(r.Result) != "6" {
		t.Fatalf("kept = %v", r.Result)
	}
	// The clients' reads time out now, into interrupted code.
	time.Sleep(1500 * time.Millisecond)
	_, r = s.ok("kept + 1")
	if textOf(r.Result) != "7" {
		t.Fatalf("kept + 1 = %v", r.Result)
	}
}
