"""Go 1.22+ generic functions of compiled standard packages in cells
(issue 12, item 5): reflect.TypeFor and errors.AsType, which yaegi's
compiled tables cannot hold; golit rewrites them (interp/rewrite/laterstd.go)."""

from __future__ import annotations


def test_reflect_typefor(kernel):
    got = kernel.ok("fmt.Println(reflect.TypeFor[int](), reflect.TypeFor[map[string][]int]())").stdout
    assert got == "int map[string][]int\n"


def test_errors_astype(kernel):
    got = kernel.ok('_, err := os.Open("/nonexistent/golit")\n'
                    'wrapped := fmt.Errorf("loading: %w", err)\n'
                    "if pe, ok := errors.AsType[*fs.PathError](wrapped); ok {\n"
                    "\tfmt.Println(pe.Op, pe.Path)\n"
                    "}\n"
                    'pe, ok := errors.AsType[*fs.PathError](errors.New("plain"))\n'
                    "fmt.Println(pe == nil, ok)").stdout
    assert got == "open /nonexistent/golit\ntrue false\n"
