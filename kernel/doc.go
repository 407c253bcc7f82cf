// Package kernel speaks the Jupyter messaging protocol (version 5.4) over
// ZeroMQ and knows nothing about the language it serves.
//
// A kernel process reads a connection file, binds the five Jupyter sockets
// and hands every request that concerns code to an [Engine]:
//
//	info, err := kernel.ReadConnectionFile(path)
//	k, err := kernel.New(cfg, info, engine)
//	err = k.Run(ctx) // returns after shutdown_request
//
// The split follows xeus: the protocol core (wire format, signatures,
// busy/idle bracketing, execution counts, history, output batching, stdin)
// lives here, and the language side implements a small interface. That keeps
// the protocol testable with a fake engine and the engine testable without
// ZeroMQ. An engine whose cells run in another process can also implement
// [Starter]: the kernel then hands it each cell before it publishes busy
// and execute_input, so that the cell's work overlaps the announcing.
//
// Output is delivered through one session-wide [IO]. Stream text is batched:
// it is sent at most about 50 ms after it was written, or as soon as a batch
// reaches its size cap, so a cell printing 100,000 lines produces a few dozen
// stream messages while a cell printing a line a second shows each line at
// once. Every other message published on iopub first flushes the pending
// stream text, so the frontend sees output in the order it was written.
// Output written while no cell runs (by goroutines a finished cell left
// behind) is held and shown at the start of the next execute_request, as
// part of that request.
//
// The reply goes out on shell, and zmq4 writes iopub messages from a
// goroutine of its own, so a reply may overtake its cell's last output on
// the way to the frontend. That only matters for replies whose content the
// frontend renders, those with payloads (JupyterLab adds a page below the
// cell's output when the reply arrives): before such a reply the kernel
// waits until iopub has written everything published so far, a goroutine
// hand-off, and then 10 ms more, because jupyter_server relays the two
// sockets one message each in turn (see flushIOPub). An input_request
// waits the same way, so that the prompt a cell printed before reading
// stdin is shown before the input box. Other replies do not wait.
//
// # Readiness
//
// jupyter_client 8 considers a kernel ready once a kernel_info_reply and
// an iopub message have both arrived, and it repeats kernel_info_request
// until then. zmq4's PUB socket silently drops what it publishes before a
// subscriber's subscription has arrived, and a client does not always
// subscribe before its first request: after a restart (the client keeps
// its sockets) libzmq sends the subscription of the reconnected SUB only
// when the client next uses that socket, which jupyter_client does after
// the kernel_info_reply. So the kernel answers every request at once and
// holds what it publishes until the first subscription arrives (polling
// the PUB socket's Topics every millisecond meanwhile), then sends it in
// order; held messages are dropped after Config.IOPubWait without a
// subscriber (iopubhold.go).
//
// # The wire
//
// The kernel binds its sockets through a transport of its own (see
// transport.go and guard.go) that stands between peers and zmq4: each
// connection's ZMTP handshake is checked beside the others under
// Config.HandshakeTimeout, every frame header is checked against
// Config.MaxMessageSize before zmq4 reads the frame, and every connection
// has a send queue of its own, bounded by Config.SendHighWaterMark and
// Config.SendQueueBytes, so a client that stops reading falls behind alone
// (past the mark, messages to it are dropped and the first drop is
// logged). A peer that breaks the rules is disconnected with one log line.
// SECURITY.md at the repository root says what this does and does not
// protect.
//
// # Concurrency
//
// Shell requests are handled one at a time by one goroutine, in arrival
// order; control requests (interrupt_request, shutdown_request) have their
// own goroutine, so an interrupt is never queued behind a running cell.
// After a cell fails with stop_on_error, the execute requests already
// queued are answered with status "aborted", as ipykernel does.
package kernel
