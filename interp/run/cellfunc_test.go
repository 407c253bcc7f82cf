package run

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golit/golit/interp/internal/yaegiheap"
)

// TestCellFuncsForgotten runs statement cells (a panic, a compile error and
// an interrupt-free loop among them) and checks that the functions the
// engine declares to run them leave no symbol behind, so that the session's
// scope holds only what the notebook declared, and that the statements saw
// the notebook's imports and variables.
func TestCellFuncsForgotten(t *testing.T) {
	if !yaegiheap.Supported() {
		t.Fatal("yaegi's layout is not the one interp/internal/yaegiheap knows")
	}
	s := newSession(t)
	s.ok(`import "fmt"`)
	s.ok(`var total int`)
	before := yaegiheap.Symbols(s.e.yi, "main")
	for i := range 20 {
		switch i % 5 {
		case 1:
			if r := s.run(`panic("boom")`); r.Err == nil || !strings.Contains(r.Err.Value, "boom") {
				t.Fatalf("panic cell: %+v", r)
			}
		case 3:
			if r := s.run(`total += undefinedName`); r.Err == nil || !strings.Contains(r.Err.Value, "undefined") {
				t.Fatalf("compile error cell: %+v", r)
			}
		default:
			s.ok(fmt.Sprintf("for k := 0; k < %d; k++ { total++ }\nfmt.Println(total)", i))
		}
	}
	if after := yaegiheap.Symbols(s.e.yi, "main"); after != before {
		t.Fatalf("main scope: %d symbols before the statement cells, %d after", before, after)
	}
	out, _ := s.ok(`fmt.Println(total)`)
	// The loops of cells 0, 2, 4, 5, 7, 9, 10, 12, 14, 15, 17 and 19.
	if got := strings.TrimSpace(out); got != "114" {
		t.Fatalf("total %s, want 114", got)
	}
}
