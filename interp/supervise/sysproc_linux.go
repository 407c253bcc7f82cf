package supervise

import (
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// prepareChild puts the engine child in a session of its own, so that the
// processes its cells start can be found and ended with it (killSession),
// and asks the Linux kernel to send it SIGCONT when the supervisor dies
// (PR_SET_PDEATHSIG, set in the child between fork and exec). SIGCONT is
// the one signal that both wakes a child that is stopped (SIGSTOP), which
// would never read the end of file on its request pipe, and can be caught:
// the child (watchParent) then ends what its cells started and exits. With
// SIGKILL, as before, the child died at once and left its cells' processes
// behind when the kernel itself was SIGKILLed.
func prepareChild(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGCONT}
}

// watchParent runs in the engine child: when the parent-death signal
// (SIGCONT, see prepareChild) arrives and the parent is gone (the child
// has another parent now), it ends the processes of the child's session
// and exits. A SIGCONT of job control, with the parent alive, changes
// nothing.
func watchParent() {
	ppid := os.Getppid()
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGCONT)
	go func() {
		for range c {
			if os.Getppid() != ppid {
				endOwnSession()
				os.Exit(1)
			}
		}
	}()
}

// endOwnSession SIGKILLs the other processes of the session this process
// leads (the engine child's): what its cells started.
func endOwnSession() {
	self := os.Getpid()
	if sid, ok := sessionOf(self); !ok || sid != self {
		return // not a session leader: started by hand or by a test
	}
	killSessionExcept(self, self)
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
	killSessionExcept(sid, 0)
}

// killSessionExcept SIGKILLs the processes of session sid but pid keep.
func killSessionExcept(sid, keep int) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, ent := range ents {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil || pid == sid || pid == keep {
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
