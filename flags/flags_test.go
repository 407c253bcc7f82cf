package flags

import (
	"bytes"
	"encoding/json"
	"image/gif"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func get(t *testing.T, url string) (int, string, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

func TestTable(t *testing.T) {
	if n := len(Codes()); n < 195 || n > 210 {
		t.Fatalf("%d codes", n)
	}
	if len(POP20) != 20 {
		t.Fatal(POP20)
	}
	for _, cc := range POP20 {
		if _, ok := Country(cc); !ok {
			t.Fatalf("POP20 code %s missing", cc)
		}
	}
	for _, c := range countryTable {
		if len(c.code) != 2 || strings.ToUpper(c.code) != c.code || c.name == "" {
			t.Fatalf("bad entry %+v", c)
		}
		if _, err := drawFlag(c.flag); err != nil {
			t.Fatalf("%s: %v", c.code, err)
		}
	}
	if name, _ := Country("br"); name != "Brazil" {
		t.Fatal(name)
	}
	if _, ok := Country("XX"); ok {
		t.Fatal("XX exists")
	}
	pairs := AllPairs()
	if len(pairs) != 676 || pairs[0] != "AA" || pairs[675] != "ZZ" {
		t.Fatal(len(pairs))
	}
}

func TestBadDescriptionsAreErrors(t *testing.T) {
	for _, d := range []string{"", "x:RW", "h:RX", "h:R disc:R@1,2", "h:R blob:R@1", "h:R disc:", "h:R disc:R@a,b,c"} {
		if _, err := drawFlag(d); err == nil {
			t.Errorf("%q: no error", d)
		}
	}
}

// The flags look like flags: check a few pixels of recognisable ones.
func TestFlagsLookRight(t *testing.T) {
	type px struct {
		x, y int
		c    byte
	}
	cases := map[string][]px{
		"JP": {{60, 40, 'R'}, {5, 5, 'W'}},
		"FR": {{10, 40, 'B'}, {60, 40, 'W'}, {110, 40, 'R'}},
		"DE": {{60, 5, 'K'}, {60, 40, 'R'}, {60, 75, 'Y'}},
		"US": {{5, 5, 'N'}, {110, 2, 'R'}, {110, 78, 'R'}},
		"BR": {{3, 3, 'G'}, {60, 30, 'N'}, {25, 40, 'Y'}},
		"CN": {{100, 60, 'R'}, {20, 22, 'Y'}},
		"IN": {{60, 5, 'O'}, {60, 75, 'G'}, {60, 40, 'N'}},
	}
	for cc, pxs := range cases {
		img, err := Image(cc)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pxs {
			got := img.At(p.x, p.y)
			want := colors[p.c]
			r, g, b, _ := got.RGBA()
			if uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(b>>8) != want.B {
				t.Errorf("%s at (%d,%d): got %v want %c", cc, p.x, p.y, got, p.c)
			}
		}
	}
}

func TestServeFlagsMetadataIndexAnd404(t *testing.T) {
	svc := Handler(LocalMode())
	ts := httptest.NewServer(svc)
	defer ts.Close()

	st, ct, body := get(t, ts.URL+"/flags/cn/cn.gif")
	if st != 200 || ct != "image/gif" {
		t.Fatal(st, ct)
	}
	img, err := gif.Decode(bytes.NewReader(body))
	if err != nil || img.Bounds().Dx() != 120 || img.Bounds().Dy() != 80 {
		t.Fatal(err)
	}
	if len(body) > 4000 {
		t.Fatalf("GIF of %d bytes is not small", len(body))
	}
	st, ct, body = get(t, ts.URL+"/flags/BR/br.png")
	if _, err := png.Decode(bytes.NewReader(body)); st != 200 || ct != "image/png" || err != nil {
		t.Fatal(st, ct, err)
	}
	st, ct, body = get(t, ts.URL+"/flags/gb/metadata.json")
	var m map[string]string
	if err := json.Unmarshal(body, &m); err != nil || st != 200 || ct != "application/json" {
		t.Fatal(st, err)
	}
	if m["iso_cc"] != "GB" || m["country"] != "United Kingdom" || m["tld_cc"] != ".uk" {
		t.Fatal(m)
	}
	for _, p := range []string{"/flags/zz/zz.gif", "/flags/xx/metadata.json", "/flags/cn/br.gif", "/flags/cn", "/nope", "/flags/cn/cn.gif/x"} {
		if st, _, body := get(t, ts.URL+p); st != 404 || !strings.Contains(string(body), "404") {
			t.Errorf("%s: %d %q", p, st, body)
		}
	}
	st, _, body = get(t, ts.URL+"/flags/index.json")
	var idx []map[string]string
	if err := json.Unmarshal(body, &idx); err != nil || st != 200 || len(idx) != len(Codes()) {
		t.Fatal(err, len(idx))
	}
	st, _, body = get(t, ts.URL+"/")
	if st != 200 || !strings.Contains(string(body), "CN China\n") {
		t.Fatal(st)
	}
	s := svc.Stats()
	if s.OK != 3 || s.NotFound != 6 || s.Errors != 0 || s.Requests != 11 {
		t.Fatalf("%+v", s)
	}
}

// Errors and delays follow the options, and the same seed repeats them
// whatever the order of concurrent requests.
func TestErrorsDelaysAndSeed(t *testing.T) {
	run := func(seed int64) (map[string]int, time.Duration, Stats) {
		srv := Start(Options{Seed: seed, ErrorRate: 0.3, ErrorStatus: 503, MinDelay: 20 * time.Millisecond, MaxDelay: 60 * time.Millisecond})
		defer srv.Close()
		var mu sync.Mutex
		out := map[string]int{}
		var wg sync.WaitGroup
		start := time.Now()
		for _, cc := range Codes()[:100] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := http.Get(srv.FlagURL(cc))
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				out[cc] = resp.StatusCode
				mu.Unlock()
			}()
		}
		wg.Wait()
		return out, time.Since(start), srv.Stats()
	}
	a, el, st := run(7)
	b, _, _ := run(7)
	c, _, _ := run(8)
	fails := 0
	for cc, s := range a {
		if s != b[cc] {
			t.Fatalf("seed 7 gave %d then %d for %s", s, b[cc], cc)
		}
		if s == 503 {
			fails++
		} else if s != 200 {
			t.Fatalf("%s: %d", cc, s)
		}
	}
	if fails < 15 || fails > 45 || st.Errors != fails || st.OK != 100-fails {
		t.Fatalf("%d failures of 100 at rate 0.3, stats %+v", fails, st)
	}
	same := true
	for cc := range a {
		if a[cc] != c[cc] {
			same = false
		}
	}
	if same {
		t.Fatal("seeds 7 and 8 gave the same outcomes")
	}
	if el < 20*time.Millisecond || el > 3*time.Second {
		t.Fatalf("100 concurrent requests with 20-60ms delay took %v", el)
	}
}

func TestDelayIsPerRequest(t *testing.T) {
	srv := Start(Options{MinDelay: 50 * time.Millisecond, MaxDelay: 50 * time.Millisecond})
	defer srv.Close()
	start := time.Now()
	for _, cc := range []string{"fr", "de", "it"} {
		if st, _, _ := get(t, srv.MetadataURL(cc)); st != 200 {
			t.Fatal(st)
		}
	}
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("3 sequential requests with 50ms delay took %v", el)
	}
	if !strings.Contains(srv.String(), "50ms..50ms") {
		t.Fatal(srv.String())
	}
	srv.ResetStats()
	if srv.Stats() != (Stats{}) {
		t.Fatal(srv.Stats())
	}
}

func TestListenErrorAndLog(t *testing.T) {
	if _, err := Listen(Options{Addr: "256.0.0.1:1"}); err == nil {
		t.Fatal("bad address accepted")
	}
	var buf bytes.Buffer
	var mu sync.Mutex
	svc := Handler(Options{Log: lockedWriter{&mu, &buf}})
	rec := httptest.NewRecorder()
	svc.ServeHTTP(rec, httptest.NewRequest("GET", "/flags/jp/jp.gif", nil))
	if rec.Code != 200 || !strings.HasPrefix(buf.String(), "GET /flags/jp/jp.gif 200") {
		t.Fatal(rec.Code, buf.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestURLOfAnyAddress(t *testing.T) {
	srv, err := Listen(Options{Addr: ":0"})
	if err != nil {
		t.Skip(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatal(srv.URL)
	}
	if st, _, _ := get(t, srv.FlagURL("fr")); st != 200 {
		t.Fatal(st)
	}
}
