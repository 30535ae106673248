package asm

import "math"

// Accuracy of the assembly SquareLattice (AVX2 and AVX-512, identical
// results), against the true value of the product of sincg(pi*h, N) for the
// given float64 inputs:
//
//	one active axis:  |F - F_true| <= latticeAxisULP ulp-relative, i.e. 2^-52*latticeAxisULP*|F_true|
//	any active axes:  |out - out_true| <= LatticeRelBound*|out_true|
//
// (an exactly zero true factor, N*d integral, is returned as ±0).
// Per axis the reduction d = h-rint(h) is exact and r = N*d-rint(N*d) is
// rounded once (one FMA); sin(pi*y)/y on |y| <= 1/2 is a degree-6 (in
// y*y) minimax polynomial P, within 564u of the truth (u = 2^-53) with
// float64 coefficients and within 566.2u after evaluation (argument y*y
// 0.5u, Horner 1.7u). The fused kernel forms numerator = prod S(r_j),
// denominator = prod S(d_j), S(y) = y*P(y*y), with 5 products each and one
// division: at most 6*566.2u + 3u (r) + 11u = 3411u ~ 3.79e-13 for three
// axes, 2*566.2u + 1u + 3u = 1136.4u = 568.2 ulp for one. (Six orders of
// magnitude below a float32 ulp of the image.)
// An axis with |d| < latticeTiny contributes N to the numerator and 1 to
// the denominator (true factor N*(1 - O(1e-180))). With latticeTiny =
// 1e-90 both products stay normal doubles for all finite inputs (the
// denominator is at least 8e-270 and a non-zero numerator at least
// (4e-90)^3, see lattice_avx2_amd64.s), so the relative bound holds
// everywhere; were a numerator product ever to leave the normal range (it
// cannot with these constants) the error would remain below ~1e-290
// absolute but the relative bound would not hold, and the tests would
// exempt exactly that case. TestLatticeAccuracy enforces the bounds
// against a 256-bit math/big reference.
const (
	latticeAxisULP  = 569
	LatticeRelBound = 3.8e-13 // 3411u, rounded up
	latticeTiny     = 1e-90   // threshold on |d| (constant in the .s files)
)

// latticeAsmOK reports whether the assembly kernels handle this N: an axis
// that is skipped (N <= 1) or an integer N <= 2^31.
func latticeAsmOK(n float64) bool {
	return n <= 1 || (n <= 1<<31 && n == math.Trunc(n))
}

// dot3Chunk bounds the rows per assembly call of RotateUmat.
const dot3Chunk = 512

// MillerIndices calls the kernel on at most millerChunkJ orientations and
// about millerChunk evaluations at a time.
const (
	millerChunkJ = 256
	millerChunk  = 8192
)
