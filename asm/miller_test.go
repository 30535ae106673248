package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// dot3Tol is the allowed |asm - generic| for one 3-term dot product: both
// are within 3 eps of sum |a_i b_i| of the exact value (eps = 2^-53).
func dot3Tol(a0, a1, a2, b0, b1, b2 float64) float64 {
	return 6 * eps * (math.Abs(a0*b0) + math.Abs(a1*b1) + math.Abs(a2*b2))
}

func randVec(rng *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = (rng.Float64()*2 - 1) * scale
		if rng.IntN(10) == 0 {
			v[i] = 0
		}
	}
	return v
}

func checkMiller(t testing.TB, s, cell []float64) {
	t.Helper()
	n, m := len(s)/3, len(cell)/9
	h, ch := guarded(t, n*m)
	k, ck := guarded(t, n*m)
	l, cl := guarded(t, n*m)
	MillerIndices(s, cell, h, k, l)
	ch()
	ck()
	cl()
	wh, wk, wl := make([]float64, n*m), make([]float64, n*m), make([]float64, n*m)
	millerIndicesGeneric(s, cell, n, m, wh, wk, wl)
	for i := range n {
		for j := range m {
			for v, got := range [3][]float64{h, k, l} {
				want := [3][]float64{wh, wk, wl}[v]
				c := cell[9*j+3*v:]
				tol := dot3Tol(c[0], c[1], c[2], s[3*i], s[3*i+1], s[3*i+2])
				if Path() == "generic" {
					tol = 0
				}
				if d := math.Abs(got[i*m+j] - want[i*m+j]); !(d <= tol) {
					t.Fatalf("%s n=%d m=%d i=%d j=%d v=%d: got %v want %v", Path(), n, m, i, j, v, got[i*m+j], want[i*m+j])
				}
			}
		}
	}
}

func TestMillerIndices(t *testing.T) {
	for _, p := range allPaths {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				rng := rand.New(rand.NewPCG(21, 22))
				for n := 0; n <= 100; n++ {
					for _, m := range []int{0, 1, 2, 3, 4, 5, 9} {
						checkMiller(t, randVec(rng, 3*n, 1e10), randVec(rng, 9*m, 1e-9))
					}
				}
				// Chunking in both directions.
				checkMiller(t, randVec(rng, 3*(2*dot3Chunk+5), 1e10), randVec(rng, 9*3, 1e-9))
				checkMiller(t, randVec(rng, 3*37, 1e10), randVec(rng, 9*(millerChunkJ+44), 1e-9))
				checkMiller(t, randVec(rng, 3*(2*millerChunk+5), 1e10), randVec(rng, 9, 1e-9))
			})
		})
	}
}

func TestRotateUmat(t *testing.T) {
	for _, p := range allPaths {
		t.Run(p, func(t *testing.T) {
			withPath(t, p, func() {
				rng := rand.New(rand.NewPCG(23, 24))
				for _, m := range append(seq(100), 2*dot3Chunk/3+1) {
					u := randVec(rng, 9*m, 1)
					v := [3]float64(randVec(rng, 3, 1e10))
					out, check := guarded(t, 3*m)
					RotateUmat(u, v, out)
					check()
					want := make([]float64, 3*m)
					rotateUmatGeneric(u, &v, want)
					for q := range out {
						tol := dot3Tol(u[3*q], u[3*q+1], u[3*q+2], v[0], v[1], v[2])
						if p == "generic" {
							tol = 0
						}
						if d := math.Abs(out[q] - want[q]); !(d <= tol) {
							t.Fatalf("m=%d q=%d: got %v want %v", m, q, out[q], want[q])
						}
					}
				}
			})
		})
	}
}

func seq(n int) []int {
	s := make([]int, n+1)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestSetPath(t *testing.T) {
	old := Path()
	defer SetPath(old)
	for _, p := range allPaths {
		supported := false
		for _, q := range Paths() {
			supported = supported || q == p
		}
		err := SetPath(p)
		if supported != (err == nil) {
			t.Fatalf("SetPath(%q) = %v, supported %v", p, err, supported)
		}
		if err == nil && Path() != p {
			t.Fatalf("Path() = %q after SetPath(%q)", Path(), p)
		}
	}
	before := Path()
	if err := SetPath("sse9"); err == nil || Path() != before {
		t.Fatalf("SetPath(sse9) = %v, path %q", err, Path())
	}
}

func FuzzMillerIndices(f *testing.F) {
	f.Add(1e10, -2e10, 3e9, 1e-9, 2e-9, -3e-9, uint8(7), uint8(2))
	f.Fuzz(func(t *testing.T, s0, s1, s2, a0, a1, a2 float64, nn, mm uint8) {
		n, m := int(nn%24), int(mm%6)
		s := make([]float64, 3*n)
		for i := range n {
			s[3*i], s[3*i+1], s[3*i+2] = s0*float64(i+1), s1-float64(i), s2/float64(i+1)
		}
		cell := make([]float64, 9*m)
		for j := range cell {
			cell[j] = [3]float64{a0, a1, a2}[j%3] * float64(j+1)
		}
		for _, p := range asmPaths() {
			withPath(t, p, func() { checkMiller(t, s, cell) })
		}
	})
}

func BenchmarkMillerIndices(b *testing.B) {
	rng := rand.New(rand.NewPCG(25, 26))
	for _, p := range allPaths {
		for _, nm := range [][2]int{{1024, 1}, {1024, 10}} {
			n, m := nm[0], nm[1]
			name := fmt.Sprintf("path=%s/n=%d", p, n)
			if m != 1 {
				name += fmt.Sprintf("/m=%d", m)
			}
			b.Run(name, func(b *testing.B) {
				withPath(b, p, func() {
					s, cell := randVec(rng, 3*n, 1e10), randVec(rng, 9*m, 1e-9)
					h, k, l := make([]float64, n*m), make([]float64, n*m), make([]float64, n*m)
					b.ResetTimer()
					for b.Loop() {
						MillerIndices(s, cell, h, k, l)
					}
					b.ReportMetric(float64(b.N)*float64(n*m)/b.Elapsed().Seconds(), "evals/s")
					b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*float64(n*m)), "ns/eval")
				})
			})
		}
	}
}

func BenchmarkRotateUmat(b *testing.B) {
	rng := rand.New(rand.NewPCG(27, 28))
	for _, p := range allPaths {
		m := 1024
		b.Run(fmt.Sprintf("path=%s/m=%d", p, m), func(b *testing.B) {
			withPath(b, p, func() {
				u, v, out := randVec(rng, 9*m, 1), [3]float64{1, 2, 3}, make([]float64, 3*m)
				b.ResetTimer()
				for b.Loop() {
					RotateUmat(u, v, out)
				}
				b.ReportMetric(float64(b.N)*float64(m)/b.Elapsed().Seconds(), "matrices/s")
				b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*float64(m)), "ns/matrix")
			})
		})
	}
}
