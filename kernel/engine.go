package kernel

import (
	"context"
	"errors"
)

// Engine is the language side of a kernel. The kernel package speaks the Jupyter
// protocol and knows nothing about the language; everything that understands
// code lives behind this interface (the way xeus splits a kernel).
//
// The kernel calls Execute, Complete, Inspect and IsComplete from one goroutine,
// one request at a time, in the order the shell channel delivered them.
// Interrupt and Shutdown may be called from any goroutine at any time,
// including while Execute runs.
type Engine interface {
	// Execute runs one cell. Output produced while it runs (and output
	// produced later by goroutines the cell started) goes to io. io stays
	// valid after Execute returns: the kernel holds writes made while no
	// request is running and shows them in the next cell.
	// ctx is cancelled when the kernel shuts down.
	Execute(ctx context.Context, req ExecuteRequest, io IO) ExecuteReply

	// Complete returns completions for the code at cursorPos, a position
	// counted in Unicode code points as the protocol requires.
	Complete(code string, cursorPos int) CompleteReply

	// Inspect returns what is known about the name at cursorPos
	// (detailLevel 0 or 1, as in inspect_request).
	Inspect(code string, cursorPos, detailLevel int) InspectReply

	// IsComplete tells whether code is ready to run as typed.
	IsComplete(code string) IsCompleteReply

	// Interrupt stops the cell that is running, if any. Execute then
	// returns promptly with an error reply. Safe to call at any time.
	Interrupt()

	// Shutdown releases the engine's resources. restart tells whether a
	// new kernel will follow. Execute is not called afterwards.
	Shutdown(restart bool) error
}

// Starter is implemented by an engine that can begin a cell before the
// kernel has announced it. The kernel then calls StartExecute instead of
// Execute as soon as it has parsed an execute_request, publishes the
// cell's busy status and execute_input, and calls the function it
// returned with the session IO; that call returns the reply, as Execute
// would. An engine whose cells run in another process (interp/supervise)
// overlaps the process hop and the cell's work with the kernel's own
// announcing.
//
// Output must not reach the kernel before the returned function is
// called: the engine holds what the cell writes until it has the IO (the
// kernel publishes output only after execute_input). The kernel calls the
// returned function exactly once, on the goroutine that called
// StartExecute; Interrupt may be called in between. StartExecute must not
// wait for the cell, nor for long at all: busy waits for it. It may return
// nil when it cannot begin the cell early (an engine still starting): the
// kernel then calls Execute as usual.
type Starter interface {
	Engine
	StartExecute(ctx context.Context, req ExecuteRequest) (wait func(io IO) ExecuteReply)
}

// ExecuteRequest is the part of an execute_request the engine needs.
type ExecuteRequest struct {
	Code            string
	Silent          bool
	StoreHistory    bool
	UserExpressions map[string]string
	AllowStdin      bool
	StopOnError     bool
	// ExecutionCount is the number this cell is shown with (In[n]).
	ExecutionCount int
}

// Status values of a reply.
const (
	StatusOK      = "ok"
	StatusError   = "error"
	StatusAborted = "aborted"
)

// Bundle is a MIME bundle: MIME type to data. Text types hold strings;
// "application/json" may hold any JSON-encodable value; binary types
// (image/png, image/jpeg) hold base64 strings.
type Bundle map[string]any

// Error describes a failed execution as Jupyter shows it.
type Error struct {
	Name      string   // ename, for example "CompileError" or "panic"
	Value     string   // evalue, the message
	Traceback []string // lines shown to the user; may hold ANSI colours
}

// ExecuteReply is the outcome of Execute.
type ExecuteReply struct {
	// Status is StatusOK or StatusError. An error reply carries Err.
	Status string
	Err    *Error
	// Result, when non-nil, is published as execute_result (Out[n]).
	Result   Bundle
	Metadata map[string]any
	// UserExpressions holds one entry per requested expression: the
	// kernel turns each into {status, data, metadata} or an error.
	UserExpressions map[string]ExpressionResult
	// Payload asks the frontend for actions besides output, such as
	// showing help in its pager (see Payload). The protocol defines
	// payloads for successful replies only, so the kernel sends them with
	// status "ok" and drops them from an error reply.
	Payload []Payload
}

// Payload is one entry of execute_reply's "payload" list: a request to the
// frontend that is not output of the cell. Its "source" key says what to do
// ("page", "set_next_input", "edit", "ask_exit"); the other keys depend on
// the source. The messaging specification calls payloads deprecated, but
// names no replacement, and frontends still honour them: JupyterLab and
// Notebook show a page payload's data at the end of the cell's output area,
// jupyter console prints it through its pager. nbclient and nbconvert
// ignore payloads, so what a notebook must keep belongs in the output.
// A payload without a string "source" is dropped.
type Payload map[string]any

// PayloadPage is the source of a payload that shows text in the pager.
const PayloadPage = "page"

// PagePayload returns the payload that shows data (which must hold
// text/plain) in the frontend's pager, from its first line.
func PagePayload(data Bundle) Payload {
	return Payload{"source": PayloadPage, "data": data, "start": 0}
}

// ExpressionResult is the value of one user expression.
type ExpressionResult struct {
	Data Bundle
	Err  *Error
}

// CompleteReply answers complete_request. Cursor positions are in code points.
type CompleteReply struct {
	Matches     []string
	CursorStart int
	CursorEnd   int
	// Types, when not nil, holds one entry per match for the
	// _jupyter_types_experimental metadata ("function", "keyword", ...).
	Types []string
}

// InspectReply answers inspect_request.
type InspectReply struct {
	Found bool
	Data  Bundle
}

// IsCompleteReply answers is_complete_request: Status is "complete",
// "incomplete", "invalid" or "unknown"; Indent is set when incomplete.
type IsCompleteReply struct {
	Status string
	Indent string
}

// IO is what an engine uses to reach the frontend while code runs.
// Its methods are safe for concurrent use by many goroutines.
type IO interface {
	// Stream writes text to "stdout" or "stderr". The kernel batches
	// writes into stream messages and keeps their order.
	Stream(name string, text string)

	// Display shows a rich output. A non-empty displayID lets later
	// Update calls replace it in place.
	Display(data Bundle, metadata map[string]any, displayID string)

	// Update replaces every output shown with displayID.
	Update(data Bundle, metadata map[string]any, displayID string)

	// ClearOutput clears the current cell's output; with wait, the frontend
	// clears it when the next output arrives (no flicker).
	ClearOutput(wait bool)

	// Input asks the frontend for one line of text (input_request). It
	// fails with ErrNoStdin when the request did not allow stdin and with
	// ErrInterrupted when the cell is interrupted while waiting.
	Input(prompt string, password bool) (string, error)
}

// ErrNoStdin is returned by IO.Input when the frontend does not accept
// input requests (allow_stdin was false).
var ErrNoStdin = errors.New("this frontend does not support input requests (allow_stdin is false)")

// ErrInterrupted is returned by IO.Input when the cell was interrupted
// while waiting for input.
var ErrInterrupted = errors.New("interrupted while waiting for input")
