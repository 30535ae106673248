//go:build amd64 && gc && !purego

package asm

import "math"

const pi = math.Pi

// sinpiCoef[k] = (-1)^k pi^(2k+1)/(2k+1)!, so that
// sin(pi*x) = x * sum_k sinpiCoef[k] * x^(2k). On |x| <= 1/2 the omitted
// term is below (pi/2)^25/25! ~ 5e-21. The kernels read it directly.
var sinpiCoef = [12]float64{
	pi,
	-pi * pi * pi / 6,
	pi * pi * pi * pi * pi / 120,
	-pi * pi * pi * pi * pi * pi * pi / 5040,
	pi * pi * pi * pi * pi * pi * pi * pi * pi / 362880,
	-pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi / 39916800,
	pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi / 6227020800,
	-pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi / 1307674368000,
	pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi / 355687428096000,
	-pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi / 121645100408832000,
	pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi / 51090942171709440000,
	-pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi * pi / 25852016738884976640000,
}

// sinpiCoef4 holds sinpiCoef[k] four times at 4k..4k+3 (the AVX2 kernel's
// memory operands; it uses k <= 10: the omitted k = 11 term is below
// 3e-18 relative on |x| <= 1/2).
var sinpiCoef4 = func() (c [12][4]float64) {
	for k, v := range sinpiCoef {
		c[k] = [4]float64{v, v, v, v}
	}
	return c
}()

// latticeAxisAVX2 multiplies out[i] by sincg(pi*x[i], n) for i < len(out)
// (len(x) >= len(out) is the caller's duty). n must be an integer in
// [2, 2^31]; parity is 1 if n is even and 0 if odd.
//
//go:noescape
func latticeAxisAVX2(x, out []float64, n, parity float64)

// latticeAxisAVX512 is latticeAxisAVX2 with AVX-512F (8 lanes, masked tail).
//
//go:noescape
func latticeAxisAVX512(x, out []float64, n, parity float64)

func squareLattice(h, k, l []float64, na, nb, nc float64, out []float64) {
	var kern func(x, out []float64, n, parity float64)
	switch path {
	case pathAVX2:
		kern = latticeAxisAVX2
	case pathAVX512:
		kern = latticeAxisAVX512
	}
	if kern == nil || !latticeAsmOK(na) || !latticeAsmOK(nb) || !latticeAsmOK(nc) {
		squareLatticeGeneric(h, k, l, na, nb, nc, out)
		return
	}
	pa, pb, pc := math.Mod(na-1, 2), math.Mod(nb-1, 2), math.Mod(nc-1, 2)
	for i := 0; i < len(out); i += latticeChunk {
		j := min(i+latticeChunk, len(out))
		o := out[i:j]
		for q := range o {
			o[q] = 1
		}
		if na > 1 {
			kern(h[i:j], o, na, pa)
		}
		if nb > 1 {
			kern(k[i:j], o, nb, pb)
		}
		if nc > 1 {
			kern(l[i:j], o, nc, pc)
		}
	}
}
