"""Go 1.22-1.26 language and library additions in a real kernel: each one
either works, with Go's answer, or fails to compile with a message that
says why and what to write instead; never a wrong value (issue 15, item 2).
golit is built with the Go of go.mod's toolchain; yaegi v0.16.1 itself stops
at Go 1.22 (interp/LIMITS.md)."""

from __future__ import annotations

import pytest

from helpers import Kernel

# (cell, the text/plain of its value) for additions that work.
WORKS = [
    pytest.param("p := new(42)\n*p", "42", id="new(expr) 1.26"),
    pytest.param('type Pair struct{ A, B int }\nq := new(Pair{1, 2})\nq.B', "2", id="new(composite) 1.26"),
    pytest.param("s := 0\nfor i := range 4 { s += i }\ns", "6", id="range over int 1.22"),
    pytest.param("var fs []func() int\nfor i := 0; i < 3; i++ { fs = append(fs, func() int { return i }) }\n"
                 "fs[0]() + fs[1]()*10 + fs[2]()*100", "210", id="loop variable per iteration 1.22"),
    pytest.param("func count(n int) iter.Seq[int] {\n\treturn func(yield func(int) bool) {\n"
                 "\t\tfor i := range n { if !yield(i) { return } }\n\t}\n}\n"
                 "t := 0\nfor v := range count(5) { t += v }\nt", "10", id="range over func 1.23"),
    pytest.param('var parts []string\nfor p := range strings.SplitSeq("a,b", ",") { parts = append(parts, p) }\n'
                 'for l := range strings.Lines("x\\ny\\n") { parts = append(parts, strings.TrimSpace(l)) }\n'
                 'for f := range strings.FieldsSeq(" u  v ") { parts = append(parts, f) }\nstrings.Join(parts, "")',
                 '"abxyuv"', id="strings iterators 1.24"),
    pytest.param('var bs []string\nfor l := range bytes.Lines([]byte("p\\nq\\n")) { bs = append(bs, string(l)) }\n'
                 'for p := range bytes.SplitSeq([]byte("1-2"), []byte("-")) { bs = append(bs, string(p)) }\n'
                 'fmt.Sprint(bs)', '"[p\\n q\\n 1 2]"', id="bytes iterators 1.24"),
    pytest.param('fmt.Sprint(slices.Sorted(maps.Keys(map[string]int{"b": 1, "a": 2})))', '"[a b]"',
                 id="maps and slices iterators 1.23"),
    pytest.param("var wg sync.WaitGroup\nvar n atomic.Int64\nfor range 5 { wg.Go(func() { n.Add(1) }) }\n"
                 "wg.Wait()\nn.Load()", "5", id="sync.WaitGroup.Go 1.25"),
    pytest.param('type T1 struct {\n\tA int `json:"a,omitzero"`\n\tB time.Time `json:"b,omitzero"`\n'
                 '\tC string `json:"c"`\n}\nb, _ := json.Marshal(T1{C: "x"})\nstring(b)', '"{\\"c\\":\\"x\\"}"',
                 id="json omitzero 1.24"),
    pytest.param('var ta encoding.TextAppender = netip.MustParseAddr("1.2.3.4")\nb, _ := ta.AppendText(nil)\nstring(b)',
                 '"1.2.3.4"', id="encoding.TextAppender 1.24"),
    pytest.param('sum := sha3.Sum256([]byte("x"))\nlen(sum)', "32", id="crypto/sha3 1.24"),
    pytest.param("dk, _ := mlkem.GenerateKey768()\nlen(dk.EncapsulationKey().Bytes())", "1184", id="crypto/mlkem 1.24"),
    pytest.param("root, err := os.OpenRoot(os.TempDir())\nerr == nil && root.Name() == os.TempDir()", "true",
                 id="os.Root 1.24"),
    pytest.param('var buf bytes.Buffer\nbuf.WriteString("hello")\np, _ := buf.Peek(2)\nstring(p)', '"he"',
                 id="bytes.Buffer.Peek 1.26"),
    pytest.param("t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)\nt.Compare(t.Add(time.Hour))", "-1",
                 id="time.Time.Compare 1.20"),
    pytest.param("mn, mx := min(3, 1, 2), max(2.5, 1)\nfmt.Sprint(mn, mx)", '"1 2.5"', id="min max 1.21"),
    pytest.param('once := sync.OnceValue(func() int { return 7 })\nonce() + once()', "14", id="sync.OnceValue 1.21"),
    pytest.param('next, stop := iter.Pull(slices.Values([]int{4, 5}))\ndefer stop()\na, _ := next()\nb, _ := next()\na + b',
                 "9", id="iter.Pull 1.23"),
]


@pytest.mark.parametrize("code,want", WORKS)
def test_newer_go_that_works(kernel: Kernel, code: str, want: str):
    assert kernel.value(code) == want


# (cell, words the error must contain) for additions golit cannot run.
CLEAR_ERRORS = [
    pytest.param("type Set[T comparable] = map[T]struct{}", ["generic type aliases", "Go 1.24", "without the ="],
                 id="generic type alias 1.24"),
    pytest.param('h := unique.Make("abc")', ["undefined: unique", "package unique (Go 1.23) is generic"],
                 id="unique 1.23"),
    pytest.param("w := weak.Make(new(int))", ["undefined: weak", "package weak (Go 1.24)"], id="weak 1.24"),
    pytest.param("o := new(int)\nruntime.AddCleanup(o, func(int) {}, 0)", ["AddCleanup", "Go 1.24", "generic"],
                 id="runtime.AddCleanup 1.24"),
    pytest.param("reflect.TypeFor[int]()", ["TypeFor", "reflect.TypeOf((*T)(nil)).Elem()"], id="reflect.TypeFor 1.22"),
    pytest.param("v, ok := reflect.TypeAssert[int](reflect.ValueOf(5))", ["TypeAssert", "Go 1.25"],
                 id="reflect.TypeAssert 1.25"),
    pytest.param('_, err := os.Open("/nonexistent")\npe, ok := errors.AsType[*fs.PathError](err)',
                 ["errors.AsType", "Go 1.26", "errors.As(err, &target)"], id="errors.AsType 1.26"),
    pytest.param('key, err := hkdf.Key(sha256.New, []byte("s"), nil, "info", 16)', ["undefined: hkdf", "crypto/hkdf (Go 1.24)"],
                 id="crypto/hkdf 1.24"),
    pytest.param("synctest.Test", ["undefined: synctest", "testing/synctest (Go 1.25)"], id="testing/synctest 1.25"),
]


@pytest.mark.parametrize("code,words", CLEAR_ERRORS)
def test_newer_go_that_golit_cannot_run_fails_clearly(kernel: Kernel, code: str, words: list[str]):
    run = kernel.execute(code)
    assert run.status == "error", f"{code!r} ran: {run.text()}"
    assert run.content["ename"] == "CompileError", run.text()
    for w in words:
        assert w in run.content["evalue"], run.content["evalue"]
    assert "internal interpreter error" not in run.content["evalue"]
