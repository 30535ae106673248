package asm

import "math"

// MillerSources stores the Miller indices of the scattering vectors of n
// = len(x) unit vectors d_i = (x[i], y[i], z[i]) seen by m = len(il)
// sources (incident directions (incX, incY, incZ)[s], inverse wavelengths
// il[s]) against one orientation cell (a, b, c: 9 doubles), point-major:
// for S = (d_i - inc_s)*il_s,
//
//	h[i*m+s] = fma(il_s, a·d_i, -il_s*(a·inc_s)),  a·d_i = fma(a_z, z, fma(a_y, y, a_x*x))
//
// and k, l likewise with b, c: the dot products once per point, one FMA
// per index and source. Against (d - inc)*il followed by the original's
// dot product the difference is at most 9u*il_s*(|a_x| + |a_y| + |a_z|) +
// u*|h| (u = 2^-53; |d|, |inc| <= 1; the derivation of MillerLine's bound). One pure-Go implementation serves
// every path (math.FMA is a single instruction on FMA CPUs). h, k and l
// must hold n*m elements; y, z, incY, incZ as many as x and incX.
func MillerSources(x, y, z, incX, incY, incZ, il []float64, cell *[9]float64, h, k, l []float64) {
	n, m := len(x), len(il)
	y, z = y[:n], z[:n]
	incX, incY, incZ = incX[:m], incY[:m], incZ[:m]
	h, k, l = h[:n*m], k[:n*m], l[:n*m]
	// per source: il and the three offsets -il*(v·inc)
	off := make([]float64, 3*m)
	for s := range m {
		for j := range 3 {
			v := cell[3*j : 3*j+3]
			off[3*s+j] = -(il[s] * ((v[0]*incX[s] + v[1]*incY[s]) + v[2]*incZ[s]))
		}
	}
	for i, xi := range x {
		yi, zi := y[i], z[i]
		ad := math.FMA(cell[2], zi, math.FMA(cell[1], yi, cell[0]*xi))
		bd := math.FMA(cell[5], zi, math.FMA(cell[4], yi, cell[3]*xi))
		cd := math.FMA(cell[8], zi, math.FMA(cell[7], yi, cell[6]*xi))
		hs, ks, ls := h[i*m:i*m+m], k[i*m:i*m+m], l[i*m:i*m+m]
		for s, w := range il {
			o := off[3*s : 3*s+3 : 3*s+3]
			hs[s] = math.FMA(w, ad, o[0])
			ks[s] = math.FMA(w, bd, o[1])
			ls[s] = math.FMA(w, cd, o[2])
		}
	}
}
