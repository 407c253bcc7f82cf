package run

import (
	"context"
	"os"
	"testing"

	"github.com/golit/golit/kernel"
)

// discardIO is a kernel.IO that drops what it gets.
type discardIO struct{ recIO }

func (*discardIO) Stream(name, text string) {}

// benchPrintCell runs code (which prints 10,000 lines) b.N times.
func benchPrintCell(b *testing.B, code string) {
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Shutdown(false)
	io := &discardIO{}
	req := kernel.ExecuteRequest{Code: code, ExecutionCount: 1}
	if r := e.Execute(context.Background(), req, io); r.Status != kernel.StatusOK {
		b.Fatalf("cell failed: %+v", r.Err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.Execute(context.Background(), req, io)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/line")
}

// BenchmarkPrintln: fmt.Println goes to the notebook after what both pipes
// hold (orderedWrite).
func BenchmarkPrintln(b *testing.B) {
	benchPrintCell(b, `for i := 0; i < 10000; i++ { fmt.Println("line", i) }`)
}

// BenchmarkStdoutWrite: os.Stdout.WriteString goes through the pipe.
func BenchmarkStdoutWrite(b *testing.B) {
	benchPrintCell(b, `for i := 0; i < 10000; i++ { os.Stdout.WriteString("line\n") }`)
}

// BenchmarkReadable is the poll orderedWrite makes of both pipes.
func BenchmarkReadable(b *testing.B) {
	r1, w1, _ := os.Pipe()
	r2, w2, _ := os.Pipe()
	defer w1.Close()
	defer w2.Close()
	fd1, fd2 := int(r1.Fd()), int(r2.Fd())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		readable(fd1, fd2)
	}
}
