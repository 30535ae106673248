// Package bench holds end-to-end benchmarks of named cases (reduced
// versions of the performance anchors B1, B2, B3) for each engine.
package bench

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobragg/gobragg/core"
	"github.com/gobragg/gobragg/internal/synth"
)

// Cases: the anchors B1 (phi x mosaic), B2 (25 sources x oversample 2)
// and B3 (oversample 4) reduced to a quarter of their pixels (half the
// detector side at twice the pixel size: the same detector area), which
// keeps the original's run near a second and ours near a tenth.
var cases = []struct{ name, args string }{
	{"B1", "-mat A.mat -hkl P1.hkl -lambda 1 -N 5 -distance 100 -detpixels 512 -pixel 0.2 -phi 10 -osc 1 -phisteps 5 -mosaic 0.3 -mosaic_domains 5 -oversample 1"},
	{"B2", "-mat A.mat -hkl P1.hkl -lambda 1 -N 5 -distance 100 -detpixels 512 -pixel 0.2 -divergence 0.4 -divsteps 5 -square_div -oversample 2"},
	{"B3", "-mat A.mat -hkl P1.hkl -lambda 1 -N 5 -distance 100 -detpixels 1024 -pixel 0.1 -oversample 4"},
}

// testInputs writes the synthetic inputs the cases use.
func testInputs(b *testing.B, dir string) {
	b.Helper()
	for name, data := range map[string][]byte{"A.mat": []byte(synth.Mat), "P1.hkl": synth.HKL(15)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// setupCase sets a case up once (file reading and set-up are not timed)
// and returns what both engines take.
func setupCase(b *testing.B, args string) *runCase {
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
	return &runCase{cfg, in, p}
}

// runCase is a set-up case: the configuration and inputs (for cref) and the
// plan (for the Go core).
type runCase struct {
	cfg  *core.Config
	in   *core.Inputs
	plan *core.Plan
}

func evaluations(p *core.Plan) float64 {
	return float64(p.FPixels*p.SPixels) * float64(p.Steps) * float64(p.ThickSteps)
}

func BenchmarkRender(b *testing.B) {
	for _, c := range cases {
		rc := setupCase(b, c.args)
		for _, impl := range engines() {
			b.Run("case="+c.name+"/impl="+impl.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := impl.run(rc); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/evaluations(rc.plan), "ns/eval")
			})
		}
	}
}

type engine struct {
	name string
	run  func(*runCase) (*core.Image, error)
}

func goEngine(name string, k core.Kernel) engine {
	return engine{name, func(rc *runCase) (*core.Image, error) {
		img, _, err := core.Render(context.Background(), rc.plan, core.Options{Kernel: k})
		return img, err
	}}
}
