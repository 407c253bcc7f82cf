package flags

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"math"
	"strconv"
	"strings"
)

// Flag images are drawn from a compact description: a base of equal
// stripes, then shapes painted over it in order.
//
//	h:RWB          horizontal stripes, top to bottom (repeat a letter to
//	               make a stripe wider: "h:YYBR" is Colombia)
//	v:BWR          vertical stripes, hoist to fly
//
// Shapes are kind:colour@numbers. x and widths are fractions of the flag's
// width, y, heights, radii and thicknesses fractions of its height:
//
//	disc@cx,cy,r          ring@cx,cy,r,thickness     hdisc@cx,cy,r (lower half)
//	star@cx,cy,r          crescent@cx,cy,r,dx,dy,r2 (a disc minus another)
//	rect@x0,y0,x1,y1      diamond@cx,cy,rx,ry        plus@cx,cy,length,thickness
//	tri@depth             ftri@depth (triangles on the hoist / fly side)
//	cross@t  nordic@t     saltire@t  diag@t (lower hoist to upper fly)  diag2@t
//	tl  br  (halves split by the diag line)   bl  tr  (split by diag2)
//	dots@x0,y0,x1,y1,cols,rows,r               uj@x0,y0,x1,y1 (a Union Jack)
//
// Colours are single letters, see colors.

const (
	flagW = 120
	flagH = 80
)

var colors = map[byte]color.RGBA{
	'R': {206, 17, 38, 255},   // red
	'W': {255, 255, 255, 255}, // white
	'B': {0, 57, 166, 255},    // blue
	'L': {74, 163, 223, 255},  // light blue
	'N': {1, 33, 105, 255},    // navy
	'G': {0, 154, 68, 255},    // green
	'D': {1, 98, 51, 255},     // dark green
	'Y': {252, 209, 22, 255},  // yellow
	'U': {212, 160, 23, 255},  // gold
	'O': {255, 143, 28, 255},  // orange, saffron
	'K': {0, 0, 0, 255},       // black
	'M': {141, 27, 61, 255},   // maroon
	'Q': {139, 90, 43, 255},   // brown
	'S': {167, 168, 170, 255}, // silver
}

// paletteOrder fixes the GIF palette.
const paletteOrder = "RWBLNGDYUOKMQS"

var flagPalette = func() color.Palette {
	p := make(color.Palette, len(paletteOrder))
	for i := range paletteOrder {
		p[i] = colors[paletteOrder[i]]
	}
	return p
}()

func colorIndex(c byte) (uint8, error) {
	i := strings.IndexByte(paletteOrder, c)
	if i < 0 {
		return 0, fmt.Errorf("unknown colour %q", c)
	}
	return uint8(i), nil
}

// shape paints some pixels; at reports the palette index at pixel centre
// (x, y), or false to leave the pixel alone.
type shape func(x, y float64) (uint8, bool)

// drawFlag renders a description into a paletted image.
func drawFlag(desc string) (*image.Paletted, error) {
	fields := strings.Fields(desc)
	if len(fields) == 0 {
		return nil, fmt.Errorf("empty flag description")
	}
	base := fields[0]
	if len(base) < 3 || (base[:2] != "h:" && base[:2] != "v:") {
		return nil, fmt.Errorf("flag must start with h: or v: stripes, got %q", base)
	}
	stripes := make([]uint8, 0, len(base)-2)
	for i := 2; i < len(base); i++ {
		ci, err := colorIndex(base[i])
		if err != nil {
			return nil, err
		}
		stripes = append(stripes, ci)
	}
	shapes := make([]shape, 0, len(fields)-1)
	for _, f := range fields[1:] {
		s, err := parseShape(f)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", f, err)
		}
		shapes = append(shapes, s)
	}
	img := image.NewPaletted(image.Rect(0, 0, flagW, flagH), flagPalette)
	W, H := float64(flagW), float64(flagH)
	for py := 0; py < flagH; py++ {
		for px := 0; px < flagW; px++ {
			x, y := float64(px)+0.5, float64(py)+0.5
			var ci uint8
			if base[0] == 'h' {
				ci = stripes[min(int(y/H*float64(len(stripes))), len(stripes)-1)]
			} else {
				ci = stripes[min(int(x/W*float64(len(stripes))), len(stripes)-1)]
			}
			for _, s := range shapes {
				if c, ok := s(x, y); ok {
					ci = c
				}
			}
			img.SetColorIndex(px, py, ci)
		}
	}
	return img, nil
}

func parseShape(f string) (shape, error) {
	var kind, rest string
	if strings.HasPrefix(f, "uj@") {
		kind, rest = "uj", f[2:] // a Union Jack has its own colours
	} else {
		var ok bool
		kind, rest, ok = strings.Cut(f, ":")
		if !ok || rest == "" {
			return nil, fmt.Errorf("missing colour")
		}
	}
	var ci uint8
	if kind != "uj" {
		var err error
		if ci, err = colorIndex(rest[0]); err != nil {
			return nil, err
		}
	}
	var nums []float64
	if at := strings.IndexByte(rest, '@'); at >= 0 {
		for _, s := range strings.Split(rest[at+1:], ",") {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, err
			}
			nums = append(nums, v)
		}
	}
	need := map[string]int{"disc": 3, "ring": 4, "hdisc": 3, "star": 3, "crescent": 6, "rect": 4,
		"diamond": 4, "plus": 4, "tri": 1, "ftri": 1, "cross": 1, "nordic": 1, "saltire": 1,
		"diag": 1, "diag2": 1, "tl": 0, "br": 0, "bl": 0, "tr": 0, "dots": 7, "uj": 4}
	n, known := need[kind]
	if !known {
		return nil, fmt.Errorf("unknown shape %q", kind)
	}
	if len(nums) != n {
		return nil, fmt.Errorf("%s needs %d numbers, got %d", kind, n, len(nums))
	}
	W, H := float64(flagW), float64(flagH)
	if kind == "uj" {
		return unionJack(nums[0]*W, nums[1]*H, nums[2]*W, nums[3]*H), nil
	}
	in := func(test func(x, y float64) bool) shape {
		return func(x, y float64) (uint8, bool) { return ci, test(x, y) }
	}
	diagDist := func(x, y float64) float64 { // to the line lower hoist -> upper fly
		return math.Abs(H*x+W*y-W*H) / math.Hypot(W, H)
	}
	diag2Dist := func(x, y float64) float64 { // to the line upper hoist -> lower fly
		return math.Abs(H*x-W*y) / math.Hypot(W, H)
	}
	switch kind {
	case "disc":
		cx, cy, r := nums[0]*W, nums[1]*H, nums[2]*H
		return in(func(x, y float64) bool { return math.Hypot(x-cx, y-cy) <= r }), nil
	case "hdisc":
		cx, cy, r := nums[0]*W, nums[1]*H, nums[2]*H
		return in(func(x, y float64) bool { return y >= cy && math.Hypot(x-cx, y-cy) <= r }), nil
	case "ring":
		cx, cy, r, t := nums[0]*W, nums[1]*H, nums[2]*H, nums[3]*H
		return in(func(x, y float64) bool { d := math.Hypot(x-cx, y-cy); return d <= r && d >= r-t }), nil
	case "star":
		return in(starTest(nums[0]*W, nums[1]*H, nums[2]*H)), nil
	case "crescent":
		cx, cy, r := nums[0]*W, nums[1]*H, nums[2]*H
		ix, iy, r2 := cx+nums[3]*H, cy+nums[4]*H, nums[5]*H
		return in(func(x, y float64) bool {
			return math.Hypot(x-cx, y-cy) <= r && math.Hypot(x-ix, y-iy) > r2
		}), nil
	case "rect":
		x0, y0, x1, y1 := nums[0]*W, nums[1]*H, nums[2]*W, nums[3]*H
		return in(func(x, y float64) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }), nil
	case "diamond":
		cx, cy, rx, ry := nums[0]*W, nums[1]*H, nums[2]*W, nums[3]*H
		return in(func(x, y float64) bool { return math.Abs(x-cx)/rx+math.Abs(y-cy)/ry <= 1 }), nil
	case "plus":
		cx, cy, l, t := nums[0]*W, nums[1]*H, nums[2]*H/2, nums[3]*H/2
		return in(func(x, y float64) bool {
			dx, dy := math.Abs(x-cx), math.Abs(y-cy)
			return (dx <= t && dy <= l) || (dy <= t && dx <= l)
		}), nil
	case "tri":
		d := nums[0] * W
		return in(func(x, y float64) bool { return x <= d*(1-math.Abs(2*y/H-1)) }), nil
	case "ftri":
		d := nums[0] * W
		return in(func(x, y float64) bool { return W-x <= d*(1-math.Abs(2*y/H-1)) }), nil
	case "cross":
		t := nums[0] * H / 2
		return in(func(x, y float64) bool { return math.Abs(x-W/2) <= t || math.Abs(y-H/2) <= t }), nil
	case "nordic":
		t := nums[0] * H / 2
		return in(func(x, y float64) bool { return math.Abs(x-0.36*W) <= t || math.Abs(y-H/2) <= t }), nil
	case "saltire":
		t := nums[0] * H / 2
		return in(func(x, y float64) bool { return diagDist(x, y) <= t || diag2Dist(x, y) <= t }), nil
	case "diag":
		t := nums[0] * H / 2
		return in(func(x, y float64) bool { return diagDist(x, y) <= t }), nil
	case "diag2":
		t := nums[0] * H / 2
		return in(func(x, y float64) bool { return diag2Dist(x, y) <= t }), nil
	case "tl":
		return in(func(x, y float64) bool { return x/W+y/H < 1 }), nil
	case "br":
		return in(func(x, y float64) bool { return x/W+y/H >= 1 }), nil
	case "bl":
		return in(func(x, y float64) bool { return y/H > x/W }), nil
	case "tr":
		return in(func(x, y float64) bool { return y/H <= x/W }), nil
	case "dots":
		x0, y0, x1, y1 := nums[0]*W, nums[1]*H, nums[2]*W, nums[3]*H
		cols, rows, r := int(nums[4]), int(nums[5]), nums[6]*H
		if cols < 1 || rows < 1 {
			return nil, fmt.Errorf("dots needs at least one row and column")
		}
		return in(func(x, y float64) bool {
			if x < x0-r || x > x1+r || y < y0-r || y > y1+r {
				return false
			}
			for i := 0; i < cols; i++ {
				for j := 0; j < rows; j++ {
					cx := x0 + (x1-x0)*(float64(i)+0.5)/float64(cols)
					cy := y0 + (y1-y0)*(float64(j)+0.5)/float64(rows)
					if math.Hypot(x-cx, y-cy) <= r {
						return true
					}
				}
			}
			return false
		}), nil
	}
	return nil, fmt.Errorf("unknown shape %q", kind)
}

// starTest returns a test for a five-pointed star, point up.
func starTest(cx, cy, r float64) func(x, y float64) bool {
	var px, py [10]float64
	for i := 0; i < 10; i++ {
		rad := r
		if i%2 == 1 {
			rad = r * 0.382
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		px[i], py[i] = cx+rad*math.Cos(a), cy+rad*math.Sin(a)
	}
	return func(x, y float64) bool {
		if math.Abs(x-cx) > r || math.Abs(y-cy) > r {
			return false
		}
		inside := false
		for i, j := 0, 9; i < 10; j, i = i, i+1 {
			if (py[i] > y) != (py[j] > y) && x < (px[j]-px[i])*(y-py[i])/(py[j]-py[i])+px[i] {
				inside = !inside
			}
		}
		return inside
	}
}

// unionJack paints a Union Jack in the pixel rectangle x0,y0 to x1,y1.
func unionJack(x0, y0, x1, y1 float64) shape {
	red, _ := colorIndex('R')
	white, _ := colorIndex('W')
	navy, _ := colorIndex('N')
	w, h := x1-x0, y1-y0
	hyp := math.Hypot(w, h)
	return func(x, y float64) (uint8, bool) {
		if x < x0 || x >= x1 || y < y0 || y >= y1 {
			return 0, false
		}
		a, b := x-x0, y-y0
		dc := math.Min(math.Abs(a-w/2), math.Abs(b-h/2)) // to the upright cross
		switch {
		case dc <= h/10:
			return red, true
		case dc <= h/6:
			return white, true
		}
		d1 := math.Abs(h*a-w*b) / hyp     // to the diagonal top-left -> bottom-right
		d2 := math.Abs(h*a+w*b-w*h) / hyp // to the other diagonal
		switch {
		case math.Min(d1, d2) <= h/30:
			return red, true
		case math.Min(d1, d2) <= h/10:
			return white, true
		}
		return navy, true
	}
}

// encode renders desc as GIF or PNG bytes.
func encode(desc, format string) ([]byte, error) {
	img, err := drawFlag(desc)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	switch format {
	case "gif":
		err = gif.Encode(&buf, img, &gif.Options{NumColors: len(flagPalette)})
	case "png":
		err = png.Encode(&buf, img)
	default:
		err = fmt.Errorf("unknown image format %q", format)
	}
	return buf.Bytes(), err
}
