package core

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/gobragg/gobragg/internal/synth"
	"github.com/stretchr/testify/require"
)

// TestPrintout: -printout_pixel and -printout print one block per chosen
// pixel on every kernel, also where dmin cuts a pixel's evaluations (the
// block then shows the last evaluation before it).
func TestPrintout(t *testing.T) {
	t.Chdir(t.TempDir())
	require.NoError(t, os.WriteFile("A.mat", []byte(synth.Mat), 0o644))
	require.NoError(t, os.WriteFile("P1.hkl", synth.HKL(6), 0o644))
	base := "-mat A.mat -hkl P1.hkl -lambda 1 -N 5 -nonoise -nopgm -noprogress -oversample 2 "
	for _, k := range []Kernel{ExactKernel{}, DefaultKernel()} {
		for _, c := range []struct {
			args   string
			blocks int
		}{
			{"-detpixels 32 -dmin 2 -printout_pixel 10 10", 1},
			{"-detpixels 6 -printout", 36},
			{"-detpixels 6 -dmin 4 -printout", -1}, // culled pixels: at least one block
		} {
			var out, errb bytes.Buffer
			rc := Main(context.Background(), strings.Fields(base+c.args), RunOptions{Stdout: &out, Stderr: &errb, Kernel: k, ClockSeed: -1})
			require.Equal(t, 0, rc, "%s: %s", c.args, errb.String())
			n := strings.Count(out.String(), " : stol = ")
			if c.blocks < 0 {
				require.Positive(t, n, c.args)
			} else {
				require.Equal(t, c.blocks, n, c.args)
			}
			require.Contains(t, out.String(), "real-space cell vectors", c.args)
		}
	}
}
