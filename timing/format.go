package timing

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Format returns d the way IPython prints times: three significant digits
// and the largest unit among s, ms, µs and ns that keeps the number at
// least 1 ("1.23 ms", "620 ms", "12 ns"). Durations of a minute or more are
// written in whole units, largest first: "1min 3s", "2h 5min", "1d 3h".
func Format(d time.Duration) string {
	return formatSeconds(d.Seconds(), 3)
}

// formatSeconds formats a span in seconds with the given number of
// significant digits.
func formatSeconds(s float64, precision int) string {
	if s >= 60 {
		return formatLong(s)
	}
	units := [...]string{"s", "ms", "µs", "ns"}
	scale := [...]float64{1, 1e3, 1e6, 1e9}
	order := 3
	if s > 0 {
		// The power of 1000 below s, counted downwards from seconds.
		order = int(-math.Floor(math.Floor(math.Log10(s)) / 3))
		if order > 3 {
			order = 3
		}
		if order < 0 {
			order = 0
		}
	}
	return fmt.Sprintf("%.*g %s", precision, s*scale[order], units[order])
}

// formatLong writes spans of a minute or more as "1d 2h 3min 4s", stopping
// at the first unit once less than a second is left.
func formatLong(s float64) string {
	parts := []struct {
		suffix string
		length float64
	}{{"d", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}}
	out := ""
	left := s
	for _, p := range parts {
		if v := math.Floor(left / p.length); v > 0 {
			left = math.Mod(left, p.length)
			if out != "" {
				out += " "
			}
			out += strconv.FormatFloat(v, 'f', 0, 64) + p.suffix
		}
		if left < 1 {
			break
		}
	}
	return out
}

// groupThousands writes n with commas between groups of three digits,
// as Python's "{:,}" does: 1000000 -> "1,000,000".
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}
