// -*- coding: utf-8 -*-
// ---
// jupyter:
//   jupytext:
//     comment_magics: false
//     formats: ipynb,_src//go:percent
//     notebook_metadata_filter: rise
//     text_representation:
//       extension: .go
//       format_name: percent
//       format_version: '1.3'
//       jupytext_version: 1.19.6
//   kernelspec:
//     display_name: Go (golit)
//     language: go
//     name: golit
//   rise:
//     scroll: true
//     theme: simple
// ---

// %% [markdown] slideshow={"slide_type": "slide"}
// # 8. Async networking: a Unicode character finder
//
// **What you will learn**
//
// - to write a small **TCP server** that finds Unicode characters by name, the way asyncio's
//   `start_server` examples do — first Go's way (a goroutine per connection), then as event-loop
//   tasks;
// - why Go needs no `async`/`await` for network servers: the runtime's *netpoller* turns every
//   blocking read in a goroutine into an asynchronous wait;
// - an **HTTP** version with `net/http`, and a client that sends 100 queries at once.

// %% [markdown] slideshow={"slide_type": "notes"}
// The names come from golang.org/x/text/unicode/runenames, written to data/unicode-names.txt by
// notebooks/tools/gennames (go run), so nothing is downloaded at workshop time.

// %% slideshow={"slide_type": "skip"}
import (
	"golit/chart"
	"golit/eventloop"
	"golit/steps"
	"golit/timing"
)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The names
//
// `data/unicode-names.txt` holds about 5,700 named characters (Latin, Greek, symbols, arrows,
// math, dingbats, emoji), generated from `golang.org/x/text/unicode/runenames`. An index maps each
// word of a name to the characters whose names contain it.

// %% slideshow={"slide_type": "-"}
// Char is a character and its Unicode name.
type Char struct {
	R    rune
	Name string
}

// Index finds characters by the words of their names.
type Index struct {
	chars []Char
	words map[string][]int // word -> positions in chars, ascending
}

// loadIndex reads "XXXX<TAB>NAME" lines from the first file of paths that exists.
func loadIndex(paths ...string) (*Index, error) {
	var data []byte
	var err error
	for _, p := range paths {
		if data, err = os.ReadFile(p); err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	ix := &Index{words: map[string][]int{}}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		hex, name, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		cp, err := strconv.ParseUint(hex, 16, 32)
		if err != nil {
			return nil, err
		}
		ix.chars = append(ix.chars, Char{rune(cp), name})
		for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' }) {
			ix.words[w] = append(ix.words[w], len(ix.chars)-1)
		}
	}
	return ix, nil
}

sw := timing.Start()
index, err := loadIndex("data/unicode-names.txt", "notebooks/data/unicode-names.txt")
fmt.Println(len(index.chars), "characters,", len(index.words), "words, loaded in", sw, err)
steps.Done("08 index")

// %% slideshow={"slide_type": "subslide"}
// Find returns the characters whose names contain every word of query (any case).
func (ix *Index) Find(query string) []Char {
	var hits []int
	for i, w := range strings.Fields(strings.ToUpper(query)) {
		found := ix.words[w]
		if i == 0 {
			hits = append([]int(nil), found...)
			continue
		}
		keep := hits[:0]
		for _, h := range hits {
			for _, f := range found {
				if f == h {
					keep = append(keep, h)
					break
				}
			}
		}
		hits = keep
	}
	out := make([]Char, len(hits))
	for i, h := range hits {
		out[i] = ix.chars[h]
	}
	return out
}

for _, c := range index.Find("cat face") {
	fmt.Printf("U+%04X\t%c\t%s\n", c.R, c.R, c.Name)
}

// %% [markdown] slideshow={"slide_type": "slide"}
// ## A TCP server, a goroutine per connection
//
// The book's server listens on port 2323; we take any free port, so several notebooks can run at
// once. The protocol: the server prompts `?> `, the client sends a query line, the server answers
// one line per character and a line `(N found)`. An empty line ends the session.

// %% slideshow={"slide_type": "skip"}
steps.Need("08 index", "the cells under “The names”")

// %% slideshow={"slide_type": "-"}
// serveConn talks to one client until it sends an empty line or goes away.
func serveConn(ix *Index, conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		fmt.Fprint(conn, "?> ")
		line, err := r.ReadString('\n')
		query := strings.TrimSpace(line)
		if err != nil || query == "" {
			return
		}
		hits := ix.Find(query)
		var b strings.Builder
		for _, c := range hits {
			fmt.Fprintf(&b, "U+%04X\t%c\t%s\n", c.R, c.R, c.Name)
		}
		fmt.Fprintf(&b, "(%d found)\n", len(hits))
		conn.Write([]byte(b.String()))
	}
}

// serveTCP accepts connections until ln is closed, one goroutine each.
func serveTCP(ix *Index, ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return // the listener was closed
		}
		go serveConn(ix, conn)
	}
}

var ln net.Listener // the server's listener: the next cell, run again, closes the old one

// %% slideshow={"slide_type": "fragment"}
if ln != nil {
	ln.Close() // this cell ran before: stop that server first
}
ln, _ = net.Listen("tcp", "127.0.0.1:0")
go serveTCP(index, ln)
fmt.Println("charfinder listening on", ln.Addr())
steps.Done("08 tcp")

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### A client

// %% slideshow={"slide_type": "-"}
// ask sends queries on one connection and returns how many characters each found.
func ask(addr string, queries ...string) ([]int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second)) // fail, don't hang, if a server is stuck
	r := bufio.NewReader(conn)
	counts := []int{}
	prompt := make([]byte, 3)
	for _, q := range queries {
		if _, err := io.ReadFull(r, prompt); err != nil {
			return counts, err
		}
		fmt.Fprintln(conn, q)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return counts, err
			}
			if strings.HasPrefix(line, "(") {
				n := 0
				fmt.Sscanf(line, "(%d found)", &n)
				counts = append(counts, n)
				break
			}
			if len(queries) == 1 {
				fmt.Print(line)
			}
		}
	}
	fmt.Fprintln(conn) // empty line: goodbye
	return counts, nil
}

sw := timing.Start()
tcpCounts, err := ask(ln.Addr().String(), "chess black")
fmt.Println(tcpCounts, err, "in", sw)
steps.Done("08 ask")

// %% [markdown] slideshow={"slide_type": "subslide"}
// Each connection has its own goroutine, blocked in `ReadString` most of the time. A blocked
// goroutine costs a few kilobytes and no thread: the runtime parks it and wakes it when the socket
// is readable. That is what asyncio does by hand with `await reader.readline()`.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The same server as event-loop tasks
//
// For comparison with asyncio: one task accepts, one task per connection serves it. Blocking calls
// (`Accept`, `ReadString`, `Write`) go through `l.ToThread`, the loop's way to wait for something
// that is not an await point. The index lookup runs on the loop.

// %% slideshow={"slide_type": "skip"}
steps.Need("08 ask", "the cells under “A TCP server, a goroutine per connection”")

// %% slideshow={"slide_type": "-"}
// loopConn returns the task that serves one connection on the loop.
func loopConn(l *eventloop.Loop, ix *Index, conn net.Conn) func() (any, error) {
	return func() (any, error) {
		defer conn.Close()
		r := bufio.NewReader(conn)
		for {
			if _, err := l.ToThread(func() (any, error) { return conn.Write([]byte("?> ")) }); err != nil {
				return nil, err
			}
			line, err := l.ToThread(func() (any, error) { return r.ReadString('\n') })
			query := strings.TrimSpace(fmt.Sprint(line))
			if err != nil || query == "" {
				return nil, nil
			}
			hits := ix.Find(query) // on the loop: no other task runs meanwhile
			var b strings.Builder
			for _, ch := range hits {
				fmt.Fprintf(&b, "U+%04X\t%c\t%s\n", ch.R, ch.R, ch.Name)
			}
			fmt.Fprintf(&b, "(%d found)\n", len(hits))
			answer := []byte(b.String())
			if _, err := l.ToThread(func() (any, error) { return conn.Write(answer) }); err != nil {
				return nil, err
			}
		}
	}
}

// serveLoop runs the charfinder on an event loop until ln is closed.
func serveLoop(ix *Index, ln net.Listener) (any, error) {
	return eventloop.New(eventloop.Options{NoDeadlockCheck: true}).Run(func(l *eventloop.Loop) (any, error) {
		served := 0
		for {
			c, err := l.ToThread(func() (any, error) { return ln.Accept() })
			if err != nil {
				return served, nil // listener closed
			}
			served++
			l.CreateTask(loopConn(l, ix, c.(net.Conn)))
		}
	})
}

var loopLn net.Listener // the loop server's listener: the next cell, run again, closes the old one

// %% slideshow={"slide_type": "fragment"}
if loopLn != nil {
	loopLn.Close() // this cell ran before: stop that server first
}
loopLn, _ = net.Listen("tcp", "127.0.0.1:0")
go serveLoop(index, loopLn)

sw := timing.Start()
loopCounts, err := ask(loopLn.Addr().String(), "chess black", "arrow double", "smiling face")
fmt.Println("loop server answered", loopCounts, err, "in", sw)
steps.Done("08 loop")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Many clients at once
//
// 20 clients, each with 5 queries, against both servers.

// %% slideshow={"slide_type": "skip"}
steps.Need("08 loop", "the cells under “A TCP server…” and “The same server as event-loop tasks”")

// %% slideshow={"slide_type": "-"}
queries := []string{"cat", "arrow", "heart", "moon", "star"}

// crowd runs n clients at once against addr and returns the total number of answers.
func crowd(addr string, n int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts, err := ask(addr, queries...)
			if err != nil {
				fmt.Println("client:", err)
			}
			mu.Lock()
			total += len(counts)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}

goCrowd := timing.Time(func() { fmt.Println("goroutine server:", crowd(ln.Addr().String(), 20), "answers") })
fmt.Println(goCrowd)
loopCrowd := timing.Time(func() { fmt.Println("loop server:", crowd(loopLn.Addr().String(), 20), "answers") })
fmt.Println(loopCrowd)
steps.Done("08 crowd")

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### Hundreds of connections, almost no work
//
// 200 users connect to the goroutine server and each thinks for a second before typing a query.
// Meanwhile the server has 200 goroutines, each blocked reading its socket. Go's execution tracer
// (`golit/sched`, from notebook 02) shows what that costs: `All` counts the server's goroutines
// too, although this cell did not start them.

// %% slideshow={"slide_type": "-"}
import "golit/sched"

// thinker connects, reads the prompt, thinks for a second, asks once and leaves.
func thinker(addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Println("client:", err)
		return
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	r := bufio.NewReader(conn)
	prompt := make([]byte, 3)
	if _, err := io.ReadFull(r, prompt); err != nil {
		return
	}
	time.Sleep(time.Second) // the user thinks
	fmt.Fprintln(conn, "cat")
	for {
		line, err := r.ReadString('\n')
		if err != nil || strings.HasPrefix(line, "(") {
			break
		}
	}
	fmt.Fprintln(conn) // goodbye
}

crowdTrace, err := sched.RecordOptions(sched.Options{Title: "200 users thinking on open connections", All: true}, func() {
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sched.Name(fmt.Sprintf("client #%d", i))
			thinker(ln.Addr().String())
		}()
	}
	wg.Wait()
})
if err != nil {
	panic(err)
}
crowdTrace

// %% [markdown] slideshow={"slide_type": "subslide"}
// The strip on top counts goroutines: for a second, the clients sleep (light blue) and the
// server's goroutines (the unnamed ones) wait on the **network poller** (teal): the runtime
// parked them and watches their sockets with one epoll call. The P lanes, where code actually
// runs, are busy only while the clients connect and when they ask; in between they idle. This is Go's answer to asyncio's non-blocking I/O: you write blocking
// code, one goroutine per connection, and the runtime turns it into an event loop underneath.

// %% slideshow={"slide_type": "-"}
onPoller, running := 0, time.Duration(0)
for _, g := range crowdTrace.Goroutines() {
	if g.Blocked[sched.BlockedNet] > 500*time.Millisecond {
		onPoller++
	}
	running += g.Running
}
var pTime time.Duration
for _, p := range crowdTrace.Procs() {
	pTime += p.Work + p.GC + p.Other + p.Idle
}
fmt.Printf("%d goroutines waited over half a second on the network poller; all %d goroutines together ran %s, %.1f%% of the P time\n",
	onPoller, len(crowdTrace.Goroutines()), timing.Format(running), 100*running.Seconds()/pTime.Seconds())

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: most server goroutines parked on the poller, and the Ps idle most of the time.
var pIdle time.Duration
for _, p := range crowdTrace.Procs() {
	pIdle += p.Idle
}
if onPoller < 150 || pIdle < pTime/3 {
	panic(fmt.Sprintf("expected ~200 goroutines on the network poller and idle Ps: %d, idle %v of %v", onPoller, pIdle, pTime))
}

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The HTTP version
//
// `net/http` serves every request on its own goroutine. `/search?q=...` answers JSON after
// `backendDelay`, standing in for the database or the other service a real server would ask:
// the kind of wait that concurrency hides.

// %% slideshow={"slide_type": "skip"}
steps.Need("08 index", "the cells under “The names”")

// %% slideshow={"slide_type": "-"}
const backendDelay = 30 * time.Millisecond

// searchHandler answers /search?q=words with the matching characters as JSON, after backendDelay.
func searchHandler(ix *Index) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(backendDelay)
		type hit struct {
			Char string `json:"char"`
			Code string `json:"code"`
			Name string `json:"name"`
		}
		hits := []hit{}
		for _, c := range ix.Find(r.URL.Query().Get("q")) {
			hits = append(hits, hit{string(c.R), fmt.Sprintf("U+%04X", c.R), c.Name})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(hits)
	}
}

var httpSrv *http.Server // the next cell, run again, closes the old server

// %% slideshow={"slide_type": "fragment"}
if httpSrv != nil {
	httpSrv.Close() // this cell ran before: stop that server first
}
mux := http.NewServeMux()
mux.HandleFunc("/search", searchHandler(index))
httpLn, _ := net.Listen("tcp", "127.0.0.1:0")
httpSrv = &http.Server{Handler: mux}
go httpSrv.Serve(httpLn)
base := "http://" + httpLn.Addr().String()

resp, err := http.Get(base + "/search?q=" + url.QueryEscape("snowman"))
body, _ := io.ReadAll(resp.Body)
resp.Body.Close()
fmt.Println(string(body))
steps.Done("08 http")

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### 100 queries: one after another, then all at once
//
// The client does nothing but ask: the time is the server's `backendDelay`, once per query one
// after another, overlapped when the queries are in flight together.

// %% slideshow={"slide_type": "skip"}
steps.Need("08 http", "the cells under “The HTTP version”")

// %% slideshow={"slide_type": "-"}
// query asks the HTTP server once and returns the number of hits (-1 if it failed).
func query(q string) int {
	resp, err := http.Get(base + "/search?q=" + url.QueryEscape(q))
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var hits []map[string]string
	json.NewDecoder(resp.Body).Decode(&hits)
	return len(hits)
}

words := []string{"cat", "dog", "arrow", "heart", "moon", "star", "hand", "face", "box", "circle"}

// queryAll asks n queries, all at once, and returns the hits of each and the time taken. The
// goroutines write into a slice of its own, which the caller gets only when all are done.
func queryAll(n int) ([]int, time.Duration) {
	start := time.Now()
	hits := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) { defer wg.Done(); hits[i] = query(words[i%len(words)]) }(i)
	}
	wg.Wait()
	return hits, time.Since(start)
}

seqHTTP := timing.Time(func() {
	for i := 0; i < 100; i++ {
		query(words[i%len(words)])
	}
})
fmt.Println("sequential:", timing.Format(seqHTTP.Wall))

httpHits, concWall := queryAll(100)
failed := 0
for _, h := range httpHits {
	if h < 0 {
		failed++
	}
}
fmt.Println("concurrent:", timing.Format(concWall), "| hits for 'cat':", httpHits[0], "| failed:", failed)
fmt.Printf("%.0fx faster: 100 waits of %v overlapped on the server, where one after another they add up to %s.\n",
	seqHTTP.Wall.Seconds()/concWall.Seconds(), backendDelay, timing.Format(100*backendDelay))
steps.Done("08 queries")

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: the time is the server's latency, and concurrency overlaps it.
if failed > 0 || httpHits[0] <= 0 {
	panic(fmt.Sprintf("every query should get an answer: %d failed, %d hits for cat", failed, httpHits[0]))
}
if seqHTTP.Wall < 100*backendDelay || seqHTTP.Wall < 5*concWall {
	panic(fmt.Sprintf("one after another should take at least 100 × %v, and 5x the concurrent time: %v against %v", backendDelay, seqHTTP.Wall, concWall))
}

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Comparison

// %% slideshow={"slide_type": "skip"}
steps.Need("08 crowd", "the cell under “Many clients at once”")
steps.Need("08 queries", "the cells under “The HTTP version”")

// %% slideshow={"slide_type": "-"}
chart.NewComparison(fmt.Sprintf("100 HTTP queries (%v server latency each)", backendDelay)).
	AddDuration("one after another", seqHTTP.Wall).
	AddDuration("100 goroutines", concWall)

// %% slideshow={"slide_type": "fragment"}
chart.NewComparison("20 TCP clients × 5 queries").
	AddDuration("goroutine per connection", goCrowd.Wall).
	AddDuration("event-loop tasks", loopCrowd.Wall)

// %% slideshow={"slide_type": "skip"}
fmt.Printf("RESULT names=%d chess_black=%d loop_answers=%d\n", len(index.chars), tcpCounts[0], len(loopCounts))
fmt.Printf("RESULT http_seq_s=%.3f http_conc_s=%.3f cat_hits=%d\n", seqHTTP.Wall.Seconds(), concWall.Seconds(), httpHits[0])

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Exercises
//
// 1. Add a `/char/XXXX` route to the HTTP server that answers the name of one code point.
// 2. Make the TCP server answer at most 10 lines per query, then `(N found, 10 shown)`.

// %% [markdown] slideshow={"slide_type": "subslide"} tags=["solution"]
// ### Solutions

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("08 http", "the cells under “The HTTP version”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 1: one more route on the same mux.
mux.HandleFunc("/char/", func(w http.ResponseWriter, r *http.Request) {
	cp, err := strconv.ParseUint(strings.TrimPrefix(r.URL.Path, "/char/"), 16, 32)
	if err != nil {
		http.Error(w, "bad code point", http.StatusBadRequest)
		return
	}
	for _, c := range index.chars {
		if c.R == rune(cp) {
			fmt.Fprintf(w, "%c %s\n", c.R, c.Name)
			return
		}
	}
	http.NotFound(w, r)
})
resp, err := http.Get(base + "/char/2603")
if err != nil {
	panic(err)
}
body, _ := io.ReadAll(resp.Body)
resp.Body.Close()
fmt.Print(string(body))

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("08 index", "the cells under “The names”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "subslide"} tags=["solution"]
// Exercise 2: a capped answer, tried without a server.
func capped(hits []Char, max int) string {
	var b strings.Builder
	for i, c := range hits {
		if i == max {
			break
		}
		fmt.Fprintf(&b, "U+%04X\t%c\t%s\n", c.R, c.R, c.Name)
	}
	if len(hits) > max {
		fmt.Fprintf(&b, "(%d found, %d shown)\n", len(hits), max)
	} else {
		fmt.Fprintf(&b, "(%d found)\n", len(hits))
	}
	return b.String()
}
fmt.Print(capped(index.Find("arrow"), 10))

