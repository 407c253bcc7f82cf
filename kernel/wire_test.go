package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func testFrames(t *testing.T, s *Signer, ids ...string) [][]byte {
	t.Helper()
	var idf [][]byte
	for _, id := range ids {
		idf = append(idf, []byte(id))
	}
	header := []byte(`{"msg_id":"m1","session":"s1","username":"u","date":"2024-01-01T00:00:00Z","msg_type":"execute_request","version":"5.4"}`)
	return s.Encode(idf, header, []byte(`{}`), []byte(`{}`), []byte(`{"code":"1+1"}`), nil)
}

func TestSignConcatenatesFrames(t *testing.T) {
	// The signature covers header, parent, metadata and content joined
	// without separators: hmac.new(b"key", b"abcd", hashlib.sha256).
	s, err := NewSigner("hmac-sha256", []byte("key"))
	if err != nil {
		t.Fatal(err)
	}
	const want = "2a31ec0ee8d878c9eece9fb0df79b3b90b2256240163aa5ee50d176d3d1121f8"
	if got := string(s.Sign([]byte("a"), []byte("b"), []byte("c"), []byte("d"))); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if err := s.Verify([]byte(want), []byte("ab"), []byte("c"), nil, []byte("d")); err != nil {
		t.Errorf("verify: %v", err)
	}
}

func TestSignMatchesHMAC(t *testing.T) {
	for scheme, want := range map[string]string{
		// hmac.new(b"key", b"The quick brown fox jumps over the lazy dog", <hash>).hexdigest()
		"hmac-sha256": "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
		"hmac-md5":    "80070713463e7749b90c2dc24911e275",
		"hmac-sha1":   "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9",
	} {
		s, err := NewSigner(scheme, []byte("key"))
		if err != nil {
			t.Fatal(err)
		}
		got := string(s.Sign([]byte("The quick brown fox "), []byte("jumps over "), []byte("the lazy "), []byte("dog")))
		if got != want {
			t.Errorf("%s: got %s, want %s", scheme, got, want)
		}
	}
}

func TestSchemes(t *testing.T) {
	for _, scheme := range []string{"", "hmac-sha256", "hmac-sha512", "hmac-sha384", "hmac-sha224", "hmac-sha1", "hmac-md5", "hmac-sha3_256", "HMAC-SHA256"} {
		s, err := NewSigner(scheme, []byte("k"))
		if err != nil {
			t.Errorf("%q: %v", scheme, err)
			continue
		}
		frames := testFrames(t, s)
		if _, err := ParseMessage(frames, s); err != nil {
			t.Errorf("%q: round trip: %v", scheme, err)
		}
	}
	for _, scheme := range []string{"sha256", "hmac-nope", "rsa-sha256"} {
		if _, err := NewSigner(scheme, []byte("k")); !errors.Is(err, ErrUnknownScheme) {
			t.Errorf("%q: got %v, want ErrUnknownScheme", scheme, err)
		}
	}
}

func TestParseRoundTrip(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", []byte("secret"))
	frames := testFrames(t, s, "id1", "id2")
	frames = append(frames, []byte("buffer0"))
	m, err := ParseMessage(frames, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Identities) != 2 || string(m.Identities[0]) != "id1" || string(m.Identities[1]) != "id2" {
		t.Errorf("identities = %q", m.Identities)
	}
	if m.Header.MsgType != "execute_request" || m.Header.MsgID != "m1" || m.Header.Session != "s1" {
		t.Errorf("header = %+v", m.Header)
	}
	if string(m.Content) != `{"code":"1+1"}` {
		t.Errorf("content = %s", m.Content)
	}
	if len(m.Buffers) != 1 || string(m.Buffers[0]) != "buffer0" {
		t.Errorf("buffers = %q", m.Buffers)
	}
}

func TestVerifyRejects(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", []byte("secret"))
	other, _ := NewSigner("hmac-sha256", []byte("not the secret"))
	good := testFrames(t, s)

	cases := map[string]struct {
		frames [][]byte
		want   error
	}{
		"wrong key":         {testFrames(t, other), ErrBadSignature},
		"missing signature": {replace(good, 1, nil), ErrNoSignature},
		"not hex":           {replace(good, 1, bytes.Repeat([]byte("z"), 64)), ErrBadSignature},
		"short signature":   {replace(good, 1, good[1][:10]), ErrBadSignature},
		"tampered content":  {replace(good, 5, []byte(`{"code":"rm -rf"}`)), ErrBadSignature},
		"tampered header":   {replace(good, 2, bytes.Replace(good[2], []byte("m1"), []byte("m2"), 1)), ErrBadSignature},
		"upper-case hex":    {replace(good, 1, bytes.ToUpper(good[1])), nil},
		"no delimiter":      {good[1:], ErrNoDelimiter},
		"too few frames":    {good[:5], ErrTooFewFrames},
		"empty":             {nil, ErrNoDelimiter},
	}
	for name, c := range cases {
		_, err := ParseMessage(c.frames, s)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
}

func replace(frames [][]byte, i int, f []byte) [][]byte {
	out := append([][]byte(nil), frames...)
	out[i] = f
	return out
}

func TestUnsigned(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", nil)
	if s.Enabled() {
		t.Fatal("empty key must disable signing")
	}
	frames := testFrames(t, s)
	if len(frames[1]) != 0 {
		t.Errorf("unsigned message carries signature %q", frames[1])
	}
	// Any signature is accepted when the key is empty.
	if _, err := ParseMessage(replace(frames, 1, []byte("whatever")), s); err != nil {
		t.Errorf("unsigned: %v", err)
	}
}

func TestMalformedHeader(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", []byte("k"))
	for _, h := range []string{`not json`, `{"msg_type":""}`, `[]`, `{"msg_type":5}`} {
		frames := s.Encode(nil, []byte(h), nil, nil, nil, nil)
		if _, err := ParseMessage(frames, s); !errors.Is(err, ErrBadHeader) {
			t.Errorf("header %s: got %v, want ErrBadHeader", h, err)
		}
	}
}

func TestEncodeDefaults(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", []byte("k"))
	frames := s.Encode([][]byte{[]byte("id")}, []byte(`{"msg_type":"x"}`), nil, nil, nil, nil)
	want := []string{"id", Delimiter, "", `{"msg_type":"x"}`, "{}", "{}", "{}"}
	if len(frames) != len(want) {
		t.Fatalf("%d frames, want %d", len(frames), len(want))
	}
	for i, w := range want {
		if i == 2 {
			continue // signature
		}
		if string(frames[i]) != w {
			t.Errorf("frame %d = %q, want %q", i, frames[i], w)
		}
	}
}

func TestConnectionInfo(t *testing.T) {
	info, err := ParseConnectionInfo([]byte(`{"shell_port": 5, "iopub_port": 6, "key": "k"}`))
	if err != nil {
		t.Fatal(err)
	}
	if info.Transport != "tcp" || info.IP != "127.0.0.1" || info.SignatureScheme != "hmac-sha256" {
		t.Errorf("defaults not applied: %+v", info)
	}
	if ep := info.Endpoint(5); ep != "tcp://127.0.0.1:5" {
		t.Errorf("endpoint %s", ep)
	}
	info.IP = "::1"
	if ep := info.Endpoint(5); ep != "tcp://[::1]:5" {
		t.Errorf("ipv6 endpoint %s", ep)
	}
	ipc, err := ParseConnectionInfo([]byte(`{"transport":"ipc","ip":"run/kernel-x","shell_port":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if ep := ipc.Endpoint(1); ep != "ipc://run/kernel-x-1" {
		t.Errorf("ipc endpoint %s", ep)
	}
	for _, bad := range []string{`{"transport":"udp"}`, `{"signature_scheme":"hmac-nope"}`, `{"shell_port":70000}`, `nope`} {
		if _, err := ParseConnectionInfo([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"*", "", true},
		{"*", "anything", true},
		{"fmt.*", "fmt.Println(1)", true},
		{"fmt.*", "x := fmt.Println", false},
		{"*Println*", "x := fmt.Println(1)", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"[ab]x", "bx", true},
		{"[^ab]x", "bx", false},
		{"[a-c]*", "cat", true},
		{"A*", "abc", false},
		{"*.go", "x/y.go", true},
		{"[", "[", true},
	}
	for _, c := range cases {
		if got := globMatch(c.p, c.s); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v", c.p, c.s, got)
		}
	}
}

func TestSelectHistory(t *testing.T) {
	h := []historyEntry{{1, "a := 1", nil}, {2, "fmt.Println(a)", nil}, {3, "a := 1", nil}, {4, "b := 2", nil}}
	n := func(i int) *int { return &i }
	check := func(name string, c historyRequestContent, wantLines ...int) {
		t.Helper()
		got := selectHistory(h, c)
		var lines []int
		for _, e := range got {
			lines = append(lines, e.line)
		}
		if !equalInts(lines, wantLines) {
			t.Errorf("%s: lines %v, want %v", name, lines, wantLines)
		}
	}
	check("tail 2", historyRequestContent{HistAccessType: "tail", N: n(2)}, 3, 4)
	check("tail 10", historyRequestContent{HistAccessType: "tail", N: n(10)}, 1, 2, 3, 4)
	check("range", historyRequestContent{HistAccessType: "range", Start: 2, Stop: n(4)}, 2, 3)
	check("range open", historyRequestContent{HistAccessType: "range", Start: 3}, 3, 4)
	check("range other session", historyRequestContent{HistAccessType: "range", Session: -1})
	check("search", historyRequestContent{HistAccessType: "search", Pattern: "a*"}, 1, 3)
	check("search unique", historyRequestContent{HistAccessType: "search", Pattern: "a*", Unique: true}, 3)
	check("search n", historyRequestContent{HistAccessType: "search", Pattern: "*", N: n(2)}, 3, 4)
	check("unknown", historyRequestContent{HistAccessType: "nope"})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCompleteUTF8(t *testing.T) {
	s := []byte("héllo, 世界")
	for cut := 0; cut <= len(s); cut++ {
		n := completeUTF8(s[:cut])
		if !strings.HasPrefix(string(s), string(s[:n])) || !json.Valid([]byte(`"`+string(s[:n])+`"`)) {
			t.Fatalf("cut %d: prefix %d not valid", cut, n)
		}
		if n < cut-utf8Max || n > cut {
			t.Fatalf("cut %d: prefix %d", cut, n)
		}
	}
}

const utf8Max = 4
