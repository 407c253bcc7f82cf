package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// testClient is a minimal Jupyter client on real ZeroMQ sockets, the
// way jupyter_client connects: DEALER sockets for shell, control and stdin
// sharing one identity, a SUB socket for iopub and a REQ for heartbeat.
type testClient struct {
	t       testing.TB
	signer  *Signer
	session string
	seq     atomic.Int64

	shell, control, stdin, iopub, hb zmq4.Socket

	shellCh, controlCh, stdinCh, iopubCh chan *Message

	// arrivals numbers messages in the order the client received them,
	// across all sockets (see arrival).
	arrivals atomic.Int64
	arrived  sync.Map // *Message -> int64
}

// arrival is the place of m in the order the client received messages.
func (c *testClient) arrival(m *Message) int64 {
	n, _ := c.arrived.Load(m)
	v, _ := n.(int64)
	return v
}

const testTimeout = 10 * time.Second

func dialClient(t testing.TB, info ConnectionInfo) *testClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	signer, err := NewSigner(info.SignatureScheme, []byte(info.Key))
	if err != nil {
		t.Fatal(err)
	}
	c := &testClient{
		t:         t,
		signer:    signer,
		session:   fmt.Sprintf("client-%d", time.Now().UnixNano()),
		shellCh:   make(chan *Message, 1000),
		controlCh: make(chan *Message, 100),
		stdinCh:   make(chan *Message, 100),
		iopubCh:   make(chan *Message, 100000),
	}
	id := zmq4.WithID(zmq4.SocketIdentity(c.session))
	c.shell = zmq4.NewDealer(ctx, id)
	c.control = zmq4.NewDealer(ctx, id)
	c.stdin = zmq4.NewDealer(ctx, id)
	c.iopub = zmq4.NewSub(ctx)
	c.hb = zmq4.NewReq(ctx)
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, info.ShellPort}, {c.control, info.ControlPort}, {c.stdin, info.StdinPort}, {c.iopub, info.IOPubPort}, {c.hb, info.HBPort}} {
		if err := d.s.Dial(info.Endpoint(d.port)); err != nil {
			t.Fatalf("dial %s: %v", info.Endpoint(d.port), err)
		}
	}
	go c.read(c.shell, c.shellCh)
	go c.read(c.control, c.controlCh)
	go c.read(c.stdin, c.stdinCh)
	go c.read(c.iopub, c.iopubCh)
	t.Cleanup(func() {
		cancel()
		for _, s := range []zmq4.Socket{c.shell, c.control, c.stdin, c.iopub, c.hb} {
			s.Close()
		}
	})
	return c
}

func (c *testClient) read(s zmq4.Socket, ch chan *Message) {
	for {
		zm, err := s.Recv()
		if err != nil {
			return
		}
		m, err := ParseMessage(zm.Frames, c.signer)
		if err != nil {
			c.t.Errorf("client got a bad message: %v", err)
			continue
		}
		c.arrived.Store(m, c.arrivals.Add(1))
		ch <- m
	}
}

// encode builds the frames of a request signed with the client's key.
func (c *testClient) encode(msgType string, content any) ([][]byte, string) {
	id := c.session + "-" + strconv.FormatInt(c.seq.Add(1), 10)
	h, _ := json.Marshal(Header{MsgID: id, Session: c.session, Username: "test", Date: time.Now().UTC().Format(time.RFC3339Nano), MsgType: msgType, Version: ProtocolVersion})
	body, err := json.Marshal(content)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.signer.Encode(nil, h, nil, nil, body, nil), id
}

// send sends a request on a DEALER socket and returns its msg_id.
func (c *testClient) send(s zmq4.Socket, msgType string, content any) string {
	c.t.Helper()
	frames, id := c.encode(msgType, content)
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
	return id
}

func parentID(m *Message) string {
	var h Header
	_ = json.Unmarshal(m.ParentHeader, &h)
	return h.MsgID
}

// reply waits for the reply to msgID on ch.
func (c *testClient) reply(ch chan *Message, msgID string) *Message {
	c.t.Helper()
	deadline := time.After(testTimeout)
	for {
		select {
		case m := <-ch:
			if parentID(m) == msgID {
				return m
			}
			c.t.Logf("skipping %s for %s", m.Header.MsgType, parentID(m))
		case <-deadline:
			c.t.Fatalf("no reply to %s", msgID)
		}
	}
}

// outputs collects the iopub messages for msgID from busy to idle.
func (c *testClient) outputs(msgID string) []*Message {
	c.t.Helper()
	var out []*Message
	deadline := time.After(testTimeout)
	for {
		select {
		case m := <-c.iopubCh:
			if parentID(m) != msgID {
				continue
			}
			out = append(out, m)
			if m.Header.MsgType == "status" && state(m) == "idle" {
				return out
			}
		case <-deadline:
			c.t.Fatalf("no idle for %s; got %v", msgID, types(out))
		}
	}
}

func state(m *Message) string {
	var s struct {
		ExecutionState string `json:"execution_state"`
	}
	_ = json.Unmarshal(m.Content, &s)
	return s.ExecutionState
}

func types(ms []*Message) []string {
	var ts []string
	for _, m := range ms {
		t := m.Header.MsgType
		if t == "status" {
			t += ":" + state(m)
		}
		ts = append(ts, t)
	}
	return ts
}

func content(t testing.TB, m *Message) map[string]any {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal(m.Content, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// execute runs code and returns the reply and the iopub messages.
func (c *testClient) execute(code string, opts map[string]any) (*Message, []*Message) {
	c.t.Helper()
	req := map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": true, "stop_on_error": true}
	for k, v := range opts {
		req[k] = v
	}
	id := c.send(c.shell, "execute_request", req)
	rep := c.reply(c.shellCh, id)
	return rep, c.outputs(id)
}

// waitReady repeats kernel_info until a reply and its iopub status have
// arrived, as jupyter_client's wait_for_ready does.
func (c *testClient) waitReady() *Message {
	c.t.Helper()
	deadline := time.Now().Add(testTimeout)
	for time.Now().Before(deadline) {
		id := c.send(c.shell, "kernel_info_request", map[string]any{})
		rep := c.reply(c.shellCh, id)
		select {
		case m := <-c.iopubCh:
			if parentID(m) == id {
				c.outputs(id)
			}
			return rep
		case <-time.After(200 * time.Millisecond):
		}
	}
	c.t.Fatal("kernel never became ready")
	return nil
}

func zmqMsg(frames [][]byte) zmq4.Msg { return zmq4.NewMsgFrom(frames...) }
