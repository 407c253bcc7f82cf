package supervise

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/golit/golit/kernel"
)

// growingEngine declares one function per cell, the way a long notebook
// does; it gives its declarations whole (Declarations) and, like the interp
// engine, as changes (DeclarationChanges).
type growingEngine struct {
	parts    map[string]string
	reported bool
	fresh    map[string]string
}

func (g *growingEngine) Execute(_ context.Context, req kernel.ExecuteRequest, io kernel.IO) kernel.ExecuteReply {
	k := fmt.Sprintf("1%08d", req.ExecutionCount)
	p := fmt.Sprintf("func f%d(x int) int { return x + %d }\n", req.ExecutionCount, req.ExecutionCount)
	g.parts[k] = p
	g.fresh[k] = p
	io.Stream("stdout", "cell\n")
	return kernel.ExecuteReply{Status: kernel.StatusOK}
}
func (g *growingEngine) Complete(string, int) kernel.CompleteReply    { return kernel.CompleteReply{} }
func (g *growingEngine) Inspect(string, int, int) kernel.InspectReply { return kernel.InspectReply{} }
func (g *growingEngine) IsComplete(string) kernel.IsCompleteReply     { return kernel.IsCompleteReply{} }
func (g *growingEngine) Interrupt()                                   {}
func (g *growingEngine) Shutdown(bool) error                          { return nil }
func (g *growingEngine) Restore(string) error                         { return nil }
func (g *growingEngine) Declarations() string {
	keys := make([]string, 0, len(g.parts))
	for k := range g.parts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(g.parts[k])
	}
	return b.String()
}
func (g *growingEngine) DeclarationChanges(all bool) (map[string]string, []string, bool) {
	if all || !g.reported {
		g.reported = true
		clear(g.fresh)
		out := map[string]string{}
		for k, p := range g.parts {
			out[k] = p
		}
		return out, nil, true
	}
	out := g.fresh
	g.fresh = map[string]string{}
	return out, nil, false
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// What the child sends after a cell must not grow with the session: it
// used to send all the notebook's declarations after every cell, so the
// 5,000th cell of bench/session cost 25 times the first (issue 14). The
// parent must still be able to rebuild the whole source for a restart.
func TestDeclsTrafficStaysFlat(t *testing.T) {
	out := &lockedBuffer{}
	ob := newOutbox(out, 1<<20)
	eng := &growingEngine{parts: map[string]string{}, fresh: map[string]string{}}
	s := &childServer{eng: eng, ob: ob, io: &childIO{ob: ob, inputs: map[uint64]chan *message{}}}
	const n = 500
	for i := 1; i <= n; i++ {
		s.execute(context.Background(), uint64(i), kernel.ExecuteRequest{Code: "cell", ExecutionCount: i})
	}
	ob.close()

	e := &Engine{}
	var sizes []int
	sc := bufio.NewScanner(bytes.NewReader(out.b.Bytes()))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var m message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		switch m.Op {
		case opDecls:
			sizes = append(sizes, len(sc.Bytes()))
			e.updateDecls(&m)
		case opReply:
			if m.Reply == nil || m.Reply.Status != kernel.StatusOK {
				t.Fatalf("reply %+v", m)
			}
		}
	}
	if len(sizes) != n {
		t.Fatalf("%d decls frames for %d cells", len(sizes), n)
	}
	t.Logf("decls frame: cell 2 %d bytes, cell %d %d bytes", sizes[1], n, sizes[n-1])
	if sizes[n-1] > 2*sizes[1] {
		t.Fatalf("the decls frame grew with the session: %d bytes after cell 2, %d after cell %d", sizes[1], sizes[n-1], n)
	}
	if got, want := joinParts(e.decls), eng.Declarations(); got != want {
		t.Fatalf("the parent rebuilt %d bytes of declarations, the engine has %d", len(got), len(want))
	}
}
