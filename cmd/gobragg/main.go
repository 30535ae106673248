// Command gobragg is a drop-in replacement for nanoBragg: the same
// arguments, the same files and the same console output.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gobragg/gobragg/core"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	status := core.Main(ctx, os.Args[1:], core.RunOptions{
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Kernel:    core.DefaultKernel(),
		ClockSeed: -time.Now().Unix(),
	})
	os.Exit(status)
}
