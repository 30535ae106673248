package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestUnitVectors compares every path with the generic one over lengths
// 0..100, checks the documented bounds (r within 1 ulp, components within
// 4 ulp) and that nothing past the slice window is touched.
func TestUnitVectors(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, p := range Paths() {
		withPath(t, p, func() {
			for n := 0; n <= 100; n++ {
				const guard = 3
				mk := func() []float64 { return make([]float64, n+2*guard) }
				x, y, z, r := mk(), mk(), mk(), mk()
				for i := range x {
					x[i], y[i], z[i], r[i] = math.NaN(), math.NaN(), math.NaN(), math.NaN()
				}
				for i := guard; i < guard+n; i++ {
					x[i] = (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(8)-4))
					y[i] = (rng.Float64() - 0.5) * 0.2
					z[i] = rng.Float64()
					if rng.IntN(10) == 0 { // zero points stay zero
						x[i], y[i], z[i] = 0, 0, 0
					}
				}
				gx, gy, gz := append([]float64(nil), x...), append([]float64(nil), y...), append([]float64(nil), z...)
				gr := mk()
				unitVectorsGeneric(gx[guard:guard+n], gy[guard:guard+n], gz[guard:guard+n], gr[guard:guard+n])
				UnitVectors(x[guard:guard+n], y[guard:guard+n], z[guard:guard+n], r[guard:guard+n])
				for i := range x {
					if i < guard || i >= guard+n {
						if !math.IsNaN(x[i]) || !math.IsNaN(r[i]) {
							t.Fatalf("%s n=%d: wrote outside the window at %d", p, n, i)
						}
						continue
					}
					if ulps(r[i], gr[i]) > 1 || math.IsNaN(r[i]) {
						t.Fatalf("%s n=%d i=%d: r %v vs %v", p, n, i, r[i], gr[i])
					}
					for _, c := range [][2]float64{{x[i], gx[i]}, {y[i], gy[i]}, {z[i], gz[i]}} {
						if ulps(c[0], c[1]) > 4 || math.IsNaN(c[0]) != math.IsNaN(c[1]) {
							t.Fatalf("%s n=%d i=%d: component %v vs %v", p, n, i, c[0], c[1])
						}
					}
				}
			}
		})
	}
}

// ulps is |a-b| in units of the last place of b.
func ulps(a, b float64) float64 {
	if a == b {
		return 0
	}
	u := math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b)
	return math.Abs(a-b) / u
}
