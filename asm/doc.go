// Package asm holds the hot numerical kernels of gobragg with hand-written
// amd64 assembly (AVX2+FMA and AVX-512F) and a portable pure-Go fallback.
//
// The implementation is chosen once at package initialisation from the CPU
// features reported by github.com/klauspost/cpuid/v2, preferring avx512 over
// avx2 over generic. The environment variable GOBRAGG_SIMD (generic, avx2,
// avx512) forces a path at start-up, and SetPath forces one at run time; a
// path the CPU cannot run is refused.
//
// Build with -tags purego (or on any non-amd64 / non-gc toolchain) to get the
// generic path only.
//
// # Kernels
//
//	lattice_avx2_amd64.s    latticeAVX2        out = prod sincg(pi*x_j, N_j) over 1..3 axes, one division, 4 lanes
//	lattice_avx512_amd64.s  latticeAVX512      same, 8 lanes
//	miller_avx2_amd64.s     millerAVX2         h,k,l for 4 scattering vectors x all orientations
//	miller_avx512_amd64.s   millerAVX512       same, 8 vectors, VSCATTERQPD for strided rows
//	dot3_avx2_amd64.s       dot3AVX2           RotateUmat: 4 matrix rows per iteration
//	dot3_avx512_amd64.s     dot3AVX512         same, 8 rows
//	line_avx2_amd64.s       scatterLineAVX2    ScatterLine: positions, r, S = (d - inc)/lambda of 4 points on a line, interleaved
//
// The Go wrappers (*_amd64.go) check bounds, split the work into calls of
// at most a few thousand evaluations and pick the kernel for the current
// path. The AVX-512 kernels are written to the same arithmetic as the AVX2
// ones, so both paths return identical results.
//
// # Numerical contract
//
// The generic path is the reference: it reproduces the C nanoBragg
// expressions operation by operation (no FMA contraction).
//
// MillerIndices and RotateUmat on the assembly paths use FMA and may reorder
// the three products of each dot product, so each result differs from the
// generic one by at most a few ulp of the sum of the absolute products.
//
// SquareLattice on the assembly paths does not call sin on pi*h. Per axis it
// computes, exactly, d = h - rint(h) and r = N*d - rint(N*d) (one FMA:
// r is rounded once), evaluates
// sin(pi*d) and sin(pi*r) with a degree-13 odd minimax polynomial on
// |x| <= 1/2 (relative error 6.3e-14) and applies the sign (-1)^(rint(h)*(N-1) + rint(N*d)); the
// three axes are fused, with one division of the numerator product by the
// denominator product per element. This is accurate to 3.8e-13 relative
// (a few hundred ulp) of the true sincg(pi*h, N) for every double h, whereas the generic path's
// error is dominated by the rounding of pi*h and N*pi*h (relative error
// about 2^-53*pi*|h|*N/|sin(pi*N*d)|), which grows near the zeros of the
// numerator and near integer h. SquareLatticeMagnitude skips the sign
// on the AVX2 path (the engine squares the factor). See params.go for the precise
// bounds and the tests for their enforcement. Calls with a non-integer N
// (or N > 2^31) on an active axis are routed to the generic path.
package asm
