// Port of sysdeps/ieee754/dbl-64/s_sin.c from the GNU C Library 2.36
// (IBM Accurate Mathematical Library, written by International Business
// Machines Corp., Copyright (C) 2001-2022 Free Software Foundation, Inc.),
// as compiled into __sin_fma/__cos_fma (gcc -O2 -mfma -mavx2).
//
// This library is free software; you can redistribute it and/or modify it
// under the terms of the GNU Lesser General Public License as published by
// the Free Software Foundation; either version 2.1 of the License, or (at
// your option) any later version.

package libm

import "math"

// Constants from usncs.h and s_sin.c.
const (
	s1    = -0x1.5555555555555p-3
	s2    = 0x1.1111111110ECEp-7
	s3    = -0x1.A01A019DB08B8p-13
	s4    = 0x1.71DE27B9A7ED9p-19
	s5    = -0x1.ADDFFC2FCDF59p-26
	big   = 0x1.8000000000000p45
	hp0   = 0x1.921FB54442D18p0
	hp1   = 0x1.1A62633145C07p-54
	mp1   = 0x1.921FB58000000p0
	mp2   = -0x1.DDE973C000000p-27
	pp3   = -0x1.CB3B398000000p-55
	pp4   = -0x1.d747f23e32ed7p-83
	hpinv = 0x1.45F306DC9C883p-1
	toint = 0x1.8000000000000p52

	sn3 = -1.66666666666664880952546298448555e-01
	sn5 = 8.33333214285722277379541354343671e-03
	cs2 = 4.99999999999999999999950396842453e-01
	cs4 = -4.16666666666664434524222570944589e-02
	cs6 = 1.38888874007937613028114285595617e-03
)

// doCos computes cos(x+dx) for |x+dx| < 0.855469 using the sin/cos table.
func doCos(x, dx float64) float64 {
	if x < 0 {
		dx = -dx
	}
	ax := math.Abs(x)
	u := big + ax
	x = ax - (u - big) + dx

	xx := float64(x * x)
	s := math.FMA(float64(x*xx), math.FMA(xx, sn5, sn3), x)
	c := float64(xx * math.FMA(xx, math.FMA(xx, cs6, cs4), cs2))
	k := uint32(math.Float64bits(u)) << 2
	t := sincostab[k : k+4 : k+4]
	sn, ssn, cs, ccs := t[0], t[1], t[2], t[3]
	// cor = (ccs - s*ssn - cs*c) - sn*s, each product fused.
	cor := math.FMA(-s, sn, math.FMA(-c, cs, math.FMA(-s, ssn, ccs)))
	return cs + cor
}

// doSin computes sin(x+dx) for |x+dx| < 0.855469.
func doSin(x, dx float64) float64 {
	xold := x
	ax := math.Abs(x)
	if ax < 0.126 {
		// TAYLOR_SIN (x*x, x, dx)
		xx := float64(x * x)
		p := math.FMA(xx, s5, s4)
		p = math.FMA(xx, p, s3)
		p = math.FMA(xx, p, s2)
		p = math.FMA(xx, p, s1)
		t := math.FMA(xx, math.FMA(p, x, -float64(0.5*dx)), dx)
		return x + t
	}

	if x <= 0 {
		dx = -dx
	}
	u := big + ax
	x = ax - (u - big)

	xx := float64(x * x)
	s := x + math.FMA(float64(x*xx), math.FMA(xx, sn5, sn3), dx)
	c := math.FMA(x, dx, float64(xx*math.FMA(xx, math.FMA(xx, cs6, cs4), cs2)))
	k := uint32(math.Float64bits(u)) << 2
	t := sincostab[k : k+4 : k+4]
	sn, ssn, cs, ccs := t[0], t[1], t[2], t[3]
	// cor = (ssn + s*ccs - sn*c) + cs*s, each product fused.
	cor := math.FMA(s, cs, math.FMA(-c, sn, math.FMA(s, ccs, ssn)))
	return math.Copysign(sn+cor, xold)
}

// reduceSincos reduces x (|x| < 105414350) to a+da in [-pi/4, pi/4] and
// returns the quadrant n (mod 4).
func reduceSincos(x float64) (a, da float64, n int) {
	t := math.FMA(x, hpinv, toint)
	xn := t - toint
	n = int(uint32(math.Float64bits(t)) & 3)
	y := math.FMA(-xn, mp2, math.FMA(-xn, mp1, x))

	t2 := math.FMA(-xn, pp3, y)
	db := math.FMA(-xn, pp3, y-t2)

	b := math.FMA(-xn, pp4, t2)
	db += math.FMA(-xn, pp4, t2-b)
	return b, db, n
}

// doSincos computes sin or cos of a+da for quadrant n.
func doSincos(a, da float64, n int) float64 {
	var r float64
	if n&1 != 0 {
		r = doCos(a, da)
	} else {
		r = doSin(a, da)
	}
	if n&2 != 0 {
		return -r
	}
	return r
}

// Sin returns the sine of x, bit-identical to glibc 2.36 sin on x86-64
// with FMA.
func Sin(x float64) float64 {
	k := uint32(math.Float64bits(x)>>32) & 0x7fffffff
	switch {
	case k < 0x3e500000: // |x| < 2^-26
		return x
	case k < 0x3feb6000: // |x| < 0.855469
		return doSin(x, 0)
	case k < 0x400368fd: // |x| < 2.426265
		t := hp0 - math.Abs(x)
		return math.Copysign(doCos(t, hp1), x)
	case k < 0x419921FB: // |x| < 105414350
		a, da, n := reduceSincos(x)
		return doSincos(a, da, n)
	case k < 0x7ff00000:
		a, da, n := branred(x)
		return doSincos(a, da, n)
	default: // Inf or NaN
		return x / x
	}
}

// Cos returns the cosine of x, bit-identical to glibc 2.36 cos on x86-64
// with FMA.
func Cos(x float64) float64 {
	k := uint32(math.Float64bits(x)>>32) & 0x7fffffff
	switch {
	case k < 0x3e400000: // |x| < 2^-27
		return 1.0
	case k < 0x3feb6000: // |x| < 0.855469
		return doCos(x, 0)
	case k < 0x400368fd: // |x| < 2.426265
		y := hp0 - math.Abs(x)
		a := y + hp1
		da := (y - a) + hp1
		return doSin(a, da)
	case k < 0x419921FB: // |x| < 105414350
		a, da, n := reduceSincos(x)
		return doSincos(a, da, n+1)
	case k < 0x7ff00000:
		a, da, n := branred(x)
		return doSincos(a, da, n+1)
	default: // Inf or NaN
		return x / x
	}
}
