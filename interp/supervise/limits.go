package supervise

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Environment variables that configure the limits. The supervisor reads them
// from its own environment and passes the effective values to the child in
// the same variables.
const (
	envMemoryLimit = "GOLIT_MEMORY_LIMIT"
	envMaxStack    = "GOLIT_MAX_STACK"
)

// Defaults for the limits.
const (
	// DefaultMaxStack is the largest goroutine stack a cell may grow
	// (debug.SetMaxStack in the child). Go's own default is 1 GB, which
	// lets infinite recursion in interpreted code run for seconds and
	// use a gigabyte before it fails.
	DefaultMaxStack = 64 << 20

	// maxDefaultMemoryLimit caps the default memory limit.
	maxDefaultMemoryLimit = 4 << 30
)

// parseSize reads a byte count such as "4GiB", "512MB", "300M", "1g" or
// "1048576". "off", "none" and "0" mean no limit (0, true).
func parseSize(s string) (int64, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return 0, false
	}
	if s == "off" || s == "none" || s == "unlimited" {
		return 0, true
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
		{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000}, {"tb", 1000 * 1000 * 1000 * 1000},
		{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40}, {"b", 1},
	} {
		if strings.HasSuffix(s, u.suffix) {
			s = strings.TrimSpace(strings.TrimSuffix(s, u.suffix))
			mult = u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return int64(f * float64(mult)), true
}

// formatSize renders n bytes for people: "4.0 GiB", "256 MiB".
func formatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// defaultMemoryLimit is min(4 GiB, half of the memory the kernel may use),
// or 4 GiB when that cannot be read. The memory the kernel may use is the
// machine's RAM or, in a container or a pod with a memory limit (a cgroup),
// that limit: a JupyterHub user's server in Kubernetes sees the node's RAM
// in /proc/meminfo but is killed at its pod's limit.
func defaultMemoryLimit() int64 {
	total := totalRAM()
	if lim := cgroupMemoryLimit("/"); lim > 0 && (total <= 0 || lim < total) {
		total = lim
	}
	if total <= 0 || total/2 > maxDefaultMemoryLimit {
		return maxDefaultMemoryLimit
	}
	return total / 2
}

// totalRAM reads MemTotal from /proc/meminfo (Linux); 0 if unknown.
func totalRAM() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if f := strings.Fields(string(line)); len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// cgroupMemoryLimit returns the tightest memory limit of the cgroups this
// process belongs to (Linux; root is "/" except in tests), or 0 when there
// is none or it cannot be read. With cgroup v2 each level of the process's
// cgroup path may set memory.max ("max" for none); with cgroup v1 the
// memory controller's memory.limit_in_bytes holds a huge number for none.
func cgroupMemoryLimit(root string) int64 {
	b, err := os.ReadFile(filepath.Join(root, "proc/self/cgroup"))
	if err != nil {
		return 0
	}
	var limit int64
	tighter := func(file string) {
		data, err := os.ReadFile(file)
		if err != nil {
			return
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err == nil && n > 0 && n < 1<<60 && (limit == 0 || n < limit) {
			limit = n
		}
	}
	for _, line := range strings.Split(string(b), "\n") {
		// hierarchy-ID:controllers:path
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		switch {
		case f[0] == "0" && f[1] == "": // cgroup v2: every level of the path
			for dir := path.Clean("/" + f[2]); ; dir = path.Dir(dir) {
				tighter(filepath.Join(root, "sys/fs/cgroup", dir, "memory.max"))
				if dir == "/" {
					break
				}
			}
		case slices.Contains(strings.Split(f[1], ","), "memory"): // cgroup v1
			tighter(filepath.Join(root, "sys/fs/cgroup/memory", f[2], "memory.limit_in_bytes"))
			tighter(filepath.Join(root, "sys/fs/cgroup/memory/memory.limit_in_bytes"))
		}
	}
	return limit
}

var pageSize = int64(os.Getpagesize())

// rss returns the resident set size of process pid in bytes, read from
// /proc/pid/statm (Linux). ok is false when it cannot be read.
func rss(pid int) (int64, bool) {
	var buf [128]byte
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0, false
	}
	n, _ := f.Read(buf[:])
	f.Close()
	fields := bytes.Fields(buf[:n])
	if len(fields) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(string(fields[1]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * pageSize, true
}
