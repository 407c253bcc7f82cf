package kernel

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// sessionIO is the IO the kernel hands to every Execute call. It batches
// stream text, keeps output in order, holds output written while no cell
// runs, and runs input requests on the stdin channel.
//
// Its state is guarded by the kernel's pubMu, the lock that orders all
// iopub traffic: whoever publishes anything first flushes the pending
// stream text.
type sessionIO struct {
	k *Kernel

	active     bool     // an execute_request is running
	parent     []byte   // its raw header: the parent of its output
	ids        [][]byte // its routing identities, for input_request
	allowStdin bool
	lastParent []byte // the parent of the last execute_request

	name string // the stream buf belongs to
	buf  []byte // stream text not yet sent

	timer      *time.Timer // sends buf at most StreamFlushInterval after it filled
	timerArmed bool

	held      []heldOutput // output written while no cell ran, in order
	heldBytes int
	dropped   int // stream bytes dropped past HeldOutputLimit

	inputMu sync.Mutex // one input request at a time
}

// heldOutput is one output written while no cell ran: stream text (when
// msgType is "stream") or a ready message content.
type heldOutput struct {
	msgType string
	name    string
	text    []byte
	content any
}

type streamContent struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

type inputWait struct {
	reply  chan string
	cancel chan struct{}
}

func newSessionIO(k *Kernel) *sessionIO {
	s := &sessionIO{k: k}
	s.timer = time.AfterFunc(time.Hour, s.onTimer)
	s.timer.Stop()
	return s
}

// begin makes req the parent of all output until end, and sends the
// output held since the last cell as part of it.
func (s *sessionIO) begin(req *Message, allowStdin bool) {
	s.k.pubMu.Lock()
	defer s.k.pubMu.Unlock()
	s.active = true
	s.parent = req.RawHeader
	s.ids = req.Identities
	s.allowStdin = allowStdin
	held := s.held
	s.held, s.heldBytes = nil, 0
	for _, h := range held {
		if h.msgType == "stream" {
			s.appendStreamLocked(h.name, string(h.text))
			continue
		}
		s.flushLocked(true)
		s.k.publishLocked(h.msgType, "", s.parent, h.content)
	}
	if s.dropped > 0 {
		note := "[golit: " + strconv.Itoa(s.dropped) + " bytes of output written between cells were dropped]\n"
		s.dropped = 0
		s.appendStreamLocked("stderr", note)
	}
}

// end sends the pending stream text and stops attributing output to the
// request given to begin. A goroutine still waiting in Input gets
// ErrInterrupted.
func (s *sessionIO) end() {
	s.k.pubMu.Lock()
	s.flushLocked(true)
	s.active = false
	s.lastParent = s.parent
	s.parent, s.ids, s.allowStdin = nil, nil, false
	s.k.pubMu.Unlock()
	s.k.cancelInput()
}

// Stream implements IO.
func (s *sessionIO) Stream(name, text string) {
	if text == "" {
		return
	}
	if name != "stderr" {
		name = "stdout"
	}
	s.k.pubMu.Lock()
	defer s.k.pubMu.Unlock()
	if !s.active {
		s.holdStreamLocked(name, text)
		return
	}
	s.appendStreamLocked(name, text)
}

// appendStreamLocked adds text to the pending batch, sending the batch
// when the stream changes or the batch is full, and arms the flush timer.
func (s *sessionIO) appendStreamLocked(name, text string) {
	if len(s.buf) > 0 && s.name != name {
		s.flushLocked(true)
	}
	s.name = name
	s.buf = append(s.buf, text...)
	if len(s.buf) >= s.k.cfg.StreamMaxBatch {
		s.flushLocked(false)
	}
	if len(s.buf) > 0 && !s.timerArmed {
		s.timerArmed = true
		s.timer.Reset(s.k.cfg.StreamFlushInterval)
	}
}

func (s *sessionIO) holdStreamLocked(name, text string) {
	if s.heldBytes+len(text) > s.k.cfg.HeldOutputLimit {
		s.dropped += len(text)
		return
	}
	s.heldBytes += len(text)
	if n := len(s.held); n > 0 && s.held[n-1].msgType == "stream" && s.held[n-1].name == name {
		s.held[n-1].text = append(s.held[n-1].text, text...)
		return
	}
	s.held = append(s.held, heldOutput{msgType: "stream", name: name, text: []byte(text)})
}

func (s *sessionIO) onTimer() {
	s.k.pubMu.Lock()
	s.timerArmed = false
	s.flushLocked(true)
	s.k.pubMu.Unlock()
}

// flushLocked publishes the pending stream text of the running cell.
// Unless all is set, an incomplete UTF-8 sequence at the end stays
// pending so a character split across writes is not mangled.
func (s *sessionIO) flushLocked(all bool) {
	if !s.active || len(s.buf) == 0 {
		return
	}
	n := len(s.buf)
	if !all {
		n = completeUTF8(s.buf)
		if n == 0 {
			return
		}
	}
	s.k.publishLocked("stream", "stream."+s.name, s.parent, &streamContent{Name: s.name, Text: string(s.buf[:n])})
	rest := copy(s.buf, s.buf[n:])
	s.buf = s.buf[:rest]
	if cap(s.buf) > 4*s.k.cfg.StreamMaxBatch {
		s.buf = append([]byte(nil), s.buf...)
	}
}

// completeUTF8 returns the length of the longest prefix of b that does
// not end inside a multi-byte UTF-8 sequence.
func completeUTF8(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return len(b)
			}
			return i
		}
	}
	return len(b)
}

// output publishes a non-stream output of the running cell, or holds it
// for the next cell.
func (s *sessionIO) output(msgType string, content any) {
	s.k.pubMu.Lock()
	defer s.k.pubMu.Unlock()
	if !s.active {
		s.held = append(s.held, heldOutput{msgType: msgType, content: content})
		return
	}
	s.flushLocked(true)
	s.k.publishLocked(msgType, "", s.parent, content)
}

type displayContent struct {
	Data      Bundle         `json:"data"`
	Metadata  map[string]any `json:"metadata"`
	Transient map[string]any `json:"transient"`
}

func newDisplayContent(data Bundle, metadata map[string]any, displayID string) *displayContent {
	if data == nil {
		data = Bundle{}
	}
	if metadata == nil {
		metadata = map[string]any{}
	}
	c := &displayContent{Data: data, Metadata: metadata, Transient: map[string]any{}}
	if displayID != "" {
		c.Transient["display_id"] = displayID
	}
	return c
}

// Display implements IO.
func (s *sessionIO) Display(data Bundle, metadata map[string]any, displayID string) {
	s.output("display_data", newDisplayContent(data, metadata, displayID))
}

// Update implements IO. An update made while no cell runs goes to the
// last cell's output (where the display most likely is), unless output
// is being held, in which case it keeps its place after that output.
func (s *sessionIO) Update(data Bundle, metadata map[string]any, displayID string) {
	if displayID == "" {
		s.k.logf("update_display_data without a display id ignored")
		return
	}
	c := newDisplayContent(data, metadata, displayID)
	s.k.pubMu.Lock()
	defer s.k.pubMu.Unlock()
	switch {
	case s.active:
		s.flushLocked(true)
		s.k.publishLocked("update_display_data", "", s.parent, c)
	case len(s.held) > 0 || s.lastParent == nil:
		s.held = append(s.held, heldOutput{msgType: "update_display_data", content: c})
	default:
		s.k.publishLocked("update_display_data", "", s.lastParent, c)
	}
}

// ClearOutput implements IO.
func (s *sessionIO) ClearOutput(wait bool) {
	s.output("clear_output", map[string]any{"wait": wait})
}

// Input implements IO: it sends input_request on the stdin channel to the
// frontend that sent the running execute_request and waits for its
// input_reply.
func (s *sessionIO) Input(prompt string, password bool) (string, error) {
	s.inputMu.Lock()
	defer s.inputMu.Unlock()
	k := s.k
	k.pubMu.Lock()
	if !s.active || !s.allowStdin {
		k.pubMu.Unlock()
		return "", ErrNoStdin
	}
	req := &Message{Identities: s.ids, RawHeader: s.parent}
	s.flushLocked(true)
	k.pubMu.Unlock()
	// What the cell printed before asking (its prompt) must reach the
	// frontend before the input_request does.
	k.flushIOPub()

	w := &inputWait{reply: make(chan string, 1), cancel: make(chan struct{})}
	k.stdinMu.Lock()
	if k.pendingInput != nil {
		close(k.pendingInput.cancel)
	}
	k.pendingInput = w
	k.stdinMu.Unlock()

	content, _ := json.Marshal(map[string]any{"prompt": prompt, "password": password})
	// The send waits inside zmq4 until a stdin connection exists; do it
	// aside so an interrupt can still end the wait.
	go k.reply(k.stdin, req, "input_request", content, nil)

	select {
	case v := <-w.reply:
		return v, nil
	case <-w.cancel:
		return "", ErrInterrupted
	case <-k.ctx.Done():
		return "", ErrInterrupted
	}
}

// cancelInput ends a pending Input call with ErrInterrupted.
func (k *Kernel) cancelInput() {
	k.stdinMu.Lock()
	if w := k.pendingInput; w != nil {
		close(w.cancel)
		k.pendingInput = nil
	}
	k.stdinMu.Unlock()
}

// handleStdin delivers an input_reply to the waiting Input call.
func (k *Kernel) handleStdin(m *Message) {
	if m.Header.MsgType != "input_reply" {
		k.logf("unsupported message type %q on stdin", m.Header.MsgType)
		return
	}
	var c struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.logf("malformed input_reply: %v", err)
		return
	}
	k.stdinMu.Lock()
	w := k.pendingInput
	k.pendingInput = nil
	k.stdinMu.Unlock()
	if w == nil {
		k.logf("input_reply with no input request waiting: ignored")
		return
	}
	w.reply <- c.Value
}
