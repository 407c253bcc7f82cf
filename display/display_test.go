package display

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"
)

type call struct {
	kind string
	id   string
	b    Bundle
}

type recPub struct {
	mu    sync.Mutex
	calls []call
}

func (r *recPub) Display(b Bundle, id string) { r.add(call{"display", id, b}) }
func (r *recPub) Update(b Bundle, id string)  { r.add(call{"update", id, b}) }
func (r *recPub) Clear(wait bool)             { r.add(call{kind: "clear"}) }
func (r *recPub) add(c call) {
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
}
func (r *recPub) snapshot() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

func withPublisher(t *testing.T) *recPub {
	r := &recPub{}
	SetPublisher(r)
	t.Cleanup(func() { SetPublisher(nil) })
	return r
}

func TestMIMERenderers(t *testing.T) {
	if b := HTML("<b>hi &amp; bye</b>").Render(); b["text/html"] != "<b>hi &amp; bye</b>" || b["text/plain"] != "hi & bye" {
		t.Fatal(b)
	}
	if b := Markdown("# T").Render(); b["text/markdown"] != "# T" {
		t.Fatal(b)
	}
	if b := SVG("<svg/>").Render(); b["image/svg+xml"] != "<svg/>" {
		t.Fatal(b)
	}
	if b := LaTeX("$x$").Render(); b["text/latex"] != "$x$" {
		t.Fatal(b)
	}
	b := JSON(map[string]any{"iso_cc": "CN", "n": 1}).Render()
	if m, ok := b["application/json"].(map[string]any); !ok || m["iso_cc"] != "CN" {
		t.Fatal(b)
	}
	if b := JSON(func() {}).Render(); !strings.Contains(b["text/plain"].(string), "unsupported") {
		t.Fatal(b)
	}
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	b = Image(img).Render()
	data, err := base64.StdEncoding.DecodeString(b["image/png"].(string))
	if err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(bytes.NewReader(data))
	if err != nil || back.Bounds().Dx() != 3 || b["text/plain"] != "<image 3x2>" {
		t.Fatal(err, b["text/plain"])
	}
	if r, _, _, _ := back.At(1, 1).RGBA(); r>>8 != 255 {
		t.Fatal("pixel lost")
	}
	if b := JPEG([]byte{1, 2}).Render(); b["image/jpeg"] != "AQI=" {
		t.Fatal(b)
	}
	if b := GIF([]byte("GIF89a")).Render(); !strings.Contains(b["text/html"].(string), "data:image/gif;base64,") {
		t.Fatal(b)
	}
}

func TestTable(t *testing.T) {
	tb := Table([]string{"mode", "seconds"}, [][]any{{"sequential", 11.2345}, {"pool <8>", 1}})
	b := tb.Render()
	h := b["text/html"].(string)
	if !strings.Contains(h, "<th>mode</th>") || !strings.Contains(h, "<td>pool &lt;8&gt;</td>") || !strings.Contains(h, "<td>11.23</td>") {
		t.Fatal(h)
	}
	want := "mode        seconds\n----------  -------\nsequential  11.23\npool <8>    1"
	if b["text/plain"] != want {
		t.Fatalf("%q", b["text/plain"])
	}
}

func TestShowAndHandle(t *testing.T) {
	r := withPublisher(t)
	Show(HTML("<i>x</i>"), 42, "text")
	h := Display(Markdown("one"))
	h.Update(Markdown("two"))
	c := r.snapshot()
	if len(c) != 5 || c[1].b["text/plain"] != "42" || c[2].b["text/plain"] != "text" {
		t.Fatalf("%+v", c)
	}
	if c[3].kind != "display" || c[4].kind != "update" || c[3].id != h.ID() || c[4].id != h.ID() || c[4].b["text/markdown"] != "two" {
		t.Fatalf("%+v", c[3:])
	}
	if c[0].id == c[3].id {
		t.Fatal("ids must differ")
	}
}

func TestProgressInKernelUpdatesInPlaceAndThrottles(t *testing.T) {
	r := withPublisher(t)
	bar := NewProgress(1000, "flags")
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 250; i++ {
				bar.Add(1)
				time.Sleep(200 * time.Microsecond)
			}
		}()
	}
	wg.Wait()
	bar.Close()
	c := r.snapshot()
	if c[0].kind != "display" {
		t.Fatal(c[0])
	}
	for _, x := range c[1:] {
		if x.kind != "update" || x.id != c[0].id {
			t.Fatalf("not an in-place update: %+v", x)
		}
	}
	if len(c) > 60 {
		t.Fatalf("%d publications for 1000 steps: not throttled", len(c))
	}
	last := c[len(c)-1].b["text/plain"].(string)
	if !strings.HasPrefix(last, "flags: 100%|██████████| 1000/1000 [") {
		t.Fatalf("final state %q", last)
	}
	if !strings.Contains(c[len(c)-1].b["text/html"].(string), "1000/1000") {
		t.Fatal("html lacks the count")
	}
}

func TestProgressTrailingUpdateWithoutClose(t *testing.T) {
	r := withPublisher(t)
	bar := NewProgress(10, "x")
	bar.Interval = 30 * time.Millisecond
	bar.Add(1)
	bar.Add(1) // throttled
	time.Sleep(120 * time.Millisecond)
	c := r.snapshot()
	if got := c[len(c)-1].b["text/plain"].(string); !strings.Contains(got, " 2/10 ") {
		t.Fatalf("latest state not shown: %q", got)
	}
}

func TestProgressTextFallback(t *testing.T) {
	SetPublisher(nil)
	var buf bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	bar := &Progress{Out: &buf, TextInterval: time.Second, desc: "flags", total: 20,
		now: func() time.Time { return clock }}
	bar.start = clock
	bar.publish(true)
	for i := 0; i < 9; i++ {
		clock = clock.Add(250 * time.Millisecond)
		bar.Add(1)
	}
	bar.SetPostfix("ok=9")
	clock = clock.Add(time.Second)
	bar.Add(1)
	bar.Close()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) < 3 || len(lines) > 6 {
		t.Fatalf("%d lines:\n%s", len(lines), buf.String())
	}
	if lines[0] != "flags:   0%|          | 0/20 [00:00<?, ?it/s]" {
		t.Fatalf("%q", lines[0])
	}
	want := "flags:  50%|█████     | 10/20 [00:03<00:03, 3.08it/s, ok=9]"
	if lines[len(lines)-1] != want {
		t.Fatalf("last line %q, want %q", lines[len(lines)-1], want)
	}
	unknown := progressState{desc: "d", count: 5, elapsed: 2 * time.Second}
	if s := unknown.text(); s != "d: 5 [00:02, 2.50it/s]" {
		t.Fatalf("%q", s)
	}
	slow := progressState{count: 1, total: 4, elapsed: 4 * time.Second}
	if s := slow.text(); s != " 25%|██▌       | 1/4 [00:04<00:12, 4.00s/it]" {
		t.Fatalf("%q", s)
	}
}
