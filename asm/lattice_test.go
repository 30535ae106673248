package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// checkLatticeAgainstGeneric compares one call of the current path with the
// generic path element by element. For integral N the tolerance is the
// documented asm bound plus the a-priori generic bound (the generic is the
// less accurate of the two); entries where the generic has no bound
// (integral h != 0) are compared with the true value instead.
func checkLatticeAgainstGeneric(t *testing.T, h, k, l []float64, na, nb, nc float64) {
	t.Helper()
	n := len(h)
	out, check := guarded(t, n)
	SquareLattice(h, k, l, na, nb, nc, out)
	check()
	want := make([]float64, n)
	squareLatticeGeneric(h, k, l, na, nb, nc, want)
	integral := latticeAsmOK(na) && latticeAsmOK(nb) && latticeAsmOK(nc)
	for i := range out {
		if !integral || Path() == "generic" {
			if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
				t.Fatalf("N=(%g,%g,%g) i=%d: fallback %v != generic %v", na, nb, nc, i, out[i], want[i])
			}
			continue
		}
		ref, f, ok := latticeRef(h[i], k[i], l[i], na, nb, nc)
		if !ok {
			t.Fatalf("no reference for integral N")
		}
		if d := math.Abs(out[i] - ref); d > LatticeRelBound*math.Abs(ref) {
			t.Fatalf("%s: hkl=(%v,%v,%v) N=(%g,%g,%g): got %v, true %v (rel err %.3g > %g)",
				Path(), h[i], k[i], l[i], na, nb, nc, out[i], ref, d/math.Abs(ref), LatticeRelBound)
		}
		tol := LatticeRelBound*math.Abs(ref) + genericProductBound(h[i], k[i], l[i], na, nb, nc, f)
		if d := math.Abs(out[i] - want[i]); !(d <= tol) && !math.IsInf(tol, 1) {
			t.Fatalf("%s: hkl=(%v,%v,%v) N=(%g,%g,%g): got %v, generic %v, |diff| %.3g > %.3g",
				Path(), h[i], k[i], l[i], na, nb, nc, out[i], want[i], d, tol)
		}
	}
}

func randHKL(rng *rand.Rand, n int) (h, k, l []float64) {
	h, k, l = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range h {
		h[i], k[i], l[i] = randIndex(rng), randIndex(rng), randIndex(rng)
	}
	return
}

func TestSquareLatticeLengths(t *testing.T) {
	for _, p := range allPaths {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				rng := rand.New(rand.NewPCG(1, 2))
				for n := 0; n <= 100; n++ {
					h, k, l := randHKL(rng, n)
					na := latticeNs[rng.IntN(len(latticeNs))]
					nb := latticeNs[rng.IntN(len(latticeNs))]
					nc := latticeNs[rng.IntN(len(latticeNs))]
					checkLatticeAgainstGeneric(t, h, k, l, na, nb, nc)
					// Long, all N integral.
				}
				h, k, l := randHKL(rng, 1543)
				checkLatticeAgainstGeneric(t, h, k, l, 10, 31, 100)
			})
		})
	}
}

// TestSquareLatticeAllN runs every N combination on the asm paths.
func TestSquareLatticeAllN(t *testing.T) {
	for _, p := range asmPaths() {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				rng := rand.New(rand.NewPCG(3, 4))
				for _, na := range latticeNs {
					for _, nb := range latticeNs {
						for _, nc := range latticeNs {
							h, k, l := randHKL(rng, 37)
							checkLatticeAgainstGeneric(t, h, k, l, na, nb, nc)
						}
					}
				}
			})
		})
	}
}

// TestLatticeAccuracy enforces the documented bounds against the 256-bit
// reference, per axis and for the product, and logs the worst errors seen
// for both the asm path and the generic path. The generic path is checked
// against its own a-priori bound (genericAxisBound), not against
// LatticeRelBound, because it is not that accurate (see doc.go).
func TestLatticeAccuracy(t *testing.T) {
	for _, p := range asmPaths() {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				rng := rand.New(rand.NewPCG(5, 6))
				ns := []float64{2, 3, 5, 8, 10, 31, 100, 1 << 20, 1 << 31}
				var worstAxis, worstGen float64
				x := make([]float64, 1)
				gotv := make([]float64, 1)
				for range 20000 {
					h := randIndex(rng)
					n := ns[rng.IntN(len(ns))]
					x[0] = h
					SquareLattice(x, x, x, n, 1, 1, gotv)
					got := gotv[0]
					refb, _ := sincgRef(h, n)
					ref, _ := refb.Float64()
					ulp := math.Abs(got-ref) / (math.Abs(ref) * 0x1p-52)
					if ref == 0 {
						if got != 0 {
							t.Fatalf("h=%v N=%g: got %v, true 0", h, n, got)
						}
						ulp = 0
					}
					if ulp > latticeAxisULP {
						t.Fatalf("h=%v N=%g: got %v, true %v: %.2f ulp > %d", h, n, got, ref, ulp, latticeAxisULP)
					}
					worstAxis = max(worstAxis, ulp)
					g := sincgGeneric(math.Pi*h, n)
					gb := genericAxisBound(h, n, ref)
					if d := math.Abs(g - ref); d > gb {
						t.Fatalf("generic h=%v N=%g: %v, true %v, err %.3g > a-priori %.3g", h, n, g, ref, d, gb)
					}
					if ref != 0 && !math.IsInf(gb, 1) {
						worstGen = max(worstGen, math.Abs(g-ref)/math.Abs(ref))
					}
				}
				t.Logf("%s per-axis worst error %.2f ulp (bound %d); generic worst relative error %.3g (where bounded)",
					p, worstAxis, latticeAxisULP, worstGen)

				// Products of one to three factors, mixed active and
				// inactive axes.
				var worstProd float64
				for _, ns := range [][3]float64{{10, 31, 100}, {2, 3, 5}, {8, 1, 31}, {1, 100, 2}, {5, 5, 5}, {1 << 31, 2, 1 << 20}, {3, 8, 1}} {
					h, k, l := randHKL(rng, 1500)
					out := make([]float64, len(h))
					SquareLattice(h, k, l, ns[0], ns[1], ns[2], out)
					for i := range out {
						rel := checkLatticeBound(t, h[i], k[i], l[i], ns[0], ns[1], ns[2], out[i])
						worstProd = max(worstProd, rel)
					}
				}
				t.Logf("%s product worst relative error %.3g (bound %g)", p, worstProd, LatticeRelBound)
			})
		})
	}
}

// TestLatticeAgreement1e12 checks |asm - generic| <= 1e-12*|generic| where
// |generic| > 1e-6*Na*Nb*Nc and the generic itself is provably within
// 1e-13 of the truth (elsewhere the generic is the inaccurate party, which
// TestLatticeAccuracy covers).
func TestLatticeAgreement1e12(t *testing.T) {
	for _, p := range asmPaths() {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				rng := rand.New(rand.NewPCG(7, 8))
				checked := 0
				for _, ns := range [][3]float64{{2, 3, 5}, {8, 10, 31}, {100, 100, 100}, {5, 1, 10}} {
					for range 60 {
						n := 64
						h, k, l := make([]float64, n), make([]float64, n), make([]float64, n)
						for i := range h {
							// near the Bragg peaks, where the product is large
							h[i] = float64(rng.IntN(11)-5) + (rng.Float64()*2-1)*0.3/ns[0]
							k[i] = float64(rng.IntN(11)-5) + (rng.Float64()*2-1)*0.3/ns[1]
							l[i] = float64(rng.IntN(11)-5) + (rng.Float64()*2-1)*0.3/ns[2]
						}
						got, want := make([]float64, n), make([]float64, n)
						SquareLattice(h, k, l, ns[0], ns[1], ns[2], got)
						squareLatticeGeneric(h, k, l, ns[0], ns[1], ns[2], want)
						n3 := max(ns[0], 1) * max(ns[1], 1) * max(ns[2], 1)
						for i := range got {
							_, f, _ := latticeRef(h[i], k[i], l[i], ns[0], ns[1], ns[2])
							gb := genericProductBound(h[i], k[i], l[i], ns[0], ns[1], ns[2], f)
							if math.Abs(want[i]) <= 1e-6*n3 || gb > 1e-13*math.Abs(want[i]) {
								continue
							}
							checked++
							if d := math.Abs(got[i] - want[i]); d > 1e-12*math.Abs(want[i]) {
								t.Fatalf("hkl=(%v,%v,%v) N=%v: asm %v generic %v rel %.3g", h[i], k[i], l[i], ns, got[i], want[i], d/math.Abs(want[i]))
							}
						}
					}
				}
				if checked < 300 {
					t.Fatalf("only %d points checked", checked)
				}
				t.Logf("%d points within 1e-12", checked)
			})
		})
	}
}

func TestLatticeSpecialValues(t *testing.T) {
	for _, p := range asmPaths() {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				inf := math.Inf(1)
				h := []float64{0, math.Copysign(0, -1), 1, -1, 2, 0.5, -0.5, 1e-300, 5e-324, 0x1p52, 0x1p53 + 2, 1e300, inf, -inf, math.NaN(), 1.5}
				out := make([]float64, len(h))
				for _, n := range []float64{2, 3, 100} {
					SquareLattice(h, h, h, n, 1, 1, out)
					for i, x := range h {
						if math.IsInf(x, 0) || math.IsNaN(x) {
							if !math.IsNaN(out[i]) {
								t.Errorf("N=%g h=%v: got %v, want NaN", n, x, out[i])
							}
							continue
						}
						ref, ok := sincgRef(x, n)
						r, _ := ref.Float64()
						if !ok || math.Abs(out[i]-r) > LatticeRelBound*math.Abs(r) {
							t.Errorf("N=%g h=%v: got %v, want %v", n, x, out[i], r)
						}
					}
				}
				// A skipped axis never reads its index into the value.
				SquareLattice([]float64{inf}, []float64{0.25}, []float64{math.NaN()}, 1, 4, 0.5, out[:1])
				if want := sincgGeneric(math.Pi*0.25, 4); math.Abs(out[0]-want) > 1e-15 {
					t.Errorf("skipped axes: got %v want %v", out[0], want)
				}
			})
		})
	}
}

// TestLatticePositionIndependent: the masked tail makes an element's result
// independent of its position in the slice.
func TestLatticePositionIndependent(t *testing.T) {
	for _, p := range asmPaths() {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				rng := rand.New(rand.NewPCG(9, 10))
				h, k, l := randHKL(rng, 67)
				full := make([]float64, len(h))
				SquareLattice(h, k, l, 8, 10, 31, full)
				for s := range 20 {
					part := make([]float64, len(h)-s)
					SquareLattice(h[s:], k[s:], l[s:], 8, 10, 31, part)
					for i := range part {
						if math.Float64bits(part[i]) != math.Float64bits(full[s+i]) {
							t.Fatalf("offset %d element %d differs", s, i)
						}
					}
				}
			})
		})
	}
}

func FuzzSquareLattice(f *testing.F) {
	f.Add(0.25, -3.0, 12.5, uint8(5), uint8(10), uint8(31), uint8(7))
	f.Add(1.0, 1e-13, 50.0+1e-12, uint8(100), uint8(2), uint8(1), uint8(3))
	f.Fuzz(func(t *testing.T, h, k, l float64, a, b, c, n uint8) {
		na, nb, nc := float64(a), float64(b), float64(c)
		cnt := int(n % 16)
		hs, ks, ls := make([]float64, cnt), make([]float64, cnt), make([]float64, cnt)
		for i := range hs {
			hs[i], ks[i], ls[i] = h+float64(i)*0.125, k-float64(i)*0.0625, l*float64(i+1)
		}
		want := make([]float64, cnt)
		squareLatticeGeneric(hs, ks, ls, na, nb, nc, want)
		for _, p := range asmPaths() {
			withPath(t, p, func() {
				got, mag := make([]float64, cnt), make([]float64, cnt)
				SquareLattice(hs, ks, ls, na, nb, nc, got)
				SquareLatticeMagnitude(hs, ks, ls, na, nb, nc, mag)
				for i := range got {
					if a, b := math.Abs(mag[i]), math.Abs(got[i]); math.Float64bits(a) != math.Float64bits(b) && !(math.IsNaN(a) && math.IsNaN(b)) {
						t.Fatalf("%s hkl=(%v,%v,%v) N=(%g,%g,%g): magnitude %v, signed %v", p, hs[i], ks[i], ls[i], na, nb, nc, mag[i], got[i])
					}
					ref, fs, ok := latticeRef(hs[i], ks[i], ls[i], na, nb, nc)
					if !ok || math.IsInf(ref, 0) || math.IsNaN(got[i]) && math.IsNaN(want[i]) {
						continue
					}
					if math.Abs(hs[i]) > 1e15 || math.Abs(ks[i]) > 1e15 || math.Abs(ls[i]) > 1e15 {
						continue // reference too slow / generic meaningless
					}
					if latticeAsmOK(na) && latticeAsmOK(nb) && latticeAsmOK(nc) {
						checkLatticeBound(t, hs[i], ks[i], ls[i], na, nb, nc, got[i])
					}
					tol := LatticeRelBound*math.Abs(ref) + genericProductBound(hs[i], ks[i], ls[i], na, nb, nc, fs)
					if d := math.Abs(got[i] - want[i]); d > tol {
						t.Fatalf("%s hkl=(%v,%v,%v) N=(%g,%g,%g): got %v generic %v tol %g", p, hs[i], ks[i], ls[i], na, nb, nc, got[i], want[i], tol)
					}
				}
			})
		}
	})
}

func BenchmarkSquareLattice(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, p := range allPaths {
		for _, n := range []int{1024} {
			b.Run(fmt.Sprintf("path=%s/n=%d", p, n), func(b *testing.B) {
				withPath(b, p, func() {
					h, k, l := make([]float64, n), make([]float64, n), make([]float64, n)
					for i := range h {
						h[i], k[i], l[i] = (rng.Float64()*2-1)*50, (rng.Float64()*2-1)*50, (rng.Float64()*2-1)*50
					}
					out := make([]float64, n)
					b.ResetTimer()
					for b.Loop() {
						SquareLattice(h, k, l, 10, 31, 100, out)
					}
					b.ReportMetric(float64(b.N)*float64(n)/b.Elapsed().Seconds(), "evals/s")
					b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*float64(n)), "ns/eval")
				})
			})
		}
	}
}

// latticeNumSubnormal reports whether the assembly kernel's numerator
// product (S(r) or N per active axis) is below the normal range, the one
// case where LatticeRelBound is not promised (params.go; it cannot happen
// with latticeTiny = 1e-90, which TestLatticeThreshold probes). It uses the
// lower bound |S(r)| >= 2|r| with a wide margin.
func latticeNumSubnormal(h, k, l, na, nb, nc float64) bool {
	p := 1.0
	for _, ax := range [3][2]float64{{h, na}, {k, nb}, {l, nc}} {
		x, n := ax[0], ax[1]
		if n <= 1 {
			continue
		}
		d := x - math.RoundToEven(x)
		if math.Abs(d) < latticeTiny {
			p *= n
			continue
		}
		nd := n * d
		r := math.Abs(math.FMA(n, d, -math.RoundToEven(nd)))
		if r == 0 {
			return false // a true zero, returned exactly
		}
		p *= 2 * r
	}
	return p < 0x1p-1000
}

// checkLatticeBound checks one asm result against the 256-bit reference:
// an exact zero for a true zero, the relative bound elsewhere, except where
// the numerator product is subnormal (absolute error below 1e-290 there).
// It returns the relative error.
func checkLatticeBound(t testing.TB, h, k, l, na, nb, nc, got float64) float64 {
	t.Helper()
	ref, _, ok := latticeRef(h, k, l, na, nb, nc)
	if !ok {
		t.Fatalf("no reference for hkl=(%v,%v,%v) N=(%g,%g,%g)", h, k, l, na, nb, nc)
	}
	if ref == 0 {
		if got != 0 {
			t.Fatalf("hkl=(%v,%v,%v) N=(%g,%g,%g): got %v, true 0", h, k, l, na, nb, nc, got)
		}
		return 0
	}
	d := math.Abs(got - ref)
	if latticeNumSubnormal(h, k, l, na, nb, nc) {
		if !(d <= 1e-290) {
			t.Fatalf("hkl=(%v,%v,%v) N=(%g,%g,%g) (subnormal numerator): got %v true %v", h, k, l, na, nb, nc, got, ref)
		}
		return 0
	}
	rel := d / math.Abs(ref)
	if !(rel <= LatticeRelBound) {
		t.Fatalf("hkl=(%v,%v,%v) N=(%g,%g,%g): got %v true %v rel %.3g > %g", h, k, l, na, nb, nc, got, ref, rel, LatticeRelBound)
	}
	return rel
}

// TestLatticeThreshold probes |d| around latticeTiny on all active axes at
// once (the smallest numerator and denominator products), exact integers,
// half-integers and values within 1e-12 of integers, for every N and mix
// of active and inactive axes.
func TestLatticeThreshold(t *testing.T) {
	tiny := []float64{0, latticeTiny, -latticeTiny, math.Nextafter(latticeTiny, 0), math.Nextafter(latticeTiny, 1),
		-math.Nextafter(latticeTiny, 1), 1.5 * latticeTiny, 0.5 * latticeTiny, 1e-89, 1e-91, 1e-100, 1e-200, 5e-324,
		1e-30, 3e-17, 0x1p-85, 0x1p-32, 0.5 / (1 << 31)}
	near := []float64{1, -3, 0.5, -2.5, 7 + 1e-12, -4 - 1e-12, 1 + 0x1p-52, 49.5, 0x1p52, 0x1p53 + 2}
	vals := append(append([]float64{}, tiny...), near...)
	ns := []float64{1, 2, 3, 5, 8, 10, 31, 100, 1 << 31}
	for _, p := range asmPaths() {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				worst := 0.0
				m := len(vals)
				h, k, l := make([]float64, m*m), make([]float64, m*m), make([]float64, m*m)
				for _, na := range ns {
					for _, nb := range ns {
						for _, nc := range []float64{1, 2, 100} {
							for a := range vals {
								for b := range vals {
									h[a*m+b], k[a*m+b], l[a*m+b] = vals[a], vals[b], vals[(a+b)%m]
								}
							}
							out, check := guarded(t, m*m)
							SquareLattice(h, k, l, na, nb, nc, out)
							check()
							for i := range out {
								worst = max(worst, checkLatticeBound(t, h[i], k[i], l[i], na, nb, nc, out[i]))
							}
						}
					}
				}
				t.Logf("%s worst relative error near the threshold %.3g (bound %g)", p, worst, LatticeRelBound)
			})
		})
	}
}

// TestSquareLatticeMagnitude: on every path the sign-free form has
// SquareLattice's magnitudes bit for bit (every N combination, random
// indices incl. integers, half-integers, NaN and Inf, lengths 0..37) and
// writes nothing past len(out).
func TestSquareLatticeMagnitude(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	for _, p := range allPaths {
		withPath(t, p, func() {
			for _, na := range latticeNs {
				for _, nb := range latticeNs {
					for _, nc := range latticeNs {
						n := rng.IntN(38)
						h, k, l := randHKL(rng, n)
						signed := make([]float64, n)
						SquareLattice(h, k, l, na, nb, nc, signed)
						mag := make([]float64, n+1)
						mag[n] = 7
						SquareLatticeMagnitude(h, k, l, na, nb, nc, mag[:n])
						for i := range signed {
							a, b := math.Abs(mag[i]), math.Abs(signed[i])
							if math.Float64bits(a) != math.Float64bits(b) && !(math.IsNaN(a) && math.IsNaN(b)) {
								t.Fatalf("%s N=(%g,%g,%g) hkl=(%v,%v,%v): magnitude %v, signed %v", p, na, nb, nc, h[i], k[i], l[i], mag[i], signed[i])
							}
						}
						if mag[n] != 7 {
							t.Fatalf("%s: wrote past the end", p)
						}
					}
				}
			}
		})
	}
}
