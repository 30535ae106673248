package asm

import "math"

// Line is a run of sample points along the detector's fast axis, seen by
// one source: point i has the fast coordinate f_i = Sub*(K0 + i) + Sub/2
// and the position p_i = ((f_i*Dir + Slow) + Depth) + Pix0 (each product
// and sum rounded, the original's order of operations: Slow = Sdet*sdet
// and Depth = Odet*odet are the rounded products of the line's slow and
// depth coordinates). The incident direction is Inc, the inverse
// wavelength InvLambda (see ScatterLine).
type Line struct {
	Sub, K0                float64 // sub-pixel size; integer index of point 0 along the fast axis
	Dir, Slow, Depth, Pix0 [3]float64
	Inc                    [3]float64
	InvLambda              float64
}

// lineIndex is where ScatterLine stores point i.
func lineIndex(i, chunk, stride int) int { return i/chunk*stride + i%chunk }

// checkLine panics unless the ScatterLine arguments are valid and s and r
// hold every point's output.
func checkLine(n, chunk, stride int, s, r []float64) {
	if n < 0 || chunk < 1 || stride < chunk {
		panic("asm: ScatterLine: need n >= 0 and 1 <= chunk <= stride")
	}
	if n == 0 {
		return
	}
	j := lineIndex(n-1, chunk, stride)
	_, _ = r[j], s[3*j+2]
}

// scatterLineGeneric is ScatterLine on the generic path for points i0 <=
// i < i1 (the point index, not the store index, sets the position):
// positions, lengths and unit vectors exactly as the C computes them
// (unitize divides), then S = (d - inc)*InvLambda. Bounds are the caller's
// duty.
func scatterLineGeneric(l *Line, i0, i1, chunk, stride int, s, r []float64) {
	for i := i0; i < i1; i++ {
		j := lineIndex(i, chunk, stride)
		o := s[3*j : 3*j+3 : 3*j+3]
		o[0], o[1], o[2], r[j] = scatterPoint(l, i)
	}
}

// scatterPoint is the scattering vector and distance of point i of l (the
// generic path's arithmetic).
func scatterPoint(l *Line, i int) (sx, sy, sz, r float64) {
	x, y, z, m := linePoint(l, i)
	if m != 0 {
		x, y, z = x/m, y/m, z/m
	} else {
		x, y, z = 0, 0, 0
	}
	il := l.InvLambda
	return (x - l.Inc[0]) * il, (y - l.Inc[1]) * il, (z - l.Inc[2]) * il, m
}

// linePoint is the position and distance of point i of l, the original's
// operations in its order.
func linePoint(l *Line, i int) (x, y, z, r float64) {
	f := float64(l.Sub*(l.K0+float64(i))) + l.Sub/2.0
	x = float64(float64(float64(f*l.Dir[0])+l.Slow[0])+l.Depth[0]) + l.Pix0[0]
	y = float64(float64(float64(f*l.Dir[1])+l.Slow[1])+l.Depth[1]) + l.Pix0[1]
	z = float64(float64(float64(f*l.Dir[2])+l.Slow[2])+l.Depth[2]) + l.Pix0[2]
	return x, y, z, math.Sqrt(float64(float64(x*x)+float64(y*y)) + float64(z*z))
}

// millerOffsets are the constant terms -InvLambda*(v·Inc) of MillerLine's
// h, k, l for the cell vectors v = a, b, c.
func millerOffsets(l *Line, cell *[9]float64) (c [3]float64) {
	for j := range c {
		v := cell[3*j : 3*j+3]
		c[j] = -(l.InvLambda * ((v[0]*l.Inc[0] + v[1]*l.Inc[1]) + v[2]*l.Inc[2]))
	}
	return c
}

// millerLineGeneric is MillerLine on the generic path for points i0 <= i <
// i1: linePoint, w = InvLambda/r (0 where r == 0), then h = fma(w,
// fma(a_z, z, fma(a_y, y, a_x*x)), c_a) with c_a from millerOffsets, k and
// l likewise: the assembly's operations. Bounds are the caller's duty.
func millerLineGeneric(l *Line, cell *[9]float64, i0, i1, chunk, stride int, h, k, ll, r []float64) {
	c := millerOffsets(l, cell)
	for i := i0; i < i1; i++ {
		x, y, z, m := linePoint(l, i)
		w := 0.0
		if m != 0 {
			w = l.InvLambda / m
		}
		j := lineIndex(i, chunk, stride)
		r[j] = m
		h[j] = math.FMA(w, math.FMA(cell[2], z, math.FMA(cell[1], y, cell[0]*x)), c[0])
		k[j] = math.FMA(w, math.FMA(cell[5], z, math.FMA(cell[4], y, cell[3]*x)), c[1])
		ll[j] = math.FMA(w, math.FMA(cell[8], z, math.FMA(cell[7], y, cell[6]*x)), c[2])
	}
}
