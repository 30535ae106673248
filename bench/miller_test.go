package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/gobragg/gobragg/asm"
)

// millerGonum is MillerIndices as one blas64 Gemm, H = S·Cᵀ (S n×3, C the
// 3m×3 matrix of the a, b, c rows), then the de-interleave into h, k, l
// that the engine's layout needs (timed with it: the engine would pay it).
func millerGonum(s, cell, h, k, l, tmp []float64) {
	n, m := len(s)/3, len(cell)/9
	S := blas64.General{Rows: n, Cols: 3, Stride: 3, Data: s}
	C := blas64.General{Rows: 3 * m, Cols: 3, Stride: 3, Data: cell}
	H := blas64.General{Rows: n, Cols: 3 * m, Stride: 3 * m, Data: tmp[:3*n*m]}
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, S, C, 0, H)
	for i := 0; i < n*m; i++ {
		h[i], k[i], l[i] = tmp[3*i], tmp[3*i+1], tmp[3*i+2]
	}
}

// BenchmarkMillerIndices compares the batched h, k, l = S·[a b c] product
// of gonum's Gemm with the asm kernel (selected SIMD path) and the generic
// one, at the shapes of the anchors: a batch of scattering vectors against
// 1 orientation (B2, B3) or 25 (B1).
func BenchmarkMillerIndices(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, shape := range []struct{ n, m int }{{16384, 1}, {656, 25}} {
		s, cell := make([]float64, 3*shape.n), make([]float64, 9*shape.m)
		for i := range s {
			s[i] = rng.Float64()
		}
		for i := range cell {
			cell[i] = rng.Float64() * 50
		}
		nm := shape.n * shape.m
		h, k, l, tmp := make([]float64, nm), make([]float64, nm), make([]float64, nm), make([]float64, 3*nm)
		impls := []struct {
			name string
			run  func()
		}{
			{"gonum", func() { millerGonum(s, cell, h, k, l, tmp) }},
			{"asm-" + asm.Path(), func() { asm.MillerIndices(s, cell, h, k, l) }},
			{"generic", func() { asm.MillerIndicesGeneric(s, cell, h, k, l) }},
		}
		for _, im := range impls {
			b.Run(fmt.Sprintf("n=%d/m=%d/impl=%s", shape.n, shape.m, im.name), func(b *testing.B) {
				for b.Loop() {
					im.run()
				}
				b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/float64(nm), "ns/eval")
			})
		}
	}
}

// TestMillerGonum checks that the gonum variant computes the same indices
// (to rounding) as the generic kernel, so that the benchmark compares like
// with like.
func TestMillerGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n, m := 37, 5
	s, cell := make([]float64, 3*n), make([]float64, 9*m)
	for i := range s {
		s[i] = rng.Float64()
	}
	for i := range cell {
		cell[i] = rng.Float64() * 50
	}
	h, k, l, tmp := make([]float64, n*m), make([]float64, n*m), make([]float64, n*m), make([]float64, 3*n*m)
	gh, gk, gl := make([]float64, n*m), make([]float64, n*m), make([]float64, n*m)
	millerGonum(s, cell, h, k, l, tmp)
	asm.MillerIndicesGeneric(s, cell, gh, gk, gl)
	for i := range h {
		for _, p := range [][2]float64{{h[i], gh[i]}, {k[i], gk[i]}, {l[i], gl[i]}} {
			if d := p[0] - p[1]; d > 1e-12*150 || d < -1e-12*150 {
				t.Fatalf("i=%d: gonum %v, generic %v", i, p[0], p[1])
			}
		}
	}
}
