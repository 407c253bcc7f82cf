package supervise

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A stack overflow in interpreted code: yaegi's two frames alternate for
// thousands of lines; the cell should show a few lines.
func TestTraceFoldsInterpreterRecursion(t *testing.T) {
	var b strings.Builder
	b.WriteString("runtime: goroutine stack exceeds 134217728-byte limit\nruntime: sp=0xc0200e0398 stack=[0xc0200e0000, 0xc0400e0000]\nfatal error: stack overflow\n\nruntime stack:\nruntime.throw({0x5f7ad5?, 0x41e665?})\n\t/usr/local/go/src/runtime/panic.go:1229 +0x48 fp=0x1 sp=0x2 pc=0x3\n\n")
	b.WriteString("goroutine 31 gp=0x2fdb gp=0x1 m=6 mp=0x2 [running]:\n")
	b.WriteString("main.helper(0x1, {0x2, 0x3})\n\t/src/helper.go:10 +0x1f\n")
	for range 500 {
		b.WriteString("github.com/traefik/yaegi/interp.call.func9(0x2fdb583968f0)\n\t/mod/yaegi/interp/run.go:1401 +0x5\n")
		b.WriteString("github.com/traefik/yaegi/interp.runCfg(0x2fdb4ff7cf00, 0x2fdb583968f0, 0x0?, 0xdd1080?)\n\t/mod/yaegi/interp/run.go:234 +0x9\n")
	}
	b.WriteString("...200 frames elided...\n")
	b.WriteString("main.down(...)\n\t/src/a.go:3\nmain.down(0x3)\n\t/src/a.go:3 +0x2\nmain.down(0x4)\n\t/src/a.go:3 +0x2\n")
	b.WriteString("created by main.start in goroutine 1\n\t/src/a.go:9 +0x10\n\ngoroutine 1 [chan receive]:\nmain.main()\n\t/src/a.go:20\n")
	c := crash{text: b.String()}
	if got, want := c.cause(), "stack overflow: a goroutine's stack grew past 128 MiB (infinite recursion?)"; got != want {
		t.Fatalf("cause %q, want %q", got, want)
	}
	got := strings.Join(c.trace(), "\n")
	want := strings.Join([]string{
		"goroutine 31 [running]:",
		"main.helper(...)",
		"\t/src/helper.go:10",
		"\t... 1000 interpreter frames (yaegi, reflect)",
		"main.down(...)",
		"\t/src/a.go:3",
		"\t... the 1 frame(s) above repeat 2 more times",
		"created by main.start in goroutine 1",
		"\t/src/a.go:9",
	}, "\n")
	if got != want {
		t.Fatalf("trace\n%s\nwant\n%s", got, want)
	}
}

func TestCauseOfExits(t *testing.T) {
	for _, c := range []struct {
		text, want string
	}{
		{"fatal error: concurrent map writes\n\ngoroutine 5 [running]:\n", "fatal error: concurrent map writes"},
		{"fatal error: runtime: out of memory\n", "out of memory: the Go runtime could not get more memory from the system"},
		{"panic: boom\nsecond line\n\ngoroutine 7 [running]:\n", "panic: boom second line (in a goroutine nothing recovered)"},
		{"SIGSEGV: segmentation violation\nPC=0x0\n", "fatal signal: SIGSEGV: segmentation violation"},
	} {
		if got := (crash{text: c.text}).cause(); got != c.want {
			t.Errorf("cause(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	if got := (crash{reason: "out of memory: x", text: "fatal error: y"}).cause(); got != "out of memory: x" {
		t.Errorf("the supervisor's own reason should win: %q", got)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"4GiB": 4 << 30, "512MB": 512e6, "300m": 300 << 20, "1g": 1 << 30, "1048576": 1 << 20, "off": 0, " 2 GiB ": 2 << 30} {
		if got, ok := parseSize(in); !ok || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "lots", "-1G"} {
		if _, ok := parseSize(bad); ok {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}

// Text that is not a crash goes straight through; a crash is held; a crash
// line from a process that lives on is released later.
func TestStderrWatcher(t *testing.T) {
	var (
		mu  sync.Mutex
		got strings.Builder
	)
	sink := func(s string) { mu.Lock(); got.WriteString(s); mu.Unlock() }
	forwarded := func() string { mu.Lock(); defer mu.Unlock(); return got.String() }

	w := newStderrWatcher(sink)
	w.dumpDir = t.TempDir()
	w.falseAlarm = time.Hour // held for the whole test
	w.feed("hello\npartial")
	w.feed(" line\nfatal error: concurrent map writes\n\ngoroutine 1 [running]:\n")
	if s := forwarded(); s != "hello\npartial line\n" {
		t.Fatalf("forwarded %q", s)
	}
	if crash, _ := w.report(0); !strings.HasPrefix(crash, "fatal error: concurrent map writes\n") {
		t.Fatalf("crash text %q", crash)
	}

	// "fat" could still become "fatal error: ": held until the line ends.
	mu.Lock()
	got.Reset()
	mu.Unlock()
	w2 := newStderrWatcher(sink)
	w2.dumpDir = t.TempDir()
	w2.feed("fat")
	if s := forwarded(); s != "" {
		t.Fatalf("possible marker forwarded early: %q", s)
	}
	w2.feed("ter cat\n")
	if s := forwarded(); s != "fatter cat\n" {
		t.Fatalf("forwarded %q", s)
	}
}

// A process that prints a crash marker and lives on gets its held text
// forwarded once the false-alarm delay has passed.
func TestStderrWatcherFalseAlarm(t *testing.T) {
	out := make(chan string, 4)
	w := newStderrWatcher(func(s string) { out <- s })
	w.dumpDir = t.TempDir()
	w.falseAlarm = 10 * time.Millisecond
	w.feed("fatal error: not really\nmore\n")
	select {
	case s := <-out:
		if s != "fatal error: not really\nmore\n" {
			t.Fatalf("released %q", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("held text never released")
	}
	if crash, _ := w.report(0); crash != "" {
		t.Fatalf("crash text kept after release: %q", crash)
	}
}

// A long report (a dump of many goroutines) that takes longer than the
// false-alarm delay to write is still a crash: it is not released while
// text keeps coming, and all of it goes to the dump file.
func TestStderrWatcherLongReportStaysACrash(t *testing.T) {
	out := make(chan string, 100)
	w := newStderrWatcher(func(s string) { out <- s })
	w.dumpDir = t.TempDir()
	w.falseAlarm = 50 * time.Millisecond
	fatal := make(chan struct{}, 1)
	w.onFatal = func() { fatal <- struct{}{} }
	w.feed("runtime: goroutine stack exceeds 67108864-byte limit\nfatal error: stack overflow\n\n")
	for i := 1; i <= 20; i++ {
		w.feed("goroutine " + strconv.Itoa(i) + " [sleep]:\ntime.Sleep(0x1)\n\truntime/time.go:1 +0x1\n\n")
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case s := <-out:
		t.Fatalf("part of a crash report was released as stderr: %q", s)
	default:
	}
	select {
	case <-fatal:
	case <-time.After(5 * time.Second):
		t.Fatal("onFatal was not called")
	}
	text, dump := w.report(0)
	if !strings.HasPrefix(text, "runtime: goroutine stack exceeds") {
		t.Fatalf("crash text %q", text)
	}
	b, err := os.ReadFile(dump.path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != text || dump.goroutines != 20 || dump.size != int64(len(b)) {
		t.Fatalf("dump %+v holds %d bytes, text %d", dump, len(b), len(text))
	}
	c := crash{text: text, dump: dump}
	if n := c.dumpNote(); !strings.Contains(n, "20 goroutines") || !strings.Contains(n, dump.path) {
		t.Fatalf("note %q", n)
	}
}
