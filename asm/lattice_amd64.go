//go:build amd64 && gc && !purego

package asm

import "math"

// sinpiCoef is the degree-6 minimax approximation (relative error, Remez
// in 320-bit math/big) P(z) = sum_k sinpiCoef[k] z^k of sin(pi*y)/y,
// z = y*y, on |y| <= 1/2. With the coefficients rounded to float64 the
// relative error of P is below 6.3e-14 (564u, u = 2^-53): far below what
// the images can show (float32, 6e-8), and two Horner steps per
// polynomial cheaper than the degree-8 fit (4e-17). TestSinpiPoly checks
// it against the 256-bit reference. The kernels read it directly.
var sinpiCoef = [7]float64{
	3.1415926535895973,
	-5.167712779977311,
	2.5501640354193063,
	-0.59926442573538041,
	0.082144732112521185,
	-0.0073637850183182509,
	0.00044720028361286689,
}

// sinpiCoef4 holds sinpiCoef[k] four times at 4k..4k+3 (the AVX2 kernel's
// memory operands).
var sinpiCoef4 = func() (c [len(sinpiCoef)][4]float64) {
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

// latticeMagAVX2 is latticeAVX2 without the sign: the same magnitudes,
// the sign unspecified (see lattice_avx2_amd64.s).
//
//go:noescape
func latticeMagAVX2(x0, x1, x2, out []float64, n0, n1, n2, p0, p1, p2 float64, axes int)

// latticeAVX512 is latticeAVX2 with AVX-512F (8 lanes, masked tail), the
// same arithmetic lane by lane.
//
//go:noescape
func latticeAVX512(x0, x1, x2, out []float64, n0, n1, n2, p0, p1, p2 float64, axes int)

func squareLattice(h, k, l []float64, na, nb, nc float64, out []float64) {
	latticeOn(h, k, l, na, nb, nc, out, false)
}

func squareLatticeMagnitude(h, k, l []float64, na, nb, nc float64, out []float64) {
	latticeOn(h, k, l, na, nb, nc, out, true)
}

// latticeOn runs the selected path's lattice kernel; mag allows the
// sign-free AVX2 kernel (the AVX-512 path keeps its signed kernel: the
// same magnitudes).
func latticeOn(h, k, l []float64, na, nb, nc float64, out []float64, mag bool) {
	var kern func(x0, x1, x2, out []float64, n0, n1, n2, p0, p1, p2 float64, axes int)
	switch {
	case path == pathAVX2 && mag:
		kern = latticeMagAVX2
	case path == pathAVX2:
		kern = latticeAVX2
	case path == pathAVX512:
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
