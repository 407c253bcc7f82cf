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
// ZeroMQ.
//
// Output is delivered through one session-wide [IO]. Stream text is batched:
// it is sent at most about 50 ms after it was written, or as soon as a batch
// reaches its size cap, so a cell printing 100,000 lines produces a few dozen
// stream messages while a cell printing a line a second shows each line at
// once. Every other message published on iopub first flushes the pending
// stream text, so the frontend sees output in the order it was written.
package kernel
