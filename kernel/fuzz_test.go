package kernel

import (
	"bytes"
	"testing"
)

// fuzzSep separates frames in the fuzzer's input (ASCII record separator).
const fuzzSep = 0x1e

// FuzzParseMessage feeds arbitrary frames to ParseMessage, signed and
// unsigned. It must never panic, and whatever it accepts must survive a
// re-encode with the same header, identities and content. The seed corpus
// lives in testdata/fuzz/FuzzParseMessage; run it longer with
//
//	go test -fuzz=FuzzParseMessage -fuzztime=30s ./kernel
func FuzzParseMessage(f *testing.F) {
	signed, _ := NewSigner("hmac-sha256", []byte("fuzz-key"))
	unsigned, _ := NewSigner("hmac-sha256", nil)
	for _, s := range []*Signer{signed, unsigned} {
		frames := s.Encode([][]byte{[]byte("client")},
			[]byte(`{"msg_id":"1","session":"s","username":"u","date":"","msg_type":"kernel_info_request","version":"5.4"}`),
			nil, nil, nil, nil)
		f.Add(bytes.Join(frames, []byte{fuzzSep}))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := bytes.Split(data, []byte{fuzzSep})
		for _, s := range []*Signer{signed, unsigned} {
			m, err := ParseMessage(frames, s)
			if err != nil {
				continue
			}
			if m.Header.MsgType == "" {
				t.Fatal("accepted a message without msg_type")
			}
			again := s.Encode(m.Identities, m.RawHeader, m.ParentHeader, m.Metadata, m.Content, m.Buffers)
			m2, err := ParseMessage(again, s)
			if err != nil {
				t.Fatalf("re-encoded message rejected: %v", err)
			}
			if m2.Header != m.Header || len(m2.Identities) != len(m.Identities) || len(m2.Buffers) != len(m.Buffers) {
				t.Fatalf("round trip changed the message: %+v vs %+v", m.Header, m2.Header)
			}
			if len(m.Content) > 0 && !bytes.Equal(m2.Content, m.Content) {
				t.Fatalf("round trip changed the content: %q vs %q", m.Content, m2.Content)
			}
		}
	})
}
