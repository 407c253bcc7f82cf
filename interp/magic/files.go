package magic

import (
	"context"
	"os"
	"strings"
)

// writefileMagic is %%writefile [-a] FILE: it writes the cell body to FILE
// (appending with -a) and says what it did, as IPython does.
func writefileMagic(_ context.Context, r *runner, st Step) (any, error) {
	appendMode := false
	name := strings.TrimSpace(st.Args)
	for _, flag := range []string{"-a", "--append"} {
		if rest, ok := strings.CutPrefix(name, flag+" "); ok {
			appendMode, name = true, strings.TrimSpace(rest)
		}
	}
	name = strings.Trim(name, `"'`)
	if name == "" || strings.HasPrefix(name, "-") {
		return nil, usageError("usage: %%%%writefile [-a] FILE")
	}
	body := cellBody(st)
	_, statErr := os.Stat(name)
	exists := statErr == nil
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appendMode {
		flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	f, err := os.OpenFile(name, flags, 0o644)
	if err != nil {
		return nil, &Error{Name: "OSError", Message: err.Error()}
	}
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		return nil, &Error{Name: "OSError", Message: err.Error()}
	}
	if err := f.Close(); err != nil {
		return nil, &Error{Name: "OSError", Message: err.Error()}
	}
	switch {
	case appendMode:
		r.out("Appending to %s\n", name)
	case exists:
		r.out("Overwriting %s\n", name)
	default:
		r.out("Writing %s\n", name)
	}
	return nil, nil
}
