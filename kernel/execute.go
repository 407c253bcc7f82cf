package kernel

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"time"
)

// executeRequestContent is the content of execute_request. The pointer
// fields default to true when absent, as the protocol specifies.
type executeRequestContent struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

type executeReplyContent struct {
	Status          string         `json:"status"`
	ExecutionCount  int            `json:"execution_count"`
	UserExpressions map[string]any `json:"user_expressions"`
	Payload         []any          `json:"payload"`
	Ename           string         `json:"ename,omitempty"`
	Evalue          string         `json:"evalue,omitempty"`
	Traceback       []string       `json:"traceback,omitempty"`
}

type errorContent struct {
	Ename     string   `json:"ename"`
	Evalue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

type executeResultContent struct {
	ExecutionCount int            `json:"execution_count"`
	Data           Bundle         `json:"data"`
	Metadata       map[string]any `json:"metadata"`
}

func orTrue(b *bool) bool { return b == nil || *b }

// execution is an execute_request parsed before its busy status: its
// content, the count it runs as, and, when the engine is a Starter that
// has begun it, the function that waits for its reply.
type execution struct {
	c           executeRequestContent
	err         error // the content did not parse
	req         ExecuteRequest
	count       int
	wait        func(IO) ExecuteReply
	startFailed *ExecuteReply // StartExecute panicked
}

// prepareExecute parses an execute_request, gives it its execution count
// and, if the engine is a Starter, starts it.
func (k *Kernel) prepareExecute(m *Message) *execution {
	x := &execution{}
	if err := json.Unmarshal(m.Content, &x.c); err != nil {
		x.err = err
		return x
	}
	c := &x.c
	storeHistory := orTrue(c.StoreHistory) && !c.Silent
	if storeHistory {
		k.execCount++
		k.history = append(k.history, historyEntry{line: k.execCount, input: c.Code})
	}
	x.count = k.execCount
	x.req = ExecuteRequest{
		Code:            c.Code,
		Silent:          c.Silent,
		StoreHistory:    storeHistory,
		UserExpressions: c.UserExpressions,
		AllowStdin:      orTrue(c.AllowStdin),
		StopOnError:     orTrue(c.StopOnError),
		ExecutionCount:  x.count,
	}
	if st, ok := k.engine.(Starter); ok {
		x.wait, x.startFailed = k.callStart(st, x.req)
	}
	return x
}

// handleExecute runs one execute_request, prepared by prepareExecute. It
// reports whether the queued execute requests must be aborted (the cell
// failed with stop_on_error).
func (k *Kernel) handleExecute(m *Message, x *execution) bool {
	if x.err != nil {
		err := x.err
		k.logf("malformed execute_request: %v", err)
		k.reply(k.shell, m, "execute_reply", &executeReplyContent{
			Status: StatusError, ExecutionCount: k.execCount,
			Ename: "ProtocolError", Evalue: "malformed execute_request: " + err.Error(),
			Traceback: []string{"malformed execute_request: " + err.Error()},
		}, nil)
		return false
	}
	c, count := &x.c, x.count
	storeHistory, stopOnError := x.req.StoreHistory, x.req.StopOnError
	if !c.Silent {
		k.publish("execute_input", m.RawHeader, map[string]any{"code": c.Code, "execution_count": count})
	}

	k.io.begin(m, x.req.AllowStdin)
	var rep ExecuteReply
	switch {
	case x.startFailed != nil:
		rep = *x.startFailed
	case x.wait != nil:
		rep = k.callWait(x.wait)
	default:
		rep = k.callExecute(x.req)
	}
	k.io.end()

	if rep.Status == "" {
		rep.Status = StatusOK
		if rep.Err != nil {
			rep.Status = StatusError
		}
	}
	if rep.Result != nil && !c.Silent && rep.Status == StatusOK {
		md := rep.Metadata
		if md == nil {
			md = map[string]any{}
		}
		k.publish("execute_result", m.RawHeader, &executeResultContent{ExecutionCount: count, Data: rep.Result, Metadata: md})
		if text, ok := rep.Result["text/plain"].(string); ok && storeHistory {
			k.history[len(k.history)-1].output = &text
		}
	}
	out := &executeReplyContent{
		Status:          rep.Status,
		ExecutionCount:  count,
		UserExpressions: userExpressions(c.UserExpressions, rep.UserExpressions),
		Payload:         []any{},
	}
	if rep.Status == StatusOK {
		out.Payload = k.payloads(rep.Payload)
	}
	if rep.Status == StatusError {
		e := rep.Err
		if e == nil {
			e = &Error{Name: "Error", Value: "the cell failed"}
		}
		ec := errorContent{Ename: e.Name, Evalue: e.Value, Traceback: e.Traceback}
		if ec.Traceback == nil {
			ec.Traceback = []string{}
		}
		if !c.Silent {
			k.publish("error", m.RawHeader, &ec)
		}
		out.Ename, out.Evalue, out.Traceback = ec.Ename, ec.Evalue, ec.Traceback
	}
	abort := rep.Status == StatusError && stopOnError && !c.Silent
	if abort {
		k.failedAt = time.Now() // before the reply: requests sent after it must run
	}
	if len(out.Payload) > 0 {
		// The frontend acts on payloads when the reply arrives: let the
		// cell's output arrive first.
		k.flushIOPub()
	}
	k.reply(k.shell, m, "execute_reply", out, map[string]any{"status": rep.Status})
	return abort
}

// callExecute calls Engine.Execute and turns a panic into an error reply,
// so a broken engine cannot take the kernel down.
func (k *Kernel) callExecute(req ExecuteRequest) (rep ExecuteReply) {
	defer k.recoverEngine("Execute", &rep)
	return k.engine.Execute(k.ctx, req, k.io)
}

// callStart calls Starter.StartExecute; a panic becomes the cell's error
// reply.
func (k *Kernel) callStart(st Starter, req ExecuteRequest) (wait func(IO) ExecuteReply, failed *ExecuteReply) {
	var rep ExecuteReply
	defer func() {
		if rep.Err != nil {
			failed = &rep
		}
	}()
	defer k.recoverEngine("StartExecute", &rep)
	return st.StartExecute(k.ctx, req), nil
}

// callWait calls the function StartExecute returned, as callExecute calls
// Execute.
func (k *Kernel) callWait(wait func(IO) ExecuteReply) (rep ExecuteReply) {
	defer k.recoverEngine("Execute", &rep)
	return wait(k.io)
}

// recoverEngine, deferred, turns a panic of the engine's method into an
// error reply.
func (k *Kernel) recoverEngine(method string, rep *ExecuteReply) {
	if r := recover(); r != nil {
		k.logf("engine panicked in %s: %v\n%s", method, r, debug.Stack())
		msg := fmt.Sprint(r)
		*rep = ExecuteReply{Status: StatusError, Err: &Error{Name: "EnginePanic", Value: msg, Traceback: []string{"the kernel's engine panicked: " + msg}}}
	}
}

// payloads returns the engine's payloads as the reply lists them, without
// those that lack a source (the one key the protocol requires).
func (k *Kernel) payloads(ps []Payload) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		if src, ok := p["source"].(string); !ok || src == "" {
			k.logf("dropping a payload without a source: %v", p)
			continue
		}
		out = append(out, map[string]any(p))
	}
	return out
}

// userExpressions turns the engine's results into user_expressions
// entries: {status, data, metadata} or {status: "error", ename, ...}.
// An expression the engine did not answer gets an error entry.
func userExpressions(asked map[string]string, got map[string]ExpressionResult) map[string]any {
	out := make(map[string]any, len(asked))
	for name := range asked {
		r, ok := got[name]
		switch {
		case !ok:
			out[name] = map[string]any{"status": StatusError, "ename": "NotEvaluated", "evalue": "the expression was not evaluated", "traceback": []string{}}
		case r.Err != nil:
			tb := r.Err.Traceback
			if tb == nil {
				tb = []string{}
			}
			out[name] = map[string]any{"status": StatusError, "ename": r.Err.Name, "evalue": r.Err.Value, "traceback": tb}
		default:
			data := r.Data
			if data == nil {
				data = Bundle{}
			}
			out[name] = map[string]any{"status": StatusOK, "data": data, "metadata": map[string]any{}}
		}
	}
	return out
}
