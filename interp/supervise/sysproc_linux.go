package supervise

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// prepareChild puts the engine child in a session of its own, so that the
// processes its cells start can be found and ended with it (killSession),
// and asks the Linux kernel to SIGKILL it when the supervisor dies
// (PR_SET_PDEATHSIG, set in the child between fork and exec). SIGKILL also
// ends a child that is stopped (SIGSTOP), which would never read the end of
// file on its request pipe.
func prepareChild(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
}

// startChild starts cmd from one OS thread that never exits: Linux sends
// the parent-death signal when the thread that forked the child ends, not
// the process, and a goroutine may otherwise run on a thread the Go runtime
// lets go (one whose goroutine locked it and exited).
func startChild(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		spawnReq = make(chan func())
		go func() {
			runtime.LockOSThread() // never unlocked: this thread lives as long as the process
			for f := range spawnReq {
				f()
			}
		}()
	})
	errc := make(chan error, 1)
	spawnReq <- func() { errc <- cmd.Start() }
	return <-errc
}

// killSession SIGKILLs every process left in the session the engine child
// led (sid is the child's pid): what its cells started, their own process
// groups included (`!cmd` runs in a group of its own). Processes that
// started a session of their own (daemons) are not found.
func killSession(sid int) {
	_ = syscall.Kill(-sid, syscall.SIGKILL)
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, ent := range ents {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil || pid == sid {
			continue
		}
		if s, ok := sessionOf(pid); ok && s == sid {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// sessionOf reads the session id of pid from /proc/pid/stat.
func sessionOf(pid int) (int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// pid (comm) state ppid pgrp session ...; comm may hold spaces and
	// parentheses, so count from the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 4 {
		return 0, false
	}
	sid, err := strconv.Atoi(f[3])
	return sid, err == nil
}

var (
	spawnOnce sync.Once
	spawnReq  chan func()
)
