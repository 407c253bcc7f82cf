package interp

import "testing"

func TestZZScratch(t *testing.T) {
	s := newSession(t)
	for _, c := range []string{
		"destA, errA := os.MkdirTemp(\"\", \"x-\")",
		"func useA(cc string) string { return filepath.Join(destA, cc) }\nfmt.Println(useA(\"a\"), errA)",
		"func two() (string, int) { return \"s\", 3 }\ndestB, _ := two()",
		"func useB() string { return destB }\nfmt.Println(useB())",
		"destC, _ := strconv.Atoi(\"12\")",
		"func useC() int { return destC }\nfmt.Println(useC())",
		"destD, _, _ := strings.Cut(\"a=b\", \"=\")",
		"func useD() string { return destD }\nfmt.Println(useD())",
	} {
		s.io.reset()
		r := s.run(c)
		if r.Err != nil { t.Logf("%q -> %+v out=%q", c, *r.Err, s.io.out()) } else { t.Logf("%q ok out=%q", c, s.io.out()) }
	}
}
