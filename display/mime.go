package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/png"
	"strings"
)

// Render makes a Bundle a Renderer of itself, so a hand-made bundle can be
// passed to Show or Display.
func (b Bundle) Render() Bundle { return b }

// HTML is HTML markup shown as is: display.Show(display.HTML("<b>hi</b>")).
type HTML string

// Render returns the HTML with a plain-text fallback.
func (h HTML) Render() Bundle {
	return Bundle{"text/html": string(h), "text/plain": stripTags(string(h))}
}

// Markdown is Markdown text, rendered by the notebook.
type Markdown string

// Render returns the Markdown with itself as plain-text fallback.
func (m Markdown) Render() Bundle {
	return Bundle{"text/markdown": string(m), "text/plain": string(m)}
}

// SVG is an SVG document or fragment (<svg ...>...</svg>).
type SVG string

// Render returns the SVG with a short plain-text fallback.
func (s SVG) Render() Bundle {
	return Bundle{"image/svg+xml": string(s), "text/plain": fmt.Sprintf("<SVG image, %d bytes>", len(s))}
}

// LaTeX is a LaTeX formula, usually between $ signs: display.LaTeX(`$e^{i\pi}+1=0$`).
type LaTeX string

// Render returns the LaTeX with itself as plain-text fallback.
func (x LaTeX) Render() Bundle {
	return Bundle{"text/latex": string(x), "text/plain": string(x)}
}

// Text is plain text, shown in a fixed-width font.
type Text string

// Render returns the text.
func (t Text) Render() Bundle { return Bundle{"text/plain": string(t)} }

type jsonValue struct{ v any }

// JSON shows v as an interactive JSON tree (application/json), with
// indented JSON as plain-text fallback. Values that do not encode to JSON
// are shown as the encoding error.
func JSON(v any) Renderer { return jsonValue{v} }

func (j jsonValue) Render() Bundle {
	data, err := json.MarshalIndent(j.v, "", "  ")
	if err != nil {
		return Bundle{"text/plain": "display.JSON: " + err.Error()}
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return Bundle{"text/plain": string(data)}
	}
	return Bundle{"application/json": generic, "text/plain": string(data)}
}

type imageBytes struct {
	mime string
	data []byte
}

func (i imageBytes) Render() Bundle {
	return Bundle{
		i.mime:       base64.StdEncoding.EncodeToString(i.data),
		"text/plain": fmt.Sprintf("<%s image, %d bytes>", strings.TrimPrefix(i.mime, "image/"), len(i.data)),
	}
}

// PNG shows PNG-encoded bytes as an image.
func PNG(data []byte) Renderer { return imageBytes{"image/png", data} }

// JPEG shows JPEG-encoded bytes as an image.
func JPEG(data []byte) Renderer { return imageBytes{"image/jpeg", data} }

// GIF shows GIF-encoded bytes as an image (as an HTML <img>, since Jupyter
// has no image/gif output type), with PNG-less plain-text fallback.
func GIF(data []byte) Renderer {
	src := "data:image/gif;base64," + base64.StdEncoding.EncodeToString(data)
	return Bundle{
		"text/html":  `<img src="` + src + `"/>`,
		"text/plain": fmt.Sprintf("<gif image, %d bytes>", len(data)),
	}
}

type imageValue struct{ img image.Image }

// Image shows an image.Image, encoded as PNG.
func Image(img image.Image) Renderer { return imageValue{img} }

func (i imageValue) Render() Bundle {
	if i.img == nil {
		return Bundle{"text/plain": "<nil image>"}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, i.img); err != nil {
		return Bundle{"text/plain": "display.Image: " + err.Error()}
	}
	b := imageBytes{"image/png", buf.Bytes()}.Render()
	r := i.img.Bounds()
	b["text/plain"] = fmt.Sprintf("<image %dx%d>", r.Dx(), r.Dy())
	return b
}

// TableView is a table of values; see Table.
type TableView struct {
	Header []string
	Rows   [][]any
}

// Table shows rows as an HTML table with a header (and as aligned columns
// in plain text). Cells are formatted with fmt's %v.
//
//	display.Show(display.Table([]string{"mode", "seconds"}, [][]any{
//		{"sequential", 11.2}, {"thread pool", 1.1},
//	}))
func Table(header []string, rows [][]any) *TableView {
	return &TableView{Header: header, Rows: rows}
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return fmt.Sprintf("%.4g", x)
	case float32:
		return fmt.Sprintf("%.4g", x)
	}
	return fmt.Sprint(v)
}

// Render returns the HTML table and its plain-text form.
func (t *TableView) Render() Bundle {
	var h strings.Builder
	h.WriteString("<table>\n")
	if len(t.Header) > 0 {
		h.WriteString("<thead><tr>")
		for _, c := range t.Header {
			h.WriteString("<th>" + html.EscapeString(c) + "</th>")
		}
		h.WriteString("</tr></thead>\n")
	}
	h.WriteString("<tbody>\n")
	for _, row := range t.Rows {
		h.WriteString("<tr>")
		for _, c := range row {
			h.WriteString("<td>" + html.EscapeString(cellText(c)) + "</td>")
		}
		h.WriteString("</tr>\n")
	}
	h.WriteString("</tbody>\n</table>")
	return Bundle{"text/html": h.String(), "text/plain": t.String()}
}

// String returns the table as aligned plain-text columns.
func (t *TableView) String() string {
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	width := make([]int, cols)
	cells := make([][]string, 0, len(t.Rows)+1)
	add := func(r []string) {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
		cells = append(cells, r)
	}
	if len(t.Header) > 0 {
		add(t.Header)
	}
	for _, r := range t.Rows {
		s := make([]string, len(r))
		for i, c := range r {
			s[i] = cellText(c)
		}
		add(s)
	}
	var b strings.Builder
	for n, r := range cells {
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(c + strings.Repeat(" ", width[i]-len([]rune(c))))
		}
		trimLine(&b)
		b.WriteString("\n")
		if n == 0 && len(t.Header) > 0 {
			for i, w := range width {
				if i > 0 {
					b.WriteString("  ")
				}
				b.WriteString(strings.Repeat("-", w))
			}
			b.WriteString("\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// stripTags makes a rough plain-text version of HTML markup.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(strings.TrimSpace(b.String()))
}

// trimLine removes trailing spaces from the last line of b.
func trimLine(b *strings.Builder) {
	s := b.String()
	t := strings.TrimRight(s, " ")
	if len(t) != len(s) {
		b.Reset()
		b.WriteString(t)
	}
}
