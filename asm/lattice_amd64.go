//go:build amd64 && gc && !purego

package asm

import "math"

// sinpiCoef is the degree-8 minimax approximation (relative error, Remez
// in 320-bit math/big) P(z) = sum_k sinpiCoef[k] z^k of sin(pi*y)/y,
// z = y*y, on |y| <= 1/2. With the coefficients rounded to float64 the
// relative error of P is below 4e-17 (0.36 u, u = 2^-53), dominated by
// sinpiCoef[0] = fl(pi); TestSinpiPoly checks it against the 256-bit
// reference. The kernels read it directly.
var sinpiCoef = [9]float64{
	3.1415926535897931,
	-5.1677127800499694,
	2.550164039877294,
	-0.5992645293187383,
	0.082145886569892884,
	-0.0073704304787633084,
	0.00046629968877280739,
	-2.1903185413581441e-05,
	7.6947272216022184e-07,
}

// sinpiCoef4 holds sinpiCoef[k] four times at 4k..4k+3 (the AVX2 kernel's
// memory operands).
var sinpiCoef4 = func() (c [9][4]float64) {
	for k, v := range sinpiCoef {
		c[k] = [4]float64{v, v, v, v}
	}
	return c
}()

// latticeAVX2 sets out[i] to the product over the first axes (1, 2 or 3)
// slots j of sincg(pi*xj[i], nj), with one division per element (see
// lattice_avx2_amd64.s). Each nj must be an integer in [2, 2^31], pj =
// (nj-1) mod 2, and len(xj) >= len(out) for j < axes (the caller's duty);
// slices of unused slots are not read.
//
//go:noescape
func latticeAVX2(x0, x1, x2, out []float64, n0, n1, n2, p0, p1, p2 float64, axes int)

// latticeAVX512 is latticeAVX2 with AVX-512F (8 lanes, masked tail), the
// same arithmetic lane by lane.
//
//go:noescape
func latticeAVX512(x0, x1, x2, out []float64, n0, n1, n2, p0, p1, p2 float64, axes int)

func squareLattice(h, k, l []float64, na, nb, nc float64, out []float64) {
	var kern func(x0, x1, x2, out []float64, n0, n1, n2, p0, p1, p2 float64, axes int)
	switch path {
	case pathAVX2:
		kern = latticeAVX2
	case pathAVX512:
		kern = latticeAVX512
	}
	if kern == nil || !latticeAsmOK(na) || !latticeAsmOK(nb) || !latticeAsmOK(nc) {
		squareLatticeGeneric(h, k, l, na, nb, nc, out)
		return
	}
	// Compact the active axes (N > 1) into slots 0..axes-1, in a, b, c
	// order.
	var xs [3][]float64
	var ns, ps [3]float64
	axes := 0
	for _, ax := range [3]struct {
		x []float64
		n float64
	}{{h, na}, {k, nb}, {l, nc}} {
		if ax.n > 1 {
			xs[axes], ns[axes], ps[axes] = ax.x[:len(out)], ax.n, math.Mod(ax.n-1, 2)
			axes++
		}
	}
	if axes == 0 {
		for i := range out {
			out[i] = 1
		}
		return
	}
	kern(xs[0], xs[1], xs[2], out, ns[0], ns[1], ns[2], ps[0], ps[1], ps[2], axes)
}
