package asm

import "math"

// Accuracy of the assembly SquareLattice (AVX2 and AVX-512), against the
// true value of the product of sincg(pi*h, N) for the given float64 inputs:
//
//	per axis: |F - F_true| <= latticeAxisULP ulp-relative, i.e. 2^-52*latticeAxisULP*|F_true|
//	product:  |out - out_true| <= LatticeRelBound*|out_true|
//
// (an exactly zero true factor, N*d integral, is returned as exactly 0).
// The reduction d = h-rint(h), r = N*d-rint(N*d) is exact (FMA residual),
// sin(pi*x) on |x| <= 1/2 is a Taylor polynomial whose truncation error is
// below 3e-18 relative (AVX2, 11 terms; AVX-512, 12 terms: below 2^-60)
// and whose evaluation costs < 1.5 ulp, then one division, one
// sign flip and the product with the previous axes. TestLatticeAccuracy
// enforces the bound against a 256-bit math/big reference.
const (
	latticeAxisULP  = 6
	LatticeRelBound = 4e-15 // 3 axes * 6 ulp + 2 products, rounded up
)

// latticeChunk bounds the length of one assembly call (and keeps out in L1
// between the three axis passes).
const latticeChunk = 512

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
