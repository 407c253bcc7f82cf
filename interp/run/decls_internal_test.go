package run

import (
	"testing"

	"github.com/golit/golit/interp/parse"
)

// TestMethodsNamedFollowsTheStore checks the method index that
// formatMethods and the type guesser read instead of every declaration: a
// method appears when declared, is replaced when declared again, and goes
// when its entry is removed; functions never appear.
func TestMethodsNamedFollowsTheStore(t *testing.T) {
	s := newDeclStore()
	method := func(recv, name, src string) *parse.Declaration {
		return &parse.Declaration{Kind: parse.MethodDecl, Key: recv + "." + name, Names: []string{name}, Recv: recv, Src: src}
	}
	s.add(&parse.Declaration{Kind: parse.TypeDecl, Key: "T", Names: []string{"T"}})
	s.add(&parse.Declaration{Kind: parse.FuncDecl, Key: "String", Names: []string{"String"}})
	if got := s.methodsNamed("String"); len(got) != 0 {
		t.Fatalf("a function is in the method index: %v", got)
	}
	first := method("T", "String", "v1")
	s.add(first)
	s.add(method("U", "String", "u"))
	if got := s.methodsNamed("String"); len(got) != 2 || got["T.String"] != first {
		t.Fatalf("after two String methods: %v", got)
	}
	second := method("T", "String", "v2")
	s.add(second)
	if got := s.methodsNamed("String"); len(got) != 2 || got["T.String"] != second {
		t.Fatalf("T.String declared again: want the new entry, got %v", got)
	}
	s.remove(second)
	s.remove(s.byKey["U.String"])
	if got := s.methodsNamed("String"); len(got) != 0 {
		t.Fatalf("after removing both: %v", got)
	}
	if _, ok := s.methods["String"]; ok {
		t.Fatal("an empty method set is kept")
	}
}
