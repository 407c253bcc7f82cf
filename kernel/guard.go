package kernel

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// The wire guard: what stands between a peer that has not authenticated
// and zmq4.
//
// zmq4 (v0.17) runs the ZMTP handshake of every accepted connection inline
// in the goroutine that accepts connections, without a deadline, and
// allocates a frame's body from the size the peer announces before reading
// it. One peer that never sends its greeting therefore holds up every later
// connection, and 73 bytes (a greeting and a frame header announcing 2^62
// bytes) panic in makeslice and end the process. Its PUB and ROUTER sockets
// write to their peers one after the other with blocking writes, so one
// peer that stops reading stops all the others.
//
// The kernel binds through golit's own transports (see transport.go), so
// it sees every connection before zmq4 does:
//
//   - guardedListener accepts connections itself and runs the start of
//     each handshake in a goroutine of the connection's own, under
//     Config.HandshakeTimeout: it sends the kernel's greeting, then waits
//     until the peer's greeting and READY command are buffered and valid
//     (ZMTP 3, NULL mechanism, a socket type that can talk to ours,
//     well-formed metadata). Only then does zmq4's Accept see the
//     connection, so zmq4's handshake reads bytes already in memory and
//     never waits.
//   - inGuard checks every frame header before zmq4 reads it: a frame or
//     message larger than Config.MaxMessageSize, or a command larger than
//     maxCommand, closes the connection with one log line before anything
//     is allocated for it.
//   - outQueue gives every connection a queue of its own and a goroutine
//     that writes it, so a zmq4 write never blocks. A peer whose queue
//     holds Config.SendHighWaterMark messages (or Config.SendQueueBytes)
//     loses further messages until it catches up, as with libzmq's
//     per-peer high-water mark; the first loss is logged.

// Limits of the wire guard that are not configurable.
const (
	// maxCommand is the largest ZMTP command frame accepted (commands
	// are READY, PING, SUBSCRIBE...; a few hundred bytes in practice).
	maxCommand = 64 << 10
	// maxReady is the largest READY command accepted in the handshake;
	// it must fit the read buffer with the greeting.
	maxReady = 16 << 10
	// frameOverhead is what a frame costs beyond its body when counted
	// against the message size limit, so that a message of millions of
	// empty frames is refused too.
	frameOverhead = 64
	// maxPendingHandshakes bounds the handshakes in progress per socket;
	// a connection beyond it is closed at once.
	maxPendingHandshakes = 128
	// maxPeers bounds the connections per socket.
	maxPeers = 1024
	// bigTraffic is how many bytes of messages, received and sent, make
	// the kernel give memory back to the operating system a little after
	// the traffic stops (see noteTraffic).
	bigTraffic = 32 << 20
	// freeMemoryDelay is how long after the last big message memory is
	// given back.
	freeMemoryDelay = 2 * time.Second
	// logBurst log lines about peers are written per logWindow; the rest
	// are counted and summed up in one line.
	logBurst  = 50
	logWindow = 10 * time.Second
)

// wireLimits are the guard's settings for one bound socket. The kernel
// hands them to the transport through the context of the zmq4 socket.
type wireLimits struct {
	channel          string
	maxMessage       int64
	handshakeTimeout time.Duration
	sendHWM          int
	sendBytes        int
	peerTypes        []string // socket types allowed to connect
	subscribeOnly    bool     // iopub: a peer may only send subscriptions
	log              *rateLog
}

type limitsKey struct{}

// withLimits returns ctx carrying l for the transport's Listen.
func withLimits(ctx context.Context, l *wireLimits) context.Context {
	return context.WithValue(ctx, limitsKey{}, l)
}

// limitsFrom returns the limits in ctx, or the defaults (a socket bound
// outside a Kernel, as in tests of the transport alone).
func limitsFrom(ctx context.Context) *wireLimits {
	if l, ok := ctx.Value(limitsKey{}).(*wireLimits); ok {
		return l
	}
	return &wireLimits{
		channel:          "zmq",
		maxMessage:       defaultMaxMessage,
		handshakeTimeout: defaultHandshakeTimeout,
		sendHWM:          defaultSendHWM,
		sendBytes:        defaultSendBytes,
		peerTypes:        []string{"DEALER", "REQ", "ROUTER", "SUB", "XSUB", "PAIR", "PUSH", "PULL", "PUB", "XPUB", "REP"},
		log:              newRateLog(nil),
	}
}

// rateLog writes at most logBurst lines per logWindow and then one line
// saying how many it left out, so a flood of bad connections cannot fill
// a disk with log lines.
type rateLog struct {
	logf       func(string, ...any)
	mu         sync.Mutex
	windowFrom time.Time
	lines      int
	suppressed int
}

func newRateLog(logf func(string, ...any)) *rateLog {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &rateLog{logf: logf}
}

func (r *rateLog) printf(format string, args ...any) {
	r.mu.Lock()
	now := time.Now()
	if now.Sub(r.windowFrom) > logWindow {
		if r.suppressed > 0 {
			r.logf("%d more lines about misbehaving peers were left out", r.suppressed)
		}
		r.windowFrom, r.lines, r.suppressed = now, 0, 0
	}
	if r.lines >= logBurst {
		r.suppressed++
		r.mu.Unlock()
		return
	}
	r.lines++
	r.mu.Unlock()
	r.logf(format, args...)
}

// wireError is the error of a connection the guard closed. It is a
// net.Error that is not a timeout, which makes zmq4 drop the connection.
type wireError struct{ msg string }

func (e *wireError) Error() string   { return e.msg }
func (e *wireError) Timeout() bool   { return false }
func (e *wireError) Temporary() bool { return false }

// zmtpGreeting is the greeting the kernel sends: ZMTP 3.0, NULL
// mechanism, not as-server; byte for byte what zmq4 sends.
var zmtpGreeting = func() []byte {
	g := make([]byte, zmtpGreetingLen)
	g[0], g[9], g[10], g[11] = 0xff, 0x7f, 3, 0
	copy(g[12:32], "NULL")
	return g
}()

// guardedListener accepts connections and hands zmq4 only those whose
// peer has sent a valid greeting and READY command (see the top of this
// file).
type guardedListener struct {
	net.Listener
	lim     *wireLimits
	ready   chan *coalescingConn
	done    chan struct{}
	once    sync.Once
	pending atomic.Int32
	peers   atomic.Int32
}

func newGuardedListener(l net.Listener, lim *wireLimits) *guardedListener {
	g := &guardedListener{Listener: l, lim: lim, ready: make(chan *coalescingConn), done: make(chan struct{})}
	go g.acceptLoop()
	return g
}

// Accept implements net.Listener: it returns the next connection whose
// handshake has been checked.
func (l *guardedListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ready:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close implements net.Listener.
func (l *guardedListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

func (l *guardedListener) acceptLoop() {
	var delay time.Duration
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			select {
			case <-l.done:
				return
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				l.once.Do(func() { close(l.done) })
				return
			}
			// Out of file descriptors, or similar: wait and retry
			// rather than spin.
			if delay == 0 {
				delay = 5 * time.Millisecond
			} else if delay < time.Second {
				delay *= 2
			}
			l.lim.log.printf("%s: accept failed: %v; retrying in %v", l.lim.channel, err, delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		if l.pending.Add(1) > maxPendingHandshakes {
			l.pending.Add(-1)
			l.lim.log.printf("%s: closed connection from %s: %d handshakes already in progress", l.lim.channel, c.RemoteAddr(), maxPendingHandshakes)
			c.Close()
			continue
		}
		if l.peers.Load() >= maxPeers {
			l.pending.Add(-1)
			l.lim.log.printf("%s: closed connection from %s: %d connections already open", l.lim.channel, c.RemoteAddr(), maxPeers)
			c.Close()
			continue
		}
		go l.handshake(c)
	}
}

// handshake checks the start of c's handshake and queues it for Accept.
func (l *guardedListener) handshake(raw net.Conn) {
	defer l.pending.Add(-1)
	c := newCoalescingConn(raw)
	if err := c.preHandshake(l.lim); err != nil {
		if !errors.Is(err, errQuietClose) {
			l.lim.log.printf("%s: closed connection from %s: %v", l.lim.channel, raw.RemoteAddr(), err)
		}
		raw.Close()
		return
	}
	l.peers.Add(1)
	c.onClose = func() { l.peers.Add(-1) }
	select {
	case l.ready <- c:
	case <-l.done:
		c.Close()
		return
	}
	// zmq4 neither closes nor reports a connection whose handshake it
	// rejects. Everything it could reject was checked above; should it
	// still reject one, close it once it is clear zmq4 did not take it:
	// a connection zmq4 took is read from at once.
	time.AfterFunc(l.lim.handshakeTimeout, func() {
		if !c.in.adopted.Load() {
			l.lim.log.printf("%s: closed connection from %s: zmq4 did not complete its handshake", l.lim.channel, raw.RemoteAddr())
			c.Close()
		}
	})
}

// errQuietClose marks a peer that closed before its greeting: nothing to
// log (a port scan, or a client that gave up).
var errQuietClose = errors.New("closed before its greeting")

// preHandshake sends the kernel's greeting and waits, under the handshake
// deadline, until the peer's greeting and READY command are buffered and
// valid. Nothing is consumed: zmq4 reads them from the buffer afterwards.
// The greeting zmq4 writes next is dropped (see greetSent).
func (c *coalescingConn) preHandshake(lim *wireLimits) error {
	deadline := time.Now().Add(lim.handshakeTimeout)
	_ = c.Conn.SetDeadline(deadline)
	if _, err := c.Conn.Write(zmtpGreeting); err != nil {
		return fmt.Errorf("sending the greeting: %v", err)
	}
	peek := func(n int, what string) ([]byte, error) {
		b, err := c.r.Peek(n)
		if err != nil {
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("no complete %s within %v (%d of %d bytes received)", what, lim.handshakeTimeout, len(b), n)
			}
			if len(b) == 0 && n == zmtpGreetingLen {
				return nil, errQuietClose
			}
			return nil, fmt.Errorf("connection ended during the %s (%d of %d bytes received): %v", what, len(b), n, err)
		}
		return b, nil
	}
	g, err := peek(zmtpGreetingLen, "greeting")
	if err != nil {
		return err
	}
	if err := checkGreeting(g); err != nil {
		return err
	}
	hdr, err := peek(zmtpGreetingLen+2, "READY command")
	if err != nil {
		return err
	}
	flags := hdr[zmtpGreetingLen]
	hlen, size := 2, uint64(hdr[zmtpGreetingLen+1])
	if flags&zmtpFlagLong != 0 {
		if hdr, err = peek(zmtpGreetingLen+9, "READY command"); err != nil {
			return err
		}
		hlen, size = 9, binary.BigEndian.Uint64(hdr[zmtpGreetingLen+1:])
	}
	if flags&^zmtpFlagLong != zmtpFlagCommand {
		return fmt.Errorf("expected the READY command after the greeting, got a frame with flags %#02x", flags)
	}
	if size > maxReady {
		return fmt.Errorf("READY command of %d bytes (at most %d accepted)", size, maxReady)
	}
	all, err := peek(zmtpGreetingLen+hlen+int(size), "READY command")
	if err != nil {
		return err
	}
	if err := checkReady(all[zmtpGreetingLen+hlen:], lim.peerTypes); err != nil {
		return err
	}
	_ = c.Conn.SetDeadline(time.Time{})
	// The READY command was checked above: it passes with the greeting.
	c.in = &inGuard{lim: lim, left: int64(zmtpGreetingLen + hlen + int(size))}
	c.greetSent = true
	c.out = newOutQueue(c, lim)
	return nil
}

// checkGreeting accepts a ZMTP 3.x greeting with the NULL mechanism.
func checkGreeting(g []byte) error {
	// zmq4 wants exactly 0x7f where ZMTP only asks for the low bit.
	if g[0] != 0xff || g[9] != 0x7f {
		return fmt.Errorf("not a ZMTP greeting (starts %q)", g[:min(len(g), 10)])
	}
	if g[10] < 3 {
		return fmt.Errorf("ZMTP version %d.%d (3.0 or later required)", g[10], g[11])
	}
	mech := g[12:32]
	name, _, _ := bytes.Cut(mech, []byte{0})
	if string(name) != "NULL" || len(bytes.Trim(mech[len(name):], "\x00")) != 0 {
		return fmt.Errorf("security mechanism %q (only NULL is supported)", strings.TrimRight(string(mech), "\x00"))
	}
	if g[32] > 1 {
		return fmt.Errorf("invalid as-server flag %#02x in the greeting", g[32])
	}
	return nil
}

// checkReady checks a READY command body: its name, well-formed metadata,
// and a Socket-Type among allowed.
func checkReady(body []byte, allowed []string) error {
	if len(body) < 1 || int(body[0]) > len(body)-1 || string(body[1:1+int(body[0])]) != "READY" {
		return errors.New("expected the READY command after the greeting")
	}
	p := body[1+int(body[0]):]
	sockType := ""
	for len(p) > 0 {
		klen := int(p[0])
		if klen == 0 || 1+klen+4 > len(p) {
			return errors.New("malformed metadata in the READY command")
		}
		name := string(p[1 : 1+klen])
		vlen := binary.BigEndian.Uint32(p[1+klen:])
		p = p[1+klen+4:]
		if uint64(vlen) > uint64(len(p)) {
			return errors.New("malformed metadata in the READY command")
		}
		value := p[:vlen]
		p = p[vlen:]
		// zmq4 files properties under this form of their name (and
		// panics when no "Socket-Type" is left).
		switch zmtpPropertyName(name) {
		case "Socket-Type":
			sockType = string(value)
		case "Identity":
			if len(value) > 255 {
				return fmt.Errorf("identity of %d bytes (at most 255)", len(value))
			}
		}
	}
	for _, a := range allowed {
		if sockType == a {
			return nil
		}
	}
	return fmt.Errorf("peer socket type %q cannot connect here (want one of %s)", sockType, strings.Join(allowed, ", "))
}

// zmtpPropertyName is the name zmq4 v0.17 gives a READY property: the
// first letter of each word upper-cased, the rest kept.
func zmtpPropertyName(name string) string {
	return cases.Title(language.Und, cases.NoLower).String(name)
}

// inGuard checks the frames a peer sends before zmq4 reads them.
type inGuard struct {
	lim   *wireLimits
	left  int64 // bytes of the current frame (or greeting) still to pass
	inMsg int64 // counted size of the frames of the current message so far
	err   error
	// adopted is set when zmq4 reads past the handshake: it took the
	// connection.
	adopted atomic.Bool
}

// read passes at most the rest of the current frame to zmq4, checking the
// next frame's header first when the current one is done.
func (g *inGuard) read(c *coalescingConn, p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.left == 0 {
		if err := g.next(c); err != nil {
			var we *wireError
			if errors.As(err, &we) {
				g.err = err
				g.lim.log.printf("%s: closed connection from %s: %v", g.lim.channel, c.RemoteAddr(), err)
				c.Close()
			}
			return 0, err
		}
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := c.r.Read(p)
	g.left -= int64(n)
	if err != nil && g.left > 0 && g.err == nil {
		g.err = err
		g.lim.log.printf("%s: connection from %s ended in the middle of a frame (%d bytes missing): %v", g.lim.channel, c.RemoteAddr(), g.left, err)
	}
	return n, err
}

// next checks the header of the next frame and sets left to its length.
func (g *inGuard) next(c *coalescingConn) error {
	g.adopted.Store(true)
	hdr, err := c.r.Peek(2)
	if err != nil {
		if len(hdr) > 0 || g.inMsg > 0 {
			g.lim.log.printf("%s: connection from %s ended in the middle of a message: %v", g.lim.channel, c.RemoteAddr(), err)
		}
		return err
	}
	flags := hdr[0]
	hlen, size := 2, uint64(hdr[1])
	if flags&zmtpFlagLong != 0 {
		if hdr, err = c.r.Peek(9); err != nil {
			g.lim.log.printf("%s: connection from %s ended in the middle of a frame header: %v", g.lim.channel, c.RemoteAddr(), err)
			return err
		}
		hlen, size = 9, binary.BigEndian.Uint64(hdr[1:])
	}
	isCmd := flags&zmtpFlagCommand != 0
	more := flags&zmtpFlagMore != 0
	switch {
	case isCmd && more:
		return &wireError{"command frame with the MORE flag"}
	case isCmd && size > maxCommand:
		return &wireError{fmt.Sprintf("command of %d bytes (at most %d accepted)", size, maxCommand)}
	case size > uint64(g.lim.maxMessage) || g.inMsg+int64(size)+frameOverhead > g.lim.maxMessage:
		return &wireError{fmt.Sprintf("message of more than %d bytes refused (a frame of %d bytes after %d; the limit is %d bytes)", g.lim.maxMessage, size, g.inMsg, g.lim.maxMessage)}
	}
	if g.lim.subscribeOnly {
		// A subscriber sends nothing but single-frame subscriptions
		// (0x01 or 0x00 then the topic); zmq4 would queue anything else
		// for a Recv the kernel never calls.
		if isCmd || more || size == 0 {
			return &wireError{"only subscriptions may be sent on iopub"}
		}
		b, err := c.r.Peek(hlen + 1)
		if err != nil {
			return err
		}
		if b[hlen] > 1 {
			return &wireError{"only subscriptions may be sent on iopub"}
		}
	}
	total := g.inMsg + int64(size) + frameOverhead
	if more {
		g.inMsg = total
	} else {
		g.inMsg = 0
	}
	noteTraffic(int64(size))
	g.left = int64(hlen) + int64(size)
	return nil
}

// outItem is a piece of a connection's outgoing stream.
type outItem struct {
	data    []byte
	pooled  bool   // data came from bufPool
	endsMsg bool   // the last piece of a message
	barrier string // an iopub barrier reached once the items before it are written
}

// outQueue holds what zmq4 wrote to a connection until its goroutine has
// written it to the network, so that zmq4's write never blocks.
type outQueue struct {
	c    *coalescingConn
	lim  *wireLimits
	wake chan struct{}

	mu      sync.Mutex
	items   []outItem
	msgs    int // messages queued (ended, not yet written)
	bytes   int
	err     error // set when the writer failed or the connection closed
	dropped int   // messages dropped past the high-water mark
	writing bool  // the writer goroutine is writing a batch

	// raw lets push try a write that does not block (see tryWrite); nil
	// when the connection has no file descriptor.
	raw syscall.RawConn
}

func newOutQueue(c *coalescingConn, lim *wireLimits) *outQueue {
	q := &outQueue{c: c, lim: lim, wake: make(chan struct{}, 1)}
	if sc, ok := c.Conn.(syscall.Conn); ok {
		if rc, err := sc.SyscallConn(); err == nil {
			q.raw = rc
		}
	}
	go q.run()
	return q
}

// tryWrite writes what the socket takes of b now, without waiting: a
// message to a reading peer leaves at once, without a hand-off to the
// writer goroutine.
func (q *outQueue) tryWrite(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	var n int
	var werr error
	if err := q.raw.Write(func(fd uintptr) bool {
		n, werr = syscall.Write(int(fd), b)
		return true // never wait for the socket to be writable
	}); err != nil {
		return 0, err
	}
	switch {
	case werr == syscall.EAGAIN || werr == syscall.EINTR:
		return 0, nil
	case werr != nil:
		return 0, &net.OpError{Op: "write", Net: "tcp", Addr: q.c.RemoteAddr(), Err: werr}
	}
	return n, nil
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// full reports whether a new message would exceed the high-water mark.
// The caller holds c.mu.
func (q *outQueue) full() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.msgs >= q.lim.sendHWM || (q.msgs > 0 && q.bytes >= q.lim.sendBytes)
}

// noteDrop counts a dropped message and logs the first.
func (q *outQueue) noteDrop() {
	q.mu.Lock()
	q.dropped++
	first := q.dropped == 1
	q.mu.Unlock()
	if first {
		q.lim.log.printf("%s: peer %s is not reading; messages to it past %d queued (or %d bytes) are dropped (logged once per connection)",
			q.lim.channel, q.c.RemoteAddr(), q.lim.sendHWM, q.lim.sendBytes)
	}
}

// push queues items; it fails once the connection is broken.
func (q *outQueue) push(items ...outItem) error {
	q.mu.Lock()
	if q.err != nil {
		err := q.err
		q.mu.Unlock()
		for _, it := range items {
			it.release()
		}
		return err
	}
	if q.raw != nil && len(items) == 1 && len(q.items) == 0 && !q.writing {
		// Nothing is queued before it: try to write it at once.
		it := items[0]
		n, err := q.tryWrite(it.data)
		if err != nil {
			q.err = err
			q.mu.Unlock()
			it.release()
			return err
		}
		if n == len(it.data) {
			q.mu.Unlock()
			if it.barrier != "" {
				reachBarrier(it.barrier)
			}
			it.release()
			noteTraffic(int64(n))
			return nil
		}
		rest := outItem{data: it.data[n:], endsMsg: it.endsMsg, barrier: it.barrier}
		if it.pooled {
			rest.data = bytes.Clone(rest.data)
			it.release()
		}
		noteTraffic(int64(n))
		items = []outItem{rest}
	}
	for _, it := range items {
		q.bytes += len(it.data)
		if it.endsMsg {
			q.msgs++
		}
	}
	q.items = append(q.items, items...)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return nil
}

func (it outItem) release() {
	if it.pooled && cap(it.data) <= coalesceLimit*2 {
		b := it.data[:0]
		bufPool.Put(&b)
	}
}

// close makes further pushes fail with err and stops the writer.
func (q *outQueue) close(err error) {
	q.mu.Lock()
	if q.err == nil {
		q.err = err
	}
	items := q.items
	q.items = nil
	q.mu.Unlock()
	for _, it := range items {
		it.release()
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// run writes the queue to the network, several items per system call.
func (q *outQueue) run() {
	var bufs net.Buffers
	var batch []outItem
	for range q.wake {
		for {
			q.mu.Lock()
			if q.err != nil {
				q.mu.Unlock()
				return
			}
			batch = append(batch[:0], q.items...)
			clear(q.items)
			q.items = q.items[:0]
			q.writing = len(batch) > 0
			q.mu.Unlock()
			if len(batch) == 0 {
				break
			}
			bufs = bufs[:0]
			msgs, n := 0, 0
			for _, it := range batch {
				if len(it.data) > 0 {
					bufs = append(bufs, it.data)
				}
				n += len(it.data)
				if it.endsMsg {
					msgs++
				}
			}
			var err error
			if len(bufs) > 0 {
				_, err = bufs.WriteTo(q.c.Conn)
			}
			for _, it := range batch {
				if it.barrier != "" && err == nil {
					reachBarrier(it.barrier)
				}
				it.release()
			}
			clear(batch)
			q.mu.Lock()
			q.msgs -= msgs
			q.bytes -= n
			q.writing = false
			q.mu.Unlock()
			noteTraffic(int64(n))
			if err != nil {
				q.close(err)
				return
			}
		}
	}
}

// reachBarrier closes the channel of an iopub barrier (see barrierPrefix).
func reachBarrier(topic string) {
	if ch, ok := barriers.LoadAndDelete(topic); ok {
		close(ch.(chan struct{}))
	}
}

var (
	traffic  atomic.Int64 // bytes received and sent since memory was last given back
	recent   atomic.Int64 // bytes since the give-back was last put off
	freeSoon atomic.Bool  // a give-back is scheduled
)

// noteTraffic counts n bytes of messages. Once bigTraffic bytes have
// passed, memory is given back to the operating system once the traffic
// has calmed down (less than a quarter of bigTraffic in freeMemoryDelay):
// Go keeps freed heap memory for reuse for minutes, so a kernel that
// received a 200 MB message, or relayed a cell's 100 MB of output, would
// otherwise keep that footprint long after. The cost, a collection while
// the kernel is quiet, is paid only after such traffic.
func noteTraffic(n int64) {
	recent.Add(n)
	if traffic.Add(n) >= bigTraffic && freeSoon.CompareAndSwap(false, true) {
		recent.Store(0)
		time.AfterFunc(freeMemoryDelay, settle)
	}
}

func settle() {
	if recent.Swap(0) > bigTraffic/4 {
		time.AfterFunc(freeMemoryDelay, settle)
		return
	}
	traffic.Store(0)
	freeSoon.Store(false)
	// Two collections: the first moves sync.Pool contents (encoding/json
	// keeps its encoder buffers there, as large as the largest message
	// encoded) to the pools' victim caches, the second frees them.
	runtime.GC()
	debug.FreeOSMemory()
}
