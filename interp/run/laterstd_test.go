package run

import "testing"

func TestLaterStdGenerics(t *testing.T) {
	s := newSession(t)
	for _, c := range []struct{ code, out string }{
		{`fmt.Println(reflect.TypeFor[int](), reflect.TypeFor[map[string][]byte]())`, "int map[string][]uint8\n"},
		{"_, err := os.Open(\"/nonexistent/x\")\npe, ok := errors.AsType[*fs.PathError](fmt.Errorf(\"w: %w\", err))\nfmt.Println(pe.Op, pe.Path, ok)", "open /nonexistent/x true\n"},
		{"pe2, ok2 := errors.AsType[*fs.PathError](errors.New(\"plain\"))\nfmt.Println(pe2 == nil, ok2)", "true false\n"},
	} {
		if got, _ := s.ok(c.code); got != c.out {
			t.Errorf("%s\ngot %q, want %q", c.code, got, c.out)
		}
	}
}
