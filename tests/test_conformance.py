"""The official kernel conformance tests (jupyter_kernel_test) for golit.

Every message these tests see is validated against the protocol's message
schemas by jupyter_kernel_test itself.
"""

from __future__ import annotations

import jupyter_kernel_test as jkt

DISPLAY = 'import "github.com/golit/golit/display"\n'


class TestGolit(jkt.KernelTests):
    kernel_name = "golit"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'fmt.Println("hello, world")'

    code_stderr = 'fmt.Fprintln(os.Stderr, "this goes to stderr")'

    completion_samples = [
        # Go keywords and package members, as typed at the end of a cell.
        {"text": "sel", "matches": {"select"}},
        {"text": "strings.TrimSu", "matches": {"TrimSuffix"}},
        {"text": "strings.ToUpp", "matches": {"ToUpper", "ToUpperSpecial"}},
    ]

    complete_code_samples = [
        'fmt.Println("hi")',
        "x := 1",
        "func add(a, b int) int {\n\treturn a + b\n}",
        "type P struct {\n\tX, Y int\n}",
        "import \"strings\"\nstrings.ToUpper(\"go\")",
    ]
    incomplete_code_samples = [
        "func add(a, b int) int {",
        "for i := 0; i < 3; i++ {",
        "if x := 1; x > 0 {\n\tfmt.Println(x)",
        "s := `a raw string",
        "fmt.Println(1,",
    ]
    invalid_code_samples = [
        "x := )",
        'fmt.Println("a" "b")',
        "func 1x() {}",
    ]

    code_inspect_sample = "strings.Split"

    # Help is a page payload of the execute_reply, as in ipykernel.
    code_page_something = "?strings.Split"

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "10 / 3", "result": "3"},
        {"code": 'len("gopher")', "result": "6"},
        {"code": "1 < 2", "result": "true"},
    ]

    code_display_data = [
        {"code": DISPLAY + '_ = display.ShowBundle(display.Bundle{"text/html": "<b>go</b>", '
                           '"text/plain": "go"})', "mime": "text/html"},
        {"code": DISPLAY + '_ = display.ShowBundle(display.Bundle{"image/svg+xml": '
                           '"<svg xmlns=\\"http://www.w3.org/2000/svg\\"/>"})',
         "mime": "image/svg+xml"},
    ]

    code_clear_output = DISPLAY + "display.Clear(false)"

    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")

    code_generate_error = 'panic("this cell fails")'
