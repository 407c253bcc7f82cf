package kernel

import (
	"encoding/json"
)

// historySession is the session number this kernel reports in history
// replies. The history lives in memory and covers this session only, so
// a request for session 0 (the current one) or historySession is served,
// and earlier sessions are empty.
const historySession = 1

// historyEntry is one cell run with store_history.
type historyEntry struct {
	line   int // the cell's execution count
	input  string
	output *string // the text/plain of the cell's result (Out[n]), if any
}

type historyRequestContent struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           *int   `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

func (k *Kernel) handleHistory(m *Message) {
	var c historyRequestContent
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.replyError(m, "history_reply", "ProtocolError", "malformed history_request: "+err.Error())
		return
	}
	entries := selectHistory(k.history, c)
	list := make([]any, len(entries))
	for i, e := range entries {
		if c.Output {
			// As in IPython, the output is the text/plain form of the
			// cell's result, or null when it had none.
			var out any
			if e.output != nil {
				out = *e.output
			}
			list[i] = []any{historySession, e.line, []any{e.input, out}}
		} else {
			list[i] = []any{historySession, e.line, e.input}
		}
	}
	k.reply(k.shell, m, "history_reply", map[string]any{"status": StatusOK, "history": list}, nil)
}

// selectHistory applies a history request to the session's entries.
func selectHistory(all []historyEntry, c historyRequestContent) []historyEntry {
	switch c.HistAccessType {
	case "tail":
		n := 10
		if c.N != nil {
			n = *c.N
		}
		if n < 0 {
			n = 0
		}
		if n > len(all) {
			n = len(all)
		}
		return all[len(all)-n:]
	case "range":
		if c.Session != 0 && c.Session != historySession {
			return nil
		}
		var out []historyEntry
		for _, e := range all {
			if e.line >= c.Start && (c.Stop == nil || *c.Stop <= 0 || e.line < *c.Stop) {
				out = append(out, e)
			}
		}
		return out
	case "search":
		pattern := c.Pattern
		if pattern == "" {
			pattern = "*"
		}
		var out []historyEntry
		seen := map[string]bool{}
		// Walk newest first so n and unique keep the latest runs, then
		// restore chronological order.
		for i := len(all) - 1; i >= 0; i-- {
			e := all[i]
			if !globMatch(pattern, e.input) {
				continue
			}
			if c.Unique {
				if seen[e.input] {
					continue
				}
				seen[e.input] = true
			}
			out = append(out, e)
			if c.N != nil && *c.N > 0 && len(out) == *c.N {
				break
			}
		}
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		return out
	}
	return nil
}

// globMatch reports whether s matches pattern as SQLite's GLOB (which
// IPython's history search uses) does: '*' matches any run of characters,
// '?' one character, "[...]" one character of a set (with ranges and a
// leading '^' to negate). Matching is case-sensitive and covers all of s.
func globMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	// Backtracking over the last '*' keeps this linear in practice.
	pi, ti := 0, 0
	starP, starT := -1, 0
	for ti < len(t) {
		if pi < len(p) {
			switch p[pi] {
			case '*':
				starP, starT = pi, ti
				pi++
				continue
			case '?':
				pi++
				ti++
				continue
			case '[':
				if end, ok := matchClass(p, pi, t[ti]); ok {
					pi = end
					ti++
					continue
				}
			default:
				if p[pi] == t[ti] {
					pi++
					ti++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starT++
		pi, ti = starP+1, starT
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// matchClass matches r against the class starting at p[i] == '['. It
// returns the index after the class and whether r is in it. A class
// without a closing ']' matches a literal '['.
func matchClass(p []rune, i int, r rune) (int, bool) {
	j := i + 1
	negate := false
	if j < len(p) && p[j] == '^' {
		negate = true
		j++
	}
	in := false
	first := true
	for ; j < len(p); j++ {
		if p[j] == ']' && !first {
			return j + 1, in != negate
		}
		first = false
		lo := p[j]
		hi := lo
		if j+2 < len(p) && p[j+1] == '-' && p[j+2] != ']' {
			hi = p[j+2]
			j += 2
		}
		if lo <= r && r <= hi {
			in = true
		}
	}
	// Unterminated: treat '[' literally.
	return i + 1, r == '['
}
