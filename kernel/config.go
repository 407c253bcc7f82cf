package kernel

import (
	"io"
	"time"
)

// Config describes the kernel to frontends and tunes its behaviour. The
// language-specific parts (implementation name, language_info, banner) come
// from the caller, so this package stays language-neutral.
type Config struct {
	// Implementation and ImplementationVersion name the kernel in
	// kernel_info_reply ("golit", "0.1.0").
	Implementation        string
	ImplementationVersion string
	// LanguageInfo is kernel_info_reply's language_info.
	LanguageInfo LanguageInfo
	// Banner is shown by consoles at start-up.
	Banner string
	// HelpLinks appear in the frontend's help menu.
	HelpLinks []HelpLink

	// Log receives the kernel's diagnostics, one line per event (for
	// example a dropped message with a bad signature). nil means
	// io.Discard. A kernel process passes a copy of its original stderr,
	// because engines may redirect os.Stderr to capture cell output.
	Log io.Writer

	// Username is the username field of the headers the kernel sends.
	// Empty means "kernel".
	Username string

	// StreamFlushInterval is the longest time stream text waits before it
	// is sent. 0 means 50 ms.
	StreamFlushInterval time.Duration
	// StreamMaxBatch is the size in bytes at which pending stream text is
	// sent at once. 0 means 128 KiB.
	StreamMaxBatch int
	// HeldOutputLimit caps the stream text (in bytes) kept while no cell
	// runs; text beyond it is dropped and the next cell says how much.
	// 0 means 8 MiB.
	HeldOutputLimit int
	// IOPubWait bounds how long a new kernel holds iopub messages while
	// no client has subscribed yet; they are sent when the first
	// subscription arrives. 0 means 2 s.
	IOPubWait time.Duration

	// The wire guard (see SECURITY.md at the repository root). Peers
	// reach these limits before they have proved they hold the key.

	// MaxMessageSize is the largest message (all frames together) a peer
	// may send; a larger one closes its connection, with a log line,
	// before it is read into memory. 0 means 256 MiB. On iopub, where
	// clients only subscribe, the limit is 64 KiB.
	MaxMessageSize int64
	// SendHighWaterMark is how many messages the kernel queues for one
	// peer that does not read them; further messages to that peer are
	// dropped (and the first drop logged) until it catches up, as with
	// libzmq's ZMQ_SNDHWM. Other peers are not slowed. 0 means 1000.
	SendHighWaterMark int
	// SendQueueBytes caps the bytes queued for one peer the same way
	// (a message is always queued for a peer whose queue is empty).
	// 0 means 64 MiB.
	SendQueueBytes int
	// HandshakeTimeout bounds the ZMTP handshake of a new connection:
	// a peer that has not sent its greeting and READY command by then
	// is disconnected. Handshakes run beside each other, so a slow one
	// delays no one else. 0 means 5 s.
	HandshakeTimeout time.Duration
}

// Defaults of the wire guard's settings.
const (
	defaultMaxMessage       = 256 << 20
	defaultSendHWM          = 1000
	defaultSendBytes        = 64 << 20
	defaultHandshakeTimeout = 5 * time.Second
	// subscribeMaxMessage is the message size limit on iopub.
	subscribeMaxMessage = 64 << 10
)

// LanguageInfo is the language_info of kernel_info_reply.
type LanguageInfo struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	Mimetype          string `json:"mimetype"`
	FileExtension     string `json:"file_extension"`
	PygmentsLexer     string `json:"pygments_lexer,omitempty"`
	CodemirrorMode    any    `json:"codemirror_mode,omitempty"`
	NbconvertExporter string `json:"nbconvert_exporter,omitempty"`
}

// HelpLink is one entry of kernel_info_reply's help_links.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

func (c *Config) setDefaults() {
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Username == "" {
		c.Username = "kernel"
	}
	if c.StreamFlushInterval <= 0 {
		c.StreamFlushInterval = 50 * time.Millisecond
	}
	if c.StreamMaxBatch <= 0 {
		c.StreamMaxBatch = 128 << 10
	}
	if c.HeldOutputLimit <= 0 {
		c.HeldOutputLimit = 8 << 20
	}
	if c.IOPubWait <= 0 {
		c.IOPubWait = 2 * time.Second
	}
	if c.MaxMessageSize <= 0 {
		c.MaxMessageSize = defaultMaxMessage
	}
	if c.SendHighWaterMark <= 0 {
		c.SendHighWaterMark = defaultSendHWM
	}
	if c.SendQueueBytes <= 0 {
		c.SendQueueBytes = defaultSendBytes
	}
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = defaultHandshakeTimeout
	}
	if c.HelpLinks == nil {
		c.HelpLinks = []HelpLink{}
	}
}
