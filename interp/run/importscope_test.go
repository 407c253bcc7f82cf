package run

import (
	"reflect"
	"testing"
	"unsafe"
)

// mainScopeLen is the number of symbols in yaegi's main package scope.
func mainScopeLen(t *testing.T, e *Session) int {
	t.Helper()
	if !mainScope.ok {
		t.Skip("yaegi's layout is not the one forgetImports knows")
	}
	srcPkg := reflect.NewAt(mainScope.typ, unsafe.Add(unsafe.Pointer(e.yi), mainScope.off)).Elem()
	return srcPkg.MapIndex(reflect.ValueOf("main")).Len()
}

// Running cells does not grow the interpreter's scope: the imports made in
// each cell's file are forgotten once a later cell runs.
func TestImportsOfOldCellsAreForgotten(t *testing.T) {
	s := newSession(t)
	s.ok("import (\"fmt\"; \"strings\"; \"sync\"; \"time\")\nfunc shout(s string) string { return strings.ToUpper(s) }")
	for range 20 {
		s.ok("1 + 1")
	}
	before := mainScopeLen(t, s.e)
	for range 200 {
		s.ok("1 + 1")
	}
	if after := mainScopeLen(t, s.e); after > before {
		t.Errorf("main scope grew from %d to %d symbols over 200 trivial cells", before, after)
	}
	// The imports still work, in new cells and in old code.
	if out, _ := s.ok("fmt.Println(shout(\"ok\"), time.Second)"); out != "OK 1s\n" {
		t.Errorf("got %q", out)
	}
}

// Generic declarations keep their cell's imports: yaegi instantiates them
// when a later cell uses new type arguments, resolving package names in
// the declaring cell's file.
func TestGenericsInstantiatedCellsLater(t *testing.T) {
	s := newSession(t)
	s.ok("import \"strings\"\n" +
		"func Join[T any](xs []T) string {\n\tvar b []string\n\tfor _, x := range xs {\n\t\tb = append(b, fmt.Sprint(x))\n\t}\n\treturn strings.Join(b, \",\")\n}\n" +
		"type Box[T any] struct{ V T }\n" +
		"func (b Box[T]) Show() string { return strings.TrimSpace(fmt.Sprint(b.V)) }")
	for range 5 {
		s.ok("1 + 1")
	}
	out, _ := s.ok("type P struct{ X int }\nfmt.Println(Join([]P{{1}, {2}}), Box[float64]{2.5}.Show(), Box[P]{P{3}}.Show())")
	if out != "{1},{2} 2.5 {3}\n" {
		t.Errorf("got %q", out)
	}
	// A redefinition makes dependents compile again in their own cell's file.
	s.ok("func shout(s string) string { return strings.ToUpper(s) }\nfunc twice(s string) string { return shout(s) + shout(s) }")
	for range 3 {
		s.ok("1 + 1")
	}
	s.ok("func shout(s string) string { return strings.Repeat(s, 2) }")
	if out, _ := s.ok("fmt.Println(twice(\"ab\"))"); out != "abababab\n" {
		t.Errorf("twice after redefining shout: %q", out)
	}
}
