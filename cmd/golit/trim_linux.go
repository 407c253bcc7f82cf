package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// releaseStartupPages drops from this process's resident set the read-only
// pages of the golit executable (code and constant data) touched so far.
//
// Every golit process runs the init functions of the interpreter's symbol
// tables (yaegi's standard library: thousands of reflect.ValueOf calls
// compiled into init code), which faults in about 13 MB of the executable
// once; the kernel process never runs that code again, and the engine only
// after start-up through the maps it built. Pages that are used later come
// back from the page cache on first touch (a minor fault, no disk read), so
// afterwards the resident set is what the process really uses. Writable
// mappings are left alone: dropping them would lose data.
func releaseStartupPages() {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	type span struct{ start, end uintptr }
	var spans []span
	s := bufio.NewScanner(f)
	for s.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(s.Text())
		if len(fields) < 6 || fields[5] != exe || strings.Contains(fields[1], "w") {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || b <= a {
			continue
		}
		spans = append(spans, span{uintptr(a), uintptr(b)})
	}
	for _, sp := range spans {
		// MADV_DONTNEED on a private, never-written file mapping only
		// unmaps the pages; their contents come back from the file.
		syscall.Syscall(syscall.SYS_MADVISE, sp.start, sp.end-sp.start, syscall.MADV_DONTNEED)
	}
}
