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
