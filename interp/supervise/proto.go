package supervise

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/golit/golit/kernel"
)

// Operations of the parent-child protocol. Each message is one JSON value
// followed by a newline (json.Encoder framing) on a pipe: the parent writes
// requests to the child's fd 3 and reads the child's messages from its fd 4.
const (
	// parent -> child
	opExecute    = "execute"
	opComplete   = "complete"
	opInspect    = "inspect"
	opIsComplete = "is_complete"
	opInterrupt  = "interrupt"
	opInputReply = "input_reply"
	opShutdown   = "shutdown"
	opRestore    = "restore"

	// child -> parent
	opReady   = "ready"
	opReply   = "reply"
	opStream  = "stream"
	opDisplay = "display"
	opUpdate  = "update"
	opClear   = "clear"
	opInput   = "input"
	opDecls   = "decls"
)

// Values of message.Err for a failed input round trip; they map back to the
// kernel's sentinel errors in the child so errors.Is keeps working there.
const (
	inputErrNoStdin     = "no_stdin"
	inputErrInterrupted = "interrupted"
)

// message is the one frame type of the protocol; Op says which fields are set.
type message struct {
	Op string `json:"op"`
	ID uint64 `json:"id,omitempty"`

	Exec       *kernel.ExecuteRequest  `json:"exec,omitempty"`
	Reply      *kernel.ExecuteReply    `json:"reply,omitempty"` // whole: result, error, user expressions, payloads
	Complete   *kernel.CompleteReply   `json:"complete,omitempty"`
	Inspect    *kernel.InspectReply    `json:"inspect,omitempty"`
	IsComplete *kernel.IsCompleteReply `json:"is_complete,omitempty"`
	Code       string                  `json:"code,omitempty"`
	Pos        int                     `json:"pos,omitempty"`
	Detail     int                     `json:"detail,omitempty"`
	Restart    bool                    `json:"restart,omitempty"`
	Name       string                  `json:"name,omitempty"` // stream name
	Text       string                  `json:"text,omitempty"` // stream text, input prompt or reply, decls
	Data       kernel.Bundle           `json:"data,omitempty"`
	Meta       map[string]any          `json:"meta,omitempty"`
	DisplayID  string                  `json:"display_id,omitempty"`
	Wait       bool                    `json:"wait,omitempty"`
	Password   bool                    `json:"password,omitempty"`
	Err        string                  `json:"err,omitempty"`
	PID        int                     `json:"pid,omitempty"`
	Parts      map[string]string       `json:"parts,omitempty"` // decls: parts added or changed
	Drop       []string                `json:"drop,omitempty"`  // decls: keys of parts removed
	Reset      bool                    `json:"reset,omitempty"` // decls: Parts is the whole set
}

// newDecoder returns a decoder that keeps JSON numbers exact (json.Number),
// so bundle values survive the trip unchanged.
func newDecoder(r io.Reader) *json.Decoder {
	d := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	d.UseNumber()
	return d
}

// encode renders m as one frame.
func encode(m *message) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// outbox queues frames for one pipe and writes them from a single goroutine.
// Senders never wait for the pipe unless more than limit bytes are queued
// (back pressure for runaway printing). Consecutive stream writes to the same
// stream are merged into one frame, so a loop printing 100,000 lines costs a
// few dozen frames rather than 100,000. Frames keep the order they were sent
// in, so a cell's output always precedes its reply.
type outbox struct {
	mu      sync.Mutex
	cond    *sync.Cond
	queue   []item
	spare   []item
	queued  int
	frames  int // queued items that are not stream text
	limit   int
	closed  bool
	writing bool // a goroutine is writing to w
	err     error
	wake    chan struct{}
	stopped chan struct{}
	w       *bufio.Writer
}

// item is a queued frame: either an encoded frame or stream text to merge.
type item struct {
	frame  []byte
	stream string // stream name when the item is stream text
	text   string
}

func newOutbox(w io.Writer, limit int) *outbox {
	o := &outbox{
		limit:   limit,
		wake:    make(chan struct{}, 1),
		stopped: make(chan struct{}),
		w:       bufio.NewWriterSize(w, 64<<10),
	}
	o.cond = sync.NewCond(&o.mu)
	go o.run()
	return o
}

// sendStream queues text for the named stream.
func (o *outbox) sendStream(name, text string) {
	o.push(item{stream: name, text: text}, len(text))
}

// send queues an encoded message. Encoding happens now, in the caller, so the
// caller may reuse its maps as soon as send returns.
func (o *outbox) send(m *message) error {
	b, err := encode(m)
	if err != nil {
		return err
	}
	o.push(item{frame: b}, len(b))
	return nil
}

func (o *outbox) push(it item, size int) {
	o.mu.Lock()
	for o.queued > o.limit && !o.closed {
		o.cond.Wait()
	}
	if o.closed {
		o.mu.Unlock()
		return
	}
	if it.frame != nil && len(o.queue) == 0 && !o.writing {
		// Fast path: nothing queued and the writer is idle, so write
		// from this goroutine and spare a hand-off.
		o.writing = true
		o.mu.Unlock()
		err := o.write([]item{it})
		o.mu.Lock()
		o.writing = false
		if err != nil {
			o.fail(err)
		}
		more := len(o.queue) > 0 || o.closed
		o.mu.Unlock()
		if more {
			select {
			case o.wake <- struct{}{}:
			default:
			}
		}
		return
	}
	o.queue = append(o.queue, it)
	o.queued += size
	if it.frame != nil {
		o.frames++
	}
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

func (o *outbox) run() {
	defer close(o.stopped)
	for {
		o.mu.Lock()
		for (len(o.queue) == 0 || o.writing) && !(o.closed && !o.writing) {
			o.mu.Unlock()
			<-o.wake
			o.mu.Lock()
		}
		if o.err != nil {
			o.mu.Unlock()
			return
		}
		if o.frames == 0 && o.queued < lingerBytes && !o.closed {
			// Only stream text so far: let more lines gather for a
			// moment, so that a printing loop costs one write per
			// batch rather than one per line. Any other frame (a
			// reply, a display) ends the wait at once.
			o.mu.Unlock()
			o.linger()
			o.mu.Lock()
		}
		batch := o.queue
		o.queue = o.spare[:0]
		o.queued = 0
		o.frames = 0
		closed := o.closed
		o.writing = true
		o.cond.Broadcast()
		o.mu.Unlock()

		err := o.write(batch)
		clear(batch)
		o.mu.Lock()
		o.writing = false
		o.spare = batch[:0]
		if err != nil {
			o.fail(err)
			o.mu.Unlock()
			return
		}
		if closed && len(o.queue) == 0 {
			o.mu.Unlock()
			return
		}
		o.mu.Unlock()
	}
}

// Stream text waits up to lingerTime for company, unless lingerBytes of it
// are queued or another frame arrives.
const (
	lingerTime  = 2 * time.Millisecond
	lingerBytes = 32 << 10
)

func (o *outbox) linger() {
	t := time.NewTimer(lingerTime)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			return
		case <-o.wake:
			o.mu.Lock()
			done := o.frames > 0 || o.queued >= lingerBytes || o.closed
			o.mu.Unlock()
			if done {
				return
			}
		}
	}
}

// fail records a write error and drops what is queued; o.mu is held.
func (o *outbox) fail(err error) {
	if o.err == nil {
		o.err = err
	}
	o.closed = true
	o.queue = nil
	o.cond.Broadcast()
}

// write encodes a batch, merging runs of writes to the same stream.
func (o *outbox) write(batch []item) error {
	var sb strings.Builder
	for i := 0; i < len(batch); {
		it := batch[i]
		if it.frame != nil {
			if _, err := o.w.Write(it.frame); err != nil {
				return err
			}
			i++
			continue
		}
		j := i + 1
		for j < len(batch) && batch[j].frame == nil && batch[j].stream == it.stream {
			j++
		}
		text := it.text
		if j > i+1 {
			sb.Reset()
			for _, s := range batch[i:j] {
				sb.WriteString(s.text)
			}
			text = sb.String()
		}
		b, err := encode(&message{Op: opStream, Name: it.stream, Text: text})
		if err != nil {
			return err
		}
		if _, err := o.w.Write(b); err != nil {
			return err
		}
		i = j
	}
	return o.w.Flush()
}

// close writes what is queued and stops the writer.
func (o *outbox) close() {
	o.mu.Lock()
	if !o.closed {
		o.closed = true
		o.cond.Broadcast()
	}
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
	<-o.stopped
}
