package complete

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// maxPaths bounds the file names one completion returns.
const maxPaths = 500

// pathMatches completes a file path relative to the working directory:
// the entries of prefix's directory whose names start with its last
// element, directories with a trailing slash. Hidden files are offered
// only when the prefix names them (starts with a dot).
func pathMatches(prefix string) []string {
	dir, base := filepath.Split(prefix)
	readDir := dir
	if readDir == "" {
		readDir = "."
	} else if rest, ok := strings.CutPrefix(readDir, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			readDir = filepath.Join(home, rest)
		}
	}
	entries, err := os.ReadDir(readDir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		m := dir + name
		if e.IsDir() {
			m += "/"
		}
		out = append(out, m)
		if len(out) == maxPaths {
			break
		}
	}
	sort.Strings(out)
	return out
}

// lastWord returns the start of the last space-separated word of s.
func lastWord(s string) int {
	return strings.LastIndexAny(s, " \t") + 1
}
