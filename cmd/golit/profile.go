package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// envCPUProfile names a file to write a CPU profile of the kernel process
// to (pprof format, written when the kernel exits); the engine child writes
// its own next to it, with ".engine" appended. For performance work:
//
//	GOLIT_CPUPROFILE=/tmp/golit.prof jupyter console --kernel golit
//	go tool pprof bin/golit /tmp/golit.prof
const envCPUProfile = "GOLIT_CPUPROFILE"

// startCPUProfile starts profiling when GOLIT_CPUPROFILE is set and returns
// the function that stops it and writes the file.
func startCPUProfile(suffix string) (stop func()) {
	path := os.Getenv(envCPUProfile)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path + suffix)
	if err != nil {
		fmt.Fprintln(os.Stderr, "golit:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "golit:", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// envMemProfile names a file to write a heap profile of the kernel process
// to when it exits (after a garbage collection, so in-use figures are the
// live heap); the engine child writes its own with ".engine" appended:
//
//	GOLIT_MEMPROFILE=/tmp/golit.heap jupyter console --kernel golit
//	go tool pprof -sample_index=inuse_space bin/golit /tmp/golit.heap.engine
const envMemProfile = "GOLIT_MEMPROFILE"

// writeMemProfile writes the heap profile GOLIT_MEMPROFILE asks for.
func writeMemProfile(suffix string) {
	path := os.Getenv(envMemProfile)
	if path == "" {
		return
	}
	f, err := os.Create(path + suffix)
	if err != nil {
		fmt.Fprintln(os.Stderr, "golit:", err)
		return
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		fmt.Fprintln(os.Stderr, "golit:", err)
	}
}
