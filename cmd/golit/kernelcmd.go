package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/golit/golit/kernel"
)

// runKernel is `golit kernel -f CONNECTION_FILE`, the command in the
// kernelspec's argv.
func runKernel(args []string, logw io.Writer) int {
	fs := flag.NewFlagSet("golit kernel", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	connFile := fs.String("f", "", "the Jupyter connection file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *connFile == "" {
		fmt.Fprintln(os.Stderr, "golit kernel: -f CONNECTION_FILE is required (Jupyter passes it; see `golit help`)")
		return 2
	}
	info, err := kernel.ReadConnectionFile(*connFile)
	if err != nil {
		fmt.Fprintln(logw, "golit kernel:", err)
		return 1
	}
	warnOpenConnectionFile(*connFile, info.Key != "", func(format string, args ...any) { fmt.Fprintf(logw, format+"\n", args...) })

	// The engine may take a while to start (an interpreter, maybe a child
	// process). Build it while the kernel binds its sockets and answers
	// kernel_info, so the frontend sees the kernel ready at once; the
	// first request that needs the engine waits for it.
	eng := startEngine(newEngine)

	cfg := kernel.Config{
		Implementation:        "golit",
		ImplementationVersion: version,
		LanguageInfo: kernel.LanguageInfo{
			Name:           "go",
			Version:        goVersion(),
			Mimetype:       "text/x-go",
			FileExtension:  ".go",
			PygmentsLexer:  "go",
			CodemirrorMode: "go",
		},
		Banner: fmt.Sprintf("golit %s: Go %s in Jupyter, interpreted by yaegi.\n"+
			"Run cells one by one; state carries from cell to cell. Interrupt stops a running cell.", version, goVersion()),
		HelpLinks: []kernel.HelpLink{
			{Text: "Go documentation", URL: "https://go.dev/doc/"},
			{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
			{Text: "A Tour of Go", URL: "https://go.dev/tour/"},
			{Text: "Effective Go", URL: "https://go.dev/doc/effective_go"},
		},
		Log: logw,
	}
	applyWireEnv(&cfg, func(format string, args ...any) { fmt.Fprintf(logw, format+"\n", args...) })
	k, err := kernel.New(cfg, info, eng)
	if err != nil {
		fmt.Fprintln(logw, "golit kernel:", err)
		eng.Shutdown(false)
		return 1
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		for s := range sigs {
			if s == os.Interrupt {
				// interrupt_mode "signal" frontends and a terminal's
				// Ctrl-C interrupt the cell, as in ipykernel.
				k.Interrupt()
				continue
			}
			fmt.Fprintf(logw, "golit kernel: %v: shutting down\n", s)
			stop()
		}
	}()

	watchParent(func() {
		fmt.Fprintln(logw, "golit kernel: the process that started the kernel has exited: shutting down")
		stop()
	}, time.Second)

	// Set up: the init-time pages of the interpreter's tables are not
	// needed in this process (cells run in the engine child).
	releaseStartupPages()
	stopProfile := startCPUProfile("")
	defer stopProfile()
	if err := k.Run(ctx); err != nil {
		fmt.Fprintln(logw, "golit kernel: engine shutdown:", err)
	}
	signal.Stop(sigs)
	return 0
}
