package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSumSquareTerms compares every path with the generic one over lengths
// 0..100 (indices in and out of the grid, NaN, runs of equal indices, zero
// lattice factors; the
// default for the empty grid), checks the documented bound (within n ulp
// of the ordered sum) and that the inputs past the window are not read
// (NaN guards would poison the sum).
func TestSumSquareTerms(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	g := testGrid(rng)
	empty := &FGrid{Default: 3}
	idx := func(lo, hi int) float64 {
		switch rng.IntN(20) {
		case 0:
			return math.NaN()
		case 1:
			return 1e300
		case 2:
			return -3e9
		}
		return float64(lo-2) + rng.Float64()*float64(hi-lo+4)
	}
	for _, p := range Paths() {
		withPath(t, p, func() {
			for _, grid := range []*FGrid{g, empty} {
				for n := 0; n <= 100; n++ {
					const guard = 3
					mk := func() []float64 {
						v := make([]float64, n+2*guard)
						for i := range v {
							v[i] = math.NaN()
						}
						return v
					}
					h, k, l, fl := mk(), mk(), mk(), mk()
					for i := guard; i < guard+n; i++ {
						h[i], k[i], l[i] = idx(g.HMin, g.HMax), idx(g.KMin, g.KMax), idx(g.LMin, g.LMax)
						if i > guard && rng.IntN(3) > 0 {
							// runs of evaluations sharing their nearest
							// indices (the kernels' one-load case)
							h[i], k[i], l[i] = h[i-1], k[i-1], l[i-1]
						}
						if rng.IntN(5) > 0 {
							fl[i] = (rng.Float64() - 0.3) * 125
						} else {
							fl[i] = 0
						}
					}
					w := func(v []float64) []float64 { return v[guard : guard+n] }
					want := SumSquareTermsGeneric(w(h), w(k), w(l), w(fl), grid)
					got := SumSquareTerms(w(h), w(k), w(l), w(fl), grid)
					if math.IsNaN(got) || math.Abs(got-want) > float64(n)*0x1p-52*want {
						t.Fatalf("%s n=%d: got %v, want %v", p, n, got, want)
					}
				}
			}
		})
	}
}

// TestSumSquareTermsTerms checks that single terms are bit-identical to the
// generic ones (only the order of the sum may differ).
func TestSumSquareTermsTerms(t *testing.T) {
	g := &FGrid{HMin: -1, HMax: 1, KMin: -1, KMax: 1, LMin: -1, LMax: 1, StrideH: 9, StrideK: 3, Default: 2}
	g.F = make([]float64, 27)
	for i := range g.F {
		g.F[i] = math.Pi * float64(i+1)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, p := range Paths() {
		withPath(t, p, func() {
			for it := 0; it < 2000; it++ {
				h, k, l, fl := make([]float64, 4), make([]float64, 4), make([]float64, 4), make([]float64, 4)
				j := rng.IntN(4)
				h[j], k[j], l[j] = rng.Float64()*4-2, rng.Float64()*4-2, rng.Float64()*4-2
				fl[j] = rng.NormFloat64() * 30
				want := SumSquareTermsGeneric(h, k, l, fl, g)
				if got := SumSquareTerms(h, k, l, fl, g); got != want {
					t.Fatalf("%s: h=%v k=%v l=%v fl=%v: got %v, want %v", p, h[j], k[j], l[j], fl[j], got, want)
				}
			}
		})
	}
}

// BenchmarkSumSquareTerms times the accumulation per path on a grid of
// 31^3 structure factors and indices mostly inside it.
func BenchmarkSumSquareTerms(b *testing.B) {
	const n = 4096
	g := &FGrid{F: make([]float64, 32*32*32), HMin: -15, HMax: 15, KMin: -15, KMax: 15, LMin: -15, LMax: 15, StrideH: 32 * 32, StrideK: 32, Default: 1}
	for i := range g.F {
		g.F[i] = float64(i%97) + 1
	}
	g.Prepare()
	h, k, l, fl := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range fl {
		h[i], k[i], l[i], fl[i] = float64(i%37)-18.2, float64(i%29)-14.4, float64(i%31)-15.1, 0.5+float64(i%5)
	}
	for _, p := range allPaths {
		b.Run("path="+p, func(b *testing.B) {
			withPath(b, p, func() {
				for b.Loop() {
					SumSquareTerms(h, k, l, fl, g)
				}
				b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*n), "ns/term")
			})
		})
	}
}

// TestSolidAngles: every path gives the scalar formula's bits over lengths
// 0..100 and strides 1..17 (distances normal, tiny, huge, zero, Inf, NaN),
// and writes nothing around out (guard values before and after).
func TestSolidAngles(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, p := range Paths() {
		withPath(t, p, func() {
			for n := 0; n <= 100; n++ {
				for _, stride := range []int{1, 4, 16, 17} {
					r := make([]float64, max(1, n*stride))
					for i := range r {
						r[i] = 0.05 + rng.Float64()*0.2
						switch rng.IntN(30) {
						case 0:
							r[i] = 0
						case 1:
							r[i] = math.Inf(1)
						case 2:
							r[i] = math.NaN()
						case 3:
							r[i] = 1e-300
						case 4:
							r[i] = 1e300
						}
					}
					for _, point := range []bool{false, true} {
						buf := make([]float64, n+2)
						buf[0], buf[n+1] = 7, 7
						out := buf[1 : n+1]
						area, close := 1e-8*(1+rng.Float64()), 0.1*(1+rng.Float64())
						SolidAngles(r, stride, area, close, point, out)
						for i := 0; i < n; i++ {
							x := r[i*stride]
							want := float64(float64(float64(area/x)/x)*close) / x
							if point {
								want = 1.0 / x / x
							}
							if math.Float64bits(out[i]) != math.Float64bits(want) && !(math.IsNaN(out[i]) && math.IsNaN(want)) {
								t.Fatalf("%s n=%d stride=%d point=%v i=%d: %v, want %v", p, n, stride, point, i, out[i], want)
							}
						}
						if buf[0] != 7 || buf[n+1] != 7 {
							t.Fatalf("%s n=%d: wrote outside out", p, n)
						}
					}
				}
			}
		})
	}
}

// FuzzSolidAngles: every path gives the scalar formula's bits.
func FuzzSolidAngles(f *testing.F) {
	f.Add(0.1, 0.003, 1e-8, 0.1, uint8(9), uint8(3), false)
	f.Fuzz(func(t *testing.T, r0, dr, area, close float64, nn, ss uint8, point bool) {
		n, stride := int(nn%40), 1+int(ss%17)
		r := make([]float64, max(1, n*stride))
		for i := range r {
			r[i] = r0 + dr*float64(i)
		}
		for _, p := range Paths() {
			withPath(t, p, func() {
				out := make([]float64, n)
				SolidAngles(r, stride, area, close, point, out)
				for i := range out {
					x := r[i*stride]
					want := float64(float64(float64(area/x)/x)*close) / x
					if point {
						want = 1.0 / x / x
					}
					if math.Float64bits(out[i]) != math.Float64bits(want) && !(math.IsNaN(out[i]) && math.IsNaN(want)) {
						t.Fatalf("%s i=%d: %v, want %v", p, i, out[i], want)
					}
				}
			})
		}
	})
}

// TestSumSquareTermsBlocks: the batched form returns SumSquareTerms of each
// block bit for bit, on every path, for block sizes 1..30.
func TestSumSquareTermsBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	g := testGrid(rng)
	g.Prepare()
	for _, p := range Paths() {
		withPath(t, p, func() {
			for per := 1; per <= 30; per++ {
				nb := 1 + rng.IntN(7)
				n := nb * per
				h, k, l, fl := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
				for i := range h {
					h[i], k[i], l[i] = rng.Float64()*10-5, rng.Float64()*6-3, rng.Float64()*8-6
					fl[i] = rng.NormFloat64() * 20
				}
				out := make([]float64, nb)
				SumSquareTermsBlocks(h, k, l, fl, per, g, out)
				for b := range out {
					lo, hi := b*per, (b+1)*per
					if want := SumSquareTerms(h[lo:hi], k[lo:hi], l[lo:hi], fl[lo:hi], g); math.Float64bits(out[b]) != math.Float64bits(want) {
						t.Fatalf("%s per=%d block %d: %v, SumSquareTerms %v", p, per, b, out[b], want)
					}
				}
			}
		})
	}
}

// testGrid is a small structure-factor grid with random F in [0, 100).
func testGrid(rng *rand.Rand) *FGrid {
	g := &FGrid{HMin: -3, HMax: 4, KMin: -2, KMax: 2, LMin: -5, LMax: 1, Default: 7.5}
	g.StrideK = g.LMax - g.LMin + 1
	g.StrideH = (g.KMax - g.KMin + 1) * g.StrideK
	g.F = make([]float64, (g.HMax-g.HMin+1)*g.StrideH)
	for i := range g.F {
		g.F[i] = rng.Float64() * 100
	}
	return g
}
