package kernel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEngine understands a few one-line commands, enough to drive every
// protocol path without an interpreter.
type fakeEngine struct {
	interrupts chan struct{}
	blocked    chan struct{} // gets a value when "block" starts waiting

	mu       sync.Mutex
	requests []ExecuteRequest
	shutdown []bool
	late     chan struct{} // closed when the "late" goroutine has written
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{interrupts: make(chan struct{}, 1), blocked: make(chan struct{}, 1), late: make(chan struct{})}
}

func (e *fakeEngine) Execute(ctx context.Context, req ExecuteRequest, io IO) ExecuteReply {
	e.mu.Lock()
	e.requests = append(e.requests, req)
	e.mu.Unlock()
	// Drop an interrupt that arrived while nothing ran.
	select {
	case <-e.interrupts:
	default:
	}
	cmd, arg, _ := strings.Cut(req.Code, " ")
	rep := ExecuteReply{Status: StatusOK}
	switch cmd {
	case "print": // print N lines
		n, _ := strconv.Atoi(arg)
		for i := range n {
			io.Stream("stdout", "line "+strconv.Itoa(i)+"\n")
		}
	case "echo":
		io.Stream("stdout", arg)
	case "mixed":
		io.Stream("stdout", "out1\n")
		io.Stream("stderr", "err1\n")
		io.Stream("stdout", "out2\n")
		io.Display(Bundle{"text/plain": "shown"}, nil, "d1")
		io.Stream("stdout", "out3\n")
		io.Update(Bundle{"text/plain": "updated"}, nil, "d1")
		io.ClearOutput(true)
		rep.Result = Bundle{"text/plain": "42"}
	case "result":
		rep.Result = Bundle{"text/plain": arg}
	case "page": // output, help text for the pager, and a payload the kernel must drop
		io.Stream("stdout", "before the page\n")
		rep.Payload = []Payload{PagePayload(Bundle{"text/plain": arg}), {"data": "no source"}}
	case "pagefail": // a payload on a failed cell
		return ExecuteReply{Status: StatusError, Err: &Error{Name: "boom", Value: "failed"},
			Payload: []Payload{PagePayload(Bundle{"text/plain": arg})}}
	case "fail":
		if d, err := time.ParseDuration(arg); err == nil {
			time.Sleep(d)
		}
		io.Stream("stderr", "about to fail\n")
		return ExecuteReply{Status: StatusError, Err: &Error{Name: "boom", Value: "it failed", Traceback: []string{"line 1", "line 2"}}}
	case "block": // until interrupted
		// Tell the test that an interrupt from now on is this cell's (one
		// sent before Execute started is dropped above).
		select {
		case e.blocked <- struct{}{}:
		default:
		}
		select {
		case <-e.interrupts:
			return ExecuteReply{Status: StatusError, Err: &Error{Name: "Interrupted", Value: "interrupted", Traceback: []string{"interrupted"}}}
		case <-time.After(testTimeout):
			return ExecuteReply{Status: StatusError, Err: &Error{Name: "Timeout", Value: "never interrupted"}}
		case <-ctx.Done():
			return ExecuteReply{Status: StatusError, Err: &Error{Name: "Shutdown", Value: "shut down"}}
		}
	case "ask": // a prompt printed to stdout, then a read without a prompt
		io.Stream("stdout", arg)
		v, err := io.Input("", false)
		if err != nil {
			return ExecuteReply{Status: StatusError, Err: &Error{Name: "InputError", Value: err.Error(), Traceback: []string{err.Error()}}}
		}
		io.Stream("stdout", "got "+v+"\n")
	case "input":
		v, err := io.Input(arg, false)
		if err != nil {
			return ExecuteReply{Status: StatusError, Err: &Error{Name: "InputError", Value: err.Error(), Traceback: []string{err.Error()}}}
		}
		io.Stream("stdout", "got "+v+"\n")
	case "late": // output from a goroutine after the cell returned
		go func() {
			time.Sleep(50 * time.Millisecond)
			io.Stream("stdout", "late output\n")
			io.Display(Bundle{"text/plain": "late display"}, nil, "")
			close(e.late)
		}()
	case "ticks": // two lines, some time apart
		io.Stream("stdout", "tick\n")
		time.Sleep(300 * time.Millisecond)
		io.Stream("stdout", "tock\n")
	case "panic":
		panic("engine bug")
	}
	if len(req.UserExpressions) > 0 {
		rep.UserExpressions = map[string]ExpressionResult{}
		for name, expr := range req.UserExpressions {
			if expr == "bad" {
				rep.UserExpressions[name] = ExpressionResult{Err: &Error{Name: "bad", Value: "bad expression"}}
				continue
			}
			rep.UserExpressions[name] = ExpressionResult{Data: Bundle{"text/plain": strings.ToUpper(expr)}}
		}
	}
	return rep
}

func (e *fakeEngine) Complete(code string, cursorPos int) CompleteReply {
	return CompleteReply{Matches: []string{"Println", "Printf"}, CursorStart: cursorPos - 5, CursorEnd: cursorPos, Types: []string{"function", "function"}}
}

func (e *fakeEngine) Inspect(code string, cursorPos, detailLevel int) InspectReply {
	if strings.Contains(code, "Println") {
		return InspectReply{Found: true, Data: Bundle{"text/plain": "func Println(a ...any) (n int, err error)"}}
	}
	return InspectReply{}
}

func (e *fakeEngine) IsComplete(code string) IsCompleteReply {
	if strings.HasSuffix(code, "{") {
		return IsCompleteReply{Status: "incomplete", Indent: "\t"}
	}
	return IsCompleteReply{Status: "complete"}
}

func (e *fakeEngine) Interrupt() {
	select {
	case e.interrupts <- struct{}{}:
	default:
	}
}

func (e *fakeEngine) Shutdown(restart bool) error {
	e.mu.Lock()
	e.shutdown = append(e.shutdown, restart)
	e.mu.Unlock()
	return nil
}

// syncBuffer is a log writer tests can read while the kernel writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type harness struct {
	k    *Kernel
	c    *testClient
	eng  *fakeEngine
	log  *syncBuffer
	done chan error
}

func testConfig() Config {
	return Config{
		Implementation:        "fake",
		ImplementationVersion: "1.2.3",
		LanguageInfo:          LanguageInfo{Name: "fakelang", Version: "9.9", Mimetype: "text/x-fake", FileExtension: ".fake", PygmentsLexer: "fake", CodemirrorMode: "fake"},
		Banner:                "fake banner",
		HelpLinks:             []HelpLink{{Text: "docs", URL: "https://example.com"}},
	}
}

func start(t testing.TB, info ConnectionInfo, cfg Config) *harness {
	t.Helper()
	h := &harness{eng: newFakeEngine(), log: &syncBuffer{}, done: make(chan error, 1)}
	cfg.Log = h.log
	k, err := New(cfg, info, h.eng)
	if err != nil {
		t.Fatal(err)
	}
	h.k = k
	ctx, cancel := context.WithCancel(context.Background())
	go func() { h.done <- k.Run(ctx) }()
	h.c = dialClient(t, k.Connection())
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(testTimeout):
			t.Error("kernel did not stop")
		}
		if t.Failed() {
			t.Logf("kernel log:\n%s", h.log.String())
		}
	})
	h.c.waitReady()
	return h
}

func startTCP(t testing.TB) *harness {
	return start(t, ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "a-secret-key", SignatureScheme: "hmac-sha256"}, testConfig())
}

func TestKernelInfo(t *testing.T) {
	h := startTCP(t)
	id := h.c.send(h.c.shell, "kernel_info_request", map[string]any{})
	rep := h.c.reply(h.c.shellCh, id)
	if rep.Header.MsgType != "kernel_info_reply" {
		t.Fatalf("reply type %s", rep.Header.MsgType)
	}
	c := content(t, rep)
	if c["protocol_version"] != "5.4" || c["implementation"] != "fake" || c["implementation_version"] != "1.2.3" || c["banner"] != "fake banner" || c["status"] != "ok" {
		t.Errorf("kernel_info_reply = %v", c)
	}
	li := c["language_info"].(map[string]any)
	if li["name"] != "fakelang" || li["mimetype"] != "text/x-fake" || li["file_extension"] != ".fake" || li["pygments_lexer"] != "fake" || li["codemirror_mode"] != "fake" || li["version"] != "9.9" {
		t.Errorf("language_info = %v", li)
	}
	if links := c["help_links"].([]any); len(links) != 1 {
		t.Errorf("help_links = %v", links)
	}
	if got := types(h.c.outputs(id)); strings.Join(got, ",") != "status:busy,status:idle" {
		t.Errorf("iopub = %v", got)
	}
	// The reply echoes the request header as parent and carries the
	// kernel's session.
	if rep.Header.Session != h.k.Session() || rep.Header.Version != "5.4" {
		t.Errorf("reply header %+v", rep.Header)
	}

	// kernel_info also works on control (protocol 5.5 clients use it).
	id = h.c.send(h.c.control, "kernel_info_request", map[string]any{})
	if rep := h.c.reply(h.c.controlCh, id); rep.Header.MsgType != "kernel_info_reply" {
		t.Errorf("control reply %s", rep.Header.MsgType)
	}
	h.c.outputs(id)
}

func TestExecute(t *testing.T) {
	h := startTCP(t)
	rep, out := h.c.execute("mixed", nil)
	c := content(t, rep)
	if c["status"] != "ok" || c["execution_count"] != 1.0 {
		t.Errorf("execute_reply = %v", c)
	}
	want := "status:busy,execute_input,stream,stream,stream,display_data,stream,update_display_data,clear_output,execute_result,status:idle"
	if got := strings.Join(types(out), ","); got != want {
		t.Errorf("iopub:\n got %s\nwant %s", got, want)
	}
	in := content(t, out[1])
	if in["code"] != "mixed" || in["execution_count"] != 1.0 {
		t.Errorf("execute_input = %v", in)
	}
	var texts []string
	for _, m := range out {
		if m.Header.MsgType == "stream" {
			sc := content(t, m)
			texts = append(texts, sc["name"].(string)+":"+sc["text"].(string))
		}
	}
	if got := strings.Join(texts, ""); got != "stdout:out1\nstderr:err1\nstdout:out2\nstdout:out3\n" {
		t.Errorf("streams %q", got)
	}
	disp := content(t, out[5])
	if disp["transient"].(map[string]any)["display_id"] != "d1" {
		t.Errorf("display_data = %v", disp)
	}
	res := content(t, out[9])
	if res["execution_count"] != 1.0 || res["data"].(map[string]any)["text/plain"] != "42" {
		t.Errorf("execute_result = %v", res)
	}

	// Counts: store_history false and silent do not count.
	rep, _ = h.c.execute("result x", map[string]any{"store_history": false})
	if n := content(t, rep)["execution_count"]; n != 1.0 {
		t.Errorf("store_history false: execution_count %v", n)
	}
	rep, out = h.c.execute("result x", map[string]any{"silent": true})
	if n := content(t, rep)["execution_count"]; n != 1.0 {
		t.Errorf("silent: execution_count %v", n)
	}
	if got := strings.Join(types(out), ","); got != "status:busy,status:idle" {
		t.Errorf("silent iopub %s", got)
	}
	rep, _ = h.c.execute("result x", nil)
	if n := content(t, rep)["execution_count"]; n != 2.0 {
		t.Errorf("second stored cell: execution_count %v", n)
	}
	h.eng.mu.Lock()
	last := h.eng.requests[len(h.eng.requests)-1]
	silent := h.eng.requests[len(h.eng.requests)-2]
	h.eng.mu.Unlock()
	if last.ExecutionCount != 2 || !last.StoreHistory || !last.AllowStdin || !last.StopOnError {
		t.Errorf("engine got %+v", last)
	}
	if !silent.Silent || silent.StoreHistory {
		t.Errorf("silent request reached the engine as %+v", silent)
	}
}

func TestExecuteError(t *testing.T) {
	h := startTCP(t)
	rep, out := h.c.execute("fail", nil)
	c := content(t, rep)
	if c["status"] != "error" || c["ename"] != "boom" || c["evalue"] != "it failed" {
		t.Errorf("execute_reply = %v", c)
	}
	if tb, ok := c["traceback"].([]any); !ok || len(tb) != 2 {
		t.Errorf("traceback = %v", c["traceback"])
	}
	want := "status:busy,execute_input,stream,error,status:idle"
	if got := strings.Join(types(out), ","); got != want {
		t.Errorf("iopub %s, want %s", got, want)
	}
	ec := content(t, out[3])
	if ec["ename"] != "boom" || len(ec["traceback"].([]any)) != 2 {
		t.Errorf("error = %v", ec)
	}

	// A panicking engine gives an error reply, not a dead kernel.
	rep, _ = h.c.execute("panic", nil)
	if c := content(t, rep); c["status"] != "error" || c["ename"] != "EnginePanic" {
		t.Errorf("panic reply = %v", c)
	}
	rep, _ = h.c.execute("result ok", nil)
	if c := content(t, rep); c["status"] != "ok" {
		t.Errorf("after panic: %v", c)
	}
}

func TestPayload(t *testing.T) {
	h := startTCP(t)
	rep, out := h.c.execute("page some help", nil)
	c := content(t, rep)
	pl, ok := c["payload"].([]any)
	if c["status"] != "ok" || !ok || len(pl) != 1 {
		t.Fatalf("execute_reply = %v", c)
	}
	page := pl[0].(map[string]any)
	if page["source"] != "page" || page["start"] != 0.0 || page["data"].(map[string]any)["text/plain"] != "some help" {
		t.Errorf("page payload = %v", page)
	}
	// A page is not output: on iopub only the cell's own output (the
	// barrier that orders it before the reply never leaves the kernel:
	// the client fails the test on a message it cannot parse).
	if got := strings.Join(types(out), ","); got != "status:busy,execute_input,stream,status:idle" {
		t.Errorf("iopub %s", got)
	}
	if strings.Contains(h.log.String(), "was not written within") {
		t.Errorf("the iopub barrier was not reached; log:\n%s", h.log.String())
	}
	if !strings.Contains(h.log.String(), "dropping a payload without a source") {
		t.Errorf("the payload without a source was not reported; log:\n%s", h.log.String())
	}

	// Payloads belong to successful replies only.
	rep, _ = h.c.execute("pagefail help", map[string]any{"stop_on_error": false})
	c = content(t, rep)
	if pl, ok := c["payload"].([]any); c["status"] != "error" || !ok || len(pl) != 0 {
		t.Errorf("failed cell's reply = %v", c)
	}
}

func TestUserExpressions(t *testing.T) {
	h := startTCP(t)
	rep, _ := h.c.execute("", map[string]any{"user_expressions": map[string]any{"a": "x", "b": "bad"}})
	ue := content(t, rep)["user_expressions"].(map[string]any)
	a := ue["a"].(map[string]any)
	if a["status"] != "ok" || a["data"].(map[string]any)["text/plain"] != "X" {
		t.Errorf("a = %v", a)
	}
	if b := ue["b"].(map[string]any); b["status"] != "error" || b["ename"] != "bad" {
		t.Errorf("b = %v", b)
	}
}

func TestStopOnErrorAborts(t *testing.T) {
	h := startTCP(t)
	c := h.c
	req := func(code string, stop bool) string {
		return c.send(c.shell, "execute_request", map[string]any{"code": code, "stop_on_error": stop})
	}
	failing := req("fail 100ms", true)
	queued1 := req("result 1", true)
	info := c.send(c.shell, "kernel_info_request", map[string]any{})
	queued2 := req("result 2", true)

	if s := content(t, c.reply(c.shellCh, failing))["status"]; s != "error" {
		t.Errorf("failing cell: %v", s)
	}
	for _, id := range []string{queued1, queued2} {
		rep := c.reply(c.shellCh, id)
		if s := content(t, rep)["status"]; s != "aborted" {
			t.Errorf("queued cell: status %v, want aborted", s)
		}
		// Every request, aborted or not, is bracketed by busy/idle.
		if got := strings.Join(types(c.outputs(id)), ","); got != "status:busy,status:idle" {
			t.Errorf("aborted iopub %s", got)
		}
	}
	_ = info
	// The queue has drained: the next request runs.
	rep, _ := c.execute("result 3", nil)
	if s := content(t, rep)["status"]; s != "ok" {
		t.Errorf("after the abort: %v", s)
	}
	h.eng.mu.Lock()
	n := len(h.eng.requests)
	h.eng.mu.Unlock()
	if n != 2 {
		t.Errorf("engine ran %d cells, want 2 (failing and the last)", n)
	}

	// stop_on_error false: the next queued cell runs.
	failing = req("fail 100ms", false)
	next := req("result 4", true)
	c.reply(c.shellCh, failing)
	if s := content(t, c.reply(c.shellCh, next))["status"]; s != "ok" {
		t.Errorf("stop_on_error false: next cell %v", s)
	}
}

func TestForgedSignatureIgnored(t *testing.T) {
	h := startTCP(t)
	c := h.c
	forger, _ := NewSigner("hmac-sha256", []byte("wrong key"))
	frames, id := c.encode("execute_request", map[string]any{"code": "echo forged"})
	h0 := frames[2]
	frames = forger.Encode(nil, h0, frames[3], frames[4], frames[5], nil)
	if err := c.shell.SendMulti(zmqMsg(frames)); err != nil {
		t.Fatal(err)
	}
	// The next genuine request is answered; the forged one never is.
	rep, _ := c.execute("result real", nil)
	if content(t, rep)["execution_count"] != 1.0 {
		t.Errorf("the forged request was counted")
	}
	select {
	case m := <-c.shellCh:
		t.Errorf("got a reply to a forged message: %s %s", m.Header.MsgType, parentID(m))
	case <-time.After(100 * time.Millisecond):
	}
	for _, m := range drain(c.iopubCh) {
		if parentID(m) == id {
			t.Errorf("iopub message for the forged request: %s", m.Header.MsgType)
		}
	}
	h.eng.mu.Lock()
	for _, r := range h.eng.requests {
		if strings.Contains(r.Code, "forged") {
			t.Errorf("the forged code ran")
		}
	}
	h.eng.mu.Unlock()
	if n := strings.Count(h.log.String(), "invalid signature"); n != 1 {
		t.Errorf("%d log lines about the bad signature, want 1:\n%s", n, h.log.String())
	}

	// A replayed genuine message is dropped too.
	frames, _ = c.encode("execute_request", map[string]any{"code": "echo once"})
	c.shell.SendMulti(zmqMsg(frames))
	c.shell.SendMulti(zmqMsg(frames))
	c.execute("result sync", nil)
	h.eng.mu.Lock()
	once := 0
	for _, r := range h.eng.requests {
		if r.Code == "echo once" {
			once++
		}
	}
	h.eng.mu.Unlock()
	if once != 1 {
		t.Errorf("replayed request ran %d times", once)
	}
}

func drain(ch chan *Message) []*Message {
	var out []*Message
	for {
		select {
		case m := <-ch:
			out = append(out, m)
		default:
			return out
		}
	}
}

func TestStreamCoalescing(t *testing.T) {
	h := startTCP(t)
	const n = 100000
	start := time.Now()
	rep, out := h.c.execute("print "+strconv.Itoa(n), nil)
	elapsed := time.Since(start)
	if content(t, rep)["status"] != "ok" {
		t.Fatal("print failed")
	}
	var text strings.Builder
	streams := 0
	for _, m := range out {
		if m.Header.MsgType == "stream" {
			streams++
			text.WriteString(content(t, m)["text"].(string))
		}
	}
	var want strings.Builder
	for i := range n {
		want.WriteString("line " + strconv.Itoa(i) + "\n")
	}
	if text.String() != want.String() {
		t.Errorf("stream text differs (got %d bytes, want %d)", text.Len(), want.Len())
	}
	if streams > 50 || streams < 2 {
		t.Errorf("%d stream messages for %d lines, want a few dozen at most", streams, n)
	}
	t.Logf("%d lines: %d stream messages, %v to idle", n, streams, elapsed)
}

func TestStreamLatency(t *testing.T) {
	h := startTCP(t)
	id := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "ticks"})
	var tick, tock time.Time
	deadline := time.After(testTimeout)
	for tock.IsZero() {
		select {
		case m := <-h.c.iopubCh:
			if m.Header.MsgType == "stream" && parentID(m) == id {
				switch content(t, m)["text"] {
				case "tick\n":
					tick = time.Now()
				case "tock\n":
					tock = time.Now()
				}
			}
		case <-deadline:
			t.Fatal("no output")
		}
	}
	// tick must arrive long before the cell ends (300 ms later).
	if tick.IsZero() || tock.Sub(tick) < 150*time.Millisecond {
		t.Errorf("the first line was held back: tick at %v, tock at %v", tick, tock)
	}
	h.c.reply(h.c.shellCh, id)
}

func TestHeldOutputGoesToNextCell(t *testing.T) {
	h := startTCP(t)
	h.c.execute("late", nil)
	select {
	case <-h.eng.late:
	case <-time.After(testTimeout):
		t.Fatal("late goroutine did not run")
	}
	time.Sleep(100 * time.Millisecond) // well past the flush interval
	for _, m := range drain(h.c.iopubCh) {
		if m.Header.MsgType == "stream" || m.Header.MsgType == "display_data" {
			t.Errorf("output sent while no cell ran: %s", m.Header.MsgType)
		}
	}
	_, out := h.c.execute("echo now\n", nil)
	want := "status:busy,execute_input,stream,display_data,stream,status:idle"
	if got := strings.Join(types(out), ","); got != want {
		t.Fatalf("iopub %s, want %s", got, want)
	}
	if s := content(t, out[2])["text"]; s != "late output\n" {
		t.Errorf("held stream %q", s)
	}
	if s := content(t, out[4])["text"]; s != "now\n" {
		t.Errorf("cell stream %q", s)
	}
}

func TestStdin(t *testing.T) {
	h := startTCP(t)
	c := h.c
	id := c.send(c.shell, "execute_request", map[string]any{"code": "input name?", "allow_stdin": true})
	var req *Message
	select {
	case req = <-c.stdinCh:
	case <-time.After(testTimeout):
		t.Fatal("no input_request")
	}
	if req.Header.MsgType != "input_request" || parentID(req) != id {
		t.Fatalf("got %s for %s", req.Header.MsgType, parentID(req))
	}
	if rc := content(t, req); rc["prompt"] != "name?" || rc["password"] != false {
		t.Errorf("input_request = %v", rc)
	}
	c.send(c.stdin, "input_reply", map[string]any{"value": "Gopher"})
	rep := c.reply(c.shellCh, id)
	if content(t, rep)["status"] != "ok" {
		t.Errorf("reply %v", content(t, rep))
	}
	var got string
	for _, m := range c.outputs(id) {
		if m.Header.MsgType == "stream" {
			got += content(t, m)["text"].(string)
		}
	}
	if got != "got Gopher\n" {
		t.Errorf("stream %q", got)
	}

	// allow_stdin false: a clear error, no hang.
	rep, _ = c.execute("input again?", map[string]any{"allow_stdin": false})
	if rc := content(t, rep); rc["status"] != "error" || !strings.Contains(rc["evalue"].(string), "allow_stdin") {
		t.Errorf("allow_stdin false: %v", rc)
	}
	select {
	case m := <-c.stdinCh:
		t.Errorf("input_request sent with allow_stdin false: %s", m.Header.MsgType)
	default:
	}

	// An interrupt ends the wait for input.
	id = c.send(c.shell, "execute_request", map[string]any{"code": "input wait", "allow_stdin": true})
	<-c.stdinCh
	iid := c.send(c.control, "interrupt_request", map[string]any{})
	c.reply(c.controlCh, iid)
	rep = c.reply(c.shellCh, id)
	if rc := content(t, rep); rc["status"] != "error" || rc["evalue"] != ErrInterrupted.Error() {
		t.Errorf("interrupted input: %v", rc)
	}
}

// Text a cell prints before reading stdin is its prompt: it reaches the
// client before the input_request, although the two travel on different
// sockets (a console shows iopub output only up to the input request).
func TestPromptBeforeInputRequest(t *testing.T) {
	h := startTCP(t)
	c := h.c
	for i := range 5 {
		prompt := fmt.Sprintf("name %d? ", i)
		id := c.send(c.shell, "execute_request", map[string]any{"code": "ask " + prompt, "allow_stdin": true})
		var req *Message
		select {
		case req = <-c.stdinCh:
		case <-time.After(testTimeout):
			t.Fatal("no input_request")
		}
		c.send(c.stdin, "input_reply", map[string]any{"value": "x"})
		c.reply(c.shellCh, id)
		var promptAt int64
		for _, m := range c.outputs(id) {
			if m.Header.MsgType == "stream" && strings.HasPrefix(content(t, m)["text"].(string), prompt) {
				promptAt = c.arrival(m)
			}
		}
		if promptAt == 0 {
			t.Fatalf("the prompt %q never arrived", prompt)
		}
		if promptAt > c.arrival(req) {
			t.Errorf("cell %d: the input_request (message %d) arrived before the prompt printed before it (message %d)", i, c.arrival(req), promptAt)
		}
	}
}

func TestInterrupt(t *testing.T) {
	h := startTCP(t)
	c := h.c
	id := c.send(c.shell, "execute_request", map[string]any{"code": "block"})
	// Wait until the cell runs and waits inside the engine: execute_input
	// is published before Execute is called, and the fake engine drops an
	// interrupt that arrives before it runs.
	select {
	case <-h.eng.blocked:
	case <-time.After(testTimeout):
		t.Fatal("the engine never started the blocking cell")
	}
	start := time.Now()
	iid := c.send(c.control, "interrupt_request", map[string]any{})
	irep := c.reply(c.controlCh, iid)
	took := time.Since(start)
	if irep.Header.MsgType != "interrupt_reply" || content(t, irep)["status"] != "ok" {
		t.Errorf("interrupt_reply %v", content(t, irep))
	}
	t.Logf("interrupt reply after %v", took)
	rep := c.reply(c.shellCh, id)
	if rc := content(t, rep); rc["status"] != "error" || rc["ename"] != "Interrupted" {
		t.Errorf("interrupted cell: %v", rc)
	}
	// The kernel is usable afterwards.
	rep, _ = c.execute("result after", nil)
	if content(t, rep)["status"] != "ok" {
		t.Error("kernel unusable after interrupt")
	}
}

func TestCompleteInspectIsComplete(t *testing.T) {
	h := startTCP(t)
	c := h.c
	id := c.send(c.shell, "complete_request", map[string]any{"code": "fmt.Print", "cursor_pos": 9})
	cc := content(t, c.reply(c.shellCh, id))
	if cc["status"] != "ok" || len(cc["matches"].([]any)) != 2 || cc["cursor_start"] != 4.0 || cc["cursor_end"] != 9.0 {
		t.Errorf("complete_reply %v", cc)
	}
	if types := cc["metadata"].(map[string]any)["_jupyter_types_experimental"].([]any); len(types) != 2 {
		t.Errorf("types %v", types)
	}
	c.outputs(id)

	id = c.send(c.shell, "inspect_request", map[string]any{"code": "fmt.Println", "cursor_pos": 5, "detail_level": 0})
	ic := content(t, c.reply(c.shellCh, id))
	if ic["found"] != true || ic["data"].(map[string]any)["text/plain"] == nil {
		t.Errorf("inspect_reply %v", ic)
	}
	id = c.send(c.shell, "inspect_request", map[string]any{"code": "nothing", "cursor_pos": 3})
	if ic := content(t, c.reply(c.shellCh, id)); ic["found"] != false || ic["status"] != "ok" {
		t.Errorf("inspect_reply not found %v", ic)
	}

	id = c.send(c.shell, "is_complete_request", map[string]any{"code": "func f() {"})
	if ic := content(t, c.reply(c.shellCh, id)); ic["status"] != "incomplete" || ic["indent"] != "\t" {
		t.Errorf("is_complete_reply %v", ic)
	}
	id = c.send(c.shell, "is_complete_request", map[string]any{"code": "x := 1"})
	if ic := content(t, c.reply(c.shellCh, id)); ic["status"] != "complete" {
		t.Errorf("is_complete_reply %v", ic)
	}
}

func TestHistoryAndComms(t *testing.T) {
	h := startTCP(t)
	c := h.c
	c.execute("echo a", nil)
	c.execute("result b", nil)
	c.execute("echo c", map[string]any{"store_history": false})
	id := c.send(c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 5, "output": false, "raw": true})
	hist := content(t, c.reply(c.shellCh, id))["history"].([]any)
	if len(hist) != 2 {
		t.Fatalf("history %v", hist)
	}
	if e := hist[1].([]any); e[1] != 2.0 || e[2] != "result b" {
		t.Errorf("entry %v", e)
	}
	id = c.send(c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 5, "output": true, "raw": true})
	hist = content(t, c.reply(c.shellCh, id))["history"].([]any)
	if len(hist) != 2 {
		t.Fatalf("history with output %v", hist)
	}
	if io := hist[0].([]any)[2].([]any); io[0] != "echo a" || io[1] != nil {
		t.Errorf("entry without a result %v", io)
	}
	if io := hist[1].([]any)[2].([]any); io[0] != "result b" || io[1] != "b" {
		t.Errorf("entry with a result %v", io)
	}
	id = c.send(c.shell, "history_request", map[string]any{"hist_access_type": "search", "pattern": "echo*", "output": false, "raw": true})
	if hist := content(t, c.reply(c.shellCh, id))["history"].([]any); len(hist) != 1 {
		t.Errorf("search %v", hist)
	}
	id = c.send(c.shell, "history_request", map[string]any{"hist_access_type": "range", "session": 0, "start": 2, "stop": 3, "output": false, "raw": true})
	if hist := content(t, c.reply(c.shellCh, id))["history"].([]any); len(hist) != 1 {
		t.Errorf("range %v", hist)
	}

	id = c.send(c.shell, "comm_info_request", map[string]any{})
	if cc := content(t, c.reply(c.shellCh, id)); cc["status"] != "ok" || len(cc["comms"].(map[string]any)) != 0 {
		t.Errorf("comm_info_reply %v", cc)
	}
	id = c.send(c.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "jupyter.widget", "data": map[string]any{}})
	out := c.outputs(id)
	if got := strings.Join(types(out), ","); got != "status:busy,comm_close,status:idle" {
		t.Errorf("comm_open iopub %s", got)
	}
	id = c.send(c.shell, "comm_msg", map[string]any{"comm_id": "c1", "data": map[string]any{}})
	c.outputs(id)
}

func TestHeartbeat(t *testing.T) {
	h := startTCP(t)
	for _, ping := range []string{"ping", "", "\x00binary\xff"} {
		if err := h.c.hb.Send(zmqMsg([][]byte{[]byte(ping)})); err != nil {
			t.Fatal(err)
		}
		m, err := h.c.hb.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Frames) != 1 || string(m.Frames[0]) != ping {
			t.Errorf("heartbeat echoed %q, want %q", m.Frames, ping)
		}
	}
}

func TestShutdown(t *testing.T) {
	for _, channel := range []string{"control", "shell"} {
		for _, restart := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/restart=%v", channel, restart), func(t *testing.T) {
				h := startTCP(t)
				sock, ch := h.c.control, h.c.controlCh
				if channel == "shell" {
					sock, ch = h.c.shell, h.c.shellCh
				}
				id := h.c.send(sock, "shutdown_request", map[string]any{"restart": restart})
				rep := h.c.reply(ch, id)
				if rc := content(t, rep); rc["status"] != "ok" || rc["restart"] != restart {
					t.Errorf("shutdown_reply %v", rc)
				}
				h.c.outputs(id)
				select {
				case err := <-h.done:
					if err != nil {
						t.Errorf("Run: %v", err)
					}
					h.done <- nil // for the cleanup
				case <-time.After(testTimeout):
					t.Fatal("Run did not return")
				}
				h.eng.mu.Lock()
				defer h.eng.mu.Unlock()
				if len(h.eng.shutdown) != 1 || h.eng.shutdown[0] != restart {
					t.Errorf("Engine.Shutdown calls %v", h.eng.shutdown)
				}
			})
		}
	}
}

func TestIPCAndUnsigned(t *testing.T) {
	dir, err := os.MkdirTemp("", "golit-ipc")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	info := ConnectionInfo{
		Transport: "ipc", IP: filepath.Join(dir, "k"),
		ShellPort: 1, ControlPort: 2, StdinPort: 3, IOPubPort: 4, HBPort: 5,
	}
	h := start(t, info, testConfig())
	rep, out := h.c.execute("echo over ipc\n", nil)
	if content(t, rep)["status"] != "ok" {
		t.Error("execute over ipc failed")
	}
	if len(out) != 4 || content(t, out[2])["text"] != "over ipc\n" {
		t.Errorf("iopub %v", types(out))
	}
	if _, err := os.Stat(filepath.Join(dir, "k-1")); err != nil {
		t.Errorf("ipc socket file: %v", err)
	}
}

func TestNoStdinWhenIdle(t *testing.T) {
	h := startTCP(t)
	if _, err := h.k.IO().Input("x", false); !errors.Is(err, ErrNoStdin) {
		t.Errorf("Input with no cell running: %v", err)
	}
}
