package complete

import (
	"context"
	_ "embed"
	"go/build"
	"go/doc/comment"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/golit/golit/interp/complete/internal/docindex"
)

//go:generate go run ./gendoc -o helperdocs.json

// helperDocsJSON documents golit's helper packages (futures, pool,
// eventloop, timing, chart, display, flags...). It is generated from their
// source, so an installed golit binary documents them without the source;
// a test fails when it is stale.
//
//go:embed helperdocs.json
var helperDocsJSON []byte

// modulePath is the import path prefix of golit's helper packages; cells
// may also import them as "golit/<pkg>".
const modulePath = "github.com/golit/golit"

var helperDocs = sync.OnceValue(func() map[string]*docindex.Package {
	idx, err := docindex.Unmarshal(helperDocsJSON)
	if err != nil {
		return map[string]*docindex.Package{}
	}
	return idx
})

// goroot finds the Go installation whose source documents the standard
// library: $GOROOT, then `go env GOROOT`, then the one golit was built with.
var goroot = sync.OnceValue(func() string {
	ok := func(dir string) bool {
		st, err := os.Stat(filepath.Join(dir, "src", "fmt"))
		return dir != "" && err == nil && st.IsDir()
	}
	if d := os.Getenv("GOROOT"); ok(d) {
		return d
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output(); err == nil {
		if d := strings.TrimSpace(string(out)); ok(d) {
			return d
		}
	}
	if d := runtime.GOROOT(); ok(d) {
		return d
	}
	return ""
})

// stdDocs caches the documentation of standard-library packages, read
// from GOROOT the first time each is asked for.
var stdDocs struct {
	sync.Mutex
	m map[string]*docindex.Package
}

// packageDoc returns the documentation of the package with the given
// import path, or nil when it cannot be found.
func packageDoc(path string) *docindex.Package {
	if rest, ok := strings.CutPrefix(path, "golit/"); ok {
		path = modulePath + "/" + rest
	}
	if p := helperDocs()[path]; p != nil {
		return p
	}
	if !validImportPath(path) {
		return nil // never read outside GOROOT/src
	}
	if strings.HasPrefix(path, modulePath+"/") {
		return nil
	}
	stdDocs.Lock()
	defer stdDocs.Unlock()
	if p, ok := stdDocs.m[path]; ok {
		return p
	}
	if stdDocs.m == nil {
		stdDocs.m = map[string]*docindex.Package{}
	}
	var p *docindex.Package
	if root := goroot(); root != "" {
		ctx := build.Default
		ctx.GOROOT = root
		p, _ = docindex.Build(filepath.Join(root, "src", filepath.FromSlash(path)), path, &ctx)
	}
	stdDocs.m[path] = p
	return p
}

// docText formats a doc comment as plain text and as Markdown.
func docText(text string) (plain, md string) {
	if strings.TrimSpace(text) == "" {
		return "", ""
	}
	var p comment.Parser
	d := p.Parse(text)
	pr := &comment.Printer{TextWidth: 80}
	return strings.TrimRight(string(pr.Text(d)), "\n"), strings.TrimRight(string(pr.Markdown(d)), "\n")
}

// synopsis returns the first paragraph of a doc comment on one line: Go
// package docs start with a summary of the package.
func synopsis(text string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(text), "\n\n")
	return strings.Join(strings.Fields(para), " ")
}

// validImportPath reports whether path looks like a standard-library import
// path: slash-separated elements of letters, digits, '_', '-' and '.',
// none of them empty, "." or "..".
func validImportPath(path string) bool {
	if path == "" {
		return false
	}
	for _, el := range strings.Split(path, "/") {
		if el == "" || el == "." || el == ".." {
			return false
		}
		for _, r := range el {
			if !(r == '_' || r == '-' || r == '.' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				return false
			}
		}
	}
	return true
}
