package asm

// MillerIndices computes, for n scattering vectors s (array of structures,
// s[3*i:3*i+3], n = len(s)/3) and m orientations cell (each 9 doubles
// ax ay az bx by bz cx cy cz, m = len(cell)/9), the fractional Miller
// indices h[i*m+j] = a_j·s_i, k[i*m+j] = b_j·s_i and l[i*m+j] = c_j·s_i.
// h, k and l must hold at least n*m elements; elements past n*m are not
// touched.
//
// The generic path evaluates (a1*s1 + a2*s2) + a3*s3 without FMA, exactly
// as the C code; the assembly paths use FMA.
func MillerIndices(s []float64, cell []float64, h, k, l []float64) {
	n, m := len(s)/3, len(cell)/9
	nm := n * m
	h, k, l = h[:nm], k[:nm], l[:nm]
	millerIndices(s[:3*n], cell[:9*m], n, m, h, k, l)
}

// SquareLattice sets out[i] = sincg(pi*h[i], na) * sincg(pi*k[i], nb) *
// sincg(pi*l[i], nc) for i < len(out), where sincg(x, N) = N if x == 0 and
// sin(N*x)/sin(x) otherwise. An axis whose N <= 1 contributes exactly 1 and
// its index is not read for the value. The product is accumulated a, b, c
// starting from 1.0. h, k and l must hold at least len(out) elements.
//
// The generic path is the C reference. The assembly paths compute each
// factor with exact argument reduction (see the package documentation); a
// call with a non-integer N or N > 2^31 on an active axis runs the generic
// path.
func SquareLattice(h, k, l []float64, na, nb, nc float64, out []float64) {
	n := len(out)
	squareLattice(h[:n], k[:n], l[:n], na, nb, nc, out)
}

// SquareLatticeMagnitude stores values whose magnitudes are those of
// SquareLattice, bit for bit, with the sign unspecified (a path may skip
// forming it): for callers that only square the factor.
func SquareLatticeMagnitude(h, k, l []float64, na, nb, nc float64, out []float64) {
	n := len(out)
	squareLatticeMagnitude(h[:n], k[:n], l[:n], na, nb, nc, out)
}

// RotateUmat applies the m = len(u)/9 row-major 3x3 matrices u[9*j:9*j+9] to
// v: out[3*j+r] = (u[9j+3r]*v[0] + u[9j+3r+1]*v[1]) + u[9j+3r+2]*v[2]. out
// must hold at least 3*m elements; the generic path does not fuse, the
// assembly paths use FMA.
func RotateUmat(u []float64, v [3]float64, out []float64) {
	m := len(u) / 9
	rotateUmat(u[:9*m], &v, out[:3*m])
}

// MillerIndicesGeneric is MillerIndices on the generic (exact) path,
// whatever path is selected.
func MillerIndicesGeneric(s []float64, cell []float64, h, k, l []float64) {
	n, m := len(s)/3, len(cell)/9
	nm := n * m
	millerIndicesGeneric(s[:3*n], cell[:9*m], n, m, h[:nm], k[:nm], l[:nm])
}

// SquareLatticeGeneric is SquareLattice on the generic (exact) path,
// whatever path is selected.
func SquareLatticeGeneric(h, k, l []float64, na, nb, nc float64, out []float64) {
	n := len(out)
	squareLatticeGeneric(h[:n], k[:n], l[:n], na, nb, nc, out)
}

// UnitVectors normalises the points (x, y, z)[i], i < len(r), in place and
// stores their lengths in r. The generic path divides by the length like
// the C unitize; the assembly paths multiply by its reciprocal (within 4
// ulp per component).
func UnitVectors(x, y, z, r []float64) {
	n := len(r)
	unitVectors(x[:n], y[:n], z[:n], r)
}

// UnitVectorsGeneric is UnitVectors on the generic (exact) path, whatever
// path is selected.
func UnitVectorsGeneric(x, y, z, r []float64) {
	n := len(r)
	unitVectorsGeneric(x[:n], y[:n], z[:n], r)
}

// ScatterLine computes, for the n sample points p_i of a line (see Line)
// and one source, the distance r_i = |p_i|, the unit vector d_i = p_i/r_i
// (a zero point stays zero) and the scattering vector S_i = (d_i -
// l.Inc)*l.InvLambda. Point i is stored at j = (i/chunk)*stride + i%chunk:
// r[j] = r_i and s[3j:3j+3] = S_i, so runs of chunk points go to
// consecutive places stride apart (chunk == stride stores every point in
// order); nothing else is written. It panics unless 1 <= chunk <= stride
// and s and r are long enough.
//
// This is positions, unit vectors and scattering vectors in one pass.
// Every path computes p_i, r_i and d_i exactly as the original does (no
// FMA, unitize divides), so a point on the beam axis gives S == 0 exactly,
// and all paths agree bit for bit. The assembly paths run strided stores
// with vector code only when chunk is a multiple of 4 (otherwise generic
// code); contiguous stores always.
func ScatterLine(l *Line, n, chunk, stride int, s, r []float64) {
	checkLine(n, chunk, stride, s, r)
	scatterLine(l, n, chunk, stride, s, r)
}

// MillerLine is ScatterLine storing, instead of each scattering vector S_i,
// its Miller indices against one orientation cell (a, b, c: 9 doubles),
// h[j] = a·S_i, k[j] = b·S_i, l[j] = c·S_i, with r[j] = r_i and j =
// (i/chunk)*stride + i%chunk as in ScatterLine. Positions and distances
// are ScatterLine's (the original's bits); the indices are formed as
// h = fma(w, a·p_i, -InvLambda*(a·Inc)), w = InvLambda/r_i (0 where r_i ==
// 0), a·p_i by FMAs: one division per point, within 9u*InvLambda*(|a_x| +
// |a_y| + |a_z|) + u*|h| (u = 2^-53) of ScatterLine followed by the
// original's dot products. Every path gives the same bits. It panics
// unless 1 <= chunk <= stride and the slices are long enough.
func MillerLine(l *Line, cell *[9]float64, n, chunk, stride int, h, k, ll, r []float64) {
	if n < 0 || chunk < 1 || stride < chunk {
		panic("asm: MillerLine: need n >= 0 and 1 <= chunk <= stride")
	}
	if n > 0 {
		j := lineIndex(n-1, chunk, stride)
		_, _, _, _ = h[j], k[j], ll[j], r[j]
	}
	millerLine(l, cell, n, chunk, stride, h, k, ll, r)
}
