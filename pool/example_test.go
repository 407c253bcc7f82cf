package pool_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/golit/golit/pool"
)

// Map keeps the input order; at most 2 calls run at once.
func ExampleMap() {
	codes := pool.Items([]string{"br", "cn", "in"})
	upper, err := pool.Map(context.Background(), 2, codes, func(ctx context.Context, cc any) (any, error) {
		return strings.ToUpper(cc.(string)), nil
	})
	fmt.Println(upper, err)
	// Output: [BR CN IN] <nil>
}

// Run stops at the first error: the other tasks see their context
// cancelled, with the error as its cause.
func ExampleRun() {
	errNotFound := errors.New("ZZ: not found")
	started := make(chan struct{})
	err := pool.Run(context.Background(), 2,
		func(ctx context.Context) error { <-started; return errNotFound },
		func(ctx context.Context) error {
			close(started)
			<-ctx.Done() // a well-behaved task stops when told
			fmt.Println("stopped because:", context.Cause(ctx))
			return ctx.Err()
		},
	)
	fmt.Println("Run:", err)
	// Output:
	// stopped because: ZZ: not found
	// Run: ZZ: not found
}

// RunAll runs everything and reports every error.
func ExampleRunAll() {
	check := func(cc string) func(context.Context) error {
		return func(context.Context) error {
			if len(cc) != 2 {
				return fmt.Errorf("%q is not a country code", cc)
			}
			return nil
		}
	}
	err := pool.RunAll(context.Background(), 3, check("br"), check("xyz"), check("q"))
	lines := strings.Split(err.Error(), "\n")
	sort.Strings(lines) // errors are joined in completion order
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// "q" is not a country code
	// "xyz" is not a country code
}

// Stream yields each result as soon as it is ready (Python's
// imap_unordered); every item yields exactly one Result.
func ExampleStream() {
	n := 0
	for r := range pool.Stream(context.Background(), 4, pool.Items([]int{1, 2, 3, 4, 5}), func(ctx context.Context, x any) (any, error) {
		return x.(int) * x.(int), nil
	}) {
		n += r.Value.(int)
	}
	fmt.Println("sum of squares:", n)
	// Output: sum of squares: 55
}
