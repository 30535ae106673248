// Port of sysdeps/ieee754/dbl-64/e_atan2.c from the GNU C Library 2.36
// (IBM Accurate Mathematical Library, written by International Business
// Machines Corp., Copyright (C) 2001-2022 Free Software Foundation, Inc.),
// as compiled into __ieee754_atan2_fma (gcc -O2 -mfma -mavx2).
//
// This library is free software; you can redistribute it and/or modify it
// under the terms of the GNU Lesser General Public License as published by
// the Free Software Foundation; either version 2.1 of the License, or (at
// your option) any later version.

package libm

import "math"

// Constants from atnat2.h.
const (
	atD3  = -0x1.5555555555555p-2
	atD5  = 0x1.99999999997fdp-3
	atD7  = -0x1.24924923f7603p-3
	atD9  = 0x1.c71c6e5129a3bp-4
	atD11 = -0x1.7458022b13c25p-4
	atD13 = 0x1.375f08b31cbcep-4

	atInv16   = 0x1p-4
	atOpi     = 0x1.921fb54442d18p1
	atOpi1    = 0x1.1a62633145c07p-53
	atHpi     = 0x1.921fb54442d18p0
	atHpi1    = 0x1.1a62633145c07p-54
	atQpi     = 0x1.921fb54442d18p-1
	atTqpi    = 0x1.2d97c7f3321d2p1
	atTwo500  = 0x1p500
	atTwom500 = 0x1p-500
	atTwo52   = 0x1p52
)

// atPoly evaluates d3 + v*(d5 + v*(d7 + v*(d9 + v*(d11 + v*d13)))).
func atPoly(v float64) float64 {
	p := math.FMA(v, atD13, atD11)
	p = math.FMA(p, v, atD9)
	p = math.FMA(p, v, atD7)
	p = math.FMA(p, v, atD5)
	return math.FMA(p, v, atD3)
}

// atPolyC evaluates c2 + v*(c3 + v*(c4 + v*(c5 + v*c6))) for table row c.
func atPolyC(c *[7]float64, v float64) float64 {
	p := math.FMA(c[6], v, c[5])
	p = math.FMA(p, v, c[4])
	p = math.FMA(p, v, c[3])
	return math.FMA(p, v, c[2])
}

// atIndex returns the cij row for u in [1/16, 1].
func atIndex(u float64) *[7]float64 {
	i := int(math.FMA(u, 256, atTwo52)-atTwo52) - 16
	return &cij[i]
}

// Atan2 returns the arc tangent of y/x, using the signs of the two to
// determine the quadrant, bit-identical to glibc 2.36 atan2 on x86-64 with
// FMA.
func Atan2(y, x float64) float64 {
	const (
		ep = 59768832  // 57*16**5
		em = -59768832 // -57*16**5
	)
	bx := math.Float64bits(x)
	ux := int32(bx >> 32)
	dx := uint32(bx)
	by := math.Float64bits(y)
	uy := int32(by >> 32)
	dy := uint32(by)

	// x=NaN or y=NaN
	if ux&0x7ff00000 == 0x7ff00000 && (uint32(ux)&0x000fffff|dx) != 0 {
		return x + y
	}
	if uy&0x7ff00000 == 0x7ff00000 && (uint32(uy)&0x000fffff|dy) != 0 {
		return y + y
	}

	// y=+-0
	if uint32(uy) == 0x00000000 {
		if dy == 0 {
			if ux >= 0 {
				return 0
			}
			return atOpi
		}
	} else if uint32(uy) == 0x80000000 {
		if dy == 0 {
			if ux >= 0 {
				return math.Copysign(0, -1)
			}
			return -atOpi
		}
	}

	// x=+-0
	if x == 0 {
		if uy >= 0 {
			return atHpi
		}
		return -atHpi
	}

	// x=+-INF
	if uint32(ux) == 0x7ff00000 {
		if dx == 0 {
			if uint32(uy) == 0x7ff00000 {
				if dy == 0 {
					return atQpi
				}
			} else if uint32(uy) == 0xfff00000 {
				if dy == 0 {
					return -atQpi
				}
			} else {
				if uy >= 0 {
					return 0
				}
				return math.Copysign(0, -1)
			}
		}
	} else if uint32(ux) == 0xfff00000 {
		if dx == 0 {
			if uint32(uy) == 0x7ff00000 {
				if dy == 0 {
					return atTqpi
				}
			} else if uint32(uy) == 0xfff00000 {
				if dy == 0 {
					return -atTqpi
				}
			} else {
				if uy >= 0 {
					return atOpi
				}
				return -atOpi
			}
		}
	}

	// y=+-INF
	if uint32(uy) == 0x7ff00000 {
		if dy == 0 {
			return atHpi
		}
	} else if uint32(uy) == 0xfff00000 {
		if dy == 0 {
			return -atHpi
		}
	}

	// either x/y or y/x is very close to zero
	ax, ay := x, y
	if x < 0 {
		ax = -x
	}
	if y < 0 {
		ay = -y
	}
	de := (uy & 0x7ff00000) - (ux & 0x7ff00000)
	if de >= ep {
		if y > 0 {
			return atHpi
		}
		return -atHpi
	} else if de <= em {
		if x > 0 {
			return math.Copysign(ay/ax, y)
		}
		if y > 0 {
			return atOpi
		}
		return -atOpi
	}

	// if either x or y is extremely close to zero, scale abs(x), abs(y).
	if ax < atTwom500 || ay < atTwom500 {
		ax *= atTwo500
		ay *= atTwo500
	}
	// Likewise for large x and y.
	if ax > atTwo500 || ay > atTwo500 {
		ax *= atTwom500
		ay *= atTwom500
	}

	// x,y which are neither special nor extreme
	var u, du float64
	if ay < ax {
		u = ay / ax
		v := float64(ax * u)
		vv := math.FMA(ax, u, -v)
		du = ((ay - v) - vv) / ax
	} else {
		u = ax / ay
		v := float64(ay * u)
		vv := math.FMA(ay, u, -v)
		du = ((ax - v) - vv) / ay
	}

	if x > 0 {
		// (i)   x>0, abs(y)< abs(x):  atan(ay/ax)
		if ay < ax {
			if u < atInv16 {
				v := float64(u * u)
				zz := math.FMA(float64(u*v), atPoly(v), du)
				return math.Copysign(u+zz, y)
			}
			c := atIndex(u)
			t3 := u - c[0]
			// EADD (t3, du, v, dv)
			v := t3 + du
			var dv float64
			if math.Abs(t3) > math.Abs(du) {
				dv = (t3 - v) + du
			} else {
				dv = (du - v) + t3
			}
			t1 := c[1]
			t2 := c[2]
			p := math.FMA(math.FMA(math.FMA(c[6], v, c[5]), v, c[4]), v, c[3])
			zz := math.FMA(v, t2, math.FMA(dv, t2, float64(float64(v*v)*p)))
			return math.Copysign(t1+zz, y)
		}

		// (ii)  x>0, abs(x)<=abs(y):  pi/2-atan(ax/ay)
		if u < atInv16 {
			v := float64(u * u)
			zz := float64(float64(u*v) * atPoly(v))
			// ESUB (hpi, u, t2, cor)
			t2 := atHpi - u
			var cor float64
			if atHpi > math.Abs(u) {
				cor = (atHpi - t2) - u
			} else {
				cor = atHpi - (u + t2)
			}
			t3 := ((atHpi1 + cor) - du) - zz
			return math.Copysign(t2+t3, y)
		}
		c := atIndex(u)
		v := (u - c[0]) + du
		zz := math.FMA(-atPolyC(c, v), v, atHpi1)
		t1 := atHpi - c[1]
		return math.Copysign(t1+zz, y)
	}

	// (iii) x<0, abs(x)< abs(y):  pi/2+atan(ax/ay)
	if ax < ay {
		if u < atInv16 {
			v := float64(u * u)
			zz := float64(float64(u*v) * atPoly(v))
			// EADD (hpi, u, t2, cor)
			t2 := atHpi + u
			var cor float64
			if atHpi > math.Abs(u) {
				cor = (atHpi - t2) + u
			} else {
				cor = (u - t2) + atHpi
			}
			t3 := ((atHpi1 + cor) + du) + zz
			return math.Copysign(t2+t3, y)
		}
		c := atIndex(u)
		v := (u - c[0]) + du
		zz := math.FMA(atPolyC(c, v), v, atHpi1)
		t1 := atHpi + c[1]
		return math.Copysign(t1+zz, y)
	}

	// (iv)  x<0, abs(y)<=abs(x):  pi-atan(ax/ay)
	if u < atInv16 {
		v := float64(u * u)
		zz := float64(float64(u*v) * atPoly(v))
		// ESUB (opi, u, t2, cor)
		t2 := atOpi - u
		var cor float64
		if atOpi > math.Abs(u) {
			cor = (atOpi - t2) - u
		} else {
			cor = atOpi - (u + t2)
		}
		t3 := ((atOpi1 + cor) - du) - zz
		return math.Copysign(t2+t3, y)
	}
	c := atIndex(u)
	v := (u - c[0]) + du
	zz := math.FMA(-atPolyC(c, v), v, atOpi1)
	t1 := atOpi - c[1]
	return math.Copysign(t1+zz, y)
}
