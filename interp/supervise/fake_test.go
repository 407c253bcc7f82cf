package supervise_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/golit/golit/kernel"
)

// fakeEngine is the in-process engine of the test child. A cell is one
// command; several of them do what real cells do that Go cannot survive.
type fakeEngine struct {
	mu          sync.Mutex
	vars        map[string]string
	decls       []string
	interrupted atomic.Bool
}

func newFake() (kernel.Engine, error) {
	if os.Getenv("FAKE_FAIL_START") == "1" {
		return nil, errors.New("fake engine refuses to start")
	}
	if d, err := time.ParseDuration(os.Getenv("FAKE_SLOW_START")); err == nil {
		time.Sleep(d)
	}
	return &fakeEngine{vars: map[string]string{}}, nil
}

func okReply() kernel.ExecuteReply { return kernel.ExecuteReply{Status: kernel.StatusOK} }

func errReply(name, value string) kernel.ExecuteReply {
	return kernel.ExecuteReply{Status: kernel.StatusError, Err: &kernel.Error{Name: name, Value: value, Traceback: []string{name + ": " + value}}}
}

var sink []byte

func recurse(n int) int {
	var pad [64]byte
	pad[n%64] = byte(n)
	return recurse(n+1) + int(pad[3])
}

func (f *fakeEngine) Execute(ctx context.Context, req kernel.ExecuteRequest, io kernel.IO) kernel.ExecuteReply {
	// Cleared when the cell ends, not when it starts: on a loaded machine
	// an interrupt sent 30 ms after the request can reach the child before
	// the cell has started, and it is meant for this cell.
	defer f.interrupted.Store(false)
	cmd, arg, _ := strings.Cut(req.Code, " ")
	switch cmd {
	case "noop":
		return okReply()
	case "print":
		io.Stream("stdout", arg+"\n")
	case "printn":
		n, _ := strconv.Atoi(arg)
		for i := range n {
			io.Stream("stdout", strconv.Itoa(i)+"\n")
		}
	case "result":
		return kernel.ExecuteReply{Status: kernel.StatusOK, Result: kernel.Bundle{"text/plain": arg, "application/json": map[string]any{"n": 12345678901234567}}}
	case "page":
		return kernel.ExecuteReply{Status: kernel.StatusOK, Payload: []kernel.Payload{kernel.PagePayload(kernel.Bundle{"text/plain": arg})}}
	case "display":
		io.Display(kernel.Bundle{"text/html": "<b>" + arg + "</b>"}, map[string]any{"k": "v"}, "d1")
		io.Update(kernel.Bundle{"text/plain": "updated"}, nil, "d1")
		io.ClearOutput(true)
	case "set":
		k, v, _ := strings.Cut(arg, "=")
		f.mu.Lock()
		f.vars[k] = v
		f.mu.Unlock()
	case "get":
		f.mu.Lock()
		v, ok := f.vars[arg]
		f.mu.Unlock()
		if !ok {
			return errReply("NameError", "undefined: "+arg)
		}
		io.Stream("stdout", v+"\n")
	case "decl":
		f.mu.Lock()
		f.decls = append(f.decls, arg)
		f.mu.Unlock()
	case "decls":
		f.mu.Lock()
		io.Stream("stdout", strings.Join(f.decls, ",")+"\n")
		f.mu.Unlock()
	case "input":
		s, err := io.Input("name? ", false)
		if err != nil {
			return errReply("InputError", err.Error()+fmt.Sprintf(" nostdin=%v interrupted=%v", errors.Is(err, kernel.ErrNoStdin), errors.Is(err, kernel.ErrInterrupted)))
		}
		io.Stream("stdout", "hello "+s+"\n")
	case "loop":
		for !f.interrupted.Load() {
		}
		return errReply("Interrupted", "stopped")
	case "block":
		io.Stream("stdout", "blocking\n") // tests wait for this before they interrupt
		time.Sleep(time.Hour)
	case "stray":
		syscall.Write(2, []byte("stray stderr line\n"))
		syscall.Write(1, []byte("stray stdout line\n"))
		time.Sleep(50 * time.Millisecond)
	case "fakepanicline":
		// Looks like a crash marker but the process lives on.
		syscall.Write(2, []byte("panic: not really\n"))
	case "enginepanic":
		panic("bug in the engine")
	case "mapwrites":
		m := map[int]int{}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					m[i%1000+g] = i
				}
			}()
		}
		wg.Wait()
	case "recurse":
		return kernel.ExecuteReply{Status: kernel.StatusOK, Result: kernel.Bundle{"text/plain": strconv.Itoa(recurse(0))}}
	case "hugealloc":
		sink = make([]byte, 1<<40)
		sink[len(sink)-1] = 1
	case "grow":
		var keep [][]byte
		for {
			b := make([]byte, 8<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1
			}
			keep = append(keep, b)
		}
	case "exit":
		code, _ := strconv.Atoi(arg)
		syscall.Exit(code)
	case "gopanic":
		go func() { panic("boom in goroutine") }()
		time.Sleep(time.Second)
	case "gopaniclater":
		time.AfterFunc(100*time.Millisecond, func() { panic("late boom") })
	case "sleep":
		d, _ := time.ParseDuration(arg)
		time.Sleep(d)
	case "background":
		// Output from a goroutine that outlives the cell.
		go func() {
			time.Sleep(50 * time.Millisecond)
			io.Stream("stdout", "from the background\n")
		}()
	default:
		return errReply("UnknownCommand", cmd)
	}
	return okReply()
}

func (f *fakeEngine) Complete(code string, cursorPos int) kernel.CompleteReply {
	return kernel.CompleteReply{Matches: []string{code + "x", code + "y"}, CursorStart: 0, CursorEnd: cursorPos}
}

func (f *fakeEngine) Inspect(code string, cursorPos, detailLevel int) kernel.InspectReply {
	return kernel.InspectReply{Found: true, Data: kernel.Bundle{"text/plain": fmt.Sprintf("%s@%d/%d", code, cursorPos, detailLevel)}}
}

func (f *fakeEngine) IsComplete(code string) kernel.IsCompleteReply {
	if strings.HasSuffix(code, "{") {
		return kernel.IsCompleteReply{Status: "incomplete", Indent: "\t"}
	}
	return kernel.IsCompleteReply{Status: "complete"}
}

func (f *fakeEngine) Interrupt() { f.interrupted.Store(true) }

func (f *fakeEngine) Shutdown(restart bool) error { return nil }

// Declarations and Restore make the fake a supervise.Restorer.
func (f *fakeEngine) Declarations() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.decls, "\n")
}

func (f *fakeEngine) Restore(src string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if src != "" {
		f.decls = strings.Split(src, "\n")
	}
	return nil
}
