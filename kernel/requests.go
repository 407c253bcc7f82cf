package kernel

import (
	"encoding/json"
	"runtime/debug"
)

// kernelInfo is the content of kernel_info_reply.
func (k *Kernel) kernelInfo() map[string]any {
	return map[string]any{
		"status":                 StatusOK,
		"protocol_version":       ProtocolVersion,
		"implementation":         k.cfg.Implementation,
		"implementation_version": k.cfg.ImplementationVersion,
		"language_info":          k.cfg.LanguageInfo,
		"banner":                 k.cfg.Banner,
		"help_links":             k.cfg.HelpLinks,
		"debugger":               false,
	}
}

// guard runs f and logs a panic instead of crashing the kernel; it
// reports whether f returned normally.
func (k *Kernel) guard(what string, f func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			k.logf("engine panicked in %s: %v\n%s", what, r, debug.Stack())
			ok = false
		}
	}()
	f()
	return true
}

func (k *Kernel) replyError(m *Message, msgType, ename, evalue string) {
	k.reply(k.shell, m, msgType, map[string]any{"status": StatusError, "ename": ename, "evalue": evalue, "traceback": []string{evalue}}, nil)
}

func (k *Kernel) handleComplete(m *Message) {
	var c struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.replyError(m, "complete_reply", "ProtocolError", "malformed complete_request: "+err.Error())
		return
	}
	pos := codePoints(c.Code)
	if c.CursorPos != nil {
		pos = *c.CursorPos
	}
	var r CompleteReply
	if !k.guard("Complete", func() { r = k.engine.Complete(c.Code, pos) }) {
		r = CompleteReply{CursorStart: pos, CursorEnd: pos}
	}
	matches := r.Matches
	if matches == nil {
		matches = []string{}
	}
	md := map[string]any{}
	if r.Types != nil && len(r.Types) == len(matches) {
		types := make([]map[string]any, len(matches))
		for i, match := range matches {
			types[i] = map[string]any{"start": r.CursorStart, "end": r.CursorEnd, "text": match, "type": r.Types[i]}
		}
		md["_jupyter_types_experimental"] = types
	}
	k.reply(k.shell, m, "complete_reply", map[string]any{
		"status":       StatusOK,
		"matches":      matches,
		"cursor_start": r.CursorStart,
		"cursor_end":   r.CursorEnd,
		"metadata":     md,
	}, nil)
}

func (k *Kernel) handleInspect(m *Message) {
	var c struct {
		Code        string `json:"code"`
		CursorPos   *int   `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.replyError(m, "inspect_reply", "ProtocolError", "malformed inspect_request: "+err.Error())
		return
	}
	pos := codePoints(c.Code)
	if c.CursorPos != nil {
		pos = *c.CursorPos
	}
	var r InspectReply
	k.guard("Inspect", func() { r = k.engine.Inspect(c.Code, pos, c.DetailLevel) })
	data := r.Data
	if data == nil || !r.Found {
		data = Bundle{}
	}
	k.reply(k.shell, m, "inspect_reply", map[string]any{
		"status":   StatusOK,
		"found":    r.Found && len(data) > 0,
		"data":     data,
		"metadata": map[string]any{},
	}, nil)
}

func (k *Kernel) handleIsComplete(m *Message) {
	var c struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.replyError(m, "is_complete_reply", "ProtocolError", "malformed is_complete_request: "+err.Error())
		return
	}
	r := IsCompleteReply{Status: "unknown"}
	k.guard("IsComplete", func() { r = k.engine.IsComplete(c.Code) })
	switch r.Status {
	case "complete", "incomplete", "invalid", "unknown":
	default:
		k.logf("engine answered is_complete with status %q; sending unknown", r.Status)
		r.Status = "unknown"
	}
	content := map[string]any{"status": r.Status}
	if r.Status == "incomplete" {
		content["indent"] = r.Indent
	}
	k.reply(k.shell, m, "is_complete_reply", content, nil)
}

// codePoints counts the Unicode code points of s, the unit of cursor_pos.
func codePoints(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}
