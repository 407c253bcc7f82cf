package kernel

import (
	"bytes"
	"encoding/binary"
	"net"
	"testing"
)

// recordingConn records each Write it receives.
type recordingConn struct {
	net.Conn
	writes [][]byte
}

func (r *recordingConn) Write(p []byte) (int, error) {
	r.writes = append(r.writes, append([]byte(nil), p...))
	return len(p), nil
}

func (r *recordingConn) all() []byte { return bytes.Join(r.writes, nil) }

// frame writes one ZMTP frame the way zmq4 does: header, then body.
func frame(t *testing.T, c net.Conn, body []byte, more bool) []byte {
	t.Helper()
	flag := byte(0)
	if more {
		flag |= zmtpFlagMore
	}
	var hdr []byte
	if len(body) > 255 {
		hdr = make([]byte, 9)
		hdr[0] = flag | zmtpFlagLong
		binary.BigEndian.PutUint64(hdr[1:], uint64(len(body)))
	} else {
		hdr = []byte{flag, byte(len(body))}
	}
	for _, p := range [][]byte{hdr, body} {
		if n, err := c.Write(p); err != nil || n != len(p) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	return append(hdr, body...)
}

func TestCoalescingConn(t *testing.T) {
	rec := &recordingConn{}
	c := newCoalescingConn(rec)
	greeting := bytes.Repeat([]byte{0xff}, zmtpGreetingLen)
	c.Write(greeting)
	var want []byte
	want = append(want, greeting...)
	// A command (READY) is one frame without MORE: written at once.
	want = append(want, frame(t, c, []byte("\x05READY"), false)...)
	writesBefore := len(rec.writes)
	// A 7-frame message, one long frame and one empty frame among them.
	frames := [][]byte{[]byte("<IDS|MSG>"), []byte("sig"), bytes.Repeat([]byte("h"), 300), {}, []byte("{}"), []byte("{}")}
	for _, f := range frames {
		want = append(want, frame(t, c, f, true)...)
	}
	if len(rec.writes) != writesBefore {
		t.Fatalf("frames written before the message ended: %d writes", len(rec.writes)-writesBefore)
	}
	want = append(want, frame(t, c, []byte(`{"code":""}`), false)...)
	if len(rec.writes) != writesBefore+1 {
		t.Errorf("message written in %d calls, want 1", len(rec.writes)-writesBefore)
	}
	// A big body goes out directly.
	big := bytes.Repeat([]byte("x"), bigBody)
	want = append(want, frame(t, c, []byte("topic"), true)...)
	want = append(want, frame(t, c, big, false)...)
	if !bytes.Equal(rec.all(), want) {
		t.Fatal("bytes changed or reordered")
	}
	if c.passThrough {
		t.Fatal("fell back to pass-through on zmq4's own pattern")
	}

	// An unexpected write: everything held goes out first, in order,
	// and the connection passes writes through from then on.
	c.Write([]byte{zmtpFlagMore, 4}) // a header, held
	want = append(want, zmtpFlagMore, 4)
	c.Write([]byte("not the 4-byte body"))
	want = append(want, []byte("not the 4-byte body")...)
	if !c.passThrough || !bytes.Equal(rec.all(), want) {
		t.Fatalf("fallback lost or reordered bytes")
	}
	n := len(rec.writes)
	c.Write([]byte{1, 2})
	if len(rec.writes) != n+1 {
		t.Error("pass-through write was held")
	}
}

// TestCoalescingConnDropsBarriers checks that an iopub barrier never
// reaches the wire, that reaching it closes its channel, and that the
// messages around it pass unchanged and still coalesced.
func TestCoalescingConnDropsBarriers(t *testing.T) {
	rec := &recordingConn{}
	c := newCoalescingConn(rec)
	greeting := bytes.Repeat([]byte{0xff}, zmtpGreetingLen)
	c.Write(greeting)
	want := append([]byte(nil), greeting...)
	want = append(want, frame(t, c, []byte("\x05READY"), false)...)
	msg := func() {
		want = append(want, frame(t, c, []byte("kernel.x.stream"), true)...)
		want = append(want, frame(t, c, []byte("<IDS|MSG>"), true)...)
		want = append(want, frame(t, c, []byte(`{"text":"out"}`), false)...)
	}
	msg()
	writes := len(rec.writes)
	for i, topic := range []string{barrierPrefix + "s.1", barrierPrefix + "s.2"} {
		reached := make(chan struct{})
		barriers.Store(topic, reached)
		frame(t, c, []byte(topic), i == 1) // the second one has a second frame
		if i == 1 {
			select {
			case <-reached:
				t.Fatal("a barrier was reached before its last frame")
			default:
			}
			frame(t, c, []byte("more"), false)
		}
		select {
		case <-reached:
		default:
			t.Fatalf("barrier %d not reached", i)
		}
		if _, ok := barriers.Load(topic); ok {
			t.Errorf("barrier %d still registered", i)
		}
	}
	if len(rec.writes) != writes {
		t.Fatalf("a barrier was written: %d more writes", len(rec.writes)-writes)
	}
	msg()
	if len(rec.writes) != writes+1 {
		t.Errorf("the message after the barriers took %d writes, want 1", len(rec.writes)-writes)
	}
	if !bytes.Equal(rec.all(), want) || c.passThrough {
		t.Fatal("bytes around the barriers changed")
	}
	// A barrier's prefix in a later frame is data, not a barrier.
	want = append(want, frame(t, c, []byte("topic"), true)...)
	want = append(want, frame(t, c, []byte(barrierPrefix+"data"), false)...)
	if !bytes.Equal(rec.all(), want) {
		t.Fatal("a frame that only looks like a barrier was dropped")
	}
}

func TestBindEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"tcp://127.0.0.1:5": "golit-tcp://127.0.0.1:5",
		"ipc://kernel-1":    "golit-ipc://kernel-1",
		"inproc://x":        "inproc://x",
	} {
		if got := bindEndpoint(in); got != want {
			t.Errorf("bindEndpoint(%s) = %s", in, got)
		}
	}
}
