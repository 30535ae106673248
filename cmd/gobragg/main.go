// Command gobragg is a drop-in replacement for nanoBragg: the same
// arguments, the same files and the same console output.
//
// On a terminal the original's "% done" lines are replaced by a progress
// bar on stderr; set GOBRAGG_PROGRESS=plain to keep the plain lines.
// GOBRAGG_SIMD=generic|avx2|avx512 forces a kernel path.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/gobragg/gobragg/core"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := core.RunOptions{
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Kernel:    core.DefaultKernel(),
		ClockSeed: -time.Now().Unix(),
	}
	if term.IsTerminal(int(os.Stdout.Fd())) && os.Getenv("GOBRAGG_PROGRESS") != "plain" {
		opts.Bar = func(total int) core.ProgressSink {
			return &bar{progressbar.NewOptions(total,
				progressbar.OptionSetWriter(os.Stderr),
				progressbar.OptionSetDescription("rendering"),
				progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish())}
		}
	}
	os.Exit(core.Main(ctx, os.Args[1:], opts))
}

type bar struct{ b *progressbar.ProgressBar }

func (b *bar) Add(n int) { _ = b.b.Add(n) }
func (b *bar) Finish()   { _ = b.b.Finish() }
