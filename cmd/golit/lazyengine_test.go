package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/golit/golit/kernel"
)

type stubEngine struct{ interrupted chan struct{} }

func (s *stubEngine) Execute(ctx context.Context, req kernel.ExecuteRequest, io kernel.IO) kernel.ExecuteReply {
	return kernel.ExecuteReply{Status: kernel.StatusOK, Result: kernel.Bundle{"text/plain": req.Code}}
}
func (s *stubEngine) Complete(code string, pos int) kernel.CompleteReply {
	return kernel.CompleteReply{Matches: []string{"x"}}
}
func (s *stubEngine) Inspect(code string, pos, level int) kernel.InspectReply {
	return kernel.InspectReply{Found: true}
}
func (s *stubEngine) IsComplete(code string) kernel.IsCompleteReply {
	return kernel.IsCompleteReply{Status: "complete"}
}
func (s *stubEngine) Interrupt()                  { close(s.interrupted) }
func (s *stubEngine) Shutdown(restart bool) error { return nil }

func TestLazyEngineWaitsForTheEngine(t *testing.T) {
	release := make(chan struct{})
	stub := &stubEngine{interrupted: make(chan struct{})}
	l := startEngine(func() (kernel.Engine, error) { <-release; return stub, nil })

	// An interrupt while the engine starts ends the waiting cell.
	done := make(chan kernel.ExecuteReply)
	go func() { done <- l.Execute(context.Background(), kernel.ExecuteRequest{Code: "a"}, nil) }()
	time.Sleep(20 * time.Millisecond)
	l.Interrupt()
	if rep := <-done; rep.Status != kernel.StatusError || rep.Err.Name != "Interrupted" {
		t.Errorf("interrupted while starting: %+v", rep)
	}

	close(release)
	if rep := l.Execute(context.Background(), kernel.ExecuteRequest{Code: "b"}, nil); rep.Result["text/plain"] != "b" {
		t.Errorf("after start: %+v", rep)
	}
	if r := l.Complete("x", 1); len(r.Matches) != 1 {
		t.Errorf("Complete %+v", r)
	}
	l.Interrupt()
	select {
	case <-stub.interrupted:
	case <-time.After(time.Second):
		t.Error("Interrupt not forwarded")
	}
}

func TestLazyEngineStartFailure(t *testing.T) {
	l := startEngine(func() (kernel.Engine, error) { return nil, errors.New("no interpreter") })
	rep := l.Execute(context.Background(), kernel.ExecuteRequest{Code: "1"}, nil)
	if rep.Status != kernel.StatusError || rep.Err.Name != "EngineError" {
		t.Errorf("reply %+v", rep)
	}
	if r := l.IsComplete("x"); r.Status != "unknown" {
		t.Errorf("IsComplete %+v", r)
	}
	if err := l.Shutdown(false); err != nil {
		t.Errorf("Shutdown %v", err)
	}
}

// startingStub is a stubEngine that can begin cells early (kernel.Starter).
type startingStub struct{ stubEngine }

func (s *startingStub) StartExecute(ctx context.Context, req kernel.ExecuteRequest) func(kernel.IO) kernel.ExecuteReply {
	return func(kernel.IO) kernel.ExecuteReply {
		return kernel.ExecuteReply{Status: kernel.StatusOK, Result: kernel.Bundle{"text/plain": "started " + req.Code}}
	}
}

// The lazy engine begins a cell early only once its engine is built and
// can: before, and with an engine that cannot, the kernel calls Execute.
func TestLazyEngineStartExecute(t *testing.T) {
	release := make(chan struct{})
	l := startEngine(func() (kernel.Engine, error) { <-release; return &startingStub{}, nil })
	if l.StartExecute(context.Background(), kernel.ExecuteRequest{Code: "a"}) != nil {
		t.Fatal("began a cell on an engine still being built")
	}
	close(release)
	l.get()
	wait := l.StartExecute(context.Background(), kernel.ExecuteRequest{Code: "b"})
	if wait == nil {
		t.Fatal("did not pass the early start on to an engine that can")
	}
	if rep := wait(nil); rep.Result["text/plain"] != "started b" {
		t.Errorf("reply %+v", rep)
	}

	plain := startEngine(func() (kernel.Engine, error) { return &stubEngine{}, nil })
	plain.get()
	if plain.StartExecute(context.Background(), kernel.ExecuteRequest{Code: "c"}) != nil {
		t.Error("began a cell early on an engine that cannot")
	}
}
