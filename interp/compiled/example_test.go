package compiled_test

import (
	"context"
	"fmt"

	"github.com/golit/golit/interp/compiled"
)

// A compiled cell is built into a worker; the engine defines Source in the
// interpreter, whose stubs call Call.
func Example() {
	s := compiled.New(compiled.Config{})
	defer s.Close()
	// The source is padded as the magic package pads it: line 1 is the
	// %%compile line.
	def, err := s.Define(context.Background(), 1, "\nfunc fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(def.Funcs)
	var r int
	if err := s.Call("fib", []any{30}, []any{&r}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	// Output:
	// [fib]
	// 832040
}
