package run

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"reflect"
	"sync"

	"github.com/traefik/yaegi/stdlib"
)

// The runtime half of log positions (interp/rewrite/logpos.go, which
// marks the log calls): the positions recorded per goroutine and the
// writer that puts them in log lines.

// logPositions holds, per goroutine, the position of the log call it is
// about to make.
type logPositions struct {
	mu  sync.Mutex
	pos map[uint64]string
}

// maxLogPositions bounds the table: positions recorded before calls of
// other types' Print methods are never taken.
const maxLogPositions = 4096

// logAt records the position of the calling goroutine's next log call.
func (e *Session) logAt(pos string) {
	g := goid()
	lp := &e.logPos
	lp.mu.Lock()
	if lp.pos == nil || len(lp.pos) >= maxLogPositions {
		lp.pos = map[uint64]string{}
	}
	lp.pos[g] = pos
	lp.mu.Unlock()
}

// takeLogPos returns and forgets the calling goroutine's recorded position.
func (e *Session) takeLogPos() (string, bool) {
	g := goid()
	lp := &e.logPos
	lp.mu.Lock()
	defer lp.mu.Unlock()
	p, ok := lp.pos[g]
	if ok {
		delete(lp.pos, g)
	}
	return p, ok
}

// posWriter is the writer of a logger the cells use: it puts the cell
// position of the log call in place of the one runtime.Caller gave.
type posWriter struct {
	e *Session
	l *log.Logger // whose flags and prefix say where the position is
	w io.Writer
}

func (w *posWriter) Write(p []byte) (int, error) {
	flags := w.l.Flags()
	if flags&(log.Lshortfile|log.Llongfile) == 0 {
		return w.w.Write(p)
	}
	off := 0
	if flags&log.Lmsgprefix == 0 {
		off += len(w.l.Prefix())
	}
	if flags&log.Ldate != 0 {
		off += len("2006/01/02 ")
	}
	if flags&(log.Ltime|log.Lmicroseconds) != 0 {
		off += len("15:04:05 ")
		if flags&log.Lmicroseconds != 0 {
			off += len(".000000")
		}
	}
	if off > len(p) {
		return w.w.Write(p)
	}
	end := bytes.Index(p[off:], []byte(": "))
	if end < 0 {
		return w.w.Write(p)
	}
	pos, ok := w.e.takeLogPos()
	if !ok {
		pos = "???:0"
	}
	var b bytes.Buffer
	b.Grow(len(p) + len(pos))
	b.Write(p[:off])
	b.WriteString(pos)
	b.Write(p[off+end:])
	if _, err := w.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// newLogger is log.New for cells.
func (e *Session) newLogger(out io.Writer, prefix string, flag int) *log.Logger {
	pw := &posWriter{e: e, w: out}
	l := log.New(pw, prefix, flag)
	pw.l = l
	return l
}

// logExports returns the log package's functions bound to the engine's
// standard logger, which writes to the cell's os.Stderr (through
// yaegiStderr, in order with stdout), and log.New; and the interface
// wrappers yaegi needs to call String methods of interpreted types for
// them.
func (e *Session) logExports() (map[string]reflect.Value, map[reflect.Value][]reflect.Type) {
	out := io.Writer(yaegiStderr{e: e})
	pw := &posWriter{e: e, w: out}
	std := log.New(pw, "", log.LstdFlags)
	pw.l = std
	syms := map[string]reflect.Value{
		"Print":     reflect.ValueOf(std.Print),
		"Printf":    reflect.ValueOf(std.Printf),
		"Println":   reflect.ValueOf(std.Println),
		"Panic":     reflect.ValueOf(std.Panic),
		"Panicf":    reflect.ValueOf(std.Panicf),
		"Panicln":   reflect.ValueOf(std.Panicln),
		"Output":    reflect.ValueOf(std.Output),
		"Flags":     reflect.ValueOf(std.Flags),
		"SetFlags":  reflect.ValueOf(std.SetFlags),
		"Prefix":    reflect.ValueOf(std.Prefix),
		"SetPrefix": reflect.ValueOf(std.SetPrefix),
		"Default":   reflect.ValueOf(func() *log.Logger { return std }),
		"New":       reflect.ValueOf(e.newLogger),
		"SetOutput": reflect.ValueOf(func(w io.Writer) {
			std.SetOutput(&posWriter{e: e, l: std, w: w})
		}),
		"Writer": reflect.ValueOf(func() io.Writer {
			if pw, ok := std.Writer().(*posWriter); ok {
				return pw.w
			}
			return std.Writer()
		}),
	}
	mt := map[reflect.Value][]reflect.Type{}
	if t, ok := stdlib.MapTypes[reflect.ValueOf(fmt.Print)]; ok {
		for _, name := range []string{"Print", "Printf", "Println", "Panic", "Panicf", "Panicln"} {
			mt[syms[name]] = t
		}
	}
	return syms, mt
}
