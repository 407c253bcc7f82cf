"""The Go of the release that built golit, in a real kernel: ranges over
iterator functions, the iter package, sync.OnceValue and atomic.Pointer,
which yaegi v0.16.1 does not carry by itself (interp/LIMITS.md)."""

from __future__ import annotations

from helpers import Kernel

TREE = """import "iter"

// Tree is a binary search tree of ints.
type Tree struct {
	Left, Right *Tree
	Val         int
}

func (t *Tree) Insert(v int) *Tree {
	if t == nil {
		return &Tree{Val: v}
	}
	if v < t.Val {
		t.Left = t.Left.Insert(v)
	} else {
		t.Right = t.Right.Insert(v)
	}
	return t
}

// All yields the values in order.
func (t *Tree) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		t.push(yield)
	}
}

func (t *Tree) push(yield func(int) bool) bool {
	if t == nil {
		return true
	}
	return t.Left.push(yield) && yield(t.Val) && t.Right.push(yield)
}

var root *Tree
for _, v := range []int{5, 2, 8, 1, 9, 3} {
	root = root.Insert(v)
}"""


def test_range_over_a_user_defined_iterator(kernel: Kernel):
    kernel.ok(TREE)
    # break, continue and the per-iteration variable seen by goroutines.
    run = kernel.ok("""var wg sync.WaitGroup
results := make([]int, 10)
for v := range root.All() {
	if v == 2 {
		continue
	}
	if v > 8 {
		break
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		results[v] = v * v
	}()
	fmt.Print(v, " ")
}
wg.Wait()
fmt.Println()
fmt.Println(results)""")
    assert run.stdout == "1 3 5 8 \n[0 1 0 9 0 25 0 0 64 0]\n", run.text()

    # A return from inside the loop, with results, in a function.
    assert kernel.value("""func firstAbove(t *Tree, min int) (int, bool) {
	for v := range t.All() {
		if v > min {
			return v, true
		}
	}
	return 0, false
}
fmt.Sprint(firstAbove(root, 4))""") == '"5 true"'

    # A later cell ranges over a variable holding the iterator.
    kernel.ok("it := root.All()")
    assert kernel.value("total := 0\nfor v := range it {\n\ttotal += v\n}\ntotal") == "28"


def test_range_over_a_function_reports_what_it_cannot_carry(kernel: Kernel):
    run = kernel.execute("for v := range func(yield func(int) bool) { yield(1) } {\n"
                         "\tif v == 1 {\n\t\tgoto out\n\t}\n}\nout:")
    assert run.status == "error"
    assert run.content["ename"] == "CompileError"
    assert "In[" in run.content["evalue"] and ":3:3: goto out leaves the body of a range over a function" \
        in run.content["evalue"], run.text()
    assert kernel.value("40 + 2") == "42"


def test_oncevalue_pull_and_atomic_pointer(kernel: Kernel):
    run = kernel.ok('load := sync.OnceValue(func() string {\n\tfmt.Println("loading")\n'
                    '\treturn "config"\n})\nfmt.Println(load(), load())')
    assert run.stdout == "loading\nconfig config\n", run.text()
    run = kernel.ok('next, stop := iter.Pull(slices.Values([]string{"a", "b"}))\n'
                    "fmt.Println(next())\nstop()\nfmt.Println(next())")
    assert run.stdout == "a true\n false\n", run.text()
    assert kernel.value("type Conf struct{ N int }\nvar cur atomic.Pointer[Conf]\n"
                        "cur.Store(&Conf{N: 3})\ncur.Load().N") == "3"


def test_iterators_survive_an_engine_restart(fresh_kernel: Kernel):
    k = fresh_kernel
    k.ok(TREE + "\nfunc sum(t *Tree) (s int) {\n\tfor v := range t.All() {\n\t\ts += v\n\t}\n\treturn\n}")
    # A fatal error ends the engine process; the supervisor starts another
    # and restores the notebook's declarations, which compile again.
    k.execute("func down(n int) int { return down(n+1) + 1 }\ndown(0)", timeout=60)
    assert k.value("sum((&Tree{Val: 4}).Insert(6))") == "10"
