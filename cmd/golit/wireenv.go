package main

import (
	"os"
	"strconv"
	"time"

	"github.com/golit/golit/kernel"
)

// Environment variables that tune the kernel's wire guard (see
// SECURITY.md). Unset or empty means the kernel package's default.
const (
	envMaxMessage       = "GOLIT_MAX_MESSAGE_SIZE"  // bytes; default 268435456 (256 MiB)
	envSendHWM          = "GOLIT_SEND_HWM"          // messages queued per peer; default 1000
	envSendQueueBytes   = "GOLIT_SEND_QUEUE_BYTES"  // bytes queued per peer; default 67108864 (64 MiB)
	envHandshakeTimeout = "GOLIT_HANDSHAKE_TIMEOUT" // a Go duration; default 5s
)

// applyWireEnv sets cfg's wire limits from the environment. A value that
// does not parse is reported and ignored.
func applyWireEnv(cfg *kernel.Config, logf func(format string, args ...any)) {
	num := func(name string, set func(int64)) {
		v := os.Getenv(name)
		if v == "" {
			return
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			logf("golit kernel: ignoring %s=%q: want a positive whole number", name, v)
			return
		}
		set(n)
	}
	num(envMaxMessage, func(n int64) { cfg.MaxMessageSize = n })
	num(envSendHWM, func(n int64) { cfg.SendHighWaterMark = int(n) })
	num(envSendQueueBytes, func(n int64) { cfg.SendQueueBytes = int(n) })
	if v := os.Getenv(envHandshakeTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			logf("golit kernel: ignoring %s=%q: want a duration such as 5s", envHandshakeTimeout, v)
		} else {
			cfg.HandshakeTimeout = d
		}
	}
}

// warnOpenConnectionFile logs a warning when the connection file at path
// can be read by users other than its owner: its key is what makes a
// message authentic. Jupyter writes connection files with mode 0600; one
// written by hand may not be.
func warnOpenConnectionFile(path string, hasKey bool, logf func(format string, args ...any)) {
	st, err := os.Stat(path)
	if err != nil || !hasKey {
		return
	}
	if mode := st.Mode().Perm(); mode&0o077 != 0 {
		logf("golit kernel: warning: connection file %s has mode %#o: other users can read its key and send this kernel code to run (chmod 600 it)", path, mode)
	}
}
