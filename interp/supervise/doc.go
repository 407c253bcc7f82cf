// Package supervise keeps the golit kernel alive when a notebook cell does
// something no Go process survives.
//
// Some things a cell can do are fatal to a Go process and cannot be
// recovered inside it: infinite recursion ("fatal error: stack overflow"),
// "concurrent map writes", running out of memory, a panic in a goroutine that
// nothing recovered, a raw syscall.Exit. The interp engine catches everything
// that can be caught in process (panics in cells and in the goroutines they
// start, os.Exit, log.Fatal); this package handles the rest.
//
// # Design
//
// Engine implements kernel.Engine in the kernel process by forwarding every
// call to a child process (`golit engine`) that runs the real engine (see
// RunChild). When the child dies, the cell that was running gets an error
// reply naming the cause, and a fresh child is already starting for the next
// cell. The kernel itself, its sockets and its execution count never go away.
//
//   - Protocol: one JSON value per line on two pipes, the child's fd 3
//     (requests) and fd 4 (replies and output). Requests: execute, complete,
//     inspect, is_complete, interrupt, shutdown, restore, and the answers to
//     the child's input requests. From the child: ready, replies, stream,
//     display, update, clear, input (a round trip through kernel.IO.Input) and
//     the notebook's declarations (only the parts a cell changed, with an
//     IncrementalRestorer, so the traffic does not grow with the session).
//     Output frames travel on the same pipe as
//     replies, in order, so a cell's output always reaches the kernel before
//     its reply.
//   - Engine is a kernel.Starter: the kernel hands it a cell before it
//     publishes busy and execute_input, and StartExecute sends the cell to
//     a ready child at once, so that the child runs it while the kernel
//     announces it. What the child writes meanwhile is held in the kernel
//     process, in order, and delivered when the kernel asks for the reply
//     (after execute_input); an input request waits for that too. Without
//     a ready child (the first cell, a restart) the kernel calls Execute,
//     which waits for one. Consecutive writes to one stream are merged (a printing loop
//     waits up to 2 ms or 32 KiB for company), and a sender blocks when 1 MiB
//     is queued, so runaway printing is throttled rather than buffered.
//   - fd 2 of the child is a pipe to the supervisor. The engine sends its
//     own stderr through the protocol, so what arrives on fd 2 is either stray
//     low-level output, forwarded to the stderr stream, or the Go runtime's
//     last words ("fatal error: ...", "runtime: goroutine stack exceeds ...",
//     "panic: ..." and the goroutine dump), which are held back from the first
//     such line on and become the cell's error: ename EngineCrashed, evalue the
//     cause ("fatal error: concurrent map writes", "stack overflow: a
//     goroutine's stack grew past 64 MiB (infinite recursion?)"), traceback
//     the crashing goroutine's frames with the interpreter's own frames and
//     repeated cycles folded, then what survived. The runtime's whole report
//     (for a stack overflow it lists every goroutine: 5.9 MB with 1,000
//     sleeping interpreted goroutines) goes to a file in the temporary
//     directory that the message names (the engine keeps its last three);
//     a child still writing its report dumpGrace (300 ms) after its "fatal
//     error" line is killed, so the cell is answered in about a second
//     whatever the number of goroutines. If the process lives on, silent,
//     for a second after such a line, the held text is shown after all.
//     fd 1 is a pipe too, forwarded to stdout (compiled code writing to the
//     descriptor directly).
//   - A child that dies while no cell runs (a goroutine of an earlier cell)
//     is reported on stderr at once; the kernel shows it in the next cell.
//   - Interrupts are protocol messages (the child ignores SIGINT, which
//     jupyter_client sends to the whole process group). If the cell has not
//     stopped InterruptGrace (2 s) later, it is blocked where the interpreter
//     cannot reach it: the child is killed and restarted and the cell says so
//     (ename EngineRestarted).
//   - Limits: the child's goroutine stacks are capped at 64 MiB
//     (GOLIT_MAX_STACK; debug.SetMaxStack) instead of Go's 1 GB, so that
//     infinite recursion fails in about half a second, and its resident memory at
//     min(4 GiB, half the RAM, or half the cgroup's memory limit in a
//     container) (GOLIT_MEMORY_LIMIT, e.g. "2GiB" or "off"). The
//     memory limit is enforced by the supervisor, which reads the child's RSS
//     every 50 ms while a cell runs or the RSS grows (every second while the
//     child is idle) and kills it over the limit ("out of memory: the engine used
//     X, more than its limit of Y"); the child also sets a soft
//     debug.SetMemoryLimit at 90% so the GC works hard before that. An
//     address-space rlimit was rejected: programs the cells start inherit it,
//     and the Go toolchain, node or a JVM reserve far more address space than
//     they use.
//   - After each cell the child lowers its GC percent as its live heap grows,
//     so that a long session allocates about 20 MB between collections, as
//     a fresh one does at the engine's 400%, instead of 4 times its live
//     heap (gcpolicy.go; off when GOGC is set or a cell sets the percent).
//   - The child exits by itself when the supervisor disappears (end of file
//     on fd 3), and the protocol pipes are close-on-exec so processes the
//     cells start do not hold them. On Linux the child also gets SIGCONT
//     when the supervisor dies (PR_SET_PDEATHSIG, set between fork and
//     exec), which wakes it even while it is stopped (SIGSTOP) and cannot
//     read, and which it catches: it SIGKILLs what its cells started and
//     exits (also on the end of file), so that nothing outlives a kernel
//     killed with SIGKILL; elsewhere a stopped child stays until it is
//     continued.
//   - The child leads a session of its own (setsid). When it ends (crash,
//     restart, shutdown, the kernel's SIGTERM) the supervisor SIGKILLs what
//     is left in that session: processes the cells started with os/exec or
//     `!cmd` do not outlive their engine (sysproc_linux.go; elsewhere only
//     the child's process group). A process that made a session of its own
//     (a daemon) is not followed.
//
// # What survives a crash
//
// The kernel, its connection, the execution counter and the session's output
// routing survive. The child's memory does not: variables, running goroutines
// and open files are gone. If the engine implements Restorer, the supervisor
// keeps the declarations it reported after each successful cell (as keyed
// parts, updated with what each cell changed) and
// replays them into the new child before its first request, so functions,
// types, constants and imports come back; variables are never replayed,
// because re-running their initialisers could repeat side effects or the
// crash itself. A replay that fails is reported and dropped. Interrupts and
// every recoverable error leave the child, and so all state, untouched.
//
// # Measurements
//
// On the 2-core development machine (shared with other jobs; medians):
//
//   - Proxy cost of a round trip (BenchmarkExecuteRoundTrip, no-op fake
//     engine): median 57 µs (48-62 over 7 runs; 67 µs before the child kept
//     its reading and cell goroutines instead of starting one per cell,
//     runs alternated at load 2.9); a raw one-byte pipe ping-pong between
//     two Go processes on the same machine takes about 21 µs. With the real
//     engine a trivial cell took 213 µs through the supervisor against 99 µs
//     in process (p90 333 µs against 187 µs).
//   - A trivial cell through a client, with the kernel (BENCHMARKS.md,
//     issue 14 item 4, "hop"): the child starts the cell about 100 µs after
//     the kernel received it (the wake-up of the idle child through its pipe
//     is 74 µs of that), the engine's work is 136 µs under load, the reply's
//     way back 61 µs; 1.64-1.74x the no-op kernel's round trip, paired, at
//     load 2.5-3.4.
//   - 100,000 printed lines: 54 ms through the supervisor, in order, in 5
//     stream calls to the kernel.
//   - Start: New returns at once; the real engine child is ready 20-30 ms
//     later, so the kernel answers kernel_info without waiting for it.
//   - Restart after a crash, from the child's death to the new child being
//     ready: 21-42 ms with the real engine (3-8 ms with the test child). A
//     concurrent-map-writes cell gets its error reply 8-23 ms after it starts.
//     Infinite recursion in interpreted code fills a 64 MiB stack in about
//     0.5 s (128 MiB: 1.0-1.9 s; 256 MiB: 2.3-3.3 s); 64 MiB still holds
//     100,000 levels of interpreted recursion (256 MiB holds 300,000), which
//     is why 64 MiB is the default.
//   - Interrupt: the message reaches the engine in well under 1 ms; with the
//     fake engine the interrupted cell's reply arrives 0.3-0.5 ms after
//     Interrupt, with the real engine 7-13 ms for a busy loop and under 1 ms
//     for a blocked select.
//   - Memory (idle, real engine): the child has an RSS of 22.5 MB, of which
//     5.6 MB is anonymous and 16.8 MB pages of the golit binary shared with
//     the kernel process (PSS 14 MB). Most of the file-backed part is paged
//     in at start-up by the init functions of yaegi's symbol tables, which
//     run in the kernel process as well. Counting RSS per process therefore
//     counts those pages twice; PSS is the fair figure for a process tree.
//     Through jupyter_client with a golit binary wired to this package, the
//     idle kernel measured 18.9 MB RSS (10.5 MB PSS) and its child 23.9 MB
//     (15.5 MB PSS): 41.8 MB of RSS but 25.4 MB of PSS for the tree. The
//     kernel process would drop by about 13 MB if the symbol tables were
//     built on first use instead of in init functions.
//
// The same jupyter_client run showed each fatal case end to end: infinite
// recursion (EngineCrashed after 1.4 s on a loaded machine, the next cell
// ran), concurrent map writes (reply after 30 ms), 64 MiB chunks past a
// 1 GiB GOLIT_MEMORY_LIMIT (killed after 1.2 s, "out of memory: the engine
// used ..."), and concurrent map writes in a goroutine after its cell had
// finished (reported on stderr in the next cell, which then ran).
package supervise
