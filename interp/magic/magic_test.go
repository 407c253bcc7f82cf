package magic

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEnv is a stand-in engine: Eval records the source it was given and
// runs a tiny language of its own ("print X", "fail", "panic", "value X").
type fakeEnv struct {
	mu       sync.Mutex
	evals    []string
	stdout   strings.Builder
	stderr   strings.Builder
	firstOut time.Time // when the first stdout text arrived
	vars     []Var
	resets   int
	docs     map[string]string
}

func (e *fakeEnv) Eval(ctx context.Context, src string) (any, error) {
	e.mu.Lock()
	e.evals = append(e.evals, src)
	e.mu.Unlock()
	var v any
	for _, line := range strings.Split(src, "\n") {
		s := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(s, "print "):
			e.Stream("stdout", s[len("print "):]+"\n")
		case s == "fail":
			return nil, errors.New("CompileError: fail")
		case s == "panic":
			panic("boom")
		case strings.HasPrefix(s, "value "):
			v = s[len("value "):]
		case strings.HasPrefix(s, "sleep "):
			d, _ := time.ParseDuration(s[len("sleep "):])
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	return v, nil
}

func (e *fakeEnv) Stream(name, text string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if name == "stdout" {
		if e.firstOut.IsZero() {
			e.firstOut = time.Now()
		}
		e.stdout.WriteString(text)
	} else {
		e.stderr.WriteString(text)
	}
}

func (e *fakeEnv) Vars() []Var  { return append([]Var(nil), e.vars...) }
func (e *fakeEnv) Reset() error { e.resets++; e.vars = nil; return nil }
func (e *fakeEnv) Doc(name string) (string, bool) {
	d, ok := e.docs[name]
	return d, ok
}
func (e *fakeEnv) out() string { e.mu.Lock(); defer e.mu.Unlock(); return e.stdout.String() }
func (e *fakeEnv) errOut() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stderr.String()
}

// compilingEnv also implements FuncCompiler and Prompter.
type compilingEnv struct {
	fakeEnv
	compiled int
	calls    int
	failAt   int
	answer   string
}

func (e *compilingEnv) CompileFunc(ctx context.Context, src string) (func() error, error) {
	e.compiled++
	if strings.TrimSpace(src) == "fail" {
		return nil, errors.New("CompileError: fail")
	}
	return func() error {
		e.calls++
		if e.calls == e.failAt {
			return fmt.Errorf("failed at call %d", e.calls)
		}
		return nil
	}, nil
}

func (e *compilingEnv) Input(prompt string) (string, error) {
	e.Stream("stdout", prompt)
	return e.answer, nil
}

func TestParse(t *testing.T) {
	type st struct {
		kind       Kind
		name, args string
		source     string
		line       int
	}
	tests := []struct {
		cell string
		want []st
	}{
		{"x := 1\nfmt.Println(x)", []st{{Go, "", "", "x := 1\nfmt.Println(x)", 1}}},
		{"", []st{{Go, "", "", "", 1}}},
		{"%time x := fib(30)", []st{{LineMagic, "time", "x := fib(30)", "      x := fib(30)", 1}}},
		{"x := 2\n%time y := f(x)\nfmt.Println(y)", []st{
			{Go, "", "", "x := 2\n", 1},
			{LineMagic, "time", "y := f(x)", "\n      y := f(x)", 2},
			{Go, "", "", "\n\nfmt.Println(y)", 3}}},
		{"\n0\nA?", []st{{Go, "", "", "\n0\n", 2}, {Help, "A", "", "", 3}}}, // found by FuzzParse
		{"%%timeit -n 10\nx++\n", []st{{CellMagic, "timeit", "-n 10", "\nx++\n", 1}}},
		{"\n\n%%bash\necho hi", []st{{CellMagic, "bash", "", "\n\n\necho hi", 3}}},
		{"!ls -l\n", []st{{Shell, "", "ls -l", "", 1}}},
		{"!!ls", []st{{Shell, "", "ls", "", 1}}},
		{"strings.Split?", []st{{Help, "strings.Split", "", "", 1}}},
		{"?fmt", []st{{Help, "fmt", "", "", 1}}},
		{"p??", []st{{Help, "p", "", "", 1}}},
		{"%timeit?", []st{{Help, "%timeit", "", "", 1}}},
		{"%help %time", []st{{LineMagic, "help", "%time", "", 1}}},
		{"  %env A=1", []st{{LineMagic, "env", "A=1", "", 1}}},
		{"for i := range 3 {\n\t!echo hi\n}", []st{{Go, "", "", "for i := range 3 {\n\t!echo hi\n}", 1}}},
		// Continuations, brackets, strings and comments keep lines as Go.
		{"ok := a &&\n  !b", []st{{Go, "", "", "ok := a &&\n  !b", 1}}},
		{"fmt.Printf(\n%d\n)", []st{{Go, "", "", "fmt.Printf(\n%d\n)", 1}}},
		{"s := `\n!not shell\n`", []st{{Go, "", "", "s := `\n!not shell\n`", 1}}},
		{"/*\n%time x\n*/", []st{{Go, "", "", "/*\n%time x\n*/", 1}}},
		{"x := 1\n!= y", []st{{Go, "", "", "x := 1\n!= y", 1}}},
		{"%", []st{{Go, "", "", "%", 1}}},
		{"x := 1\n\n!echo a\n\ny := 2\n", []st{
			{Go, "", "", "x := 1\n\n", 1},
			{Shell, "", "echo a", "", 3},
			{Go, "", "", "\n\n\n\ny := 2\n", 5}}}, // Line is the first non-blank line
	}
	for _, tt := range tests {
		p := Parse(tt.cell)
		var got []st
		for _, s := range p.Steps {
			got = append(got, st{s.Kind, s.Name, s.Args, s.Source, s.Line})
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.cell, got, tt.want)
		}
		if p.HasMagic() != !(len(tt.want) == 1 && tt.want[0].kind == Go) {
			t.Errorf("Parse(%q).HasMagic() = %v", tt.cell, p.HasMagic())
		}
	}
}

func run(t *testing.T, env Env, cell string) (any, error) {
	t.Helper()
	return Run(context.Background(), Parse(cell), env)
}

var timeOutput = regexp.MustCompile(`^CPU times: user [0-9.e+]+ (s|ms|µs|ns), sys: [0-9.e+]+ (s|ms|µs|ns), total: [0-9.e+]+ (s|ms|µs|ns)\nWall time: [0-9.]+ (s|ms|µs|ns)\n$`)

func TestTime(t *testing.T) {
	env := &fakeEnv{}
	v, err := run(t, env, "%time value 42")
	if err != nil || v != "42" {
		t.Fatalf("got %v, %v", v, err)
	}
	if !timeOutput.MatchString(env.out()) {
		t.Errorf("output %q", env.out())
	}
	if env.evals[0] != "      value 42" {
		t.Errorf("eval source %q", env.evals[0])
	}

	env = &fakeEnv{}
	v, err = run(t, env, "%%time\nprint hello\n!echo shell\nvalue 7")
	if err != nil || v != "7" {
		t.Fatalf("got %v, %v", v, err)
	}
	out := env.out()
	if !strings.HasPrefix(out, "hello\nshell\nCPU times: ") || !strings.Contains(out, "\nWall time: ") {
		t.Errorf("output %q", out)
	}

	// A wall time that is measured, not made up.
	env = &fakeEnv{}
	if _, err := run(t, env, "%time sleep 120ms"); err != nil {
		t.Fatal(err)
	}
	// At least the sleep; a loaded machine may add to it, never take away.
	if m := regexp.MustCompile(`Wall time: ([0-9.]+) ?(ns|µs|ms|s)\b`).FindStringSubmatch(env.out()); m == nil {
		t.Errorf("120ms sleep: %q", env.out())
	} else if d, err := time.ParseDuration(m[1] + m[2]); err != nil || d < 120*time.Millisecond || d > 5*time.Second {
		t.Errorf("120ms sleep measured as %v (%v): %q", d, err, env.out())
	}

	// Errors come back unchanged, after the times.
	env = &fakeEnv{}
	_, err = run(t, env, "%time fail")
	if err == nil || err.Error() != "CompileError: fail" || !strings.Contains(env.out(), "Wall time") {
		t.Errorf("err %v out %q", err, env.out())
	}
	_, err = run(t, &fakeEnv{}, "%time")
	assertUsage(t, err, "%time needs a statement")
}

func assertUsage(t *testing.T, err error, want string) {
	t.Helper()
	var me *Error
	if !errors.As(err, &me) || me.Name != "UsageError" || !strings.Contains(me.Message, want) {
		t.Errorf("want UsageError containing %q, got %v", want, err)
	}
}

// timeitLine matches %timeit's output; the caching warning may come first
// on a busy machine.
var timeitLine = regexp.MustCompile(`^(?:The slowest run took [0-9.]+ times longer than the fastest\. This could mean that an intermediate result is being cached\.\n)?[0-9.e+]+ (s|ms|µs|ns) ± [0-9.e+]+ (s|ms|µs|ns) per loop \(mean ± std\. dev\. of (\d+) runs?, ([0-9,]+) loops? each\)\n$`)

func TestTimeit(t *testing.T) {
	env := &compilingEnv{}
	if _, err := run(t, env, "%timeit -n 3 -r 2 x.Sum()"); err != nil {
		t.Fatal(err)
	}
	if env.compiled != 1 || env.calls != 6 || len(env.evals) != 0 {
		t.Errorf("compiled %d calls %d evals %d", env.compiled, env.calls, len(env.evals))
	}
	m := timeitLine.FindStringSubmatch(env.out())
	if m == nil || m[3] != "2" || m[4] != "3" {
		t.Errorf("output %q", env.out())
	}

	// Automatic loop count: a no-op needs many loops for 0.2 s.
	env = &compilingEnv{}
	if _, err := run(t, env, "%timeit -r 1 nothing()"); err != nil {
		t.Fatal(err)
	}
	m = timeitLine.FindStringSubmatch(env.out())
	if m == nil || m[3] != "1" || len(m[4]) < 5 {
		t.Errorf("output %q", env.out())
	}

	// Without FuncCompiler every loop is an Eval; -q prints nothing.
	fe := &fakeEnv{}
	if _, err := run(t, fe, "%timeit -q -n2 -r 3 value 1"); err != nil {
		t.Fatal(err)
	}
	if len(fe.evals) != 6 || fe.out() != "" {
		t.Errorf("evals %d out %q", len(fe.evals), fe.out())
	}
	if !strings.HasSuffix(fe.evals[0], "value 1") || strings.Count(fe.evals[0], " ") != len("%timeit -q -n2 -r 3 value 1")-len("value 1")+1 {
		t.Errorf("statement not padded to its column: %q", fe.evals[0])
	}

	// %%timeit: setup once, then the body.
	env = &compilingEnv{}
	env.answer = ""
	if _, err := run(t, env, "%%timeit -n 5 -r 1 value setup\nbody()"); err != nil {
		t.Fatal(err)
	}
	if len(env.evals) != 1 || strings.TrimSpace(env.evals[0]) != "value setup" || env.calls != 5 {
		t.Errorf("evals %q calls %d", env.evals, env.calls)
	}

	// The first failing call stops the measurement with its error.
	env = &compilingEnv{failAt: 4}
	_, err := run(t, env, "%timeit -n 10 f()")
	if err == nil || err.Error() != "failed at call 4" || env.calls != 4 || env.out() != "" {
		t.Errorf("err %v calls %d out %q", err, env.calls, env.out())
	}
	_, err = run(t, &compilingEnv{}, "%timeit fail")
	if err == nil || err.Error() != "CompileError: fail" {
		t.Errorf("compile error: %v", err)
	}
	_, err = run(t, &fakeEnv{}, "%timeit panic")
	var me *Error
	if !errors.As(err, &me) || me.Name != "panic" || me.Message != "boom" {
		t.Errorf("panic: %v", err)
	}
	_, err = run(t, &fakeEnv{}, "%timeit -n x f()")
	assertUsage(t, err, "-n needs a positive number")
}

func TestTimeitInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	env := &fakeEnv{}
	_, err := Run(ctx, Parse("%timeit sleep 10ms"), env)
	if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Errorf("err %v after %v", err, time.Since(start))
	}
}

func TestShellStreamsLive(t *testing.T) {
	env := &fakeEnv{}
	if _, err := run(t, env, "!echo first; sleep 0.6; echo second; echo oops >&2"); err != nil {
		t.Fatal(err)
	}
	end := time.Now()
	if env.out() != "first\nsecond\n" || env.errOut() != "oops\n" {
		t.Errorf("stdout %q stderr %q", env.out(), env.errOut())
	}
	// The first line must arrive while the command still sleeps, not
	// when it ends.
	if d := end.Sub(env.firstOut); d < 400*time.Millisecond {
		t.Errorf("first line arrived only %v before the command ended: not live", d)
	}
	// A failing ! command is not an error (IPython), its stderr shows.
	env = &fakeEnv{}
	if _, err := run(t, env, "!ls /definitely/not/here"); err != nil {
		t.Errorf("! failure became an error: %v", err)
	}
	if env.errOut() == "" {
		t.Error("no stderr from failing ls")
	}
}

func TestShellMixedWithGo(t *testing.T) {
	env := &fakeEnv{}
	v, err := run(t, env, "print a\n!echo b\nprint c\nvalue d")
	if err != nil || v != "d" || env.out() != "a\nb\nc\n" {
		t.Errorf("v %v err %v out %q", v, err, env.out())
	}
	// An error stops the cell: later steps do not run.
	env = &fakeEnv{}
	_, err = run(t, env, "fail\n!echo never")
	if err == nil || env.out() != "" {
		t.Errorf("err %v out %q", err, env.out())
	}
}

func TestShellInterruptKillsGroup(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "survived")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	env := &fakeEnv{}
	// The inner sh is a child of the shell: it must die too.
	_, err := Run(ctx, Parse("!echo started; sh -c 'sleep 2; touch "+marker+"'"), env)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("interrupt took %v", d)
	}
	time.Sleep(2500 * time.Millisecond)
	if _, err := os.Stat(marker); err == nil {
		t.Error("a process of the interrupted command kept running")
	}
	if env.out() != "started\n" {
		t.Errorf("out %q", env.out())
	}
}

func TestShellBackgroundChildDoesNotHang(t *testing.T) {
	start := time.Now()
	if _, err := run(t, &fakeEnv{}, "!sleep 3 &"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("waited %v for a background child", d)
	}
}

func TestBash(t *testing.T) {
	env := &fakeEnv{}
	if _, err := run(t, env, "%%bash\nfor i in 1 2 3; do echo line $i; done\necho 'é€' >&2"); err != nil {
		t.Fatal(err)
	}
	if env.out() != "line 1\nline 2\nline 3\n" || env.errOut() != "é€\n" {
		t.Errorf("stdout %q stderr %q", env.out(), env.errOut())
	}
	_, err := run(t, &fakeEnv{}, "%%bash\necho hi\nexit 3")
	var me *Error
	if !errors.As(err, &me) || me.Name != "CalledProcessError" || !strings.Contains(me.Message, "exit status 3") {
		t.Errorf("err %v", err)
	}
}

func TestCopyStreamKeepsRunes(t *testing.T) {
	env := &fakeEnv{}
	r := &runner{env: env}
	pr, pw, _ := os.Pipe()
	go func() {
		b := []byte("aé€😀z")
		for i := range b { // one byte at a time: every rune is split
			pw.Write(b[i : i+1])
			time.Sleep(time.Millisecond)
		}
		pw.Close()
	}()
	r.copyStream("stdout", pr)
	if env.out() != "aé€😀z" {
		t.Errorf("got %q", env.out())
	}
}

func TestWritefile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "hello.go")
	env := &fakeEnv{}
	cells := []struct{ cell, say, content string }{
		{"%%writefile " + name + "\npackage main\n\nfunc main() {}\n", "Writing " + name + "\n", "package main\n\nfunc main() {}\n"},
		{"%%writefile " + name + "\nv2\n", "Overwriting " + name + "\n", "v2\n"},
		{"%%writefile -a " + name + "\nmore\n", "Appending to " + name + "\n", "v2\nmore\n"},
	}
	for _, c := range cells {
		env.stdout.Reset()
		if _, err := run(t, env, c.cell); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(name)
		if env.out() != c.say || string(data) != c.content {
			t.Errorf("%q: said %q, file %q", c.cell, env.out(), data)
		}
	}
	_, err := run(t, env, "%%writefile\nx")
	assertUsage(t, err, "usage")
}

func TestEnv(t *testing.T) {
	env := &fakeEnv{}
	t.Setenv("GOLIT_MAGIC_TEST", "")
	if _, err := run(t, env, "%env GOLIT_MAGIC_TEST=hello world"); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("GOLIT_MAGIC_TEST") != "hello world" || env.out() != "env: GOLIT_MAGIC_TEST=hello world\n" {
		t.Errorf("env %q out %q", os.Getenv("GOLIT_MAGIC_TEST"), env.out())
	}
	env.stdout.Reset()
	run(t, env, "%env GOLIT_MAGIC_TEST")
	if env.out() != "hello world\n" {
		t.Errorf("out %q", env.out())
	}
	env.stdout.Reset()
	run(t, env, "%env")
	if !strings.Contains(env.out(), "GOLIT_MAGIC_TEST=hello world\n") {
		t.Error("env listing lacks the variable")
	}
	// A shell command sees it.
	env.stdout.Reset()
	run(t, env, "!echo $GOLIT_MAGIC_TEST")
	if env.out() != "hello world\n" {
		t.Errorf("shell sees %q", env.out())
	}
	_, err := run(t, env, "%env GOLIT_NO_SUCH_VARIABLE_X")
	assertUsage(t, err, "Environment does not have key: GOLIT_NO_SUCH_VARIABLE_X")
}

func TestWhoAndReset(t *testing.T) {
	env := &compilingEnv{}
	run(t, env, "%who")
	if env.out() != "Interactive namespace is empty.\n" {
		t.Errorf("empty who %q", env.out())
	}
	env.vars = []Var{{"p", "Point", "{1 2}"}, {"n", "int", "3"}, {"s", "string", `"hi"`}, {"m", "int", "4"}}
	env.stdout.Reset()
	run(t, env, "%who")
	if env.out() != "m\tn\tp\ts\t\n" {
		t.Errorf("who %q", env.out())
	}
	env.stdout.Reset()
	run(t, env, "%who int")
	if env.out() != "m\tn\t\n" {
		t.Errorf("who int %q", env.out())
	}
	env.stdout.Reset()
	run(t, env, "%whos")
	want := "Variable   Type     Data/Info\n" +
		"---------------------------------\n" +
		"m          int      4\n" +
		"n          int      3\n" +
		"p          Point    {1 2}\n" +
		"s          string   \"hi\"\n"
	if env.out() != want {
		t.Errorf("whos\n%s\nwant\n%s", env.out(), want)
	}
	env.stdout.Reset()
	env.answer = "n"
	run(t, env, "%reset")
	if env.resets != 0 || !strings.HasSuffix(env.out(), "Nothing done.\n") {
		t.Errorf("reset answered n: resets %d out %q", env.resets, env.out())
	}
	env.answer = "y"
	run(t, env, "%reset")
	run(t, env, "%reset -f")
	if env.resets != 2 {
		t.Errorf("resets %d", env.resets)
	}
	_, err := run(t, &fakeEnv{}, "%reset")
	assertUsage(t, err, "%reset -f")
}

func TestHelpAndLsmagic(t *testing.T) {
	env := &fakeEnv{docs: map[string]string{"strings.Split": "func Split(s, sep string) []string"}}
	for _, cell := range []string{"strings.Split?", "?strings.Split", "%help strings.Split"} {
		env.stdout.Reset()
		if _, err := run(t, env, cell); err != nil {
			t.Fatal(err)
		}
		if env.out() != "func Split(s, sep string) []string\n" {
			t.Errorf("%q: %q", cell, env.out())
		}
	}
	env.stdout.Reset()
	run(t, env, "nosuch?")
	if env.out() != "Object `nosuch` not found.\n" {
		t.Errorf("%q", env.out())
	}
	env.stdout.Reset()
	run(t, env, "%help %%timeit")
	if !strings.HasPrefix(env.out(), "%%timeit [-n N]") {
		t.Errorf("%q", env.out())
	}
	env.stdout.Reset()
	run(t, env, "%lsmagic")
	for _, n := range []string{"%time", "%timeit", "%env", "%who", "%reset", "%%bash", "%%writefile", "%%time", "%%timeit"} {
		if !strings.Contains(env.out()+" ", n+" ") && !strings.Contains(env.out(), n+"\n") {
			t.Errorf("%%lsmagic lacks %s: %q", n, env.out())
		}
	}
	env.stdout.Reset()
	run(t, env, "%help")
	if !strings.Contains(env.out(), "%timeit [-n N] [-r R] [-q] STATEMENT") || !strings.Contains(env.out(), "!COMMAND") {
		t.Errorf("%q", env.out())
	}
}

// pagingEnv is a fakeEnv with a pager.
type pagingEnv struct {
	fakeEnv
	pages []string
}

func (e *pagingEnv) Page(text string) { e.pages = append(e.pages, text) }

// TestHelpGoesToThePager checks where help text goes when the Env has a
// pager: one page per cell holding every help request in order, nothing on
// stdout; on stdout when the cell fails.
func TestHelpGoesToThePager(t *testing.T) {
	docs := map[string]string{"strings.Split": "func Split(s, sep string) []string", "fmt": "package fmt\n\nFormatted I/O.\n"}
	tests := []struct {
		cell   string
		failed bool
		pages  []string
		out    string
	}{
		{cell: "?strings.Split", pages: []string{"func Split(s, sep string) []string\n"}},
		{cell: "strings.Split??", pages: []string{"func Split(s, sep string) []string\n"}},
		{cell: "%help strings.Split", pages: []string{"func Split(s, sep string) []string\n"}},
		{cell: "?%time", pages: []string{"%time STATEMENT\n    run a Go statement once and print CPU and wall time\n"}},
		// Code before, between and after help lines runs in order; the
		// help comes as one page, in the order it was asked for.
		{cell: "print a\n?strings.Split\nprint b\nfmt?\nprint c", out: "a\nb\nc\n",
			pages: []string{"func Split(s, sep string) []string\n\npackage fmt\n\nFormatted I/O.\n"}},
		// Unknown names are answered on stdout, as IPython does.
		{cell: "nosuch?\n?fmt", out: "Object `nosuch` not found.\n", pages: []string{"package fmt\n\nFormatted I/O.\n"}},
		{cell: "nosuch?", out: "Object `nosuch` not found.\n"},
		// A failed cell has no page: its help is on stdout, after the
		// output of the steps that ran.
		{cell: "?strings.Split\nprint a\nfail\nprint never", failed: true, out: "a\nfunc Split(s, sep string) []string\n"},
	}
	for _, tt := range tests {
		env := &pagingEnv{fakeEnv: fakeEnv{docs: docs}}
		_, err := run(t, env, tt.cell)
		if (err != nil) != tt.failed {
			t.Errorf("%q: err = %v", tt.cell, err)
		}
		if env.out() != tt.out {
			t.Errorf("%q: stdout = %q, want %q", tt.cell, env.out(), tt.out)
		}
		if strings.Join(env.pages, "|") != strings.Join(tt.pages, "|") || len(env.pages) != len(tt.pages) {
			t.Errorf("%q: pages = %q, want %q", tt.cell, env.pages, tt.pages)
		}
	}

	// %help alone pages the overview.
	env := &pagingEnv{}
	run(t, env, "%help")
	if len(env.pages) != 1 || !strings.Contains(env.pages[0], "%timeit [-n N] [-r R] [-q] STATEMENT") || env.out() != "" {
		t.Errorf("%%help: pages %q, stdout %q", env.pages, env.out())
	}

	// An interrupted cell keeps its help, on stdout.
	env = &pagingEnv{fakeEnv: fakeEnv{docs: docs}}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := Run(ctx, Parse("fmt?\nsleep 10s"), env)
	if !errors.Is(err, context.Canceled) || len(env.pages) != 0 || env.out() != docs["fmt"] {
		t.Errorf("interrupted: err %v, pages %q, stdout %q", err, env.pages, env.out())
	}
}

func TestUnknownAndGo(t *testing.T) {
	_, err := run(t, &fakeEnv{}, "%pip install x")
	assertUsage(t, err, "Line magic function `%pip` not found.")
	_, err = run(t, &fakeEnv{}, "%%python\nx")
	assertUsage(t, err, "Cell magic `%%python` not found.")
	_, err = run(t, &fakeEnv{}, "%go get github.com/x/y")
	assertUsage(t, err, "helper packages")
}

func TestCdPwd(t *testing.T) {
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	dir := t.TempDir()
	env := &fakeEnv{}
	if _, err := run(t, env, "%cd "+dir+"\n%pwd\n!pwd"); err != nil {
		t.Fatal(err)
	}
	real, _ := filepath.EvalSymlinks(dir)
	lines := strings.Split(strings.TrimSpace(env.out()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%q", env.out())
	}
	for _, l := range lines {
		if l != dir && l != real {
			t.Errorf("line %q, want %q", l, dir)
		}
	}
}

func TestNames(t *testing.T) {
	n := Names()
	if n[0] != "%cd" || n[len(n)-1] != "%%writefile" {
		t.Errorf("%v", n)
	}
}

// TestShellWithoutGo: a command that needs the Go toolchain says plainly
// that Go is not installed and where to get it, when it is not on PATH.
func TestShellWithoutGo(t *testing.T) {
	bin := t.TempDir()
	for _, name := range []string{"sh", "bash", "echo"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Skip(name, "not found")
		}
		if err := os.Symlink(p, filepath.Join(bin, name)); err != nil {
			t.Skip("no symbolic links:", err)
		}
	}
	t.Setenv("PATH", bin) // a PATH without go

	for _, cell := range []string{"!go version", "!cd . && go run main.go", "!true; go build ./...", "%%bash\nset -e\ngo test ./...\n"} {
		env := &fakeEnv{}
		_, err := run(t, env, cell)
		if strings.HasPrefix(cell, "%%bash") != (err != nil) {
			t.Errorf("%q: error %v", cell, err)
		}
		if e := env.errOut(); !strings.Contains(e, "Go is not installed") || !strings.Contains(e, "https://go.dev/dl/") {
			t.Errorf("%q: stderr %q", cell, e)
		}
	}
	// Commands that do not run go, or a missing command that is not go, get no such message.
	for _, cell := range []string{"!echo go", "!gofmt -l .", "!nosuchcommand go"} {
		env := &fakeEnv{}
		run(t, env, cell)
		if strings.Contains(env.errOut(), "Go is not installed") {
			t.Errorf("%q: stderr %q", cell, env.errOut())
		}
	}
}
