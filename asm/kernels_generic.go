package asm

import (
	"math"

	"github.com/gobragg/gobragg/core/libm"
)

// sincgGeneric is the C nanoBragg sincg: N if x == 0, else sin(x*N)/sin(x).
func sincgGeneric(x, n float64) float64 {
	if x == 0 {
		return n
	}
	return libm.Sin(x*n) / libm.Sin(x)
}

// squareLatticeGeneric is the reference square lattice factor. All slices
// have the same length.
func squareLatticeGeneric(h, k, l []float64, na, nb, nc float64, out []float64) {
	h, k, l = h[:len(out)], k[:len(out)], l[:len(out)]
	for i := range out {
		f := 1.0
		if na > 1 {
			f *= sincgGeneric(math.Pi*h[i], na)
		}
		if nb > 1 {
			f *= sincgGeneric(math.Pi*k[i], nb)
		}
		if nc > 1 {
			f *= sincgGeneric(math.Pi*l[i], nc)
		}
		out[i] = f
	}
}

// dot3Generic returns (a[0]*b[0] + a[1]*b[1]) + a[2]*b[2] with every
// product and sum rounded separately (the float64 conversions forbid FMA
// contraction).
func dot3Generic(a0, a1, a2, b0, b1, b2 float64) float64 {
	return float64(float64(a0*b0)+float64(a1*b1)) + float64(a2*b2)
}

// millerIndicesGeneric: s has 3n, cell 9m, h, k, l n*m elements.
func millerIndicesGeneric(s, cell []float64, n, m int, h, k, l []float64) {
	for i := 0; i < n; i++ {
		s0, s1, s2 := s[3*i], s[3*i+1], s[3*i+2]
		hr, kr, lr := h[i*m:i*m+m], k[i*m:i*m+m], l[i*m:i*m+m]
		for j := range hr {
			c := cell[9*j : 9*j+9 : 9*j+9]
			hr[j] = dot3Generic(c[0], c[1], c[2], s0, s1, s2)
			kr[j] = dot3Generic(c[3], c[4], c[5], s0, s1, s2)
			lr[j] = dot3Generic(c[6], c[7], c[8], s0, s1, s2)
		}
	}
}

// rotateUmatGeneric: u has 9m, out 3m elements.
func rotateUmatGeneric(u []float64, v *[3]float64, out []float64) {
	v0, v1, v2 := v[0], v[1], v[2]
	for q := range out {
		r := u[3*q : 3*q+3 : 3*q+3]
		out[q] = dot3Generic(r[0], r[1], r[2], v0, v1, v2)
	}
}

// unitVectorsGeneric sets r[i] = |(x, y, z)[i]| and divides the point by
// it (a zero point stays zero), as the C unitize does.
func unitVectorsGeneric(x, y, z, r []float64) {
	n := len(r)
	x, y, z = x[:n], y[:n], z[:n]
	for i := range r {
		m := math.Sqrt(float64(float64(x[i]*x[i])+float64(y[i]*y[i])) + float64(z[i]*z[i]))
		r[i] = m
		if m != 0 {
			x[i], y[i], z[i] = x[i]/m, y[i]/m, z[i]/m
		}
	}
}
