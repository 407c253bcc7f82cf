package interp

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestScratch(t *testing.T) {
	if os.Getenv("CELLS") == "" {
		t.Skip()
	}
	s := newSession(t)
	for _, c := range strings.Split(os.Getenv("CELLS"), "\n----\n") {
		s.io.reset()
		r := s.run(c)
		fmt.Printf("### %q\n  status=%s result=%.300v err=%+v\n  out=%q err=%q ev=%v\n", c, r.Status, r.Result, r.Err, s.io.out(), s.io.errOut(), s.io.events)
	}
}
