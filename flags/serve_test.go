package flags

import (
	"net/http"
	"testing"
	"time"
)

// The book's slow server waits before it finds out a file is missing; with
// SlowNotFound the flags service does too, and without it a 404 is at once.
func TestSlowNotFound(t *testing.T) {
	const delay = 150 * time.Millisecond
	for _, slow := range []bool{false, true} {
		srv := Start(Options{MinDelay: delay, MaxDelay: delay, SlowNotFound: slow})
		for _, path := range []string{"/flags/zz/zz.gif", "/flags/br/metadata.xml"} {
			t0 := time.Now()
			st, _, _ := get(t, srv.URL+path)
			took := time.Since(t0)
			if st != http.StatusNotFound {
				t.Errorf("slow=%v %s: status %d", slow, path, st)
			}
			if slow && took < delay {
				t.Errorf("slow=%v %s: 404 after %v, want the %v delay first", slow, path, took, delay)
			}
			if !slow && took >= delay {
				t.Errorf("slow=%v %s: 404 after %v, want it at once", slow, path, took)
			}
		}
		srv.Close()
	}
	if !DelayMode().SlowNotFound || !ErrorMode().SlowNotFound {
		t.Error("DelayMode and ErrorMode should delay 404s as the book's server does")
	}
}

// Unknown codes fail like known ones when SlowNotFound is set: the book's
// -e run counts errors among the codes that are not countries too.
func TestSlowNotFoundErrors(t *testing.T) {
	srv := Start(Options{ErrorRate: 0.5, Seed: 7, SlowNotFound: true})
	defer srv.Close()
	codes := AllPairs()[:200]
	for _, cc := range codes {
		get(t, srv.FlagURL(cc))
	}
	st := srv.Stats()
	if st.Errors < 60 || st.Errors > 140 || st.OK+st.NotFound+st.Errors != len(codes) {
		t.Errorf("200 requests at a 50%% error rate: %+v", st)
	}
}

// Serve hands out one server per process: running a notebook cell again
// reconfigures it instead of starting another, and a closed one is replaced.
func TestServeReusesAndReconfigures(t *testing.T) {
	first := Serve(Options{Seed: 1})
	defer func() { Serve(Options{}).Close() }()
	if st, _, _ := get(t, first.FlagURL("br")); st != http.StatusOK {
		t.Fatalf("first server: %d", st)
	}
	again := Serve(Options{Seed: 2, ErrorRate: 1})
	if again != first || again.URL != first.URL {
		t.Fatalf("Serve started a second server: %s then %s", first.URL, again.URL)
	}
	if again.Seed() != 2 || again.Stats().Requests != 0 {
		t.Errorf("options not in force or counts kept: seed %d, %+v", again.Seed(), again.Stats())
	}
	if st, _, _ := get(t, first.FlagURL("br")); st != http.StatusTeapot {
		t.Errorf("the old value should reach the reconfigured server (error rate 1): %d", st)
	}
	first.Close()
	fresh := Serve(Options{})
	if fresh == first {
		t.Fatal("Serve returned a closed server")
	}
	if st, _, _ := get(t, fresh.FlagURL("br")); st != http.StatusOK {
		t.Errorf("server after a closed one: %d", st)
	}
}
