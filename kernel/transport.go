package kernel

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// zmq4 writes every ZMTP frame with two system calls (its header, then its
// body), so a 7-frame reply leaves as 14 tiny TCP segments and wakes the
// client up to 14 times. The kernel binds its sockets through these
// transports instead of zmq4's "tcp" and "ipc": the same networks, with
// each accepted connection's writes gathered until a message is complete
// and then written at once (see coalescingConn). Reads are buffered: zmq4
// reads a frame's flags, size and body with separate calls, so an
// unbuffered 7-frame request costs about 20 read system calls.
const (
	coalescingTCP = "golit-tcp"
	coalescingIPC = "golit-ipc"
)

func init() {
	// Registration fails only if the names are taken; binding then
	// falls back to zmq4's own transports (see bindEndpoint).
	if zmq4.RegisterTransport(coalescingTCP, coalescingTransport{network: "tcp"}) != nil ||
		zmq4.RegisterTransport(coalescingIPC, coalescingTransport{network: "unix"}) != nil {
		coalescingAvailable = false
	}
}

var coalescingAvailable = true

// bindEndpoint turns a Jupyter endpoint (tcp://..., ipc://...) into the
// coalescing transport's endpoint for the same address.
func bindEndpoint(ep string) string {
	if !coalescingAvailable {
		return ep
	}
	if rest, ok := strings.CutPrefix(ep, "tcp://"); ok {
		return coalescingTCP + "://" + rest
	}
	if rest, ok := strings.CutPrefix(ep, "ipc://"); ok {
		return coalescingIPC + "://" + rest
	}
	return ep
}

type coalescingTransport struct{ network string }

// Dial implements transport.Transport.
func (t coalescingTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	c, err := d.DialContext(ctx, t.network, addr)
	if err != nil {
		return nil, err
	}
	return newCoalescingConn(c), nil
}

// Listen implements transport.Transport.
func (t coalescingTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := net.Listen(t.network, addr)
	if err != nil {
		return nil, err
	}
	return newGuardedListener(l, limitsFrom(ctx)), nil
}

// Addr implements transport.Transport.
func (t coalescingTransport) Addr(ep string) (string, error) {
	if t.network != "tcp" {
		return ep, nil
	}
	host, port, err := net.SplitHostPort(ep)
	if err != nil {
		return "", err
	}
	if port == "*" || port == "" {
		port = "0"
	}
	if host == "*" || host == "" {
		host = "0.0.0.0"
	}
	return net.JoinHostPort(host, port), nil
}

// ZMTP 3 framing, as zmq4 writes it.
const (
	zmtpGreetingLen = 64
	zmtpFlagMore    = 0x01
	zmtpFlagLong    = 0x02
	zmtpFlagCommand = 0x04
	// coalesceLimit bounds the bytes held back: a longer message is
	// written in several pieces (still correct, just more calls).
	coalesceLimit = 256 << 10
	// bigBody is the body size from which a frame's body is written
	// directly instead of being copied behind the held bytes.
	bigBody = 64 << 10
)

// An iopub barrier is a one-frame message whose topic starts with
// barrierPrefix. The kernel publishes one to learn when what it published
// before has been written to the network. zmq4's PUB socket queues messages
// for a goroutine of its own, which hands them in order to every subscribed
// connection; a connection the kernel accepted queues them again for its
// own writer (see outQueue in guard.go), which reaches the barrier once it
// has written everything queued before it. A coalescingConn never sends a
// barrier: it drops it and closes the channel registered for its topic in
// barriers when the barrier is reached, on the first connection to reach it
// (a client that stopped reading must not hold up the others' replies).
const barrierPrefix = "\x00golit-iopub-barrier:"

var (
	barriers sync.Map // barrier topic -> chan struct{}, closed when it is reached
	// coalescingBroken is set once any connection falls back to pass-through
	// (see coalescingConn): it could no longer drop barriers, so none are sent.
	coalescingBroken atomic.Bool
)

// coalescingConn holds back the frames of a message until its last
// frame, then writes them with one call.
//
// It follows zmq4's write pattern exactly: the 64-byte greeting in one
// Write, then for every frame one Write of its header (2 or 9 bytes) and
// one Write of its body. The moment a Write does not fit that pattern,
// the connection flushes what it holds and passes everything through from
// then on, so a change in zmq4 costs speed, never correctness.
type coalescingConn struct {
	net.Conn

	rmu sync.Mutex
	r   *bufio.Reader // reads through a buffer: one system call per burst

	mu          sync.Mutex
	greetLeft   int    // greeting bytes still to pass through
	buf         []byte // held frames of the current message
	inBody      bool   // the next Write is the body of the frame whose header is held
	bodyLen     int
	more        bool // the frame being written is not the message's last
	passThrough bool
	midMessage  bool   // frames of the current message were written already
	barrier     string // topic of the barrier being dropped, if any
	dropping    bool   // the current message is dropped (past the high-water mark)

	// Set on connections the kernel accepted (see guard.go); nil or
	// false on dialled ones, which write directly.
	in        *inGuard  // checks frame headers before zmq4 reads them
	out       *outQueue // writes in a goroutine of the connection's own
	greetSent bool      // the greeting went out already: drop zmq4's
	onClose   func()
	closeOnce sync.Once
}

func newCoalescingConn(c net.Conn) *coalescingConn {
	return &coalescingConn{Conn: c, greetLeft: zmtpGreetingLen, r: bufio.NewReaderSize(c, readBuffer)}
}

// readBuffer is the read buffer of a connection: a burst of small frames
// (a request, a client's heartbeats) is read with one system call; a
// bigger read goes straight to the connection.
const readBuffer = 32 << 10

// Read implements net.Conn. It returns what is buffered, or reads once
// from the connection: it never waits for more than one read's worth.
func (c *coalescingConn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if c.in != nil {
		return c.in.read(c, p)
	}
	return c.r.Read(p)
}

// Close implements net.Conn.
func (c *coalescingConn) Close() error {
	c.closeOnce.Do(func() {
		if c.out != nil {
			c.out.close(net.ErrClosed)
		}
		if c.onClose != nil {
			c.onClose()
		}
	})
	return c.Conn.Close()
}

// Write implements net.Conn.
func (c *coalescingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.passThrough:
		return c.direct(p)
	case c.greetLeft > 0:
		if len(p) > c.greetLeft {
			return c.giveUp(p)
		}
		c.greetLeft -= len(p)
		if c.greetSent {
			return len(p), nil
		}
		return c.Conn.Write(p)
	case !c.inBody:
		if len(p) != 2 && len(p) != 9 {
			return c.giveUp(p)
		}
		flag := p[0]
		long := flag&zmtpFlagLong != 0
		if long != (len(p) == 9) || flag&^(zmtpFlagMore|zmtpFlagLong|zmtpFlagCommand) != 0 {
			return c.giveUp(p)
		}
		size := uint64(p[1])
		if long {
			size = binary.BigEndian.Uint64(p[1:])
		}
		if c.out != nil && !c.midMessage && flag&zmtpFlagCommand == 0 && c.out.full() {
			c.dropping = true
		}
		c.buf = append(c.buf, p...)
		c.inBody, c.bodyLen, c.more = true, int(size), flag&zmtpFlagMore != 0
		return len(p), nil
	default:
		if len(p) != c.bodyLen {
			return c.giveUp(p)
		}
		c.inBody = false
		first := !c.midMessage
		c.midMessage = c.more
		if c.dropping {
			c.buf = c.buf[:0]
			if first {
				c.out.noteDrop()
			}
			c.dropping = c.more
			return len(p), nil
		}
		if first && bytes.HasPrefix(p, []byte(barrierPrefix)) {
			c.barrier = string(p)
		}
		if c.barrier != "" {
			// A barrier: held bytes are its own (a message starts with
			// nothing held), so drop them and this body.
			c.buf = c.buf[:0]
			if !c.more {
				if c.out != nil {
					// Reached once what was queued before it is written.
					if err := c.out.push(outItem{barrier: c.barrier}); err != nil {
						return 0, err
					}
				} else if ch, ok := barriers.LoadAndDelete(c.barrier); ok {
					close(ch.(chan struct{}))
				}
				c.barrier = ""
			}
			return len(p), nil
		}
		if len(p) >= bigBody {
			// Copying a big body costs more than a second call.
			if c.out != nil {
				held := c.takeBuf()
				if err := c.out.push(held, outItem{data: p, endsMsg: !c.more}); err != nil {
					return 0, err
				}
				return len(p), nil
			}
			if err := c.flush(); err != nil {
				return 0, err
			}
			return c.Conn.Write(p)
		}
		c.buf = append(c.buf, p...)
		if !c.more || len(c.buf) > coalesceLimit {
			return len(p), c.flushEnd(!c.more)
		}
		return len(p), nil
	}
}

// takeBuf returns the held bytes as a queue item and starts a new buffer.
func (c *coalescingConn) takeBuf() outItem {
	it := outItem{data: c.buf, pooled: true}
	c.buf = (*bufPool.Get().(*[]byte))[:0]
	return it
}

// direct writes p past the coalescing: to the queue, or to the network.
func (c *coalescingConn) direct(p []byte) (int, error) {
	if c.out == nil {
		return c.Conn.Write(p)
	}
	if err := c.out.push(outItem{data: bytes.Clone(p)}); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flushEnd writes the held bytes; ends says they end a message.
func (c *coalescingConn) flushEnd(ends bool) error {
	if c.out == nil {
		return c.flush()
	}
	if len(c.buf) == 0 && !ends {
		return nil
	}
	it := c.takeBuf()
	it.endsMsg = ends
	if err := c.out.push(it); err != nil {
		c.passThrough = true
		return err
	}
	return nil
}

// flush writes the held bytes.
func (c *coalescingConn) flush() error {
	if len(c.buf) == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.buf)
	if cap(c.buf) > coalesceLimit*2 {
		c.buf = nil
	} else {
		c.buf = c.buf[:0]
	}
	if err != nil {
		c.passThrough = true
	}
	return err
}

// giveUp writes what is held and p, and stops coalescing.
func (c *coalescingConn) giveUp(p []byte) (int, error) {
	c.passThrough = true
	coalescingBroken.Store(true)
	if err := c.flushEnd(false); err != nil {
		return 0, err
	}
	return c.direct(p)
}
