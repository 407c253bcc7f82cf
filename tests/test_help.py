"""Help (?name, name?, %help name) through a real kernel: the documentation is
the page payload of the execute_reply, as ipykernel sends it, not output."""

from __future__ import annotations

from helpers import Kernel

SPLIT = "func Split(s, sep string) []string\n\nSplit slices s into all substrings separated by sep"


def pages(run) -> list[str]:
    """The text/plain of each page payload of the reply, checking their form."""
    out = []
    for p in run.content["payload"]:
        assert p["source"] == "page" and p["start"] == 0, p
        out.append(p["data"]["text/plain"])
    return out


def test_help_is_a_page_payload(kernel: Kernel):
    for code in ("?strings.Split", "strings.Split?", "%help strings.Split"):
        run = kernel.ok(code)
        assert [p[: len(SPLIT)] for p in pages(run)] == [SPLIT], run.content["payload"]
        assert "It is equivalent to [SplitN] with a count of -1." in pages(run)[0]
        # Not output: the cell published nothing but its input and status.
        assert [m["msg_type"] for m in run.iopub] == ["status", "execute_input", "status"], code


def test_help_of_notebook_identifiers_and_magics(kernel: Kernel):
    kernel.ok("func double(n int) int { return 2 * n }\nlimit := 10")
    assert pages(kernel.ok("double?")) == ["func double(n int) int { return 2 * n }\n"]
    assert pages(kernel.ok("limit?")) == ["var limit int\n\nvalue: 10\n"]
    [usage] = pages(kernel.ok("%help %timeit"))
    assert usage.startswith("%timeit [-n N] [-r R] [-q] STATEMENT\n"), usage


def test_help_between_code_lines_is_one_page(kernel: Kernel):
    run = kernel.ok("x := 2\n?strings.Split\nfmt.Println(x)\nfmt?\nfmt.Println(x * 2)")
    assert run.stdout == "2\n4\n"
    [page] = pages(run)
    assert page.startswith(SPLIT), page
    # The second help request follows the first after a blank line.
    assert "\n\npackage fmt // import \"fmt\"\n" in page
    assert page.index("package fmt") > page.index("Split slices")


def test_unknown_name_is_answered_on_stdout(kernel: Kernel):
    run = kernel.ok("nosuchname?")
    assert run.stdout == "Object `nosuchname` not found.\n"
    assert run.content["payload"] == []


def test_failed_cell_shows_its_help_on_stdout(kernel: Kernel):
    run = kernel.execute('?strings.Split\nfmt.Println("before")\npanic("boom")', stop_on_error=False)
    assert run.status == "error" and run.content["payload"] == []
    assert run.stdout.startswith("before\n" + SPLIT), run.stdout
    # The help comes before the error.
    types = [m["msg_type"] for m in run.iopub]
    assert types.index("error") > max(i for i, t in enumerate(types) if t == "stream"), types
