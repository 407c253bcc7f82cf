package futures_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golit/golit/futures"
)

// The test binary doubles as the process-pool worker: ProcessPool starts it
// again with GOLIT_FUTURES_WORKER=1, and ServeWorkerIfChild serves the
// registered functions instead of running the tests.
func TestMain(m *testing.M) {
	futures.RegisterFunc("isPrime", isPrime)
	futures.RegisterFunc("square", square)
	futures.RegisterFunc("fail", fail)
	futures.RegisterFunc("boom", boom)
	futures.RegisterFunc("crash", crash)
	futures.RegisterFunc("sleepMS", sleepMS)
	futures.RegisterFunc("echo", echo)
	futures.RegisterFunc("pid", os.Getpid)
	futures.RegisterFunc("noisy", noisy)
	futures.ServeWorkerIfChild()
	// Under -race a child sleeps 1 s at exit by default; the worker
	// processes inherit this setting and exit at once.
	os.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	os.Exit(m.Run())
}

// isPrime is a deliberately plain CPU-bound check.
func isPrime(n int64) bool {
	if n < 2 {
		return false
	}
	if n%2 == 0 {
		return n == 2
	}
	for d := int64(3); d*d <= n; d += 2 {
		if n%d == 0 {
			return false
		}
	}
	return true
}

func square(n int) int { return n * n }

func fail(msg string) (int, error) { return 0, errors.New(msg) }

func boom(msg string) int { panic(msg) }

func crash(code int) int {
	fmt.Fprintln(os.Stderr, "crash: exiting on purpose")
	os.Exit(code)
	return 0
}

func sleepMS(ms int) int {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return ms
}

func echo(v any) any { return v }

func noisy(n int) int {
	fmt.Println("a stray print from a task")
	return n
}
