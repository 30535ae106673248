package asm

import "math"

// MillerOffsets returns the constant terms of MillerSources' indices for
// m = len(il) sources (incident directions (incX, incY, incZ)[s], inverse
// wavelengths il[s]) and one orientation cell (a, b, c: 9 doubles): the
// m values -il_s*(a·inc_s), then the m for b, then the m for c. They
// depend on the set-up only: compute them once.
func MillerOffsets(incX, incY, incZ, il []float64, cell *[9]float64) []float64 {
	m := len(il)
	incX, incY, incZ = incX[:m], incY[:m], incZ[:m]
	off := make([]float64, 3*m)
	for s := range m {
		for j := range 3 {
			v := cell[3*j : 3*j+3]
			off[j*m+s] = -(il[s] * ((v[0]*incX[s] + v[1]*incY[s]) + v[2]*incZ[s]))
		}
	}
	return off
}

// MillerSources stores the Miller indices of the scattering vectors of n
// = len(x) unit vectors d_i = (x[i], y[i], z[i]) seen by m = len(il)
// sources against one orientation cell, point-major: for S = (d_i -
// inc_s)*il_s,
//
//	h[i*m+s] = fma(il_s, a·d_i, off[s]),  a·d_i = fma(a_z, z, fma(a_y, y, a_x*x))
//
// with off from MillerOffsets (off[s] = -il_s*(a·inc_s)), and k, l
// likewise with b, c (off[m+s], off[2m+s]): the dot products once per
// point, one FMA per index and source. Against (d - inc)*il followed by
// the original's dot product the difference is at most 9u*il_s*(|a_x| +
// |a_y| + |a_z|) + u*|h| (u = 2^-53; |d|, |inc| <= 1; the derivation of
// MillerLine's bound). Every path gives the same bits (the assembly runs
// four sources per FMA). h, k and l must hold n*m elements; y and z as
// many as x, off 3*m.
func MillerSources(x, y, z, il, off []float64, cell *[9]float64, h, k, l []float64) {
	n, m := len(x), len(il)
	if n == 0 || m == 0 {
		return
	}
	millerSources(x, y[:n], z[:n], il, off[:3*m], cell, h[:n*m], k[:n*m], l[:n*m])
}

// millerSourcesGeneric is MillerSources on the generic path.
func millerSourcesGeneric(x, y, z, il, off []float64, cell *[9]float64, h, k, l []float64) {
	m := len(il)
	oh, ok, ol := off[:m], off[m:2*m], off[2*m:3*m]
	for i, xi := range x {
		yi, zi := y[i], z[i]
		ad := math.FMA(cell[2], zi, math.FMA(cell[1], yi, cell[0]*xi))
		bd := math.FMA(cell[5], zi, math.FMA(cell[4], yi, cell[3]*xi))
		cd := math.FMA(cell[8], zi, math.FMA(cell[7], yi, cell[6]*xi))
		hs, ks, ls := h[i*m:i*m+m], k[i*m:i*m+m], l[i*m:i*m+m]
		for s, w := range il {
			hs[s] = math.FMA(w, ad, oh[s])
			ks[s] = math.FMA(w, bd, ok[s])
			ls[s] = math.FMA(w, cd, ol[s])
		}
	}
}
