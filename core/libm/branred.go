// Port of sysdeps/ieee754/dbl-64/branred.c from the GNU C Library 2.36
// (IBM Accurate Mathematical Library, written by International Business
// Machines Corp., Copyright (C) 2001-2022 Free Software Foundation, Inc.).
// glibc compiles this file with -ffp-contract=off, so no operation is fused.
//
// This library is free software; you can redistribute it and/or modify it
// under the terms of the GNU Lesser General Public License as published by
// the Free Software Foundation; either version 2.1 of the License, or (at
// your option) any later version.

package libm

import "math"

const (
	brT576  = 0x1p576
	brTm600 = 0x1p-600
	brTm24  = 0x1p-24
	brBig   = 0x1.8p52 // 6755399441055744
	brBig1  = 0x1.8p54 // 27021597764222976
	brMp1   = 0x1.921FB58000000p0
	brMp2   = -0x1.DDE9740000000p-27 // note: differs from usncs.h mp2
	brSplit = 134217729.0            // 2^27 + 1
)

// branredHalf processes one half (x1 or x2) of the split argument.
func branredHalf(xi float64) (b, bb, sum float64) {
	var r [6]float64
	k := int(math.Float64bits(xi)>>52) & 2047
	k = (k - 450) / 24
	if k < 0 {
		k = 0
	}
	gor := math.Float64frombits(math.Float64bits(brT576) - uint64(k*24)<<52)
	for i := 0; i < 6; i++ {
		r[i] = float64(float64(xi*toverp[k+i]) * gor)
		gor *= brTm24
	}
	for i := 0; i < 3; i++ {
		s := (r[i] + brBig) - brBig
		sum += s
		r[i] -= s
	}
	t := 0.0
	for i := 0; i < 6; i++ {
		t += r[5-i]
	}
	bb = (((((r[0] - t) + r[1]) + r[2]) + r[3]) + r[4]) + r[5]
	s := (t + brBig) - brBig
	sum += s
	t -= s
	b = t + bb
	bb = (t - b) + bb
	s = (sum + brBig1) - brBig1
	sum -= s
	return b, bb, sum
}

// branred reduces x (|x| >= 105414350) to a+aa with |a+aa| < pi/4 and
// returns n mod 4 such that x = n*pi/2 + (a+aa).
func branred(x float64) (a, aa float64, n int) {
	x *= brTm600
	t := float64(x * brSplit)
	x1 := t - (t - x)
	x2 := x - x1

	b1, bb1, sum1 := branredHalf(x1)
	b2, bb2, sum2 := branredHalf(x2)

	sum := sum1 + sum2
	b := b1 + b2
	var bb float64
	if math.Abs(b1) > math.Abs(b2) {
		bb = (b1 - b) + b2
	} else {
		bb = (b2 - b) + b1
	}
	if b > 0.5 {
		b -= 1.0
		sum += 1.0
	} else if b < -0.5 {
		b += 1.0
		sum -= 1.0
	}
	s := b + (bb + bb1 + bb2)
	t = ((b - s) + bb) + (bb1 + bb2)
	b = float64(s * brSplit)
	t1 := b - (b - s)
	t2 := s - t1
	b = float64(s * hp0)
	bb = (((float64(t1*brMp1) - b) + float64(t1*brMp2)) + float64(t2*brMp1)) +
		(float64(t2*brMp2) + float64(s*hp1) + float64(t*hp0))
	s = b + bb
	t = (b - s) + bb
	return s, t, int(sum) & 3
}
