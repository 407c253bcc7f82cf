package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/google/uuid"
)

// Kernel serves one Jupyter session: it owns the sockets named by a
// connection file and dispatches requests to an Engine.
type Kernel struct {
	cfg    Config
	info   ConnectionInfo
	engine Engine
	signer *Signer
	log    *log.Logger

	session string        // this kernel's session id (header.session)
	seq     atomic.Uint64 // message counter for msg_id

	// ctx is cancelled when the kernel shuts down; every goroutine the
	// kernel starts watches it.
	ctx    context.Context
	cancel context.CancelFunc

	shell, control, stdin, iopub, hb zmq4.Socket

	// pubMu orders everything published on iopub and guards the
	// session-wide IO's state.
	pubMu sync.Mutex
	io    *sessionIO
	hold  iopubHold // messages published before the first subscription

	// queue carries verified shell requests from the shell reader to the
	// shell worker, which handles them one at a time.
	queue chan *Message
	// failedAt is when the last cell that aborts the queue failed; only the
	// shell worker touches it.
	failedAt time.Time

	// Shell worker state (touched only by the shell worker).
	execCount int
	history   []historyEntry

	// stdinMu guards pendingInput, the Input call waiting for input_reply.
	stdinMu      sync.Mutex
	pendingInput *inputWait

	// seen rejects replayed messages (same signature twice).
	seen replayGuard

	// gateMu and closed make sure no engine call starts once Run has
	// begun Engine.Shutdown (the Engine contract).
	gateMu sync.Mutex
	closed bool

	shutdownOnce    sync.Once
	shutdownCh      chan struct{}
	shutdownRestart bool
	runOnce         sync.Once
}

// New binds the sockets described by info and returns a kernel that
// serves them with engine once Run is called. A port of 0 in a tcp
// connection binds a free port; Connection reports the ports in use.
func New(cfg Config, info ConnectionInfo, engine Engine) (*Kernel, error) {
	cfg.setDefaults()
	signer, err := NewSigner(info.SignatureScheme, []byte(info.Key))
	if err != nil {
		return nil, err
	}
	if info.Transport == "" {
		info.Transport = "tcp"
	}
	if info.IP == "" {
		info.IP = "127.0.0.1"
	}
	ctx, cancel := context.WithCancel(context.Background())
	k := &Kernel{
		cfg:        cfg,
		info:       info,
		engine:     engine,
		signer:     signer,
		log:        log.New(cfg.Log, "golit kernel: ", log.LstdFlags|log.Lmicroseconds),
		session:    uuid.NewString(),
		ctx:        ctx,
		cancel:     cancel,
		queue:      make(chan *Message, 1024),
		shutdownCh: make(chan struct{}),
	}
	k.io = newSessionIO(k)
	if k.cfg.Implementation == "" {
		k.cfg.Implementation = "kernel"
	}
	binds := []struct {
		sock    *zmq4.Socket
		mk      func(context.Context, ...zmq4.Option) zmq4.Socket
		port    *int
		channel string
	}{
		{&k.hb, zmq4.NewRouter, &k.info.HBPort, "heartbeat"},
		{&k.iopub, zmq4.NewPub, &k.info.IOPubPort, "iopub"},
		{&k.control, zmq4.NewRouter, &k.info.ControlPort, "control"},
		{&k.stdin, zmq4.NewRouter, &k.info.StdinPort, "stdin"},
		{&k.shell, zmq4.NewRouter, &k.info.ShellPort, "shell"},
	}
	peerLog := newRateLog(k.logf)
	for _, b := range binds {
		lim := &wireLimits{
			channel:          b.channel,
			maxMessage:       cfg.MaxMessageSize,
			handshakeTimeout: cfg.HandshakeTimeout,
			sendHWM:          cfg.SendHighWaterMark,
			sendBytes:        cfg.SendQueueBytes,
			peerTypes:        []string{"DEALER", "REQ", "ROUTER"},
			log:              peerLog,
		}
		if b.channel == "iopub" {
			lim.peerTypes = []string{"SUB", "XSUB"}
			lim.subscribeOnly = true
			lim.maxMessage = min(lim.maxMessage, subscribeMaxMessage)
		}
		*b.sock = b.mk(withLimits(ctx, lim), zmq4.WithLogger(log.New(cfg.Log, "golit zmq: ", log.LstdFlags)))
		if err := k.listen(*b.sock, b.port); err != nil {
			k.closeSockets()
			cancel()
			return nil, err
		}
	}
	return k, nil
}

// listen binds sock to the endpoint for *port, choosing a free port when
// it is 0 on tcp.
func (k *Kernel) listen(sock zmq4.Socket, port *int) error {
	ep := k.info.Endpoint(*port)
	if k.info.Transport == "ipc" {
		// A socket file left behind by an earlier kernel on the same
		// connection file would make the bind fail; libzmq removes it
		// too.
		path := strings.TrimPrefix(ep, "ipc://")
		if st, err := os.Stat(path); err == nil && st.Mode().Type() == fs.ModeSocket {
			_ = os.Remove(path)
		}
	}
	if err := sock.Listen(bindEndpoint(ep)); err != nil {
		return fmt.Errorf("bind %s: %w", ep, err)
	}
	if *port == 0 && k.info.Transport == "tcp" {
		if a := sock.Addr(); a != nil {
			if _, p, err := splitPort(a.String()); err == nil {
				*port = p
			}
		}
	}
	return nil
}

func splitPort(addr string) (string, int, error) {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return "", 0, errors.New("no port")
	}
	p, err := strconv.Atoi(addr[i+1:])
	return addr[:i], p, err
}

// Connection returns the connection information in use, with the ports
// chosen for any port that was 0.
func (k *Kernel) Connection() ConnectionInfo { return k.info }

// Session returns the session id the kernel puts in its headers.
func (k *Kernel) Session() string { return k.session }

// IO returns the session-wide IO the kernel passes to Engine.Execute.
func (k *Kernel) IO() IO { return k.io }

// Run serves requests until a shutdown_request arrives or ctx is
// cancelled, then shuts the engine down and closes the sockets. It
// returns the engine's Shutdown error. Run may be called once.
func (k *Kernel) Run(ctx context.Context) error {
	started := false
	k.runOnce.Do(func() { started = true })
	if !started {
		return errors.New("kernel: Run called twice")
	}
	k.holdIOPub()
	go k.heartbeat()
	go k.readLoop(k.control, "control", k.handleControl)
	go k.readLoop(k.stdin, "stdin", k.handleStdin)
	go k.readLoop(k.shell, "shell", k.enqueueShell)
	go k.shellWorker()

	select {
	case <-k.shutdownCh:
	case <-ctx.Done():
		k.shutdownOnce.Do(func() { close(k.shutdownCh) })
	}
	restart := k.shutdownRestart
	k.gateMu.Lock()
	k.closed = true
	k.gateMu.Unlock()
	k.cancelInput()
	k.cancel() // tells a running Execute that the kernel is going away
	err := k.safeShutdown(restart)

	// PUB sends are queued inside zmq4 and written by its own goroutine;
	// give the last status messages a moment to leave before closing.
	time.Sleep(30 * time.Millisecond)
	k.closeSockets()
	return err
}

// Close releases the sockets of a kernel whose Run was never called.
func (k *Kernel) Close() error {
	k.cancel()
	k.closeSockets()
	return nil
}

func (k *Kernel) closeSockets() {
	for _, s := range []zmq4.Socket{k.shell, k.control, k.stdin, k.iopub, k.hb} {
		if s != nil {
			_ = s.Close()
		}
	}
}

// shutdownWait bounds how long Run waits for Engine.Shutdown, so a stuck
// engine cannot keep the kernel process alive after shutdown_reply.
const shutdownWait = 3 * time.Second

func (k *Kernel) safeShutdown(restart bool) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("engine Shutdown panicked: %v", r)
			}
		}()
		done <- k.engine.Shutdown(restart)
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(shutdownWait):
		return fmt.Errorf("engine Shutdown did not return within %v", shutdownWait)
	}
}

// engineOpen reports whether the engine may still be called; it is false
// once shutdown has begun.
func (k *Kernel) engineOpen() bool {
	k.gateMu.Lock()
	defer k.gateMu.Unlock()
	return !k.closed
}

// requestShutdown makes Run return; restart is passed to Engine.Shutdown.
func (k *Kernel) requestShutdown(restart bool) {
	k.shutdownOnce.Do(func() {
		k.shutdownRestart = restart
		close(k.shutdownCh)
	})
}

// Interrupt stops the running cell: it cancels a pending input request
// and calls Engine.Interrupt. interrupt_request calls it; so should a
// SIGINT handler.
func (k *Kernel) Interrupt() {
	k.cancelInput()
	k.engine.Interrupt()
}

func (k *Kernel) logf(format string, args ...any) {
	k.log.Printf(format, args...)
}

// heartbeat echoes every message it receives back to its sender.
func (k *Kernel) heartbeat() {
	for {
		msg, err := k.hb.Recv()
		if err != nil {
			if k.ctx.Err() != nil {
				return
			}
			continue
		}
		if err := k.hb.Send(msg); err != nil && k.ctx.Err() != nil {
			return
		}
	}
}

// readLoop receives messages on a ROUTER socket, verifies and parses
// them, and passes the good ones to handle. A message that fails is
// dropped with one log line.
func (k *Kernel) readLoop(sock zmq4.Socket, channel string, handle func(*Message)) {
	for {
		zm, err := sock.Recv()
		if err != nil {
			if k.ctx.Err() != nil {
				return
			}
			k.logf("%s: receive failed: %v", channel, err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		m, err := ParseMessage(zm.Frames, k.signer)
		if err == nil && k.signer.Enabled() && !k.seen.add(m.Signature) {
			err = errors.New("replayed message (signature seen before)")
		}
		if err != nil {
			k.logf("dropped a message on %s: %v", channel, err)
			continue
		}
		handle(m)
	}
}

// newHeader returns the JSON header of a new message of type msgType.
func (k *Kernel) newHeader(msgType string) []byte {
	n := k.seq.Add(1)
	h := Header{
		MsgID:    k.session + "_" + strconv.FormatUint(n, 10),
		Session:  k.session,
		Username: k.cfg.Username,
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
	b, _ := json.Marshal(&h)
	return b
}

// marshal encodes content; content that is already JSON ([]byte or
// json.RawMessage) is used as is.
func marshal(content any) []byte {
	switch c := content.(type) {
	case nil:
		return emptyObject
	case []byte:
		return c
	case json.RawMessage:
		return c
	}
	b, err := json.Marshal(content)
	if err != nil {
		// Only engine-supplied values (Bundles) can fail to encode;
		// report the failure instead of sending nothing.
		b, _ = json.Marshal(map[string]any{"status": "error", "ename": "EncodingError", "evalue": err.Error(), "traceback": []string{err.Error()}})
	}
	return b
}

// reply sends a message of type msgType on sock to the sender of req.
func (k *Kernel) reply(sock zmq4.Socket, req *Message, msgType string, content any, metadata any) {
	frames := k.signer.Encode(req.Identities, k.newHeader(msgType), req.RawHeader, marshal(metadata), marshal(content), nil)
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.logf("sending %s failed: %v", msgType, err)
	}
}

// publishLocked sends a message on iopub. The caller holds pubMu.
func (k *Kernel) publishLocked(msgType, topic string, parent []byte, content any) {
	if topic == "" {
		topic = "kernel." + k.session + "." + msgType
	}
	frames := k.signer.Encode([][]byte{[]byte(topic)}, k.newHeader(msgType), parent, nil, marshal(content), nil)
	if err := k.sendIOPubLocked(zmq4.NewMsgFrom(frames...)); err != nil {
		k.logf("publishing %s failed: %v", msgType, err)
	}
}

// publish sends a message on iopub after the stream text that is pending
// for the running cell, so output keeps its order.
func (k *Kernel) publish(msgType string, parent []byte, content any) {
	k.pubMu.Lock()
	k.io.flushLocked(true)
	k.publishLocked(msgType, "", parent, content)
	k.pubMu.Unlock()
}

var (
	statusBusy = []byte(`{"execution_state":"busy"}`)
	statusIdle = []byte(`{"execution_state":"idle"}`)
)

// iopubBarrierWait bounds how long a reply waits for the iopub messages
// before it (see flushIOPub); iopubGap is the pause after them.
const (
	iopubBarrierWait = 500 * time.Millisecond
	iopubGap         = 10 * time.Millisecond
)

// flushIOPub returns once what was published on iopub so far has been
// written to the subscribers' connections, or after iopubBarrierWait.
//
// zmq4's PUB socket queues messages for a goroutine of its own, while a
// reply on shell is written at once, so without this a reply can reach the
// frontend before the output of its cell. That matters to a reply whose
// content the frontend renders: JupyterLab adds a page payload to the
// cell's output area when the reply arrives, above output still in flight.
// It publishes a barrier that the kernel's connections drop (see
// barrierPrefix); without subscribers, or when a connection could not
// follow zmq4's framing, there is nothing to wait for. Then it pauses for
// iopubGap: jupyter_server reads iopub and shell on sockets of their own,
// one message per socket in turn, so a reply arriving with several iopub
// messages still queued there would overtake the last of them. Only
// replies with payloads (help) and input requests pay for this: a console
// shows the text a cell printed before asking for input (its prompt) only
// if that text arrives before the input_request.
func (k *Kernel) flushIOPub() {
	t, ok := k.iopub.(zmq4.Topics)
	if !coalescingAvailable || coalescingBroken.Load() || !ok || len(t.Topics()) == 0 {
		return
	}
	topic := barrierPrefix + k.session + "." + strconv.FormatUint(k.seq.Add(1), 10)
	reached := make(chan struct{})
	barriers.Store(topic, reached)
	defer barriers.Delete(topic)
	k.pubMu.Lock()
	k.io.flushLocked(true)
	k.releaseHeldLocked() // there is a subscriber now: held messages go first
	err := k.iopub.Send(zmq4.NewMsg([]byte(topic)))
	k.pubMu.Unlock()
	if err != nil {
		return
	}
	timer := time.NewTimer(iopubBarrierWait)
	defer timer.Stop()
	select {
	case <-reached:
		time.Sleep(iopubGap)
	case <-timer.C:
		k.logf("iopub: output of the cell was not written within %v; replying anyway", iopubBarrierWait)
	}
}

func (k *Kernel) busy(req *Message) { k.publish("status", req.RawHeader, statusBusy) }
func (k *Kernel) idle(req *Message) { k.publish("status", req.RawHeader, statusIdle) }

// replayGuard remembers recent signatures to reject replayed messages,
// as jupyter_client's Session does.
type replayGuard struct {
	mu   sync.Mutex
	set  map[string]struct{}
	ring []string
	next int
}

const replayMemory = 4096

// add records sig and reports whether it was new.
func (g *replayGuard) add(sig []byte) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.set == nil {
		g.set = make(map[string]struct{}, replayMemory)
		g.ring = make([]string, replayMemory)
	}
	if _, dup := g.set[string(sig)]; dup {
		return false
	}
	s := string(sig)
	if old := g.ring[g.next]; old != "" {
		delete(g.set, old)
	}
	g.ring[g.next] = s
	g.next = (g.next + 1) % replayMemory
	g.set[s] = struct{}{}
	return true
}
