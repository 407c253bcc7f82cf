package magic

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// killGrace is how long an interrupted command gets to exit after SIGINT
// before its process group is killed.
const killGrace = 500 * time.Millisecond

// drainGrace is how long output is still read after the command exited,
// for background processes that keep its pipes open.
const drainGrace = 200 * time.Millisecond

// shell runs command with sh -c (a ! line). The exit status is not an
// error, as in IPython; an interrupt is.
func (r *runner) shell(ctx context.Context, command string, failOnExit bool) error {
	return r.runCommand(ctx, failOnExit, "sh", "-c", command)
}

// bashMagic returns the %%bash or %%sh cell magic: the body is the script.
// A script that exits with a non-zero status fails the cell, as IPython's
// script magics do.
func bashMagic(shell string) func(ctx context.Context, r *runner, st Step) (any, error) {
	return func(ctx context.Context, r *runner, st Step) (any, error) {
		args := append([]string{"-c", cellBody(st)}, strings.Fields(st.Args)...)
		if len(args) > 2 {
			// Extra words become $0, $1, ... of the script.
			args = append(args[:2], append([]string{shell}, args[2:]...)...)
		}
		return nil, r.runCommand(ctx, true, shell, args...)
	}
}

// runCommand starts name with args in its own process group, streams its
// stdout and stderr to the cell as they arrive, and waits for it. When ctx
// is done the group gets SIGINT, then SIGKILL after killGrace.
func (r *runner) runCommand(ctx context.Context, failOnExit bool, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	setProcessGroup(cmd)
	outR, outW, err := os.Pipe()
	if err != nil {
		return err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return err
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return &Error{Name: "OSError", Message: err.Error()}
	}

	var copying sync.WaitGroup
	for _, p := range []struct {
		name string
		f    *os.File
	}{{"stdout", outR}, {"stderr", errR}} {
		copying.Add(1)
		go func() {
			defer copying.Done()
			r.copyStream(p.name, p.f)
		}()
	}

	exited := make(chan struct{})
	interrupted := make(chan struct{})
	go func() {
		select {
		case <-exited:
			return
		case <-ctx.Done():
		}
		close(interrupted)
		signalGroup(cmd, false)
		select {
		case <-exited:
		case <-time.After(killGrace):
			signalGroup(cmd, true)
		}
	}()
	waitErr := cmd.Wait()
	close(exited)

	drained := make(chan struct{})
	go func() { copying.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(drainGrace):
		// A background child still holds the pipes: stop reading.
		outR.Close()
		errR.Close()
		<-drained
	}
	outR.Close()
	errR.Close()

	select {
	case <-interrupted:
		return ctx.Err()
	default:
	}
	var exit *exec.ExitError
	if errors.As(waitErr, &exit) && exit.ExitCode() == 127 && len(args) >= 2 && args[0] == "-c" && goMissing(args[1]) {
		r.env.Stream("stderr", noGoMessage)
	}
	if failOnExit && errors.As(waitErr, &exit) {
		return &Error{Name: "CalledProcessError",
			Message: fmt.Sprintf("Command '%s' returned non-zero exit status %d.", name, exit.ExitCode())}
	}
	if waitErr != nil && !errors.As(waitErr, &exit) {
		return &Error{Name: "OSError", Message: waitErr.Error()}
	}
	return nil
}

// noGoMessage follows the shell's "go: not found" when a command needs the
// Go toolchain and there is none (golit installed from a wheel, say).
const noGoMessage = `
Go is not installed: there is no "go" command on this kernel's PATH.
golit runs notebook cells without it, but commands such as go run, go build
and go test need the Go toolchain. Get it from https://go.dev/dl/ , then
restart the kernel so that it sees the new PATH.
`

// goCommand matches "go" in a command position of a shell script: at the
// start, after a separator or pipe, or after a prefix command.
var goCommand = regexp.MustCompile(`(^|[;&|(\n{]|\b(then|do|else|exec|time|env|command|xargs|sudo))\s*go(\s|$|;|&|\|)`)

// goMissing reports whether script runs the go command and no go is on
// PATH (the script exited with 127, "command not found").
func goMissing(script string) bool {
	if !goCommand.MatchString(script) {
		return false
	}
	_, err := exec.LookPath("go")
	return err != nil
}

// copyStream forwards f to the named stream as data arrives, never
// splitting a UTF-8 sequence between two writes.
func (r *runner) copyStream(name string, f io.Reader) {
	buf := make([]byte, 32*1024)
	pending := 0 // bytes of an incomplete rune kept at the start of buf
	for {
		n, err := f.Read(buf[pending:])
		n += pending
		end := n
		// Keep a trailing incomplete rune (at most 3 bytes) for later.
		for k := 1; k <= 3 && k <= n; k++ {
			c := buf[n-k]
			if c < 0x80 {
				break
			}
			if utf8.RuneStart(c) {
				if !utf8.FullRune(buf[n-k : n]) {
					end = n - k
				}
				break
			}
		}
		if err != nil {
			end = n // flush everything at the end
		}
		if end > 0 {
			r.env.Stream(name, strings.ToValidUTF8(string(buf[:end]), "\uFFFD"))
		}
		pending = copy(buf, buf[end:n])
		if err != nil {
			return
		}
	}
}
