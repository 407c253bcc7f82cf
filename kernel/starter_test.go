package kernel

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

// starterEngine is a fakeEngine that is also a Starter: StartExecute begins
// "early TEXT" cells itself (after the test lets it go on), returns nil for
// other cells (Execute runs them) and panics for "startpanic".
type starterEngine struct {
	*fakeEngine
	started chan string   // the code of each cell StartExecute begins
	goOn    chan struct{} // StartExecute waits for it
}

func (e *starterEngine) StartExecute(ctx context.Context, req ExecuteRequest) func(IO) ExecuteReply {
	if req.Code == "startpanic" {
		panic("start bug")
	}
	text, ok := strings.CutPrefix(req.Code, "early ")
	if !ok {
		return nil
	}
	e.started <- req.Code
	<-e.goOn
	count := req.ExecutionCount
	return func(io IO) ExecuteReply {
		io.Stream("stdout", text)
		return ExecuteReply{Status: StatusOK, Result: Bundle{"text/plain": "cell " + strconv.Itoa(count)}}
	}
}

// TestStarterBeginsBeforeBusy: a Starter engine gets the cell before the
// kernel publishes busy and execute_input, the cell's output and result
// still come between execute_input and idle, a nil start falls back to
// Execute, and a panicking StartExecute is the cell's error, not the
// kernel's end.
func TestStarterBeginsBeforeBusy(t *testing.T) {
	eng := &starterEngine{fakeEngine: newFakeEngine(), started: make(chan string, 1), goOn: make(chan struct{})}
	h := &harness{eng: eng.fakeEngine, log: &syncBuffer{}, done: make(chan error, 1)}
	cfg := testConfig()
	cfg.Log = h.log
	k, err := New(cfg, ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "a-secret-key", SignatureScheme: "hmac-sha256"}, eng)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { h.done <- k.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-h.done
		if t.Failed() {
			t.Logf("kernel log:\n%s", h.log.String())
		}
	})
	c := dialClient(t, k.Connection())
	c.waitReady()

	id := c.send(c.shell, "execute_request", map[string]any{"code": "early hi\n", "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": true, "stop_on_error": true})
	select {
	case code := <-eng.started:
		if code != "early hi\n" {
			t.Fatalf("StartExecute got %q", code)
		}
	case <-time.After(testTimeout):
		t.Fatal("the kernel never called StartExecute")
	}
	// StartExecute is still running: nothing of the cell is on iopub yet,
	// not even busy.
	select {
	case m := <-c.iopubCh:
		t.Fatalf("%s published before StartExecute returned", types([]*Message{m}))
	case <-time.After(100 * time.Millisecond):
	}
	close(eng.goOn)
	rep := c.reply(c.shellCh, id)
	out := c.outputs(id)
	if got, want := strings.Join(types(out), ","), "status:busy,execute_input,stream,execute_result,status:idle"; got != want {
		t.Fatalf("iopub:\n got %s\nwant %s", got, want)
	}
	if rc := content(t, rep); rc["status"] != "ok" || rc["execution_count"] != 1.0 {
		t.Errorf("execute_reply = %v", rc)
	}
	if s := content(t, out[2]); s["text"] != "hi\n" {
		t.Errorf("stream = %v", s)
	}
	if r := content(t, out[3]); r["data"].(map[string]any)["text/plain"] != "cell 1" || r["execution_count"] != 1.0 {
		t.Errorf("execute_result = %v", r)
	}

	// nil from StartExecute: Execute runs the cell.
	rep, out = c.execute("result x", nil)
	if rc := content(t, rep); rc["status"] != "ok" || rc["execution_count"] != 2.0 {
		t.Errorf("execute_reply = %v", rc)
	}
	if got := strings.Join(types(out), ","); got != "status:busy,execute_input,execute_result,status:idle" {
		t.Errorf("iopub %s", got)
	}

	rep, _ = c.execute("startpanic", nil)
	if rc := content(t, rep); rc["status"] != "error" || rc["ename"] != "EnginePanic" || !strings.Contains(rc["evalue"].(string), "start bug") {
		t.Errorf("panicking StartExecute: execute_reply = %v", rc)
	}
	if rep, _ := c.execute("result y", nil); content(t, rep)["status"] != "ok" {
		t.Errorf("the kernel did not go on after a panicking StartExecute")
	}
}
