package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// checkScatterLine runs ScatterLine (current path) and the generic one on
// guarded buffers, checks that nothing but the points' places is written
// and that the results agree bit for bit (the documented guarantee of
// every path).
func checkScatterLine(t testing.TB, l *Line, n, chunk, stride int) {
	t.Helper()
	size := 0
	if n > 0 {
		size = lineIndex(n-1, chunk, stride) + 1
	}
	s, checkS := guarded(t, 3*size)
	r, checkR := guarded(t, size)
	gs, gr := make([]float64, 3*size), make([]float64, size)
	for i := range gs {
		gs[i] = math.NaN()
	}
	for i := range gr {
		gr[i] = math.NaN()
	}
	const sent = 0x7ff8_dead_beef_0001 // guarded fills the window with it too
	ScatterLine(l, n, chunk, stride, s, r)
	checkS()
	checkR()
	scatterLineGeneric(l, 0, n, chunk, stride, gs, gr)
	written := make([]bool, size)
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	for i := range n {
		j := lineIndex(i, chunk, stride)
		written[j] = true
		if !same(r[j], gr[j]) {
			t.Fatalf("%s n=%d chunk=%d stride=%d i=%d: r %v, generic %v", Path(), n, chunk, stride, i, r[j], gr[j])
		}
		for k := range 3 {
			if a, b := s[3*j+k], gs[3*j+k]; !same(a, b) {
				t.Fatalf("%s n=%d chunk=%d stride=%d i=%d: S[%d] %v, generic %v", Path(), n, chunk, stride, i, k, a, b)
			}
		}
	}
	for j, w := range written {
		if w {
			continue
		}
		if math.Float64bits(r[j]) != sent {
			t.Fatalf("%s n=%d chunk=%d stride=%d: r[%d] written", Path(), n, chunk, stride, j)
		}
		for k := range 3 {
			if math.Float64bits(s[3*j+k]) != sent {
				t.Fatalf("%s n=%d chunk=%d stride=%d: s[%d] written", Path(), n, chunk, stride, 3*j+k)
			}
		}
	}
}

// detectorLine is a random line of sample points like the engine's: a
// detector 0.05-0.2 m away, 1e-5 m sub-pixels, beam along x.
func detectorLine(rng *rand.Rand) *Line {
	d := 0.05 + 0.15*rng.Float64()
	sdet, odet := rng.Float64()*0.1, rng.Float64()*1e-3
	l := &Line{
		Sub:       1.25e-5 * (1 + rng.Float64()),
		K0:        float64(rng.IntN(8192)),
		Dir:       [3]float64{(rng.Float64() - 0.5) * 0.1, -1, (rng.Float64() - 0.5) * 0.1},
		Slow:      [3]float64{sdet * 0.01, sdet * 0.02, sdet * -1},
		Depth:     [3]float64{odet, odet * 0.01, odet * 0.02},
		Pix0:      [3]float64{d, (rng.Float64() - 0.5) * 0.2, (rng.Float64() - 0.5) * 0.2},
		Inc:       [3]float64{1, 0, 0},
		InvLambda: 1e10 / (0.5 + rng.Float64()),
	}
	if rng.IntN(3) == 0 {
		th := rng.Float64() * 0.1
		l.Inc = [3]float64{math.Cos(th), math.Sin(th), 0}
	}
	return l
}

// TestScatterLine compares every path with the generic one over n =
// 0..100, contiguous and strided stores (chunks of 1..8 points), with
// guard values and the documented bound, plus zero points and long lines.
func TestScatterLine(t *testing.T) {
	for _, p := range allPaths {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				rng := rand.New(rand.NewPCG(31, 32))
				for n := 0; n <= 100; n++ {
					l := detectorLine(rng)
					checkScatterLine(t, l, n, max(n, 1), max(n, 1))
					for _, cs := range [][2]int{{1, 1}, {4, 4}, {4, 16}, {4, 5}, {8, 64}, {2, 8}, {3, 9}, {12, 13}} {
						checkScatterLine(t, l, n, cs[0], cs[1])
					}
				}
				// zero points: a line through the origin (point i = 4 at f = 0)
				checkScatterLine(t, &Line{Sub: 0.5, K0: -4.5, Dir: [3]float64{1, 2, 3}, Inc: [3]float64{1, 0, 0}, InvLambda: 2}, 9, 9, 9)
				checkScatterLine(t, &Line{Sub: 0.5, K0: -4.5, Dir: [3]float64{1, 2, 3}, Inc: [3]float64{1, 0, 0}, InvLambda: 2}, 12, 4, 6)
				// a point exactly on the beam axis gives S == 0
				on := &Line{Sub: 0.25, K0: -2, Dir: [3]float64{0, 1, 0}, Pix0: [3]float64{0.1, 0, 0}, Inc: [3]float64{1, 0, 0}, InvLambda: 1e10}
				checkScatterLine(t, on, 4, 4, 4)
				// a long run, as the engine calls it
				checkScatterLine(t, detectorLine(rng), 4096, 4, 16)
				checkScatterLine(t, detectorLine(rng), 4099, 4099, 4099)
			})
		})
	}
}

func TestScatterLinePanics(t *testing.T) {
	for _, c := range [][4]int{{4, 0, 4, 12}, {4, 4, 3, 12}, {5, 4, 4, 4}, {-1, 1, 1, 0}, {8, 4, 8, 11}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("n=%d chunk=%d stride=%d len=%d: no panic", c[0], c[1], c[2], c[3])
				}
			}()
			ScatterLine(&Line{}, c[0], c[1], c[2], make([]float64, 3*c[3]), make([]float64, c[3]))
		}()
	}
}

// FuzzScatterLine: ScatterLine and MillerLine on every assembly path
// equal the generic path on arbitrary lines and layouts.
func FuzzScatterLine(f *testing.F) {
	f.Add(0.1, 0.01, -0.02, 0.05, -1.0, 0.0, 3.0, 1e-5, 0.99, 0.1, 1e10, uint8(17), uint8(4), uint8(12))
	f.Add(0.0, 0.0, 0.0, 1.0, 2.0, 3.0, -4.5, 0.5, 1.0, 0.0, 2.0, uint8(9), uint8(9), uint8(9))
	f.Fuzz(func(t *testing.T, b0, b1, b2, d0, d1, d2, k0, sub, i0, i1, il float64, nn, cc, ss uint8) {
		v := []*float64{&b0, &b1, &b2, &d0, &d1, &d2, &k0, &sub, &i0, &i1, &il}
		for _, x := range v {
			if math.IsNaN(*x) || math.Abs(*x) > 1e60 {
				t.Skip()
			}
			if math.Abs(*x) < 1e-60 {
				*x = 0
			}
		}
		n, chunk := int(nn%64), 1+int(cc%12)
		stride := chunk + int(ss%8)
		k0 = math.Round(k0) // an integer index, as the engine passes it
		l := &Line{Sub: sub, K0: k0, Dir: [3]float64{d0, d1, d2}, Slow: [3]float64{b1, b0, b2}, Depth: [3]float64{b2, b1, b0}, Pix0: [3]float64{b0, b1, b2}, Inc: [3]float64{i0, i1, 0}, InvLambda: il}
		cell := [9]float64{d0, b1, i0, k0, sub, d2, il, b0, i1}
		size := 1
		if n > 0 {
			size = lineIndex(n-1, chunk, stride) + 1
		}
		for _, p := range asmPaths() {
			withPath(t, p, func() {
				checkScatterLine(t, l, n, chunk, stride)
				// MillerLine: the assembly's bits are the generic's
				h, k, ll, r := make([]float64, size), make([]float64, size), make([]float64, size), make([]float64, size)
				gh, gk, gl, gr := make([]float64, size), make([]float64, size), make([]float64, size), make([]float64, size)
				MillerLine(l, &cell, n, chunk, stride, h, k, ll, r)
				millerLineGeneric(l, &cell, 0, n, chunk, stride, gh, gk, gl, gr)
				for j := range h {
					for _, pair := range [][2]float64{{h[j], gh[j]}, {k[j], gk[j]}, {ll[j], gl[j]}, {r[j], gr[j]}} {
						if math.Float64bits(pair[0]) != math.Float64bits(pair[1]) && !(math.IsNaN(pair[0]) && math.IsNaN(pair[1])) {
							t.Fatalf("%s n=%d chunk=%d stride=%d j=%d: MillerLine %v, generic %v", p, n, chunk, stride, j, pair[0], pair[1])
						}
					}
				}
			})
		}
	})
}

// BenchmarkScatterLine times the engine's case: 1024 pixels of 4 points
// stored 16 apart, and the same line stored contiguously.
func BenchmarkScatterLine(b *testing.B) {
	rng := rand.New(rand.NewPCG(33, 34))
	l := detectorLine(rng)
	for _, p := range allPaths {
		for _, cs := range [][2]int{{4, 16}, {4096, 4096}} {
			b.Run(fmt.Sprintf("path=%s/chunk=%d/stride=%d", p, cs[0], cs[1]), func(b *testing.B) {
				withPath(b, p, func() {
					const n = 4096
					size := lineIndex(n-1, cs[0], cs[1]) + 1
					s, r := make([]float64, 3*size), make([]float64, size)
					for b.Loop() {
						ScatterLine(l, n, cs[0], cs[1], s, r)
					}
					b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*n), "ns/point")
				})
			})
		}
	}
}

// TestMillerLine: every path equals the generic bit for bit over n =
// 0..100 and chunked layouts, writes nothing else, stores ScatterLine's
// distances bit for bit, and agrees with ScatterLine followed by the
// generic Miller indices within the rounding of both: |dh| <= 9u*il*A +
// u*|h|, u = 2^-53, A = |a_x| + |a_y| + |a_z| (MillerLine: 0.5u for w,
// 1.5u*A*|p|/r for a·p, 1.5u*il*A for the offset, 0.5u*|h| for the last
// FMA; the reference: 0.5u for d, 1u*|d - inc| and 0.5u*|S| for S, 1.5u
// for its dot, with |d|, |inc| <= 1).
func TestMillerLine(t *testing.T) {
	for _, p := range allPaths {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				rng := rand.New(rand.NewPCG(41, 42))
				for n := 0; n <= 100; n++ {
					l := detectorLine(rng)
					var cell [9]float64
					for q := range cell {
						cell[q] = (rng.Float64() - 0.5) * 1e-8
					}
					for _, cs := range [][2]int{{max(n, 1), max(n, 1)}, {4, 16}, {4, 5}, {3, 9}, {1, 1}} {
						size := 0
						if n > 0 {
							size = lineIndex(n-1, cs[0], cs[1]) + 1
						}
						h, ch := guarded(t, size)
						k, ck := guarded(t, size)
						ll, cl := guarded(t, size)
						r, cr := guarded(t, size)
						MillerLine(l, &cell, n, cs[0], cs[1], h, k, ll, r)
						ch()
						ck()
						cl()
						cr()
						gh, gk, gl, gr := make([]float64, size), make([]float64, size), make([]float64, size), make([]float64, size)
						millerLineGeneric(l, &cell, 0, n, cs[0], cs[1], gh, gk, gl, gr)
						s, sr := make([]float64, 3*size), make([]float64, size)
						scatterLineGeneric(l, 0, n, cs[0], cs[1], s, sr)
						for i := range n {
							j := lineIndex(i, cs[0], cs[1])
							if h[j] != gh[j] || k[j] != gk[j] || ll[j] != gl[j] || r[j] != gr[j] {
								t.Fatalf("%s n=%d %v i=%d: %v %v %v %v, generic %v %v %v %v", p, n, cs, i, h[j], k[j], ll[j], r[j], gh[j], gk[j], gl[j], gr[j])
							}
							var hh [3]float64
							millerIndicesGeneric(s[3*j:3*j+3], cell[:], 1, 1, hh[0:1], hh[1:2], hh[2:3])
							if sr[j] != gr[j] {
								t.Fatalf("n=%d i=%d: distance %v, ScatterLine %v", n, i, gr[j], sr[j])
							}
							for q, got := range [3]float64{gh[j], gk[j], gl[j]} {
								a := math.Abs(cell[3*q]) + math.Abs(cell[3*q+1]) + math.Abs(cell[3*q+2])
								tol := 9*0x1p-53*l.InvLambda*a + 0x1p-53*math.Abs(hh[q])
								if d := math.Abs(got - hh[q]); d > tol {
									t.Fatalf("n=%d i=%d index %d: %v, ScatterLine + MillerIndices %v (|d| %.3g > %.3g)", n, i, q, got, hh[q], d, tol)
								}
							}
						}
					}
				}
			})
		})
	}
}

// TestMillerSources: the fused indices agree with (d - inc)*il followed
// by the generic dot products within the documented bound, for unit
// vectors and unit incident directions, 0..30 points and 1..30 sources,
// and every assembly path gives the generic path's bits.
func TestMillerSources(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	unit := func() (float64, float64, float64) {
		x, y, z := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		r := math.Sqrt(x*x + y*y + z*z)
		return x / r, y / r, z / r
	}
	for trial := 0; trial < 300; trial++ {
		n, m := rng.IntN(31), 1+rng.IntN(30)
		x, y, z := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i], z[i] = unit()
		}
		ix, iy, iz, il := make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m)
		for s := range il {
			ix[s], iy[s], iz[s] = unit()
			il[s] = 0.5 + rng.Float64()*2
		}
		var cell [9]float64
		for q := range cell {
			cell[q] = (rng.Float64() - 0.5) * 100
		}
		h, k, l := make([]float64, n*m), make([]float64, n*m), make([]float64, n*m)
		withPath(t, "generic", func() { MillerSources(x, y, z, il, MillerOffsets(ix, iy, iz, il, &cell), &cell, h, k, l) })
		for _, p := range asmPaths() {
			withPath(t, p, func() {
				gh, gk, gl := make([]float64, n*m+2), make([]float64, n*m+2), make([]float64, n*m+2)
				for _, g := range [][]float64{gh, gk, gl} {
					g[0], g[n*m+1] = 7, 7
				}
				ah, ak, al := gh[1:n*m+1], gk[1:n*m+1], gl[1:n*m+1]
				MillerSources(x, y, z, il, MillerOffsets(ix, iy, iz, il, &cell), &cell, ah, ak, al)
				for j := range h {
					if math.Float64bits(ah[j]) != math.Float64bits(h[j]) || math.Float64bits(ak[j]) != math.Float64bits(k[j]) || math.Float64bits(al[j]) != math.Float64bits(l[j]) {
						t.Fatalf("%s n=%d m=%d j=%d: (%v %v %v), generic (%v %v %v)", p, n, m, j, ah[j], ak[j], al[j], h[j], k[j], l[j])
					}
				}
				for _, g := range [][]float64{gh, gk, gl} {
					if g[0] != 7 || g[n*m+1] != 7 {
						t.Fatalf("%s n=%d m=%d: wrote outside the outputs", p, n, m)
					}
				}
			})
		}
		for i := range n {
			for s := range m {
				S := []float64{(x[i] - ix[s]) * il[s], (y[i] - iy[s]) * il[s], (z[i] - iz[s]) * il[s]}
				var want [3]float64
				millerIndicesGeneric(S, cell[:], 1, 1, want[0:1], want[1:2], want[2:3])
				for q, got := range [3]float64{h[i*m+s], k[i*m+s], l[i*m+s]} {
					a := math.Abs(cell[3*q]) + math.Abs(cell[3*q+1]) + math.Abs(cell[3*q+2])
					tol := 9*0x1p-53*il[s]*a + 0x1p-53*math.Abs(want[q])
					if d := math.Abs(got - want[q]); d > tol {
						t.Fatalf("n=%d point %d source %d index %d: %v, reference %v (|d| %.3g > %.3g)", n, i, s, q, got, want[q], d, tol)
					}
				}
			}
		}
	}
}

// FuzzMillerSources: every assembly path gives the generic path's bits
// for arbitrary points, sources and cells (NaN and Inf included).
func FuzzMillerSources(f *testing.F) {
	f.Add(0.1, -0.2, 0.97, 0.5, 1.0, 1e9, 3.0, uint8(5), uint8(7))
	f.Fuzz(func(t *testing.T, x, y, z, c0, c1, il, inc float64, nn, mm uint8) {
		n, m := int(nn%20), 1+int(mm%30)
		xs, ys, zs := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range xs {
			xs[i], ys[i], zs[i] = x*float64(i+1), y-float64(i), z
		}
		ix, iy, iz, ils := make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m)
		for s := range ils {
			ix[s], iy[s], iz[s], ils[s] = inc, -inc*float64(s), 1, il+float64(s)
		}
		cell := [9]float64{c0, c1, x, y, c0 * c1, z, il, c1, c0}
		want := [3][]float64{make([]float64, n*m), make([]float64, n*m), make([]float64, n*m)}
		withPath(t, "generic", func() {
			MillerSources(xs, ys, zs, ils, MillerOffsets(ix, iy, iz, ils, &cell), &cell, want[0], want[1], want[2])
		})
		for _, p := range asmPaths() {
			withPath(t, p, func() {
				got := [3][]float64{make([]float64, n*m), make([]float64, n*m), make([]float64, n*m)}
				MillerSources(xs, ys, zs, ils, MillerOffsets(ix, iy, iz, ils, &cell), &cell, got[0], got[1], got[2])
				for q := range got {
					for j := range got[q] {
						a, b := got[q][j], want[q][j]
						if math.Float64bits(a) != math.Float64bits(b) && !(math.IsNaN(a) && math.IsNaN(b)) {
							t.Fatalf("%s index %d j=%d: %v, generic %v", p, q, j, a, b)
						}
					}
				}
			})
		}
	})
}
