package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/golit/golit/kernel"
)

// lazyEngine is a kernel.Engine whose real engine is being built in the
// background. Every method waits until it is ready; if building failed,
// cells report the error instead of the kernel dying.
type lazyEngine struct {
	ready chan struct{}
	eng   kernel.Engine
	err   error

	mu      sync.Mutex
	waiting chan struct{} // closed by Interrupt while Execute waits for the engine
}

// startEngine starts building an engine with build and returns at once.
func startEngine(build func() (kernel.Engine, error)) *lazyEngine {
	l := &lazyEngine{ready: make(chan struct{})}
	go func() {
		defer close(l.ready)
		defer func() {
			if r := recover(); r != nil {
				l.err = fmt.Errorf("starting the engine panicked: %v", r)
			}
		}()
		l.eng, l.err = build()
		if l.err == nil && l.eng == nil {
			l.err = fmt.Errorf("no engine")
		}
	}()
	return l
}

// get waits for the engine.
func (l *lazyEngine) get() (kernel.Engine, error) {
	<-l.ready
	return l.eng, l.err
}

func (l *lazyEngine) startError() kernel.ExecuteReply {
	msg := "the Go engine could not start: " + l.err.Error()
	return kernel.ExecuteReply{Status: kernel.StatusError, Err: &kernel.Error{
		Name: "EngineError", Value: msg, Traceback: []string{msg},
	}}
}

// Execute implements kernel.Engine.
func (l *lazyEngine) Execute(ctx context.Context, req kernel.ExecuteRequest, io kernel.IO) kernel.ExecuteReply {
	select {
	case <-l.ready:
	default:
		w := make(chan struct{})
		l.mu.Lock()
		l.waiting = w
		l.mu.Unlock()
		select {
		case <-l.ready:
		case <-w:
			return kernel.ExecuteReply{Status: kernel.StatusError, Err: &kernel.Error{
				Name: "Interrupted", Value: "interrupted while the Go engine was starting", Traceback: []string{"interrupted while the Go engine was starting"}}}
		case <-ctx.Done():
			return kernel.ExecuteReply{Status: kernel.StatusError, Err: &kernel.Error{
				Name: "Shutdown", Value: "the kernel is shutting down", Traceback: []string{"the kernel is shutting down"}}}
		}
	}
	if l.err != nil {
		return l.startError()
	}
	return l.eng.Execute(ctx, req, io)
}

// StartExecute implements kernel.Starter: it begins the cell early when
// the engine is built and can (a supervised engine); otherwise it returns
// nil and the kernel calls Execute.
func (l *lazyEngine) StartExecute(ctx context.Context, req kernel.ExecuteRequest) func(kernel.IO) kernel.ExecuteReply {
	select {
	case <-l.ready:
	default:
		return nil
	}
	if st, ok := l.eng.(kernel.Starter); ok && l.err == nil {
		return st.StartExecute(ctx, req)
	}
	return nil
}

// Complete implements kernel.Engine.
func (l *lazyEngine) Complete(code string, cursorPos int) kernel.CompleteReply {
	eng, err := l.get()
	if err != nil {
		return kernel.CompleteReply{CursorStart: cursorPos, CursorEnd: cursorPos}
	}
	return eng.Complete(code, cursorPos)
}

// Inspect implements kernel.Engine.
func (l *lazyEngine) Inspect(code string, cursorPos, detailLevel int) kernel.InspectReply {
	eng, err := l.get()
	if err != nil {
		return kernel.InspectReply{}
	}
	return eng.Inspect(code, cursorPos, detailLevel)
}

// IsComplete implements kernel.Engine.
func (l *lazyEngine) IsComplete(code string) kernel.IsCompleteReply {
	eng, err := l.get()
	if err != nil {
		return kernel.IsCompleteReply{Status: "unknown"}
	}
	return eng.IsComplete(code)
}

// Interrupt implements kernel.Engine. It never waits for the engine.
func (l *lazyEngine) Interrupt() {
	select {
	case <-l.ready:
		if l.eng != nil {
			l.eng.Interrupt()
		}
	default:
		l.mu.Lock()
		if l.waiting != nil {
			close(l.waiting)
			l.waiting = nil
		}
		l.mu.Unlock()
	}
}

// Shutdown implements kernel.Engine.
func (l *lazyEngine) Shutdown(restart bool) error {
	eng, err := l.get()
	if err != nil {
		return nil
	}
	return eng.Shutdown(restart)
}
