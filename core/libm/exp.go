// Port of sysdeps/ieee754/dbl-64/e_exp.c from the GNU C Library 2.36, as
// compiled into __exp_fma (gcc -O2 -mfma -mavx2).  The algorithm is from the
// Arm Optimized Routines:
//
// Copyright (c) 2018 Arm Ltd.
// SPDX-License-Identifier: MIT (or Apache-2.0 WITH LLVM-exception)
//
// and is distributed with glibc under the GNU Lesser General Public License
// version 2.1 or later.

package libm

import "math"

const (
	expTableBits = 7
	expN         = 1 << expTableBits
	expInvLn2N   = 0x1.71547652b82fep0 * expN
	expNegLn2hiN = -0x1.62e42fefa0000p-8
	expNegLn2loN = -0x1.cf79abc9e3b3ap-47
	expShift     = 0x1.8p52
	expC2        = 0x1.ffffffffffdbdp-2
	expC3        = 0x1.555555555543cp-3
	expC4        = 0x1.55555cf172b91p-5
	expC5        = 0x1.1111167a4d017p-7

	top12Tiny  = 0x3c9 // top12(0x1p-54)
	top12_512  = 0x408 // top12(512.0)
	top12_1024 = 0x409 // top12(1024.0)
)

// expSpecialcase handles results that may overflow or underflow when
// computing scale*(1+tmp).
func expSpecialcase(tmp float64, sbits, ki uint64) float64 {
	if ki&0x80000000 == 0 {
		// k > 0, the exponent of scale might have overflowed by <= 460.
		sbits -= 1009 << 52
		scale := math.Float64frombits(sbits)
		return 0x1p1009 * math.FMA(tmp, scale, scale)
	}
	// k < 0, need special care in the subnormal range.
	sbits += 1022 << 52
	scale := math.Float64frombits(sbits)
	st := float64(scale * tmp)
	y := scale + st
	if y < 1.0 {
		lo := st + (scale - y)
		hi := 1.0 + y
		lo = ((1.0 - hi) + y) + lo
		y = (hi + lo) - 1.0
		if y == 0 {
			y = 0 // avoid -0.0
		}
	}
	return 0x1p-1022 * y
}

// Exp returns e**x, bit-identical to glibc 2.36 exp on x86-64 with FMA.
func Exp(x float64) float64 {
	ix := math.Float64bits(x)
	abstop := uint32(ix>>52) & 0x7ff
	if abstop-top12Tiny >= top12_512-top12Tiny {
		if abstop-top12Tiny >= 0x80000000 {
			// Tiny x (including 0).
			return 1.0 + x
		}
		if abstop >= top12_1024 {
			if ix == 0xfff0000000000000 { // -Inf
				return 0.0
			}
			if abstop >= 0x7ff {
				return 1.0 + x
			}
			if ix>>63 != 0 {
				return 0.0 // underflow
			}
			return math.Inf(1) // overflow
		}
		// Large x is special cased below.
		abstop = 0
	}

	// exp(x) = 2^(k/N) * exp(r), with exp(r) in [2^(-1/2N),2^(1/2N)].
	kd := math.FMA(expInvLn2N, x, expShift)
	ki := math.Float64bits(kd)
	kd -= expShift
	r := math.FMA(expNegLn2loN, kd, math.FMA(expNegLn2hiN, kd, x))
	idx := 2 * (ki % expN)
	top := ki << (52 - expTableBits)
	tail := math.Float64frombits(expTab[idx])
	sbits := expTab[idx+1] + top
	r2 := float64(r * r)
	tmp := math.FMA(float64(r2*r2), math.FMA(expC5, r, expC4),
		math.FMA(math.FMA(expC3, r, expC2), r2, r+tail))
	if abstop == 0 {
		return expSpecialcase(tmp, sbits, ki)
	}
	scale := math.Float64frombits(sbits)
	return math.FMA(tmp, scale, scale)
}
