package core

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gobragg/gobragg/asm"
)

// Thresholds for paths that may reorder arithmetic (the drop-in issue).
const (
	simdMaxRel   = 1e-6     // per pixel, over pixels above simdFloor*max
	simdFloor    = 1e-6     // of the largest pixel
	simdMinCorr  = 0.999999 // Pearson
	simdIntFrac  = 0.001    // SMV/PGM pixels allowed to differ...
	simdIntCount = 1        // ...by at most this many counts
)

func floats(t *testing.T, raw []byte) []float32 {
	t.Helper()
	require.Zero(t, len(raw)%4)
	out := make([]float32, len(raw)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}

// pearson returns the correlation of two images over finite pixels.
func pearson(a, b []float32) float64 {
	var n, ma, mb float64
	for i := range a {
		ma += float64(a[i])
		mb += float64(b[i])
		n++
	}
	ma, mb = ma/n, mb/n
	var cov, va, vb float64
	for i := range a {
		x, y := float64(a[i])-ma, float64(b[i])-mb
		cov += x * y
		va += x * x
		vb += y * y
	}
	if va == 0 && vb == 0 {
		return 1
	}
	return cov / math.Sqrt(va*vb)
}

// TestGoldenSIMD runs every golden case on each SIMD path this CPU offers
// and checks the thresholds for reordered arithmetic.
func TestGoldenSIMD(t *testing.T) {
	cases := goldenCases(t)
	prev := asm.Path()
	t.Cleanup(func() { _ = asm.SetPath(prev) })
	for _, path := range asm.Paths() {
		if path == "generic" {
			continue
		}
		require.NoError(t, asm.SetPath(path))
		for _, gc := range cases {
			t.Run(path+"/"+gc.name, func(t *testing.T) {
				dir := t.TempDir()
				_, stderr, rc := runInDir(t, dir, gc.args, 2, SIMDKernel{})
				require.Equal(t, 0, rc, stderr)
				wantRaw, err := os.ReadFile(filepath.Join(gc.dir, "float.bin"))
				require.NoError(t, err)
				gotRaw, err := os.ReadFile(filepath.Join(dir, "float.bin"))
				require.NoError(t, err)
				want, got := floats(t, wantRaw), floats(t, gotRaw)
				require.Equal(t, len(want), len(got))
				maxC := 0.0
				for _, v := range want {
					maxC = math.Max(maxC, math.Abs(float64(v)))
				}
				worst, worstAt := 0.0, -1
				for i := range want {
					c, g := float64(want[i]), float64(got[i])
					if math.Abs(c) <= simdFloor*maxC {
						continue
					}
					if rel := math.Abs(g-c) / math.Abs(c); rel > worst {
						worst, worstAt = rel, i
					}
				}
				t.Logf("%s %s: max rel %.3g at pixel %d, correlation %.12f", path, gc.name, worst, worstAt, pearson(want, got))
				require.LessOrEqual(t, worst, simdMaxRel, "pixel %d", worstAt)
				require.GreaterOrEqual(t, pearson(want, got), simdMinCorr)
				for _, f := range []string{"int.img", "noise.img", "image.pgm"} {
					w, err := os.ReadFile(filepath.Join(gc.dir, f))
					if os.IsNotExist(err) || f == "noise.img" {
						continue // the noise stream is only reproducible from identical floats
					}
					g, err := os.ReadFile(filepath.Join(dir, f))
					require.NoError(t, err)
					require.Equal(t, len(w), len(g))
					hdr := 512
					if f == "image.pgm" {
						hdr = len(w) - len(want)
					}
					require.Equal(t, w[:hdr], g[:hdr], "%s header", f)
					step := 2
					if f == "image.pgm" {
						step = 1
					}
					differ := 0
					for i := hdr; i+step <= len(w); i += step {
						a, b := int(w[i]), int(g[i])
						if step == 2 {
							a, b = int(binary.LittleEndian.Uint16(w[i:])), int(binary.LittleEndian.Uint16(g[i:]))
						}
						if a != b {
							differ++
							require.LessOrEqual(t, abs(a-b), simdIntCount, "%s pixel %d", f, (i-hdr)/step)
						}
					}
					require.LessOrEqual(t, float64(differ), simdIntFrac*float64(len(want)), f)
				}
			})
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
