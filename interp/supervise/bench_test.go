package supervise_test

import (
	"context"
	"testing"

	"github.com/golit/golit/interp/supervise"
	"github.com/golit/golit/kernel"
)

// BenchmarkExecuteRoundTrip is the supervisor's cost for a trivial cell:
// request to the child, the fake engine's no-op, reply back.
func BenchmarkExecuteRoundTrip(b *testing.B) {
	e := newEngine(b, supervise.Options{})
	io := &recIO{}
	if err := e.Ready(context.Background()); err != nil {
		b.Fatal(err)
	}
	req := kernel.ExecuteRequest{Code: "noop", StoreHistory: true}
	b.ResetTimer()
	for b.Loop() {
		if r := e.Execute(context.Background(), req, io); r.Status != kernel.StatusOK {
			b.Fatal(r.Err)
		}
	}
}

// BenchmarkExecutePrint adds one line of output to the round trip.
func BenchmarkExecutePrint(b *testing.B) {
	e := newEngine(b, supervise.Options{})
	io := &recIO{}
	if err := e.Ready(context.Background()); err != nil {
		b.Fatal(err)
	}
	req := kernel.ExecuteRequest{Code: "print hello", StoreHistory: true}
	b.ResetTimer()
	for b.Loop() {
		if r := e.Execute(context.Background(), req, io); r.Status != kernel.StatusOK {
			b.Fatal(r.Err)
		}
		io.reset()
	}
}

// BenchmarkComplete is the round trip of a completion request.
func BenchmarkComplete(b *testing.B) {
	e := newEngine(b, supervise.Options{})
	if err := e.Ready(context.Background()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if c := e.Complete("strings.Sp", 10); len(c.Matches) != 2 {
			b.Fatal(c)
		}
	}
}
