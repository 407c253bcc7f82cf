package present

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// cells is a SourceLookup over a fixed notebook.
func cells(texts map[int]string) SourceLookup {
	return func(n int) (string, bool) {
		s, ok := texts[n]
		return s, ok
	}
}

// TestCompileErrorQuotesTheCell checks that an error at In[n]:line:col
// comes back with the cell's line quoted and a caret under the column,
// tabs widened, and golit's internal prefix removed from the message.
func TestCompileErrorQuotesTheCell(t *testing.T) {
	src := cells(map[int]string{3: "x := 1\n\ty := golit__z + x"})
	kerr := CompileError(errors.New("In[3]:2:7: undefined: golit__z"), src)
	if kerr.Name != ENameCompile || kerr.Value != "In[3]:2:7: undefined: z" {
		t.Fatalf("got %s: %q", kerr.Name, kerr.Value)
	}
	tb := strings.Join(kerr.Traceback, "\n")
	if !strings.Contains(tb, "    y := golit__z + x") {
		t.Errorf("the cell's line 2 is not quoted (tab as four spaces):\n%s", tb)
	}
	lines := kerr.Traceback
	caret := lines[len(lines)-1]
	quoted := lines[len(lines)-2]
	// The caret sits under column 7 of the line: after the tab (four
	// spaces) and "y := ".
	ci := strings.Index(stripANSI(caret), "^")
	qi := strings.Index(stripANSI(quoted), "golit__z")
	if ci < 0 || ci != qi {
		t.Errorf("caret at %d, the name at %d:\n%s\n%s", ci, qi, stripANSI(quoted), stripANSI(caret))
	}
}

// TestCompileErrorPastTheEnd checks that a parse error after the cell's
// last line (the parser reached the end inside a statement) points at the
// end of the last line.
func TestCompileErrorPastTheEnd(t *testing.T) {
	src := cells(map[int]string{1: "for {\n"})
	kerr := CompileError(errors.New("In[1]:3:1: expected '}', found 'EOF'"), src)
	if kerr.Value != "In[1]:1:6: expected '}', found the end of the cell" {
		t.Errorf("got %q", kerr.Value)
	}
}

// TestFormatValue checks Out[n]'s text for a few kinds of values: field
// names and sorted map keys, as a reader wants them.
func TestFormatValue(t *testing.T) {
	type point struct{ X, Y int }
	for _, c := range []struct {
		v    any
		want string
	}{
		{42, "42"},
		{"hi", `"hi"`},
		{[]int{1, 2}, "[]int{1, 2}"},
		{map[string]int{"b": 2, "a": 1}, `map[string]int{"a": 1, "b": 2}`},
		{point{1, 2}, "present.point{X: 1, Y: 2}"},
	} {
		if got := FormatValue(reflect.ValueOf(c.v), nil); got != c.want {
			t.Errorf("FormatValue(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// page has two display forms a compiled value may have.
type page struct{}

func (page) HTML() string   { return "<b>hi</b>" }
func (page) String() string { return "a page" }

// TestRichForms checks that a compiled value's display methods give its
// MIME forms, and that its text comes from String, Error or text/plain
// before the formatter.
func TestRichForms(t *testing.T) {
	rich := CompiledForms(reflect.ValueOf(page{}))
	if rich["text/html"] != "<b>hi</b>" {
		t.Errorf("text/html = %v", rich["text/html"])
	}
	rich["text/string"] = page{}.String() // what the run stage adds for String
	if got := ResultText(rich, reflect.ValueOf(page{}), nil); got != "a page" {
		t.Errorf("text = %q, want String's", got)
	}
	if got := ResultText(map[string]any{"text/error": "bad"}, reflect.ValueOf(1), nil); got != `error("bad")` {
		t.Errorf("text of an error = %q", got)
	}
	if got := ResultText(map[string]any{}, reflect.ValueOf(7), nil); got != "7" {
		t.Errorf("text without forms = %q, want the formatted value", got)
	}
	if len(CompiledForms(reflect.Value{})) != 0 {
		t.Error("an invalid value has forms")
	}
}
