package display_test

import (
	"time"

	"github.com/golit/golit/display"
)

// Outside a notebook, Show prints the plain-text form of each value.
func ExampleShow() {
	display.Show(display.HTML("<b>20 flags</b> downloaded"), 3.5, display.Markdown("*done*"))
	// Output:
	// 20 flags downloaded
	// 3.5
	// *done*
}

// Table shows rows as an HTML table in a notebook, aligned text elsewhere.
func ExampleTable() {
	display.Show(display.Table([]string{"mode", "seconds"}, [][]any{
		{"sequential", 11.2},
		{"thread pool", 1.1},
		{"event loop", 1.05},
	}))
	// Output:
	// mode         seconds
	// -----------  -------
	// sequential   11.2
	// thread pool  1.1
	// event loop   1.05
}

// Display returns a handle whose Update replaces the output in place.
func ExampleDisplay() {
	h := display.Display(display.Markdown("downloading..."))
	h.Update(display.Markdown("done"))
	// Output:
	// downloading...
	// done
}

// A progress bar, updated in place in a notebook (text lines elsewhere).
func ExampleNewProgress() {
	codes := []string{"CN", "IN", "US", "ID", "BR"}
	bar := display.NewProgress(len(codes), "flags")
	for range codes {
		time.Sleep(10 * time.Millisecond) // download one flag
		bar.Add(1)
	}
	bar.Close()
}
