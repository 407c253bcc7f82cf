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
