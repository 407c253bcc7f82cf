// Package display shows rich output (HTML, Markdown, SVG, images, JSON,
// LaTeX, tables, progress bars) in a Jupyter notebook from Go code, and
// updates it in place.
//
// Inside golit the kernel installs a Publisher, so Show, Display, Update and
// Clear reach the notebook. Outside a kernel (a compiled program, a test)
// there is no Publisher and outputs are written as plain text to standard
// output (progress bars to standard error), so the same code runs anywhere.
//
// A value shows itself richly by implementing Renderer: Render returns a
// Bundle, a map from MIME type to data, and the notebook picks the richest
// type it can draw. HTML, Markdown, SVG, LaTeX and Text are string types
// that do this; JSON, PNG, JPEG, GIF, Image and Table wrap other values; the
// charts of package chart are Renderers too. Always include "text/plain":
// it is what a terminal, a log and nbconvert's text exports see.
//
// In a notebook cell, a type declared in the cell reaches Show (whose
// parameters are `any`) without its methods, because of how the yaegi
// interpreter passes values to compiled code; use ShowRenderer,
// DisplayRenderer and Handle.UpdateRenderer for such types.
//
// # From IPython to display
//
//	IPython / tqdm                           display
//	-------------------------------------    -----------------------------------------
//	display(a, b)                            display.Show(a, b)
//	HTML(s), Markdown(s), SVG(s), Latex(s)   display.HTML(s), Markdown(s), SVG(s), LaTeX(s)
//	JSON(obj)                                display.JSON(v)
//	Image(data=png_bytes)                    display.PNG(b), display.JPEG(b), display.Image(img)
//	pandas DataFrame in a cell               display.Table(header, rows)
//	h = display(x, display_id=True)          h := display.Display(x)
//	h.update(y)                              h.Update(y)
//	update_display(y, display_id=id)         display.UpdateBundle(id, display.BundleOf(y))
//	clear_output(wait=True)                  display.Clear(true)
//	obj._repr_mimebundle_()                  Render() display.Bundle (the Renderer interface)
//	display(my_obj) for a cell's own type    display.ShowRenderer(myObj)
//	tqdm(total=n, desc="flags")              bar := display.NewProgress(n, "flags")
//	bar.update(1) / bar.close()              bar.Add(1) / bar.Close()
//	bar.set_description(s), set_postfix(..)  bar.SetDescription(s), bar.SetPostfix(s)
package display

import (
	"fmt"
	"os"
	"sync"
)

// Bundle maps MIME types ("text/html", "image/svg+xml", "text/plain", ...) to
// data. Text types hold strings; "application/json" may hold any value that
// encodes to JSON; image/png and image/jpeg hold base64 strings.
type Bundle map[string]any

// Renderer is implemented by values that know how to show themselves. When a
// cell's last expression is a Renderer, or a Renderer is passed to Show, the
// notebook receives every MIME type in the bundle and picks the richest.
type Renderer interface {
	Render() Bundle
}

// Publisher sends bundles to a frontend. The golit kernel installs one with
// SetPublisher; a program rarely needs to implement it.
type Publisher interface {
	// Display shows data; a non-empty id lets Update replace it later.
	Display(data Bundle, id string)
	// Update replaces the output shown with id.
	Update(data Bundle, id string)
	// Clear clears the cell's output; with wait, when the next output arrives.
	Clear(wait bool)
}

var (
	mu  sync.RWMutex
	pub Publisher
)

// SetPublisher installs p as the destination of Show, Update and Clear.
// A nil p restores the plain-text fallback.
func SetPublisher(p Publisher) {
	mu.Lock()
	pub = p
	mu.Unlock()
}

func publisher() Publisher {
	mu.RLock()
	defer mu.RUnlock()
	return pub
}

// InKernel reports whether a kernel is attached, that is whether rich
// outputs will be rendered rather than printed as text.
func InKernel() bool { return publisher() != nil }

// textPlain picks the text/plain form of b, or describes the MIME types it has.
func textPlain(b Bundle) string {
	if s, ok := b["text/plain"].(string); ok {
		return s
	}
	kinds := make([]string, 0, len(b))
	for k := range b {
		kinds = append(kinds, k)
	}
	return fmt.Sprintf("<rich output: %v>", kinds)
}

// ShowBundle displays b as a new output and returns its display id.
func ShowBundle(b Bundle) string {
	id := newID()
	if p := publisher(); p != nil {
		p.Display(b, id)
	} else {
		printText(b)
	}
	return id
}

// UpdateBundle replaces the output shown with id by b.
func UpdateBundle(id string, b Bundle) {
	if p := publisher(); p != nil {
		p.Update(b, id)
	} else {
		printText(b)
	}
}

// Clear clears the current cell's output. With wait, the frontend clears
// it only when the next output arrives, which avoids flicker in animations.
func Clear(wait bool) {
	if p := publisher(); p != nil {
		p.Clear(wait)
	}
}

// printText is the fallback when no kernel is attached.
func printText(b Bundle) {
	fmt.Fprintln(os.Stdout, textPlain(b))
}
