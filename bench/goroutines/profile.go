package main

import (
	"io"
	"runtime/pprof"
)

func writeHeapProfile(w io.Writer) error { return pprof.Lookup("heap").WriteTo(w, 0) }
