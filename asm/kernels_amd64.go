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

// sumAVX2 returns the four-lane sum of the square terms of n evaluations
// (see accum_avx2_amd64.s).
//
//go:noescape
func sumAVX2(h, k, l, fl *float64, n int, p *accumParams) float64

// accumPrep is the prepared form of an FGrid for sumAVX2.
type accumPrep struct {
	ok bool // the grid suits the kernel
	p  accumParams
}

func prepareAccum(g *FGrid) accumPrep {
	nf := len(g.F)
	if nf == 0 || nf > 1<<31-1 || g.HMax < g.HMin || g.KMax < g.KMin || g.LMax < g.LMin ||
		(g.HMax-g.HMin)*g.StrideH+(g.KMax-g.KMin)*g.StrideK+(g.LMax-g.LMin) >= nf {
		return accumPrep{}
	}
	return accumPrep{ok: true, p: accumParams{
		hmin: float64(g.HMin), hmax: float64(g.HMax),
		kmin: float64(g.KMin), kmax: float64(g.KMax),
		lmin: float64(g.LMin), lmax: float64(g.LMax),
		sh: float64(g.StrideH), sk: float64(g.StrideK),
		def: g.Default, f: &g.F[0],
	}}
}

func sumSquareTerms(h, k, l, fl []float64, g *FGrid) float64 {
	n := len(fl)
	if path == pathGeneric || n == 0 {
		return sumSquareTermsGeneric(h, k, l, fl, g)
	}
	prep := &g.prep
	if !prep.ok || len(g.F) == 0 || prep.p.f != &g.F[0] {
		local := prepareAccum(g) // not prepared (or changed since)
		if !local.ok {
			return sumSquareTermsGeneric(h, k, l, fl, g)
		}
		prep = &local
	}
	_, _, _ = h[n-1], k[n-1], l[n-1]
	return sumAVX2(&h[0], &k[0], &l[0], &fl[0], n, &prep.p)
}

// sumSquareTermsBlocks runs sumAVX2 on each block (the grid prepared
// once): the results of sumSquareTerms.
func sumSquareTermsBlocks(h, k, l, fl []float64, per int, g *FGrid, out []float64) {
	prep := &g.prep
	if !prep.ok || len(g.F) == 0 || prep.p.f != &g.F[0] {
		local := prepareAccum(g)
		prep = &local
	}
	if path == pathGeneric || !prep.ok {
		sumSquareTermsBlocksEach(h, k, l, fl, per, g, out)
		return
	}
	for b := range out {
		lo := b * per
		out[b] = sumAVX2(&h[lo], &k[lo], &l[lo], &fl[lo], per, &prep.p)
	}
}

// lineParams is the block scatterLineAVX2 reads, every value broadcast to
// 4 lanes (offsets fixed in line_avx2_amd64.s).
type lineParams struct {
	dir   [3][4]float64 // 0, 32, 64
	slow  [3][4]float64 // 96, 128, 160
	depth [3][4]float64 // 192, 224, 256
	pix0  [3][4]float64 // 288, 320, 352
	inc   [3][4]float64 // 384, 416, 448
	idx   [4]float64    // 480: K0, K0+1, K0+2, K0+3
	sub   [4]float64    // 512
	half  [4]float64    // 544: sub/2
	il    [4]float64    // 576
	four  [4]float64    // 608
	cell  [9][4]float64 // 640: a, b, c (millerLineAVX2 only)
	off   [3][4]float64 // 928: millerOffsets (millerLineAVX2 only)
}

// scatterLineAVX2 runs ScatterLine for n points (a multiple of chunk, a
// multiple of 4) stored chunk by chunk stride points apart (see
// line_avx2_amd64.s). Bounds are the caller's duty.
//
//go:noescape
func scatterLineAVX2(p *lineParams, s, r *float64, n, chunk, stride int)

func bcast(v float64) [4]float64 { return [4]float64{v, v, v, v} }

// millerLineAVX2 is scatterLineAVX2 storing the Miller indices h, k, l of
// the scattering vectors against p.cell instead of the vectors (see
// line_avx2_amd64.s).
//
//go:noescape
func millerLineAVX2(p *lineParams, h, k, l, r *float64, n, chunk, stride int)

func lineParamsOf(l *Line) lineParams {
	p := lineParams{
		idx: [4]float64{l.K0, l.K0 + 1, l.K0 + 2, l.K0 + 3}, sub: bcast(l.Sub), half: bcast(l.Sub / 2.0),
		il: bcast(l.InvLambda), four: bcast(4),
	}
	for k := range 3 {
		p.dir[k], p.slow[k], p.depth[k] = bcast(l.Dir[k]), bcast(l.Slow[k]), bcast(l.Depth[k])
		p.pix0[k], p.inc[k] = bcast(l.Pix0[k]), bcast(l.Inc[k])
	}
	return p
}

func millerLine(l *Line, cell *[9]float64, n, chunk, stride int, h, k, ll, r []float64) {
	if n == 0 {
		return
	}
	if chunk == stride || n <= chunk {
		chunk, stride = n, n
	}
	full := n - n%chunk
	if path == pathGeneric || chunk%4 != 0 || full == 0 {
		millerLineGeneric(l, cell, 0, n, chunk, stride, h, k, ll, r)
		return
	}
	p := lineParamsOf(l)
	for q, v := range cell {
		p.cell[q] = bcast(v)
	}
	for q, v := range millerOffsets(l, cell) {
		p.off[q] = bcast(v)
	}
	millerLineAVX2(&p, &h[0], &k[0], &ll[0], &r[0], full, chunk, stride)
	if full < n {
		millerLineGeneric(l, cell, full, n, chunk, stride, h, k, ll, r)
	}
}

func scatterLine(l *Line, n, chunk, stride int, s, r []float64) {
	if n == 0 {
		return
	}
	if chunk == stride || n <= chunk {
		chunk, stride = n, n // contiguous stores
	}
	full := n - n%chunk // points in whole chunks
	if path == pathGeneric || chunk%4 != 0 || full == 0 {
		scatterLineGeneric(l, 0, n, chunk, stride, s, r)
		return
	}
	p := lineParamsOf(l)
	scatterLineAVX2(&p, &s[0], &r[0], full, chunk, stride)
	if full < n {
		scatterLineGeneric(l, full, n, chunk, stride, s, r)
	}
}

// solidAnglesAVX2 runs SolidAngles (not point pixels) for n (a multiple
// of 4) outputs (see omega_avx2_amd64.s).
//
//go:noescape
func solidAnglesAVX2(r *float64, stride int, area, close float64, out *float64, n int)

func solidAngles(r []float64, stride int, area, close float64, point bool, out []float64) {
	n := len(out) &^ 3
	if path == pathGeneric || point || n == 0 { // point pixels: a rare option
		solidAnglesGeneric(r, stride, area, close, point, out)
		return
	}
	solidAnglesAVX2(&r[0], stride, area, close, &out[0], n)
	if n < len(out) {
		solidAnglesGeneric(r[n*stride:], stride, area, close, point, out[n:])
	}
}

// millerSourcesAVX2 runs MillerSources for n points and m sources (m >= 4;
// see sources_avx2_amd64.s).
//
//go:noescape
func millerSourcesAVX2(x, y, z *float64, n int, il, off *float64, m int, cell *[9]float64, h, k, l *float64)

func millerSources(x, y, z, il, off []float64, cell *[9]float64, h, k, l []float64) {
	if path == pathGeneric || len(il) < 4 {
		millerSourcesGeneric(x, y, z, il, off, cell, h, k, l)
		return
	}
	millerSourcesAVX2(&x[0], &y[0], &z[0], len(x), &il[0], &off[0], len(il), cell, &h[0], &k[0], &l[0])
}
