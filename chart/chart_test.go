package chart

import (
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// wellFormed parses doc as XML and returns the text of its <text> elements.
func wellFormed(t *testing.T, doc string) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var texts []string
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, doc)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "text"
			if x.Name.Local == "script" || x.Name.Local == "image" || x.Name.Local == "style" {
				t.Fatalf("SVG must be self-contained, found <%s>", x.Name.Local)
			}
		case xml.CharData:
			if inText {
				texts = append(texts, string(x))
			}
		case xml.EndElement:
			inText = false
		}
	}
	return texts
}

func TestComparison(t *testing.T) {
	c := NewComparison("Download 20 flags <local>")
	c.Add("sequential", 11.2).Add("thread pool", 1.12).AddDuration("event loop", 1050*time.Millisecond)
	b := c.Render()
	svg := b["image/svg+xml"].(string)
	texts := strings.Join(wellFormed(t, svg), "|")
	for _, want := range []string{"Download 20 flags <local>", "sequential", "11.2 s", "1.12 s  (10.0× faster)", "1.05 s  (10.7× faster)", "seconds"} {
		if !strings.Contains(texts, want) {
			t.Fatalf("SVG texts %q lack %q", texts, want)
		}
	}
	// Bar widths are proportional to the values.
	re := regexp.MustCompile(`<rect x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)" height="24.0" fill="#`)
	m := re.FindAllStringSubmatch(svg, -1)
	if len(m) != 3 {
		t.Fatalf("found %d bars", len(m))
	}
	w0, _ := strconv.ParseFloat(m[0][1], 64)
	w1, _ := strconv.ParseFloat(m[1][1], 64)
	if r := w0 / w1; r < 9.9 || r > 10.1 {
		t.Fatalf("bar ratio %.2f, want 10", r)
	}
	txt := b["text/plain"].(string)
	lines := strings.Split(txt, "\n")
	if lines[0] != "Download 20 flags <local>" || !strings.HasPrefix(lines[1], "sequential   ████") ||
		!strings.HasSuffix(lines[2], "1.12 s  (10.0× faster)") {
		t.Fatalf("text:\n%s", txt)
	}
	if strings.Count(lines[1], "█") != 40 || strings.Count(lines[2], "█") != 4 {
		t.Fatalf("text bars:\n%s", txt)
	}
	// Empty and zero charts still render.
	wellFormed(t, NewComparison("").SVG())
	wellFormed(t, NewComparison("z").Add("nothing", 0).SVG())
}

func TestTimelineConcurrentRecordAndRender(t *testing.T) {
	tl := NewTimeline("4 workers")
	t0 := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				s := t0.Add(time.Duration(j*100+w*10) * time.Millisecond)
				tl.Record("worker "+strconv.Itoa(w), "CN", s, s.Add(80*time.Millisecond))
			}
		}()
	}
	wg.Wait()
	if tl.Len() != 20 || len(tl.Lanes()) != 4 {
		t.Fatal(tl.Len(), tl.Lanes())
	}
	svg := tl.SVG()
	texts := strings.Join(wellFormed(t, svg), "|")
	for _, want := range []string{"4 workers", "worker 0", "worker 3", "seconds", "CN", "0.5"} {
		if !strings.Contains(texts, want) {
			t.Fatalf("SVG texts %q lack %q", texts, want)
		}
	}
	if n := strings.Count(svg, "<title>worker"); n != 20 {
		t.Fatalf("%d bars, want 20", n)
	}
	txt := tl.String()
	lines := strings.Split(txt, "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[1], "worker ") || !strings.Contains(lines[5], "510 ms") {
		t.Fatalf("text:\n%s", txt)
	}
	tl.Reset()
	if tl.Len() != 0 || !strings.Contains(tl.String(), "no spans") {
		t.Fatal("reset")
	}
	wellFormed(t, tl.SVG())
}

func TestTimelineCapsLanes(t *testing.T) {
	tl := &Timeline{MaxLanes: 5}
	t0 := time.Now()
	for i := 0; i < 12; i++ {
		tl.Record("task "+strconv.Itoa(i), "", t0, t0.Add(time.Second))
	}
	tl.Track("main", "step", func() {})
	texts := strings.Join(wellFormed(t, tl.SVG()), "|")
	if !strings.Contains(texts, "and 8 more lanes not shown") || strings.Contains(texts, "task 5") {
		t.Fatal(texts)
	}
}

func TestNiceTicksAndSeconds(t *testing.T) {
	if got := niceTicks(11.2, 5); len(got) != 6 || got[5] != 12.5 {
		t.Fatal(got)
	}
	if got := niceTicks(0.51, 6); got[len(got)-1] < 0.51 {
		t.Fatal(got)
	}
	for v, want := range map[float64]string{11.2: "11.2 s", 0.35: "350 ms", 4.2e-5: "42 µs", 0: "0 s", 75: "75 s"} {
		if s := seconds(v); s != want {
			t.Fatalf("seconds(%v)=%q want %q", v, s, want)
		}
	}
}
