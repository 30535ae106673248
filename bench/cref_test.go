package bench

import (
	"io"
	"strings"

	"github.com/gobragg/gobragg/core"
	"testing"

	"github.com/gobragg/gobragg/cref"
)

// BenchmarkCref runs the C reference (single-threaded, scalar) on the same
// cases, so that benchstat shows Go and C side by side; compare it with the
// original binary with OMP_NUM_THREADS=1 (see README).
func BenchmarkCref(b *testing.B) {
	if !cref.Available() {
		b.Skip("cref needs cgo")
	}
	for _, c := range cases {
		cfg, in, p := planWithInputs(b, c.args)
		b.Run("case="+c.name+"/impl=cref", func(b *testing.B) {
			for b.Loop() {
				if _, err := cref.Run(cfg, in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/evaluations(p), "ns/eval")
		})
	}
}

// planWithInputs is plan that also returns the configuration and inputs
// the C reference takes.
func planWithInputs(b *testing.B, args string) (*core.Config, *core.Inputs, *core.Plan) {
	b.Helper()
	dir := b.TempDir()
	testInputs(b, dir)
	b.Chdir(dir)
	cfg, err := core.ParseArgs(strings.Fields(args+" -nonoise -noprogress"), -1, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	p, in, err := core.Setup(cfg, io.Discard, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	return cfg, in, p
}
