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

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
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
			p := mpb.New(mpb.WithOutput(os.Stderr), mpb.WithRefreshRate(100*time.Millisecond))
			b := p.New(int64(total), mpb.BarStyle(),
				mpb.PrependDecorators(decor.Name("rendering "), decor.CountersNoUnit("%d / %d pixels")),
				mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Name(" "), decor.AverageETA(decor.ET_STYLE_GO)),
				mpb.BarRemoveOnComplete())
			return &bar{p, b}
		}
	}
	os.Exit(core.Main(ctx, os.Args[1:], opts))
}

// bar shows the render's progress on a terminal (mpb: no network code
// linked in, which keeps the start-up short).
type bar struct {
	p *mpb.Progress
	b *mpb.Bar
}

func (b *bar) Add(n int) { b.b.IncrBy(n) }

func (b *bar) Finish() {
	if !b.b.Completed() {
		b.b.Abort(true) // cancelled, or pixels not counted: clear the line
	}
	b.p.Wait()
}
