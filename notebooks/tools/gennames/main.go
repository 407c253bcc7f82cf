// Command gennames writes the Unicode character names that notebook 08 (the
// character finder) searches, from golang.org/x/text/unicode/runenames, so
// the workshop needs no internet and no Python unicodedata.
//
// Run it from the repository root after changing the blocks below:
//
//	go run ./notebooks/tools/gennames > notebooks/data/unicode-names.txt
//
// Each output line is "XXXX<TAB>NAME" (hexadecimal code point, upper case),
// for every named, printable code point in the chosen blocks. Ranges whose
// names are generated (CJK ideographs, Hangul syllables) are left out.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/runenames"
)

// blocks are the code point ranges written: Latin, Greek, punctuation,
// currency, arrows, mathematical and technical symbols, boxes, shapes,
// dingbats, chess and card symbols and the emoji blocks.
var blocks = [][2]rune{
	{0x0020, 0x024F},   // Basic Latin .. Latin Extended-B
	{0x0370, 0x03FF},   // Greek and Coptic
	{0x2000, 0x2BFF},   // punctuation, currency, letterlike, arrows, math, technical, boxes, shapes, dingbats
	{0x1F000, 0x1F0FF}, // mahjong, domino and playing cards
	{0x1F300, 0x1FAFF}, // emoji and pictographs
}

func main() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for _, b := range blocks {
		for r := b[0]; r <= b[1]; r++ {
			name := runenames.Name(r)
			if name == "" || strings.HasPrefix(name, "<") || !unicode.IsPrint(r) {
				continue
			}
			fmt.Fprintf(w, "%04X\t%s\n", r, name)
		}
	}
}
