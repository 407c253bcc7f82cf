package run

import (
	"testing"
	"time"

	"github.com/golit/golit/kernel"
)

// TestBuiltinPrintWritesStderr checks that print and println write to the
// stderr stream, as compiled Go does, and that a notebook's own println is
// not touched.
func TestBuiltinPrintWritesStderr(t *testing.T) {
	tests := []struct {
		name   string
		setup  string // run first, in its own cell
		code   string
		stdout string
		stderr string
	}{
		{name: "println", code: `println("x")`, stderr: "x\n"},
		{name: "println with several arguments", code: `println("a", 1, true)`, stderr: "a 1 true\n"},
		{name: "print", code: `print("a", 1)`, stderr: "a1"},
		{name: "println in a function", code: "func hello() { println(\"hi\") }\nhello()", stderr: "hi\n"},
		{name: "println in a goroutine", code: "func inGoroutine() {\n\tdone := make(chan bool)\n\tgo func() { println(\"g\"); done <- true }()\n\t<-done\n}\ninGoroutine()", stderr: "g\n"},
		{name: "deferred println", code: "defer println(\"later\")\nfmt.Println(\"now\")", stdout: "now\n", stderr: "later\n"},
		{name: "mixed with fmt", code: "fmt.Println(\"out\")\nprintln(\"err\")", stdout: "out\n", stderr: "err\n"},
		{name: "notebook's own println", setup: "func println(s string) { fmt.Println(\"mine:\", s) }", code: `println("x")`, stdout: "mine: x\n"},
		{name: "local println variable", code: "println := func(s string) { fmt.Println(\"local:\", s) }\nprintln(\"y\")", stdout: "local: y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t)
			if tt.setup != "" {
				s.ok(tt.setup)
			}
			s.io.reset()
			r := s.run(tt.code)
			if r.Status != kernel.StatusOK {
				t.Fatalf("cell %q: %+v", tt.code, r.Err)
			}
			if !eventually(2*time.Second, func() bool { return s.io.errOut() == tt.stderr }) {
				t.Errorf("cell %q: stderr = %q, want %q", tt.code, s.io.errOut(), tt.stderr)
			}
			if got := s.io.out(); got != tt.stdout {
				t.Errorf("cell %q: stdout = %q, want %q", tt.code, got, tt.stdout)
			}
		})
	}
}
