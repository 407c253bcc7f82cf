package display

import (
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"
)

// Progress is a progress bar in the manner of tqdm: a description, a bar,
// the count and total, the rate, the elapsed time and an estimate of the
// time left.
//
//	bar := display.NewProgress(20, "flags")
//	for _, cc := range codes {
//		download(cc)
//		bar.Add(1)
//	}
//	bar.Close()
//
// In a notebook the bar is one output that is updated in place (Jupyter's
// update_display_data), at most every Interval (100ms by default), so a
// fast loop does not flood the frontend; the last state is always shown, and
// nbconvert/nbclient keep it in the executed notebook. Without a kernel (a
// compiled program, a test) the bar is printed as plain text lines to Out,
// at most every TextInterval. All methods are safe for concurrent use:
// workers may call Add from many goroutines.
type Progress struct {
	// Out receives the text lines when no kernel is attached
	// (default os.Stderr, like tqdm).
	Out io.Writer
	// Interval is the least time between two updates in a notebook.
	Interval time.Duration
	// TextInterval is the least time between two text lines.
	TextInterval time.Duration

	mu      sync.Mutex
	pubMu   sync.Mutex // keeps updates in order
	desc    string
	postfix string
	count   int
	total   int
	start   time.Time
	end     time.Time // set by Close
	closed  bool
	last    time.Time // last publication
	pending *time.Timer
	handle  *Handle
	shown   bool
	now     func() time.Time // for tests
}

// NewProgress creates a bar for total steps (total <= 0: unknown) and
// shows it at 0.
func NewProgress(total int, desc string) *Progress {
	p := &Progress{
		Out:          os.Stderr,
		Interval:     100 * time.Millisecond,
		TextInterval: time.Second,
		desc:         desc,
		total:        total,
		now:          time.Now,
	}
	p.start = p.now()
	p.publish(true)
	return p
}

// Add advances the bar by n steps.
func (p *Progress) Add(n int) {
	p.mu.Lock()
	p.count += n
	p.mu.Unlock()
	p.publish(false)
}

// Set sets the count to n.
func (p *Progress) Set(n int) {
	p.mu.Lock()
	p.count = n
	p.mu.Unlock()
	p.publish(false)
}

// SetDescription changes the text before the bar.
func (p *Progress) SetDescription(desc string) {
	p.mu.Lock()
	p.desc = desc
	p.mu.Unlock()
	p.publish(false)
}

// SetPostfix sets a short text shown after the bar (tqdm's postfix), for
// example "ok=12 404=3 errors=1".
func (p *Progress) SetPostfix(s string) {
	p.mu.Lock()
	p.postfix = s
	p.mu.Unlock()
	p.publish(false)
}

// Count returns the number of steps done.
func (p *Progress) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

// Close stops the clock and shows the final state. Later calls do nothing.
func (p *Progress) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.end = p.now()
	if p.pending != nil {
		p.pending.Stop()
		p.pending = nil
	}
	p.mu.Unlock()
	p.publish(true)
}

// publish shows the current state if enough time has passed since the last
// one, if force, or when the bar has just completed; otherwise it makes
// sure a trailing update will show the latest state.
func (p *Progress) publish(force bool) {
	p.mu.Lock()
	pub := publisher()
	inKernel := pub != nil
	interval := p.Interval
	if !inKernel {
		interval = p.TextInterval
	}
	now := p.now()
	complete := p.total > 0 && p.count >= p.total
	if !force && !complete && p.shown && now.Sub(p.last) < interval {
		if p.pending == nil && !p.closed {
			wait := interval - now.Sub(p.last)
			p.pending = time.AfterFunc(wait, func() {
				p.mu.Lock()
				p.pending = nil
				p.mu.Unlock()
				p.publish(true)
			})
		}
		p.mu.Unlock()
		return
	}
	if p.closed && p.shown && !force {
		p.mu.Unlock()
		return
	}
	p.last = now
	first := !p.shown
	p.shown = true
	if p.handle == nil {
		p.handle = NewHandle()
	}
	h := p.handle
	p.pubMu.Lock() // taken before unlocking mu: publications keep their order
	st := p.stateLocked()
	p.mu.Unlock()
	defer p.pubMu.Unlock()
	if inKernel {
		b := st.bundle()
		if first {
			pub.Display(b, h.id)
		} else {
			pub.Update(b, h.id)
		}
		return
	}
	if p.Out != nil {
		fmt.Fprintln(p.Out, st.text())
	}
}

type progressState struct {
	desc, postfix string
	count, total  int
	elapsed       time.Duration
	closed        bool
}

func (p *Progress) stateLocked() progressState {
	end := p.now()
	if p.closed {
		end = p.end
	}
	return progressState{p.desc, p.postfix, p.count, p.total, end.Sub(p.start), p.closed}
}

// String returns the bar as one line of text, tqdm's format:
//
//	flags:  45%|████▌     | 9/20 [00:02<00:03, 4.10it/s]
func (p *Progress) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stateLocked().text()
}

// Render returns the bar as HTML with the text line as fallback, so a bar
// can also be shown with Show or as a cell's value.
func (p *Progress) Render() Bundle {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stateLocked().bundle()
}

func (s progressState) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.count) / s.elapsed.Seconds()
}

func (s progressState) numbers() string {
	r := s.rate()
	rate := "?it/s"
	if r > 0 {
		if r >= 1 || r == 0 {
			rate = fmt.Sprintf("%.2fit/s", r)
		} else {
			rate = fmt.Sprintf("%.2fs/it", 1/r)
		}
	}
	var b strings.Builder
	if s.total > 0 {
		eta := "?"
		if r > 0 {
			left := float64(s.total-s.count) / r
			if left < 0 {
				left = 0
			}
			eta = clock(time.Duration(left * float64(time.Second)))
		}
		fmt.Fprintf(&b, "%d/%d [%s<%s, %s", s.count, s.total, clock(s.elapsed), eta, rate)
	} else {
		fmt.Fprintf(&b, "%d [%s, %s", s.count, clock(s.elapsed), rate)
	}
	if s.postfix != "" {
		b.WriteString(", " + s.postfix)
	}
	b.WriteString("]")
	return b.String()
}

func (s progressState) fraction() float64 {
	if s.total <= 0 {
		return 0
	}
	return math.Min(1, math.Max(0, float64(s.count)/float64(s.total)))
}

func (s progressState) prefix() string {
	if s.desc == "" {
		return ""
	}
	return s.desc + ": "
}

func (s progressState) text() string {
	if s.total <= 0 {
		return s.prefix() + s.numbers()
	}
	const width = 10
	f := s.fraction()
	eighths := int(f * width * 8)
	bar := strings.Repeat("█", eighths/8)
	if rem := eighths % 8; rem > 0 {
		bar += string([]rune(" ▏▎▍▌▋▊▉")[rem])
	}
	bar += strings.Repeat(" ", width-len([]rune(bar)))
	return fmt.Sprintf("%s%3.0f%%|%s| %s", s.prefix(), f*100, bar, s.numbers())
}

func (s progressState) bundle() Bundle {
	color := "#2a7ab0"
	if s.closed && s.total > 0 && s.count >= s.total {
		color = "#3a9a4a"
	}
	var bar string
	if s.total > 0 {
		bar = fmt.Sprintf(`<div style="flex:0 0 16em;height:1em;background:#e6e6e6;border-radius:3px;overflow:hidden">`+
			`<div style="width:%.1f%%;height:100%%;background:%s"></div></div>`+
			`<span>%3.0f%%</span>`, s.fraction()*100, color, s.fraction()*100)
	}
	h := fmt.Sprintf(`<div style="display:flex;align-items:center;gap:0.6em;font-family:monospace">`+
		`<span>%s</span>%s<span>%s</span></div>`,
		html.EscapeString(s.desc), bar, html.EscapeString(s.numbers()))
	return Bundle{"text/html": h, "text/plain": s.text()}
}

// clock formats d as mm:ss, or h:mm:ss from one hour on.
func clock(d time.Duration) string {
	sec := int(d.Round(time.Second) / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%02d:%02d", sec/60, sec%60)
}
