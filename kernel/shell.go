package kernel

import (
	"encoding/json"
	"runtime"
	"time"

	"github.com/go-zeromq/zmq4"
)

// enqueueShell hands a verified shell request to the shell worker.
func (k *Kernel) enqueueShell(m *Message) {
	m.received = time.Now()
	select {
	case k.queue <- m:
	case <-k.ctx.Done():
	}
}

// shellWorker handles shell requests one at a time, in arrival order.
func (k *Kernel) shellWorker() {
	for {
		select {
		case m := <-k.queue:
			if !k.engineOpen() {
				return // shutting down: leave the rest unanswered
			}
			if k.handleShell(m) {
				k.abortQueued(k.failedAt)
			}
		case <-k.ctx.Done():
			return
		}
	}
}

// abortQueued answers every execute_request that was received before cutoff
// (the moment the failed cell's reply went out) with status "aborted"
// (other requests are handled normally), as ipykernel does after a cell
// fails with stop_on_error: the requests sent together with the failing
// cell ("Run All") do not run. A request sent after the client saw the
// error reply was received after cutoff and runs normally.
func (k *Kernel) abortQueued(cutoff time.Time) {
	// Let the shell reader move what it has already received.
	runtime.Gosched()
	for {
		select {
		case m := <-k.queue:
			if m.Header.MsgType == "execute_request" && m.received.Before(cutoff) {
				k.busy(m)
				k.reply(k.shell, m, "execute_reply", &executeReplyContent{
					Status:          StatusAborted,
					ExecutionCount:  k.execCount,
					UserExpressions: map[string]any{},
					Payload:         []any{},
				}, map[string]any{"status": StatusAborted})
				k.idle(m)
				continue
			}
			if k.handleShell(m) {
				cutoff = k.failedAt
			}
		default:
			return
		}
	}
}

// handleShell handles one shell request between busy and idle. It
// reports whether queued execute requests must be aborted.
func (k *Kernel) handleShell(m *Message) (abort bool) {
	t := m.Header.MsgType
	if t == "shutdown_request" {
		k.busy(m)
		restart := k.answerShutdown(k.shell, m)
		k.idle(m)
		k.requestShutdown(restart)
		return false
	}
	var run *execution
	if t == "execute_request" {
		// Parsed, and begun on an engine that can (Starter), before
		// busy goes out: the cell's work overlaps the announcing.
		run = k.prepareExecute(m)
	}
	k.busy(m)
	defer k.idle(m)
	switch t {
	case "execute_request":
		return k.handleExecute(m, run)
	case "kernel_info_request":
		k.reply(k.shell, m, "kernel_info_reply", k.kernelInfo(), nil)
	case "complete_request":
		k.handleComplete(m)
	case "inspect_request":
		k.handleInspect(m)
	case "is_complete_request":
		k.handleIsComplete(m)
	case "history_request":
		k.handleHistory(m)
	case "comm_info_request":
		k.reply(k.shell, m, "comm_info_reply", map[string]any{"status": StatusOK, "comms": map[string]any{}}, nil)
	case "comm_open":
		// No comm targets exist: tell the frontend the comm is closed,
		// as a kernel without the requested target does.
		var c struct {
			CommID     string `json:"comm_id"`
			TargetName string `json:"target_name"`
		}
		_ = json.Unmarshal(m.Content, &c)
		k.logf("comm_open for unknown target %q: closing comm %s", c.TargetName, c.CommID)
		k.publish("comm_close", m.RawHeader, map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
	case "comm_msg", "comm_close":
		// Messages for comms that do not exist are ignored.
	default:
		k.logf("unsupported message type %q on shell", t)
	}
	return false
}

// handleControl handles a control request on the control reader's
// goroutine, so it is never queued behind a running cell.
func (k *Kernel) handleControl(m *Message) {
	t := m.Header.MsgType
	if t == "shutdown_request" {
		k.busy(m)
		restart := k.answerShutdown(k.control, m)
		k.idle(m)
		k.requestShutdown(restart)
		return
	}
	k.busy(m)
	defer k.idle(m)
	switch t {
	case "interrupt_request":
		k.Interrupt()
		k.reply(k.control, m, "interrupt_reply", map[string]any{"status": StatusOK}, nil)
	case "kernel_info_request":
		k.reply(k.control, m, "kernel_info_reply", k.kernelInfo(), nil)
	default:
		k.logf("unsupported message type %q on control", t)
	}
}

// answerShutdown replies to shutdown_request and returns its restart flag.
func (k *Kernel) answerShutdown(sock zmq4.Socket, m *Message) bool {
	var c struct {
		Restart bool `json:"restart"`
	}
	_ = json.Unmarshal(m.Content, &c)
	k.reply(sock, m, "shutdown_reply", map[string]any{"status": StatusOK, "restart": c.Restart}, nil)
	return c.Restart
}
