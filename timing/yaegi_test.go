package timing_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/golit/golit/timing"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// TestFromInterpretedCell uses the package the way a notebook cell does:
// through yaegi, which cannot call generic functions, with interpreted
// closures passed to compiled code.
func TestFromInterpretedCell(t *testing.T) {
	var out bytes.Buffer
	i := interp.New(interp.Options{Stdout: &out})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	err := i.Use(map[string]map[string]reflect.Value{"github.com/golit/golit/timing/timing": {
		"Time":         reflect.ValueOf(timing.Time),
		"TimeIt":       reflect.ValueOf(timing.TimeIt),
		"Loops":        reflect.ValueOf(timing.Loops),
		"Runs":         reflect.ValueOf(timing.Runs),
		"Start":        reflect.ValueOf(timing.Start),
		"Format":       reflect.ValueOf(timing.Format),
		"Result":       reflect.ValueOf((*timing.Result)(nil)),
		"TimeItResult": reflect.ValueOf((*timing.TimeItResult)(nil)),
		"Stopwatch":    reflect.ValueOf((*timing.Stopwatch)(nil)),
		"Option":       reflect.ValueOf((*timing.Option)(nil)),
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = i.Eval(`package main

import (
	"fmt"
	"time"

	"github.com/golit/golit/timing"
)

func work() {
	s := 0
	for k := 0; k < 1000; k++ {
		s += k
	}
	_ = s
}

func main() {
	r := timing.Time(func() { time.Sleep(20 * time.Millisecond) })
	fmt.Println(r)
	n := 0
	ti := timing.TimeIt(func() { n++; work() }, timing.Loops(3), timing.Runs(2))
	fmt.Println(ti)
	fmt.Println("calls:", n)
	sw := timing.Start()
	work()
	sw.Lap()
	fmt.Println(len(sw.Laps()), sw.Seconds() > 0, timing.Format(1500*time.Microsecond))
}
`)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("output:\n%s", out.String())
	}
	if !strings.HasPrefix(lines[0], "CPU times: user ") || !strings.HasPrefix(lines[1], "Wall time: 2") {
		t.Errorf("Time: %q", lines[:2])
	}
	if !strings.HasSuffix(lines[2], "per loop (mean ± std. dev. of 2 runs, 3 loops each)") {
		t.Errorf("TimeIt: %q", lines[2])
	}
	if lines[3] != "calls: 6" || lines[4] != "1 true 1.5 ms" {
		t.Errorf("got %q", lines[3:])
	}
}
