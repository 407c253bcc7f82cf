package display

import (
	"fmt"
	"image"
)

// BundleOf turns any value into a bundle: a Renderer renders itself, an
// image.Image becomes a PNG, an error or a string becomes plain text, and
// anything else is formatted with fmt's %v.
func BundleOf(v any) Bundle {
	switch x := v.(type) {
	case nil:
		return Bundle{"text/plain": "<nil>"}
	case Renderer:
		return x.Render()
	case image.Image:
		return Image(x).Render()
	case error:
		return Bundle{"text/plain": x.Error()}
	case string:
		return Bundle{"text/plain": x}
	case fmt.Stringer:
		return Bundle{"text/plain": x.String()}
	}
	return Bundle{"text/plain": fmt.Sprintf("%v", v)}
}

// Show displays each value as its own output (IPython's display(a, b)).
// Renderers (HTML, SVG, charts, tables, ...) show their richest form; other
// values are shown as text (see BundleOf). Outside a kernel the plain-text
// form is printed.
func Show(vs ...any) {
	for _, v := range vs {
		ShowBundle(BundleOf(v))
	}
}

// Handle names one output so it can be replaced in place later, like
// IPython's display(obj, display_id=True).
type Handle struct {
	id string
}

// NewHandle returns a handle with a fresh display id; nothing is shown yet.
func NewHandle() *Handle { return &Handle{id: newID()} }

// Display shows v and returns a handle to update it in place:
//
//	h := display.Display(display.Markdown("step 1"))
//	h.Update(display.Markdown("step 2")) // replaces the output above
func Display(v any) *Handle {
	h := NewHandle()
	h.Show(v)
	return h
}

// ID returns the display id (the transient display_id of the messages).
func (h *Handle) ID() string { return h.id }

// Show displays v as a new output carrying the handle's id. Showing the
// same handle twice gives two outputs that Update changes together.
func (h *Handle) Show(v any) {
	b := BundleOf(v)
	if p := publisher(); p != nil {
		p.Display(b, h.id)
	} else {
		printText(b)
	}
}

// Update replaces the outputs shown with this handle by v. Outside a
// kernel it prints v's text form.
func (h *Handle) Update(v any) {
	UpdateBundle(h.id, BundleOf(v))
}

// ShowRenderer shows r. It does what Show does, but its parameter has the
// interface type Renderer: notebook cells need it for their own types.
// yaegi, which interprets cells, hands a value of an interpreted type to
// compiled code without its methods when the parameter is `any` (as in
// Show), so Show(myCard) prints the struct; ShowRenderer(myCard) makes the
// interpreter pass a Renderer and the card renders itself.
func ShowRenderer(r Renderer) { ShowBundle(BundleOf(r)) }

// DisplayRenderer is Display for a Renderer; see ShowRenderer for when
// notebook cells need it.
func DisplayRenderer(r Renderer) *Handle {
	h := NewHandle()
	h.Show(r)
	return h
}

// UpdateRenderer is Update for a Renderer; see ShowRenderer for when
// notebook cells need it.
func (h *Handle) UpdateRenderer(r Renderer) { h.Update(r) }
