package core

import (
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func setupArgs(t *testing.T, args string) *Plan {
	t.Helper()
	c, err := ParseArgs(strings.Fields(args), -1, io.Discard)
	require.NoError(t, err)
	p, _, err := Setup(c, io.Discard, io.Discard)
	require.NoError(t, err)
	return p
}

func requireVec(t *testing.T, want, got Vec, tol float64, msg string) {
	t.Helper()
	for i := range want {
		require.InDelta(t, want[i], got[i], tol, "%s component %d: want %v got %v", msg, i, want, got)
	}
}

// TestConventionGeometry checks pix0 and the axes of every convention with
// nothing rotated against geometry.md §3 and §6.6.
func TestConventionGeometry(t *testing.T) {
	const base = "-cell 100 100 100 90 90 90 -default_F 1 -N 3 -nonoise -detpixels 64 -pixel 0.1 -distance 100 "
	px, D, det := 0.0001, 0.1, 0.0064
	for _, tc := range []struct {
		args             string
		pix0             Vec
		fdet, sdet, odet Vec
		pivot            Pivot
	}{
		{"-mosflm -Xbeam 3 -Ybeam 4", Vec{D, 0.003 + 0.5*px, -(0.004 + 0.5*px)}, Vec{0, 0, 1}, Vec{0, -1, 0}, Vec{1, 0, 0}, PivotBeam},
		{"-denzo -Xbeam 3 -Ybeam 4", Vec{D, 0.003, -0.004}, Vec{0, 0, 1}, Vec{0, -1, 0}, Vec{1, 0, 0}, PivotBeam},
		{"-adxv -Xbeam 3 -Ybeam 4", Vec{-0.003, det - 0.004, D}, Vec{1, 0, 0}, Vec{0, -1, 0}, Vec{0, 0, 1}, PivotBeam},
		{"-xds -ORGX 20 -ORGY 30 -Xbeam 1 -Ybeam 2", Vec{-(19.5 * px), -(29.5 * px), D}, Vec{1, 0, 0}, Vec{0, 1, 0}, Vec{0, 0, 1}, PivotSample},
		{"-dials", Vec{-det / 2, -det / 2, D}, Vec{1, 0, 0}, Vec{0, 1, 0}, Vec{0, 0, 1}, PivotSample},
		{"-fdet_vector 0 0 1 -Xbeam 3 -Ybeam 4", Vec{D, 0.004, -0.003}, Vec{0, 0, 1}, Vec{0, -1, 0}, Vec{1, 0, 0}, PivotBeam},
		{"-fdet_vector 0 0 1 -Xbeam 3 -Ybeam 4 -pivot sample", Vec{D, 0.004, -0.003}, Vec{0, 0, 1}, Vec{0, -1, 0}, Vec{1, 0, 0}, PivotSample},
	} {
		p := setupArgs(t, base+tc.args)
		requireVec(t, tc.pix0, p.Pix0, 1e-15, tc.args+" pix0")
		requireVec(t, tc.fdet, p.Fdet, 0, tc.args+" fdet")
		requireVec(t, tc.sdet, p.Sdet, 0, tc.args+" sdet")
		requireVec(t, tc.odet, p.Odet, 0, tc.args+" odet")
		require.Equal(t, tc.pivot, p.Cfg.Pivot, tc.args)
	}
}

// TestMosflmDefaults is AT-GEO-001: beam centre with the half-pixel shift.
func TestMosflmDefaults(t *testing.T) {
	p := setupArgs(t, "-cell 100 100 100 90 90 90 -default_F 100 -N 3 -nonoise -mosflm -pixel 0.1 -distance 100 -Xbeam 51.2 -Ybeam 51.2 -detpixels 1024 -roi 0 0 0 0")
	requireVec(t, Vec{0.1, 0.05125, -0.05125}, p.Pix0, 1e-15, "pix0")
	require.InDelta(t, 0.05125, p.Fbeam, 1e-15)
	require.InDelta(t, 0.05125, p.Sbeam, 1e-15)
	require.InDelta(t, 513, p.ORGX, 1e-9)
	requireVec(t, Vec{-51.25, 51.25, -100}, p.DialsOrigin, 1e-9, "dials origin")
}

// TestTwoThetaDistance: the recomputed distance uses the stale ratio (Q10).
func TestTwoThetaDistance(t *testing.T) {
	p := setupArgs(t, "-cell 100 100 100 90 90 90 -default_F 100 -N 3 -nonoise -detpixels 64 -distance 100 -twotheta 10")
	require.InDelta(t, 0.1*math.Cos(10*math.Pi/180), p.Distance, 1e-12)
	require.Equal(t, PivotBeam, p.Cfg.Pivot)
}

func TestSincgSinc3(t *testing.T) {
	f := func(h, n float64) float64 {
		out := []float64{0}
		ExactKernel{}.SquareLattice([]float64{h}, []float64{0}, []float64{0}, n, 1, 1, out)
		return out[0]
	}
	require.Equal(t, 5.0, f(0, 5))
	require.InDelta(t, 5.0, f(1, 5), 1e-12)  // (-1)^(h(N-1))·N with h = 1
	require.InDelta(t, -4.0, f(1, 4), 1e-12) // h = 1, N = 4: -N
	require.Equal(t, 1.0, f(0.37, 1))        // N = 1 skips the axis
	require.Equal(t, 1.0, sinc3(0))
	x := 1e-3
	require.InDelta(t, 1.0, sinc3(x), 1e-6)
	require.InDelta(t, 3*(math.Sin(2)/2-math.Cos(2))/4, sinc3(2), 0)
}

// TestAddRepeated checks the O(1) repeated addition against the loop.
func TestAddRepeated(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	loop := func(s, w float64, k int) float64 {
		for range k {
			s += w
		}
		return s
	}
	for i := 0; i < 200000; i++ {
		s := rng.Float64() * math.Pow(10, float64(rng.IntN(12)-8))
		w := rng.Float64() * math.Pow(10, float64(rng.IntN(12)-14))
		switch rng.IntN(6) {
		case 0:
			s = 0
		case 1: // exact halves of the spacing (ties)
			_, e := math.Frexp(s)
			w = math.Ldexp(float64(rng.IntN(8))+0.5, e-53)
		case 2: // near a binade end
			_, e := math.Frexp(s)
			s = math.Nextafter(math.Ldexp(1, e), 0)
		}
		k := 1 + rng.IntN(64)
		if got, want := addRepeated(s, w, k), loop(s, w, k); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("addRepeated(%v, %v, %d) = %v, loop gives %v", s, w, k, got, want)
		}
	}
}

// TestAddRepeatedRun: the run form equals term-by-term addRepeated (hence
// the plain loop) bit for bit, across binade crossings, ties and zeros.
func TestAddRepeatedRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 3000; i++ {
		s := rng.Float64() * math.Pow(10, float64(rng.IntN(12)-8))
		if rng.IntN(5) == 0 {
			s = 0
		}
		ws := make([]float64, rng.IntN(400))
		scale := math.Pow(10, float64(rng.IntN(12)-14))
		for j := range ws {
			ws[j] = scale * (0.5 + rng.Float64())
			switch rng.IntN(40) {
			case 0:
				ws[j] = 0
			case 1: // a tie at the spacing of a typical partial sum
				_, e := math.Frexp(s + scale*float64(j))
				ws[j] = math.Ldexp(float64(rng.IntN(8))+0.5, e-53)
			}
		}
		k := 1 + rng.IntN(64)
		want := s
		for _, w := range ws {
			want = addRepeated(want, w, k)
		}
		if got := addRepeatedRun(s, ws, k); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("case %d: addRepeatedRun = %v, term by term %v", i, got, want)
		}
	}
}
