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
