package supervise

import (
	"bytes"
	"fmt"
	"os"
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

// defaultMemoryLimit is min(4 GiB, half of the machine's RAM), or 4 GiB when
// the RAM size cannot be read.
func defaultMemoryLimit() int64 {
	total := totalRAM()
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
