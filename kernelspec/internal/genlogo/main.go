// Command genlogo draws golit's logos: a rounded teal square with the
// letters "go" and a small flame for "lit". It writes logo-32x32.png,
// logo-64x64.png and logo-svg.svg into the current directory (run it with
// `go generate` in kernelspec/).
//
// Every shape is defined once, in a 64×64 coordinate system, and both
// rendered (for the PNGs, with 8×8 supersampling) and written as SVG, so the
// three files show the same picture.
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"strings"
)

// shape is one filled region with its colour.
type shape struct {
	col    color.NRGBA
	inside func(x, y float64) bool
	svg    string // the SVG element, without the fill attribute
}

var (
	teal   = color.NRGBA{0x0b, 0x8f, 0x8c, 0xff}
	white  = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	orange = color.NRGBA{0xff, 0x8a, 0x1f, 0xff}
	yellow = color.NRGBA{0xff, 0xd8, 0x3b, 0xff}
)

const stroke = 5.0 // width of the letter strokes

func hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

func roundedSquare(size, r float64) shape {
	return shape{
		col: teal,
		inside: func(x, y float64) bool {
			cx := math.Max(r, math.Min(size-r, x))
			cy := math.Max(r, math.Min(size-r, y))
			return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
		},
		svg: fmt.Sprintf(`<rect x="0" y="0" width="%g" height="%g" rx="%g" ry="%g"`, size, size, r, r),
	}
}

// ring is a circle outline of radius r and the given stroke width.
func ring(cx, cy, r float64) shape {
	return shape{
		col: white,
		inside: func(x, y float64) bool {
			d := math.Hypot(x-cx, y-cy)
			return math.Abs(d-r) <= stroke/2
		},
		svg: fmt.Sprintf(`<circle cx="%g" cy="%g" r="%g" fill="none" stroke-width="%g"`, cx, cy, r, stroke),
	}
}

// bar is a vertical stroke from y0 to y1 at x.
func bar(x, y0, y1 float64) shape {
	return shape{
		col: white,
		inside: func(px, py float64) bool {
			return math.Abs(px-x) <= stroke/2 && py >= y0 && py <= y1
		},
		svg: fmt.Sprintf(`<rect x="%g" y="%g" width="%g" height="%g"`, x-stroke/2, y0, stroke, y1-y0),
	}
}

// lowerArc is the lower half of a circle outline: the tail of the "g".
func lowerArc(cx, cy, r float64) shape {
	return shape{
		col: white,
		inside: func(x, y float64) bool {
			if y < cy {
				return false
			}
			d := math.Hypot(x-cx, y-cy)
			return math.Abs(d-r) <= stroke/2
		},
		svg: fmt.Sprintf(`<path d="M %g %g A %g %g 0 0 1 %g %g" fill="none" stroke-width="%g"`, cx+r, cy, r, r, cx-r, cy, stroke),
	}
}

// flame is a teardrop with its tip up: x = w·sin t·sin^m(t/2),
// y = −h·cos t, t in [0, 2π), centred on (cx, cy).
func flame(cx, cy, w, h, m float64, col color.NRGBA) shape {
	const n = 72
	pts := make([][2]float64, n)
	for i := range pts {
		t := 2 * math.Pi * float64(i) / n
		pts[i] = [2]float64{
			cx + w*math.Sin(t)*math.Pow(math.Sin(t/2), m),
			cy - h*math.Cos(t),
		}
	}
	var sb strings.Builder
	for i, p := range pts {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%.2f,%.2f", p[0], p[1])
	}
	return shape{
		col:    col,
		inside: func(x, y float64) bool { return inPolygon(pts, x, y) },
		svg:    fmt.Sprintf(`<polygon points="%s"`, sb.String()),
	}
}

// inPolygon is the even-odd rule.
func inPolygon(pts [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
		xi, yi := pts[i][0], pts[i][1]
		xj, yj := pts[j][0], pts[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

// logo is the picture, back to front.
func logo() []shape {
	return []shape{
		roundedSquare(64, 13),
		// "g": a bowl, a stem on its right and a tail curving left.
		ring(20, 36, 8.5),
		bar(28.5, 27.5, 47),
		lowerArc(20.25, 47, 8.25),
		// "o".
		ring(42, 36, 8.5),
		// The flame above the "o": "lit".
		flame(51, 14.5, 8, 10, 1.5, orange),
		flame(51, 17.5, 4.2, 6, 1.5, yellow),
	}
}

// render draws the shapes at size×size pixels with ss×ss samples per pixel.
func render(shapes []shape, size, ss int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := 64 / float64(size)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/float64(ss)) * scale
					y := (float64(py) + (float64(sy)+0.5)/float64(ss)) * scale
					// Topmost shape containing the sample wins.
					for i := len(shapes) - 1; i >= 0; i-- {
						if shapes[i].inside(x, y) {
							c := shapes[i].col
							r += float64(c.R)
							g += float64(c.G)
							b += float64(c.B)
							a++
							break
						}
					}
				}
			}
			if a == 0 {
				continue
			}
			n := float64(ss * ss)
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a)),
				G: uint8(math.Round(g / a)),
				B: uint8(math.Round(b / a)),
				A: uint8(math.Round(255 * a / n)),
			})
		}
	}
	return img
}

func svg(shapes []shape) []byte {
	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` + "\n")
	b.WriteString("  <title>golit</title>\n")
	for _, s := range shapes {
		attr := ` fill="` + hex(s.col) + `"`
		if strings.Contains(s.svg, `fill="none"`) {
			attr = ` stroke="` + hex(s.col) + `"`
		}
		b.WriteString("  " + s.svg + attr + "/>\n")
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

func main() {
	shapes := logo()
	for _, size := range []int{32, 64} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, render(shapes, size, 8)); err != nil {
			log.Fatal(err)
		}
		name := fmt.Sprintf("logo-%dx%d.png", size, size)
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if err := os.WriteFile("logo-svg.svg", svg(shapes), 0o644); err != nil {
		log.Fatal(err)
	}
}
