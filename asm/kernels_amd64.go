//go:build amd64 && gc && !purego

package asm

// dot3AVX2 sets out[q] = p[3q:3q+3]·w for q < n (FMA, see
// dot3_avx2_amd64.s). p must hold 3n and out n elements.
//
//go:noescape
func dot3AVX2(p *float64, w *[3]float64, out *float64, n int)

// dot3AVX512 is dot3AVX2 with AVX-512F, 8 rows per iteration (same results
// bit for bit).
//
//go:noescape
func dot3AVX512(p *float64, w *[3]float64, out *float64, n int)

func rotateUmat(u []float64, v *[3]float64, out []float64) {
	var kern func(p *float64, w *[3]float64, out *float64, n int)
	switch path {
	case pathAVX2:
		kern = dot3AVX2
	case pathAVX512:
		kern = dot3AVX512
	default:
		rotateUmatGeneric(u, v, out)
		return
	}
	// The m matrices are 3m rows of 3 doubles.
	n := len(out)
	if n == 0 {
		return
	}
	_ = u[3*n-1]
	for i := 0; i < n; i += dot3Chunk {
		c := min(dot3Chunk, n-i)
		kern(&u[3*i], v, &out[i], c)
	}
}

// millerAVX2 computes the Miller indices of n scattering vectors s (3n
// doubles) against mj orientations cell (9mj doubles): h[i*stride+j] =
// a_j·s_i etc., with FMA (see miller_avx2_amd64.s). Bounds are the
// caller's duty.
//
//go:noescape
func millerAVX2(s, cell, h, k, l *float64, n, mj, stride int)

// millerAVX512 is millerAVX2 with AVX-512F, 8 scattering vectors per block
// (same results bit for bit); stride must be < 2^32.
//
//go:noescape
func millerAVX512(s, cell, h, k, l *float64, n, mj, stride int)

func millerIndices(s, cell []float64, n, m int, h, k, l []float64) {
	var kern func(s, cell, h, k, l *float64, n, mj, stride int)
	switch {
	case n == 0 || m == 0:
		return
	case path == pathAVX512 && m < 1<<32:
		kern = millerAVX512
	case path == pathAVX2 || path == pathAVX512:
		kern = millerAVX2
	default:
		millerIndicesGeneric(s, cell, n, m, h, k, l)
		return
	}
	_, _, _ = h[n*m-1], k[n*m-1], l[n*m-1]
	for j := 0; j < m; j += millerChunkJ {
		mj := min(millerChunkJ, m-j)
		rows := max(4, millerChunk/mj) &^ 3
		for i := 0; i < n; i += rows {
			c := min(rows, n-i)
			o := i*m + j
			kern(&s[3*i], &cell[9*j], &h[o], &k[o], &l[o], c, mj, m)
		}
	}
}

// unitAVX2 normalises n (a multiple of 4) points in place and stores their
// lengths (see unit_avx2_amd64.s).
//
//go:noescape
func unitAVX2(x, y, z, r *float64, n int)

func unitVectors(x, y, z, r []float64) {
	n := len(r)
	if path == pathGeneric || n < 4 {
		unitVectorsGeneric(x, y, z, r)
		return
	}
	x, y, z = x[:n], y[:n], z[:n]
	m := n &^ 3
	unitAVX2(&x[0], &y[0], &z[0], &r[0], m)
	unitVectorsGeneric(x[m:], y[m:], z[m:], r[m:])
}

// accumParams is the block sumAVX2 reads (offsets fixed in
// accum_avx2_amd64.s).
type accumParams struct {
	hmin, hmax, kmin, kmax, lmin, lmax float64  // 0..40
	sh, sk                             float64  // 48, 56: strides
	def                                float64  // 64
	f                                  *float64 // 72
}

// sumAVX2 returns the four-lane sum of the square terms of n (a multiple
// of 4) evaluations (see accum_avx2_amd64.s).
//
//go:noescape
func sumAVX2(h, k, l, fl *float64, n int, p *accumParams) float64

func sumSquareTerms(h, k, l, fl []float64, g *FGrid) float64 {
	n := len(fl)
	nf := len(g.F)
	if path == pathGeneric || n < 4 || nf == 0 || nf > 1<<31-1 ||
		g.HMax < g.HMin || g.KMax < g.KMin || g.LMax < g.LMin ||
		(g.HMax-g.HMin)*g.StrideH+(g.KMax-g.KMin)*g.StrideK+(g.LMax-g.LMin) >= nf {
		return sumSquareTermsGeneric(h, k, l, fl, g)
	}
	p := accumParams{
		hmin: float64(g.HMin), hmax: float64(g.HMax),
		kmin: float64(g.KMin), kmax: float64(g.KMax),
		lmin: float64(g.LMin), lmax: float64(g.LMax),
		sh: float64(g.StrideH), sk: float64(g.StrideK),
		def: g.Default, f: &g.F[0],
	}
	m := n &^ 3
	_, _, _ = h[n-1], k[n-1], l[n-1]
	s := sumAVX2(&h[0], &k[0], &l[0], &fl[0], m, &p)
	if m < n {
		s += sumSquareTermsGeneric(h[m:n], k[m:n], l[m:n], fl[m:n], g)
	}
	return s
}
