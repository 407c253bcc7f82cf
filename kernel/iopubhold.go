package kernel

import (
	"time"

	"github.com/go-zeromq/zmq4"
)

// iopubHoldLimit caps the bytes of iopub messages held while no client has
// subscribed yet (see holdIOPub); messages past it are dropped.
const iopubHoldLimit = 8 << 20

// iopubHold is the state of holding iopub messages until the first
// subscription, guarded by the kernel's pubMu.
type iopubHold struct {
	on      bool       // holding: no subscription yet and the wait is not over
	msgs    []zmq4.Msg // held messages, in publishing order
	size    int        // their bytes
	dropped int        // messages dropped at iopubHoldLimit
}

// holdIOPub starts holding iopub messages until a client subscribes, for at
// most cfg.IOPubWait.
//
// zmq4's PUB socket drops what it publishes while no subscription has
// arrived. A fresh kernel can get requests before that: jupyter_client
// sends kernel_info_request and waits for its reply on shell before it
// reads iopub, and after a restart (the client keeps its sockets) libzmq
// attaches the reconnected SUB connection, and so sends its subscription,
// only when the client next calls into that socket. The kernel therefore
// answers at once and keeps what it publishes meanwhile (the busy and idle
// statuses of that kernel_info_request, a first cell's output) until the
// subscription arrives, then sends it in order. Without a subscriber by
// the deadline, the held messages are dropped as the socket would have.
func (k *Kernel) holdIOPub() {
	if _, ok := k.iopub.(zmq4.Topics); !ok {
		return
	}
	k.pubMu.Lock()
	k.hold.on = true
	k.pubMu.Unlock()
	go k.watchFirstSubscriber()
}

// watchFirstSubscriber polls the PUB socket's subscriptions every
// millisecond while messages are held, and releases them when the first
// one arrives (or drops them at the deadline).
func (k *Kernel) watchFirstSubscriber() {
	t := k.iopub.(zmq4.Topics)
	deadline := time.Now().Add(k.cfg.IOPubWait)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		if len(t.Topics()) > 0 {
			k.pubMu.Lock()
			k.releaseHeldLocked()
			k.pubMu.Unlock()
			return
		}
		if time.Now().After(deadline) {
			k.pubMu.Lock()
			n := len(k.hold.msgs) + k.hold.dropped
			k.hold = iopubHold{}
			k.pubMu.Unlock()
			if n > 0 {
				k.logf("no iopub subscriber within %v: dropped %d iopub messages", k.cfg.IOPubWait, n)
			}
			return
		}
		select {
		case <-k.ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// sendIOPubLocked publishes msg, or holds it while no client has
// subscribed. The caller holds pubMu.
func (k *Kernel) sendIOPubLocked(msg zmq4.Msg) error {
	if k.hold.on {
		if t := k.iopub.(zmq4.Topics); len(t.Topics()) == 0 {
			size := 0
			for _, f := range msg.Frames {
				size += len(f)
			}
			if k.hold.size+size > iopubHoldLimit {
				k.hold.dropped++
				return nil
			}
			k.hold.msgs = append(k.hold.msgs, msg)
			k.hold.size += size
			return nil
		}
		k.releaseHeldLocked()
	}
	return k.iopub.SendMulti(msg)
}

// releaseHeldLocked stops holding and sends the held messages in order.
// The caller holds pubMu.
func (k *Kernel) releaseHeldLocked() {
	if !k.hold.on {
		return
	}
	msgs, dropped := k.hold.msgs, k.hold.dropped
	k.hold = iopubHold{}
	for _, m := range msgs {
		if err := k.iopub.SendMulti(m); err != nil {
			k.logf("publishing a held iopub message failed: %v", err)
		}
	}
	if dropped > 0 {
		k.logf("dropped %d iopub messages past %d bytes held before the first subscriber", dropped, iopubHoldLimit)
	}
}
