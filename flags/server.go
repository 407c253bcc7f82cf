package flags

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"image"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure the flags service. The zero value serves at once,
// with no delay and no errors, on a free localhost port.
type Options struct {
	// Addr is the address to listen on (default "127.0.0.1:0": a free port).
	Addr string

	// MinDelay and MaxDelay set the latency: each flag and metadata
	// request waits a time drawn uniformly between them. The spread
	// between the two is the jitter; MinDelay == MaxDelay gives a fixed
	// delay. The book's DELAY server uses 0.5 s to 5 s; DelayMode scales
	// that down to 0.1 s to 1 s for a workshop.
	MinDelay, MaxDelay time.Duration

	// ErrorRate is the fraction (0 to 1) of flag and metadata requests
	// answered with a server error, after the delay.
	ErrorRate float64

	// ErrorStatus is the status of those errors: 418 (I'm a teapot, the
	// book's choice) by default; 500 or 503 are realistic alternatives.
	ErrorStatus int

	// Seed makes delays and errors repeatable: with the same seed, the
	// n-th request for a given path always gets the same delay and the
	// same outcome, whatever the order in which concurrent requests
	// arrive. Zero picks a seed from the clock (see Service.Seed).
	Seed int64

	// SlowNotFound makes requests for flag paths of unknown codes
	// (/flags/zz/zz.gif) wait and fail like the others before their 404,
	// as the book's slow server does: it sleeps and draws its error before
	// it looks for the file. Without it a 404 is immediate, so a run over
	// AllPairs is over before a progress bar can move. DelayMode and
	// ErrorMode set it.
	SlowNotFound bool

	// Log, when set, receives one line per request.
	Log io.Writer
}

// LocalMode returns the options of the book's LOCAL server: no delay, no
// errors.
func LocalMode() Options { return Options{} }

// DelayMode returns the options of the book's DELAY server scaled for a
// workshop: 0.1 s to 1 s per request, so 20 flags take about 11 s one
// after another and about 1 s concurrently.
func DelayMode() Options {
	return Options{MinDelay: 100 * time.Millisecond, MaxDelay: time.Second, SlowNotFound: true}
}

// ErrorMode returns the options of the book's ERROR server, scaled like
// DelayMode: the same delays, and 25% of requests fail with 418.
func ErrorMode() Options {
	o := DelayMode()
	o.ErrorRate = 0.25
	o.ErrorStatus = http.StatusTeapot
	return o
}

// Stats counts the requests a Service has answered.
type Stats struct {
	Requests int // every request, index included
	OK       int // flags and metadata served
	NotFound int // 404 answers
	Errors   int // injected server errors
}

// Service is the flags HTTP handler. Use it with net/http or httptest;
// Start wraps it in a running server.
//
// Routes (codes are ISO 3166-1 alpha-2, lower case in paths as in the
// book; upper case is accepted too):
//
//	/flags/cn/cn.gif         the flag of China as a GIF (cn.png: as a PNG)
//	/flags/cn/metadata.json  {"iso_cc":"CN","country":"China","tld_cc":".cn"}
//	/flags/index.json        every code with its country name
//	/ and /flags/            the same list as text, one "CN China" a line
//
// Unknown codes get 404. Flag and metadata requests are delayed and fail
// as Options say; the index never is.
type Service struct {
	mu   sync.RWMutex // guards opts and seed, which Serve may change
	opts Options
	seed int64

	counts sync.Map // path -> *atomic.Int64: requests seen per path
	images sync.Map // "cn.gif" -> []byte

	requests, ok, notFound, errs atomic.Int64
}

// Handler returns a Service configured by opts.
func Handler(opts Options) *Service {
	s := &Service{}
	s.configure(opts)
	return s
}

// configure puts opts in force, with their defaults filled in.
func (s *Service) configure(opts Options) {
	if opts.ErrorStatus == 0 {
		opts.ErrorStatus = http.StatusTeapot
	}
	if opts.MaxDelay < opts.MinDelay {
		opts.MaxDelay = opts.MinDelay
	}
	seed := opts.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	s.mu.Lock()
	s.opts, s.seed = opts, seed
	s.mu.Unlock()
}

// config returns the options in force and the seed.
func (s *Service) config() (Options, int64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.opts, s.seed
}

// Seed returns the seed in use (chosen from the clock when Options.Seed
// was zero), so that a run can be repeated.
func (s *Service) Seed() int64 {
	_, seed := s.config()
	return seed
}

// Stats returns the counts so far.
func (s *Service) Stats() Stats {
	return Stats{Requests: int(s.requests.Load()), OK: int(s.ok.Load()),
		NotFound: int(s.notFound.Load()), Errors: int(s.errs.Load())}
}

// ResetStats sets the counts to zero. The per-path request numbers that
// drive the seeded randomness are reset too, so a run can be repeated.
func (s *Service) ResetStats() {
	s.requests.Store(0)
	s.ok.Store(0)
	s.notFound.Store(0)
	s.errs.Store(0)
	s.counts.Range(func(k, _ any) bool { s.counts.Delete(k); return true })
}

// draw returns two numbers in [0, 1) for the n-th request of path.
func (s *Service) draw(path string, seed int64) (float64, float64) {
	v, _ := s.counts.LoadOrStore(path, new(atomic.Int64))
	n := v.(*atomic.Int64).Add(1)
	h := fnv.New64a()
	var buf [16]byte
	binary.LittleEndian.PutUint64(buf[:8], uint64(seed))
	binary.LittleEndian.PutUint64(buf[8:], uint64(n))
	h.Write(buf[:])
	h.Write([]byte(path))
	x := h.Sum64()
	a := splitmix(&x)
	b := splitmix(&x)
	return float64(a>>11) / (1 << 53), float64(b>>11) / (1 << 53)
}

func splitmix(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// ServeHTTP answers one request.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	start := time.Now()
	status := s.serve(w, r)
	if o, _ := s.config(); o.Log != nil {
		fmt.Fprintf(o.Log, "%s %s %d %v\n", r.Method, r.URL.Path, status, time.Since(start).Round(time.Millisecond))
	}
}

func (s *Service) serve(w http.ResponseWriter, r *http.Request) int {
	path := r.URL.Path
	switch path {
	case "/", "/flags", "/flags/":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, c := range countryTable {
			fmt.Fprintf(w, "%s %s\n", c.code, c.name)
		}
		return http.StatusOK
	case "/flags/index.json":
		type entry struct {
			ISO     string `json:"iso_cc"`
			Country string `json:"country"`
		}
		list := make([]entry, len(countryTable))
		for i, c := range countryTable {
			list[i] = entry{c.code, c.name}
		}
		writeJSON(w, list)
		return http.StatusOK
	}
	parts := strings.Split(strings.TrimPrefix(path, "/flags/"), "/")
	if !strings.HasPrefix(path, "/flags/") || len(parts) != 2 {
		return s.notFoundReply(w, "no such resource: "+path)
	}
	cc := strings.ToUpper(parts[0])
	name, known := Country(cc)
	file := parts[1]
	lc := strings.ToLower(cc)
	exists := known && (file == lc+".gif" || file == lc+".png" || file == "metadata.json")
	opts, seed := s.config()
	if exists || opts.SlowNotFound {
		u1, u2 := s.draw(strings.ToLower(path), seed)
		if d := opts.MinDelay + time.Duration(u1*float64(opts.MaxDelay-opts.MinDelay)); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return 499 // client went away
			}
		}
		if u2 < opts.ErrorRate {
			s.errs.Add(1)
			st := opts.ErrorStatus
			http.Error(w, fmt.Sprintf("%d %s (an error injected by the flags service)", st, http.StatusText(st)), st)
			return st
		}
	}
	if !known {
		return s.notFoundReply(w, "no country with code "+parts[0])
	}
	if !exists {
		return s.notFoundReply(w, "no such file for "+cc+": "+file)
	}
	if file == "metadata.json" {
		writeJSON(w, Metadata{ISO: cc, Country: name, TLD: tld(cc)})
		s.ok.Add(1)
		return http.StatusOK
	}
	format := file[len(file)-3:]
	data, err := s.image(cc, format)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "image/"+format)
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.Write(data)
	s.ok.Add(1)
	return http.StatusOK
}

func (s *Service) notFoundReply(w http.ResponseWriter, msg string) int {
	s.notFound.Add(1)
	http.Error(w, "404 Not Found: "+msg, http.StatusNotFound)
	return http.StatusNotFound
}

func (s *Service) image(cc, format string) ([]byte, error) {
	key := cc + "." + format
	if v, ok := s.images.Load(key); ok {
		return v.([]byte), nil
	}
	data, err := flagBytes(cc, format)
	if err != nil {
		return nil, err
	}
	s.images.Store(key, data)
	return data, nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// Metadata is the document served at /flags/<cc>/metadata.json, the fields
// of the book's metadata.json that the exercises use.
type Metadata struct {
	ISO     string `json:"iso_cc"`
	Country string `json:"country"`
	TLD     string `json:"tld_cc"`
}

func tld(cc string) string {
	if cc == "GB" {
		return ".uk"
	}
	return "." + strings.ToLower(cc)
}

// Server is a running flags service. Close it when done.
type Server struct {
	*Service
	// URL is the server's root, e.g. "http://127.0.0.1:38211".
	URL string
	// BaseURL is URL + "/flags", the BASE_URL of the book's scripts:
	// BaseURL + "/cn/cn.gif".
	BaseURL string

	srv    *http.Server
	ln     net.Listener
	addr   string // the address asked for (Options.Addr)
	closed atomic.Bool
}

// Listen starts a flags server configured by opts.
func Listen(opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("flags: %w", err)
	}
	svc := Handler(opts)
	s := &Server{Service: svc, ln: ln, addr: opts.Addr, srv: &http.Server{Handler: svc, ReadHeaderTimeout: 10 * time.Second}}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1" // listening on every interface: reach it locally
	}
	s.URL = "http://" + net.JoinHostPort(host, port)
	s.BaseURL = s.URL + "/flags"
	go s.srv.Serve(ln)
	return s, nil
}

// Start is Listen for notebook cells and examples: it panics if the server
// cannot start.
//
//	srv := flags.Start(flags.DelayMode())
//	defer srv.Close()
//	resp, err := http.Get(srv.FlagURL("br"))
func Start(opts Options) *Server {
	s, err := Listen(opts)
	if err != nil {
		panic(err)
	}
	return s
}

// Close stops the server, interrupting requests in flight.
func (s *Server) Close() error {
	s.closed.Store(true)
	err := s.srv.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// FlagURL returns the URL of the GIF flag of cc.
func (s *Server) FlagURL(cc string) string {
	lc := strings.ToLower(cc)
	return s.BaseURL + "/" + lc + "/" + lc + ".gif"
}

// MetadataURL returns the URL of the metadata document of cc.
func (s *Server) MetadataURL(cc string) string {
	return s.BaseURL + "/" + strings.ToLower(cc) + "/metadata.json"
}

// String describes the server.
func (s *Server) String() string {
	o, seed := s.config()
	return fmt.Sprintf("flags service at %s (delay %v..%v, error rate %.0f%% with %d, seed %d)",
		s.BaseURL, o.MinDelay, o.MaxDelay, o.ErrorRate*100, o.ErrorStatus, seed)
}

var (
	byCode   map[string]int
	codesAll []string
)

func init() {
	byCode = make(map[string]int, len(countryTable))
	for i, c := range countryTable {
		byCode[c.code] = i
		codesAll = append(codesAll, c.code)
	}
	sort.Strings(codesAll)
}

// Codes returns every country code served, sorted.
func Codes() []string { return append([]string(nil), codesAll...) }

// AllPairs returns the 676 two-letter combinations AA to ZZ, most of them
// not country codes: the book's -e option, which shows 404s at scale.
func AllPairs() []string {
	out := make([]string, 0, 26*26)
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			out = append(out, string([]rune{a, b}))
		}
	}
	return out
}

// Country returns the name of the country with code cc (either case).
func Country(cc string) (string, bool) {
	i, ok := byCode[strings.ToUpper(cc)]
	if !ok {
		return "", false
	}
	return countryTable[i].name, true
}

func flagBytes(cc, format string) ([]byte, error) {
	i, ok := byCode[strings.ToUpper(cc)]
	if !ok {
		return nil, fmt.Errorf("flags: no country with code %q", cc)
	}
	return encode(countryTable[i].flag, format)
}

// GIF returns the flag of cc as GIF bytes, without a server.
func GIF(cc string) ([]byte, error) { return flagBytes(cc, "gif") }

// PNG returns the flag of cc as PNG bytes, without a server.
func PNG(cc string) ([]byte, error) { return flagBytes(cc, "png") }

// Image returns the flag of cc as an image, without a server
// (display.Image(img) shows it in a notebook).
func Image(cc string) (image.Image, error) {
	i, ok := byCode[strings.ToUpper(cc)]
	if !ok {
		return nil, fmt.Errorf("flags: no country with code %q", cc)
	}
	return drawFlag(countryTable[i].flag)
}
