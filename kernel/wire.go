package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"
	"time"
)

// Delimiter separates the routing identities of a message from its body.
const Delimiter = "<IDS|MSG>"

// ProtocolVersion is the version of the Jupyter messaging protocol this
// package speaks.
const ProtocolVersion = "5.4"

// Errors returned by ParseMessage. A message that fails to parse is never
// handled.
var (
	ErrNoDelimiter   = errors.New("no <IDS|MSG> delimiter")
	ErrTooFewFrames  = errors.New("fewer than 5 frames after the delimiter")
	ErrBadSignature  = errors.New("invalid signature")
	ErrNoSignature   = errors.New("missing signature")
	ErrBadHeader     = errors.New("malformed header")
	ErrUnknownScheme = errors.New("unsupported signature scheme")
)

// Header is the header of a Jupyter message.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one Jupyter message as it travels on a ROUTER socket. The raw
// JSON frames are kept as received: the header frame is echoed verbatim as
// the parent_header of every reply and output, and the signature covers the
// exact bytes.
type Message struct {
	// Identities are the routing frames before the delimiter. Replies
	// carry them back unchanged.
	Identities [][]byte
	// Header is the parsed header frame.
	Header Header
	// RawHeader, ParentHeader, Metadata and Content are the JSON frames.
	RawHeader    []byte
	ParentHeader []byte
	Metadata     []byte
	Content      []byte
	// Buffers are the optional binary frames after content.
	Buffers [][]byte
	// Signature is the hex HMAC frame as received.
	Signature []byte

	// received is when the kernel read the message off its socket.
	received time.Time
}

// Signer signs and verifies messages with the key and scheme of a
// connection file. A Signer with an empty key signs with an empty
// signature and accepts any signature, as the protocol specifies.
// It is safe for concurrent use.
type Signer struct {
	key  []byte
	pool sync.Pool
}

// hashes maps the names used after "hmac-" in signature_scheme (the names
// of Python's hashlib, which jupyter_client uses) to Go hash functions.
var hashes = map[string]func() hash.Hash{
	"md5":      md5.New,
	"sha1":     sha1.New,
	"sha224":   sha256.New224,
	"sha256":   sha256.New,
	"sha384":   sha512.New384,
	"sha512":   sha512.New,
	"sha3_224": func() hash.Hash { return sha3.New224() },
	"sha3_256": func() hash.Hash { return sha3.New256() },
	"sha3_384": func() hash.Hash { return sha3.New384() },
	"sha3_512": func() hash.Hash { return sha3.New512() },
}

// NewSigner returns a Signer for signature_scheme scheme (for example
// "hmac-sha256"; "" means hmac-sha256) and key. An empty key disables
// signing.
func NewSigner(scheme string, key []byte) (*Signer, error) {
	if scheme == "" {
		scheme = "hmac-sha256"
	}
	name, ok := strings.CutPrefix(strings.ToLower(scheme), "hmac-")
	newHash := hashes[strings.ReplaceAll(name, "-", "_")]
	if !ok || newHash == nil {
		return nil, fmt.Errorf("%w %q (want hmac-sha256, hmac-sha512, hmac-sha1, hmac-md5, ...)", ErrUnknownScheme, scheme)
	}
	s := &Signer{key: bytes.Clone(key)}
	s.pool.New = func() any { return hmac.New(newHash, s.key) }
	return s, nil
}

// Enabled reports whether messages are signed (the key is not empty).
func (s *Signer) Enabled() bool { return len(s.key) > 0 }

// mac computes the raw HMAC of the four JSON frames.
func (s *Signer) mac(dst []byte, header, parent, metadata, content []byte) []byte {
	h := s.pool.Get().(hash.Hash)
	h.Reset()
	h.Write(header)
	h.Write(parent)
	h.Write(metadata)
	h.Write(content)
	dst = h.Sum(dst)
	s.pool.Put(h)
	return dst
}

// Sign returns the hex signature of the four JSON frames, or an empty
// slice when signing is disabled.
func (s *Signer) Sign(header, parent, metadata, content []byte) []byte {
	if !s.Enabled() {
		return []byte{}
	}
	var buf [64]byte
	sum := s.mac(buf[:0], header, parent, metadata, content)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// Verify reports whether sig is the hex signature of the four frames.
// The comparison takes constant time. With signing disabled it returns
// nil for any sig.
func (s *Signer) Verify(sig, header, parent, metadata, content []byte) error {
	if !s.Enabled() {
		return nil
	}
	if len(sig) == 0 {
		return ErrNoSignature
	}
	var want, got [64]byte
	sum := s.mac(want[:0], header, parent, metadata, content)
	if hex.DecodedLen(len(sig)) != len(sum) {
		return ErrBadSignature
	}
	if _, err := hex.Decode(got[:len(sum)], sig); err != nil {
		return ErrBadSignature
	}
	if !hmac.Equal(sum, got[:len(sum)]) {
		return ErrBadSignature
	}
	return nil
}

// ParseMessage splits the frames of a message received on a ROUTER socket
// (identities, delimiter, signature, header, parent_header, metadata,
// content, buffers), verifies the signature with s and parses the header.
// The returned Message refers to the frames' memory.
func ParseMessage(frames [][]byte, s *Signer) (*Message, error) {
	delim := -1
	for i, f := range frames {
		if string(f) == Delimiter {
			delim = i
			break
		}
	}
	if delim < 0 {
		return nil, ErrNoDelimiter
	}
	body := frames[delim+1:]
	if len(body) < 5 {
		return nil, ErrTooFewFrames
	}
	m := &Message{
		Identities:   frames[:delim],
		Signature:    body[0],
		RawHeader:    body[1],
		ParentHeader: body[2],
		Metadata:     body[3],
		Content:      body[4],
	}
	if len(body) > 5 {
		m.Buffers = body[5:]
	}
	if err := s.Verify(m.Signature, m.RawHeader, m.ParentHeader, m.Metadata, m.Content); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(m.RawHeader, &m.Header); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadHeader, err)
	}
	if m.Header.MsgType == "" {
		return nil, fmt.Errorf("%w: no msg_type", ErrBadHeader)
	}
	return m, nil
}

// Encode returns the frames of a message: ids, the delimiter, the
// signature, the four JSON frames and the buffers. Empty JSON frames are
// sent as "{}".
func (s *Signer) Encode(ids [][]byte, header, parent, metadata, content []byte, buffers [][]byte) [][]byte {
	if len(parent) == 0 {
		parent = emptyObject
	}
	if len(metadata) == 0 {
		metadata = emptyObject
	}
	if len(content) == 0 {
		content = emptyObject
	}
	frames := make([][]byte, 0, len(ids)+6+len(buffers))
	frames = append(frames, ids...)
	frames = append(frames, delimiterBytes, s.Sign(header, parent, metadata, content), header, parent, metadata, content)
	return append(frames, buffers...)
}

var (
	emptyObject    = []byte("{}")
	delimiterBytes = []byte(Delimiter)
)
