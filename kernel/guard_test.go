package kernel

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests play the peers of issue 16 with raw TCP sockets: bytes a
// client that holds no key can send, and clients that stop reading.

// greeting is a ZMTP 3.0 NULL greeting as a client sends it.
func greeting() []byte { return bytes.Clone(zmtpGreeting) }

// zframe encodes one ZMTP frame.
func zframe(flags byte, body []byte) []byte {
	if len(body) > 255 {
		h := make([]byte, 9, 9+len(body))
		h[0] = flags | zmtpFlagLong
		binary.BigEndian.PutUint64(h[1:], uint64(len(body)))
		return append(h, body...)
	}
	return append([]byte{flags, byte(len(body))}, body...)
}

// ready encodes a READY command with the given socket type and identity.
func ready(sockType, identity string) []byte {
	body := []byte("\x05READY")
	for _, kv := range [][2]string{{"Socket-Type", sockType}, {"Identity", identity}} {
		body = append(body, byte(len(kv[0])))
		body = append(body, kv[0]...)
		body = binary.BigEndian.AppendUint32(body, uint32(len(kv[1])))
		body = append(body, kv[1]...)
	}
	return zframe(zmtpFlagCommand, body)
}

// bigHeader is a frame header announcing size bytes.
func bigHeader(flags byte, size uint64) []byte {
	h := make([]byte, 9)
	h[0] = flags | zmtpFlagLong
	binary.BigEndian.PutUint64(h[1:], size)
	return h
}

// rawPeer is a ZMTP peer on a raw TCP connection.
type rawPeer struct {
	t    testing.TB
	conn net.Conn
}

func dialRaw(t testing.TB, port int) *rawPeer {
	t.Helper()
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawPeer{t: t, conn: c}
}

func (p *rawPeer) write(b []byte) error {
	_ = p.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err := p.conn.Write(b)
	return err
}

// handshake completes a ZMTP handshake as sockType within d.
func (p *rawPeer) handshake(sockType, identity string, d time.Duration) error {
	if err := p.write(append(greeting(), ready(sockType, identity)...)); err != nil {
		return err
	}
	_ = p.conn.SetReadDeadline(time.Now().Add(d))
	g := make([]byte, zmtpGreetingLen)
	if _, err := io.ReadFull(p.conn, g); err != nil {
		return fmt.Errorf("no greeting from the kernel: %w", err)
	}
	f, err := p.readFrames(d)
	if err != nil {
		return fmt.Errorf("no READY from the kernel: %w", err)
	}
	if len(f) != 1 || !bytes.HasPrefix(f[0], []byte("\x05READY")) {
		return fmt.Errorf("expected READY, got %q", f)
	}
	return nil
}

// readFrames reads one message within d.
func (p *rawPeer) readFrames(d time.Duration) ([][]byte, error) {
	_ = p.conn.SetReadDeadline(time.Now().Add(d))
	var frames [][]byte
	for {
		h := make([]byte, 2)
		if _, err := io.ReadFull(p.conn, h); err != nil {
			return frames, err
		}
		size := uint64(h[1])
		if h[0]&zmtpFlagLong != 0 {
			rest := make([]byte, 7)
			if _, err := io.ReadFull(p.conn, rest); err != nil {
				return frames, err
			}
			size = binary.BigEndian.Uint64(append([]byte{h[1]}, rest...))
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(p.conn, body); err != nil {
			return frames, err
		}
		frames = append(frames, body)
		if h[0]&zmtpFlagMore == 0 {
			return frames, nil
		}
	}
}

func (p *rawPeer) sendFrames(frames [][]byte) error {
	var b []byte
	for i, f := range frames {
		flags := byte(0)
		if i < len(frames)-1 {
			flags = zmtpFlagMore
		}
		b = append(b, zframe(flags, f)...)
	}
	return p.write(b)
}

// closedWithin reports whether the kernel closes the connection within d
// (what it sent before is read and ignored).
func (p *rawPeer) closedWithin(d time.Duration) bool {
	_ = p.conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, p.conn)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// kernelInfo asks for kernel_info on a fresh raw DEALER and returns how
// long the handshake and the reply took.
func kernelInfo(t testing.TB, h *harness, d time.Duration) (time.Duration, error) {
	start := time.Now()
	p := dialRaw(t, h.k.Connection().ShellPort)
	defer p.conn.Close()
	if err := p.handshake("DEALER", "", d); err != nil {
		return time.Since(start), err
	}
	frames, id := h.c.encode("kernel_info_request", map[string]any{})
	if err := p.sendFrames(frames); err != nil {
		return time.Since(start), err
	}
	for {
		f, err := p.readFrames(d - time.Since(start))
		if err != nil {
			return time.Since(start), fmt.Errorf("no kernel_info_reply: %w", err)
		}
		m, err := ParseMessage(f, h.c.signer)
		if err == nil && parentID(m) == id {
			return time.Since(start), nil
		}
	}
}

func ports(h *harness) map[string]int {
	c := h.k.Connection()
	return map[string]int{"shell": c.ShellPort, "iopub": c.IOPubPort, "heartbeat": c.HBPort, "control": c.ControlPort, "stdin": c.StdinPort}
}

// checkAlive fails unless the kernel answers an existing client and a new
// one promptly.
func checkAlive(t *testing.T, h *harness) {
	t.Helper()
	rep, _ := h.c.execute("result 2", nil)
	if rep.Header.MsgType != "execute_reply" {
		t.Fatalf("reply %s", rep.Header.MsgType)
	}
	if d, err := kernelInfo(t, h, 3*time.Second); err != nil {
		t.Fatalf("a new client got no kernel_info_reply (after %v): %v", d, err)
	}
}

// TestWireOversizedFrame sends the 73 bytes of issue 16 (a greeting and a
// command header announcing 2^62 bytes) to every socket. Before the
// guard, zmq4 panicked in makeslice and the process died.
func TestWireOversizedFrame(t *testing.T) {
	h := startTCP(t)
	for name, port := range ports(h) {
		p := dialRaw(t, port)
		bad := append(greeting(), bigHeader(zmtpFlagCommand, 1<<62)...)
		if len(bad) != 73 {
			t.Fatalf("%d bytes", len(bad))
		}
		_ = p.write(bad)
		if !p.closedWithin(3 * time.Second) {
			t.Errorf("%s: the connection stayed open", name)
		}
	}
	checkAlive(t, h)
	if n := strings.Count(h.log.String(), "READY command of 4611686018427387904 bytes"); n != 5 {
		t.Errorf("%d log lines about the oversized READY, want 5:\n%s", n, h.log.String())
	}
}

// TestWireMalformed sends bytes no ZMTP peer would send: each connection
// is closed with one log line and the kernel goes on.
func TestWireMalformed(t *testing.T) {
	cfg := testConfig()
	cfg.MaxMessageSize = 1 << 20
	cfg.HandshakeTimeout = time.Second
	h := start(t, ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "a-secret-key", SignatureScheme: "hmac-sha256"}, cfg)
	g := greeting()
	with := func(i int, b byte) []byte { x := greeting(); x[i] = b; return x }
	plain := greeting()
	copy(plain[12:32], "PLAIN\x00\x00\x00")
	curve := greeting()
	copy(curve[12:32], "CURVE")
	dealer := append(bytes.Clone(g), ready("DEALER", "")...)
	cases := []struct {
		name, logs string
		port       string
		bytes      []byte
	}{
		{"not ZMTP", "not a ZMTP greeting", "shell", []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n" + strings.Repeat("x", 64))},
		{"ZMTP 2", "ZMTP version 2.0", "shell", with(10, 2)},
		{"PLAIN", "security mechanism", "control", plain},
		{"CURVE", "security mechanism", "stdin", curve},
		{"as-server 7", "as-server", "heartbeat", with(32, 7)},
		// ZMTP asks only for the low bit here; zmq4 for 0x7f.
		{"signature 0x4d", "not a ZMTP greeting", "control", with(9, 0x4d)},
		{"negative READY size", "READY command of", "shell", append(bytes.Clone(g), bigHeader(zmtpFlagCommand, 1<<63+5)...)},
		{"data frame instead of READY", "expected the READY command", "shell", append(bytes.Clone(g), zframe(0, []byte("hello"))...)},
		{"READY with MORE", "expected the READY command", "shell", append(bytes.Clone(g), zframe(zmtpFlagCommand|zmtpFlagMore, []byte("\x05READY"))...)},
		{"other command", "expected the READY command", "shell", append(bytes.Clone(g), zframe(zmtpFlagCommand, []byte("\x05HELLO"))...)},
		// zmq4 indexes past the end of this metadata (a property name
		// as long as what is left) and panics.
		{"metadata overrun", "malformed metadata", "shell", append(bytes.Clone(g), zframe(zmtpFlagCommand, []byte("\x05READY\x03ab"))...)},
		{"value overrun", "malformed metadata", "shell", append(bytes.Clone(g), zframe(zmtpFlagCommand, []byte("\x05READY\x01a\xff\xff\xff\xf0xyz"))...)},
		// zmq4 files this property as "SOcket-Type", finds no
		// "Socket-Type" and panics.
		{"SOcket-Type", "cannot connect here", "shell", append(bytes.Clone(g), zframe(zmtpFlagCommand, []byte("\x05READY\x0bSOcket-Type\x00\x00\x00\x06DEALER"))...)},
		{"PUB peer on shell", "cannot connect here", "shell", append(bytes.Clone(g), ready("PUB", "")...)},
		{"DEALER peer on iopub", "cannot connect here", "iopub", append(bytes.Clone(g), ready("DEALER", "")...)},
		{"identity too long", "identity of 300 bytes", "shell", append(bytes.Clone(g), ready("DEALER", strings.Repeat("i", 300))...)},
		{"2^62 data frame", "message of more than", "shell", append(bytes.Clone(dealer), bigHeader(0, 1<<62)...)},
		{"negative data frame", "message of more than", "control", append(bytes.Clone(dealer), bigHeader(0, 1<<63)...)},
		{"message over the limit", "message of more than", "shell", append(bytes.Clone(dealer), bigHeader(0, 2<<20)...)},
		{"frames adding up past the limit", "message of more than", "shell", append(append(bytes.Clone(dealer), bytes.Repeat(zframe(zmtpFlagMore, make([]byte, 200)), 1<<20/200)...), zframe(0, nil)...)},
		{"huge command", "command of", "stdin", append(bytes.Clone(dealer), bigHeader(zmtpFlagCommand, 1<<20)...)},
		{"command with MORE", "command frame with the MORE flag", "shell", append(bytes.Clone(dealer), zframe(zmtpFlagCommand|zmtpFlagMore, []byte("\x04PING"))...)},
		{"data on iopub", "only subscriptions", "iopub", append(append(bytes.Clone(g), ready("SUB", "")...), zframe(0, []byte("hello"))...)},
		{"truncated greeting", "no complete greeting within", "shell", g[:30]},
		{"truncated READY", "no complete READY command within", "shell", append(bytes.Clone(g), ready("DEALER", "")[:5]...)},
	}
	pm := ports(h)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := strings.Count(h.log.String(), "closed connection")
			p := dialRaw(t, pm[c.port])
			_ = p.write(c.bytes)
			if !p.closedWithin(3 * time.Second) {
				t.Errorf("the connection stayed open")
			}
			// The log line is written as the connection closes.
			deadline := time.Now().Add(time.Second)
			for strings.Count(h.log.String(), "closed connection") == before && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			lines := strings.Split(h.log.String(), "\n")
			var mine []string
			for _, l := range lines {
				if strings.Contains(l, "closed connection") {
					mine = append(mine, l)
				}
			}
			if len(mine) != before+1 || !strings.Contains(mine[len(mine)-1], c.logs) {
				t.Errorf("want one log line with %q, got %q", c.logs, mine[before:])
			}
		})
	}
	checkAlive(t, h)
}

// TestWireTruncated: peers that end their connection in the middle of a
// frame or a message are logged once each; the kernel goes on.
func TestWireTruncated(t *testing.T) {
	h := startTCP(t)
	dealer := append(greeting(), ready("DEALER", "")...)
	for _, c := range []struct{ bytes []byte }{
		{append(bytes.Clone(dealer), append([]byte{0, 100}, make([]byte, 10)...)...)},
		{append(bytes.Clone(dealer), bigHeader(0, 1000)[:5]...)},
		{append(bytes.Clone(dealer), zframe(zmtpFlagMore, []byte("<IDS|MSG>"))...)},
	} {
		p := dialRaw(t, h.k.Connection().ShellPort)
		_ = p.write(c.bytes)
		_ = p.conn.(*net.TCPConn).CloseWrite()
		if !p.closedWithin(3 * time.Second) {
			t.Error("the connection stayed open")
		}
	}
	checkAlive(t, h)
	if n := strings.Count(h.log.String(), "ended in the middle of a"); n != 3 {
		t.Errorf("%d log lines about truncated frames, want 3:\n%s", n, h.log.String())
	}
}

// TestWireSilentPeers leaves a silent connection on every socket: a new
// client must still be served at once. Before the guard, zmq4 ran each
// handshake in its accepting goroutine, and the silent peer held up
// every later connection.
func TestWireSilentPeers(t *testing.T) {
	h := startTCP(t)
	for _, port := range ports(h) {
		dialRaw(t, port)
	}
	// A peer that sends its greeting one byte every 100 ms.
	loris := dialRaw(t, h.k.Connection().ShellPort)
	go func() {
		for _, b := range greeting() {
			if loris.write([]byte{b}) != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	time.Sleep(100 * time.Millisecond)
	d, err := kernelInfo(t, h, 3*time.Second)
	if err != nil {
		t.Fatalf("a new client got no kernel_info_reply beside silent peers (after %v): %v", d, err)
	}
	if d > time.Second {
		t.Errorf("a new client waited %v for kernel_info_reply", d)
	}
}

// TestWireHandshakeTimeout: a silent peer is disconnected after the
// handshake timeout, with one log line.
func TestWireHandshakeTimeout(t *testing.T) {
	cfg := testConfig()
	cfg.HandshakeTimeout = 300 * time.Millisecond
	h := start(t, ConnectionInfo{Transport: "tcp", IP: "127.0.0.1"}, cfg)
	p := dialRaw(t, h.k.Connection().ControlPort)
	start := time.Now()
	if !p.closedWithin(3 * time.Second) {
		t.Fatal("a silent peer stayed connected")
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("closed after %v, before the timeout", d)
	}
	time.Sleep(50 * time.Millisecond)
	if n := strings.Count(h.log.String(), "no complete greeting within 300ms"); n != 1 {
		t.Errorf("%d log lines, want 1:\n%s", n, h.log.String())
	}
}

// TestWireConnectionFlood opens and drops thousands of connections, some
// in the middle of a greeting: the kernel keeps serving, and what the
// connections held is released.
func TestWireConnectionFlood(t *testing.T) {
	h := startTCP(t)
	time.Sleep(100 * time.Millisecond)
	goroutines := runtime.NumGoroutine()
	pm := ports(h)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 250 {
				port := []int{pm["shell"], pm["iopub"], pm["heartbeat"], pm["control"]}[(w+i)%4]
				c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
				if err != nil {
					continue
				}
				if i%2 == 1 {
					c.Write(greeting()[:i%64])
				}
				c.Close()
			}
		}()
	}
	wg.Wait()
	checkAlive(t, h)
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines+10 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines+10 {
		t.Errorf("%d goroutines after the flood, %d before", n, goroutines)
	}
}

// TestWireSlowSubscriber: a subscriber that never reads must not stop the
// output of another client. Before the guard, zmq4's PUB socket blocked
// on the stalled connection and the other client never saw idle.
func TestWireSlowSubscriber(t *testing.T) {
	cfg := testConfig()
	cfg.SendHighWaterMark = 50
	h := start(t, ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "k"}, cfg)
	sub := dialRaw(t, h.k.Connection().IOPubPort)
	if err := sub.handshake("SUB", "", 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := sub.sendFrames([][]byte{{1}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	// About 40 MB of output: far more than the socket buffers of the
	// stalled subscriber hold.
	const lines = 2_000_000
	start := time.Now()
	id := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "print " + strconv.Itoa(lines), "silent": false})
	var text strings.Builder
	deadline := time.After(60 * time.Second)
	for done := false; !done; {
		select {
		case m := <-h.c.iopubCh:
			if parentID(m) != id {
				continue
			}
			switch m.Header.MsgType {
			case "stream":
				var c streamContent
				_ = json.Unmarshal(m.Content, &c)
				text.WriteString(c.Text)
			case "status":
				done = state(m) == "idle"
			}
		case <-deadline:
			t.Fatalf("no idle after %v; %d bytes of output", time.Since(start), text.Len())
		}
	}
	if n := strings.Count(text.String(), "\n"); n != lines {
		t.Errorf("%d lines of output, want %d", n, lines)
	}
	if !strings.HasSuffix(text.String(), "line "+strconv.Itoa(lines-1)+"\n") {
		t.Errorf("output ends %q", text.String()[max(0, text.Len()-40):])
	}
	if n := strings.Count(h.log.String(), "is not reading"); n != 1 {
		t.Errorf("%d log lines about the stalled subscriber, want 1:\n%s", n, h.log.String())
	}
	t.Logf("%d lines in %v beside a stalled subscriber", lines, time.Since(start))
}

// TestWireSlowDealer: a shell client that sends requests and never reads
// the replies must not hold up the replies to another client.
func TestWireSlowDealer(t *testing.T) {
	cfg := testConfig()
	h := start(t, ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "k"}, cfg)
	d := dialRaw(t, h.k.Connection().ShellPort)
	if err := d.handshake("DEALER", "stalled", 3*time.Second); err != nil {
		t.Fatal(err)
	}
	// 20,000 requests whose replies (about 1 KB each) are far more than
	// the socket buffers hold.
	var all []byte
	for range 20000 {
		frames, _ := h.c.encode("kernel_info_request", map[string]any{})
		for i, f := range frames {
			flags := byte(0)
			if i < len(frames)-1 {
				flags = zmtpFlagMore
			}
			all = append(all, zframe(flags, f)...)
		}
	}
	// The kernel reads them as fast as it answers them.
	go func() {
		_ = d.conn.SetWriteDeadline(time.Now().Add(60 * time.Second))
		_, _ = d.conn.Write(all)
	}()
	// Wait until the kernel has started dropping replies to the stalled
	// client, then time a request of the other.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(h.log.String(), "is not reading") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(h.log.String(), "is not reading") {
		t.Fatalf("no log line about the stalled client:\n%s", h.log.String())
	}
	start := time.Now()
	id := h.c.send(h.c.shell, "kernel_info_request", map[string]any{})
	h.c.reply(h.c.shellCh, id)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the other client waited %v for its reply", d)
	}
	t.Logf("reply beside a stalled client after %v", time.Since(start))
}

// TestWireLimitsFromConfig: settings reach the guard, defaults apply.
func TestWireLimitsFromConfig(t *testing.T) {
	var c Config
	c.setDefaults()
	if c.MaxMessageSize != 256<<20 || c.SendHighWaterMark != 1000 || c.SendQueueBytes != 64<<20 || c.HandshakeTimeout != 5*time.Second {
		t.Errorf("defaults %+v", c)
	}
}
