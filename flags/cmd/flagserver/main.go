// Command flagserver runs the flags service of package flags from a
// shell, for programs that download flags outside a notebook.
//
//	flagserver -addr 127.0.0.1:8001 -mode delay
//	flagserver -addr 127.0.0.1:8002 -mode error -seed 42
//	flagserver -min 500ms -max 5s -error-rate 0.25 -status 503
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/golit/golit/flags"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8001", "address to listen on")
	mode := flag.String("mode", "local", "preset: local, delay or error")
	minD := flag.Duration("min", -1, "least delay per request (overrides the preset)")
	maxD := flag.Duration("max", -1, "greatest delay per request (overrides the preset)")
	rate := flag.Float64("error-rate", -1, "fraction of requests that fail (overrides the preset)")
	status := flag.Int("status", 0, "HTTP status of the injected errors (default 418)")
	seed := flag.Int64("seed", 0, "seed for repeatable delays and errors (0: from the clock)")
	verbose := flag.Bool("v", false, "log every request")
	flag.Parse()

	var o flags.Options
	switch *mode {
	case "local":
		o = flags.LocalMode()
	case "delay":
		o = flags.DelayMode()
	case "error":
		o = flags.ErrorMode()
	default:
		log.Fatalf("flagserver: unknown mode %q (local, delay or error)", *mode)
	}
	if *minD >= 0 {
		o.MinDelay = *minD
	}
	if *maxD >= 0 {
		o.MaxDelay = *maxD
	}
	if *rate >= 0 {
		o.ErrorRate = *rate
	}
	if *status != 0 {
		o.ErrorStatus = *status
	}
	o.Addr, o.Seed = *addr, *seed
	if *verbose {
		o.Log = os.Stderr
	}
	srv, err := flags.Listen(o)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(srv)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	srv.Close()
}
