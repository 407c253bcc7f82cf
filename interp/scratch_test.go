package interp

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestScratch(t *testing.T) {
	s := newSession(t)
	for _, c := range strings.Split(os.Getenv("CELLS"), "\n----\n") {
		s.io.reset()
		r := s.run(c)
		fmt.Printf("### %q\n  status=%s result=%v err=%+v\n  out=%q err=%q ev=%v\n", c, r.Status, r.Result, r.Err, s.io.out(), s.io.errOut(), s.io.events)
	}
}
