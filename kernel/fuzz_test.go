package kernel

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// fuzzSep separates frames in the fuzzer's input (ASCII record separator).
const fuzzSep = 0x1e

// FuzzParseMessage feeds arbitrary frames to ParseMessage, signed and
// unsigned. It must never panic, and whatever it accepts must survive a
// re-encode with the same header, identities and content. The seed corpus
// lives in testdata/fuzz/FuzzParseMessage; run it longer with
//
//	go test -fuzz=FuzzParseMessage -fuzztime=30s ./kernel
func FuzzParseMessage(f *testing.F) {
	signed, _ := NewSigner("hmac-sha256", []byte("fuzz-key"))
	unsigned, _ := NewSigner("hmac-sha256", nil)
	for _, s := range []*Signer{signed, unsigned} {
		frames := s.Encode([][]byte{[]byte("client")},
			[]byte(`{"msg_id":"1","session":"s","username":"u","date":"","msg_type":"kernel_info_request","version":"5.4"}`),
			nil, nil, nil, nil)
		f.Add(bytes.Join(frames, []byte{fuzzSep}))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := bytes.Split(data, []byte{fuzzSep})
		for _, s := range []*Signer{signed, unsigned} {
			m, err := ParseMessage(frames, s)
			if err != nil {
				continue
			}
			if m.Header.MsgType == "" {
				t.Fatal("accepted a message without msg_type")
			}
			again := s.Encode(m.Identities, m.RawHeader, m.ParentHeader, m.Metadata, m.Content, m.Buffers)
			m2, err := ParseMessage(again, s)
			if err != nil {
				t.Fatalf("re-encoded message rejected: %v", err)
			}
			if m2.Header != m.Header || len(m2.Identities) != len(m.Identities) || len(m2.Buffers) != len(m.Buffers) {
				t.Fatalf("round trip changed the message: %+v vs %+v", m.Header, m2.Header)
			}
			if len(m.Content) > 0 && !bytes.Equal(m2.Content, m.Content) {
				t.Fatalf("round trip changed the content: %q vs %q", m.Content, m2.Content)
			}
		}
	})
}

// FuzzWire drives the ZMTP handshake and framing of a live kernel's
// listeners with arbitrary bytes: each input is written to a fresh TCP
// connection, which is then half-closed; the kernel must close its side
// (it has seen an error or the end of the stream) and keep answering its
// heartbeat. The low three bits of the first byte choose the socket
// (shell, iopub, heartbeat, control, stdin); bit 3 puts a valid greeting
// and READY command in front of the rest, so the fuzzer spends its time
// on framing as well as on handshakes. Run it longer with
//
//	go test -run '^$' -fuzz '^FuzzWire$' -fuzztime 1000000x ./kernel
//
// (FUZZING.md in this directory has the figures of a long run, and why
// -fuzzminimizetime 1x makes it a hundred times faster).
func FuzzWire(f *testing.F) {
	cfg := testConfig()
	cfg.MaxMessageSize = 1 << 20
	cfg.HandshakeTimeout = 2 * time.Second
	h := start(f, ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "fuzz-key", SignatureScheme: "hmac-sha256"}, cfg)
	pm := ports(h)
	order := []int{pm["shell"], pm["iopub"], pm["heartbeat"], pm["control"], pm["stdin"]}

	g := greeting()
	frames, _ := h.c.encode("kernel_info_request", map[string]any{})
	var msg []byte
	for i, fr := range frames {
		flags := byte(0)
		if i < len(frames)-1 {
			flags = zmtpFlagMore
		}
		msg = append(msg, zframe(flags, fr)...)
	}
	f.Add(append([]byte{0}, append(append(bytes.Clone(g), ready("DEALER", "x")...), msg...)...))
	f.Add(append([]byte{8}, msg...))
	f.Add(append([]byte{9}, zframe(0, []byte{1})...))
	f.Add(append([]byte{2}, append(bytes.Clone(g), bigHeader(zmtpFlagCommand, 1<<62)...)...))
	f.Add(append([]byte{8}, zframe(zmtpFlagCommand, []byte("\x04PING\x00\x00"))...))
	f.Add([]byte{3, 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 1, 'N', 'U', 'L', 'L'})

	var n atomic.Int64
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		mode, rest := data[0], data[1:]
		port := order[int(mode&7)%len(order)]
		if mode&8 != 0 {
			typ := "DEALER"
			if port == pm["iopub"] {
				typ = "SUB"
			}
			rest = append(append(bytes.Clone(g), ready(typ, "")...), rest...)
		}
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		_, _ = c.Write(rest)
		_ = c.(*net.TCPConn).CloseWrite()
		if _, err := io.Copy(io.Discard, c); err != nil && !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("the kernel did not close the connection: %v", err)
		}
		if n.Add(1)%512 == 0 {
			heartbeat(t, h)
		}
	})
}

// heartbeat fails unless the kernel echoes a heartbeat within 5 s.
func heartbeat(t *testing.T, h *harness) {
	done := make(chan error, 1)
	go func() {
		if err := h.c.hb.Send(zmq4.NewMsgString("ping")); err != nil {
			done <- err
			return
		}
		_, err := h.c.hb.Recv()
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("heartbeat: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no heartbeat within 5 s")
	}
}
