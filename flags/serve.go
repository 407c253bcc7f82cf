package flags

import "sync"

// shared is the server Serve hands out.
var shared struct {
	mu  sync.Mutex
	srv *Server
}

// Serve is Start for notebook cells, which get run again. The first call
// starts a server; a later call in the same process returns that same
// server with opts put in force (delays, errors, seed; its counts and its
// seeded sequence of delays start over). So running the cell again leaves
// one server, not one more, and the functions of other cells that still
// hold the earlier *Server reach the server the new options describe.
//
// A new server replaces the old one (which is closed) only when the old one
// was closed or opts.Addr asks for another address.
//
//	srv := flags.Serve(flags.DelayMode()) // run it twice: same URL, no second server
func Serve(opts Options) *Server {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if old := shared.srv; old != nil {
		if !old.closed.Load() && (opts.Addr == "" || opts.Addr == old.addr) {
			old.configure(opts)
			old.ResetStats()
			return old
		}
		old.Close()
	}
	shared.srv = Start(opts)
	return shared.srv
}
