package rng

import "math"

// Powf is a port of the single-precision pow used by glibc >= 2.28 on x86-64.
// That algorithm comes from Arm's optimized-routines (math/powf.c,
// math/powf_log2_data.c, math/exp2f_data.c; Copyright Arm Limited, MIT OR
// Apache-2.0 WITH LLVM-exception), which glibc imported as
// sysdeps/ieee754/flt-32/e_powf.c. Configuration reproduced here: x86-64
// (no TOINT intrinsics, POWF_SCALE = 1), round-to-nearest, WANT_ROUNDING.
//
// glibc on x86-64 selects at run time between a plain SSE2 build and a build
// with FMA contraction (CPUs with FMA and AVX2). Powf reproduces the FMA
// build, which is what a current x86-64 machine runs; powfSSE2 is the plain
// build. The two give identical float results for every argument pair
// checked (see the package tests), because the double-precision differences
// are far below the final float rounding.

const (
	powfLog2TableBits = 4
	powfLog2N         = 1 << powfLog2TableBits
	powfOff           = 0x3f330000
	exp2fTableBits    = 5
	exp2fN            = 1 << exp2fTableBits
	powfSignBias      = 1 << (exp2fTableBits + 11)
)

// powfLog2Tab holds {invc, logc} for each of the 16 subintervals.
var powfLog2Tab = [powfLog2N][2]float64{
	{0x1.661ec79f8f3bep+0, -0x1.efec65b963019p-2},
	{0x1.571ed4aaf883dp+0, -0x1.b0b6832d4fca4p-2},
	{0x1.49539f0f010bp+0, -0x1.7418b0a1fb77bp-2},
	{0x1.3c995b0b80385p+0, -0x1.39de91a6dcf7bp-2},
	{0x1.30d190c8864a5p+0, -0x1.01d9bf3f2b631p-2},
	{0x1.25e227b0b8eap+0, -0x1.97c1d1b3b7afp-3},
	{0x1.1bb4a4a1a343fp+0, -0x1.2f9e393af3c9fp-3},
	{0x1.12358f08ae5bap+0, -0x1.960cbbf788d5cp-4},
	{0x1.0953f419900a7p+0, -0x1.a6f9db6475fcep-5},
	{0x1p+0, 0x0p+0},
	{0x1.e608cfd9a47acp-1, 0x1.338ca9f24f53dp-4},
	{0x1.ca4b31f026aap-1, 0x1.476a9543891bap-3},
	{0x1.b2036576afce6p-1, 0x1.e840b4ac4e4d2p-3},
	{0x1.9c2d163a1aa2dp-1, 0x1.40645f0c6651cp-2},
	{0x1.886e6037841edp-1, 0x1.88e9c2c1b9ff8p-2},
	{0x1.767dcf5534862p-1, 0x1.ce0a44eb17bccp-2},
}

var powfLog2Poly = [5]float64{
	0x1.27616c9496e0bp-2, -0x1.71969a075c67ap-2,
	0x1.ec70a6ca7baddp-2, -0x1.7154748bef6c8p-1,
	0x1.71547652ab82bp0,
}

// exp2fTab[i] = bits(2^(i/32)) - (i << 47).
var exp2fTab = [exp2fN]uint64{
	0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
	0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
	0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
	0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
	0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
	0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
	0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
	0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
}

var exp2fPoly = [3]float64{0x1.c6af84b912394p-5, 0x1.ebfce50fac4f3p-3, 0x1.62e42ff0c52d6p-1}

const exp2fShift = 0x1.8p+52 / exp2fN

// madd is a*b + c, fused or with the product rounded first.
func madd(fused bool, a, b, c float64) float64 {
	if fused {
		return math.FMA(a, b, c)
	}
	return float64(a*b) + c
}

// powfLog2 returns log2 of the (normalised, possibly negative-exponent)
// float bit pattern ix.
func powfLog2(ix uint32, fused bool) float64 {
	tmp := ix - powfOff
	i := (tmp >> (23 - powfLog2TableBits)) % powfLog2N
	top := tmp & 0xff800000
	iz := ix - top
	k := int32(top) >> 23
	invc := powfLog2Tab[i][0]
	logc := powfLog2Tab[i][1]
	z := float64(math.Float32frombits(iz))

	r := madd(fused, z, invc, -1)
	y0 := logc + float64(k)
	a := &powfLog2Poly
	r2 := float64(r * r)
	y := madd(fused, a[0], r, a[1])
	p := madd(fused, a[2], r, a[3])
	r4 := float64(r2 * r2)
	q := madd(fused, a[4], r, y0)
	q = madd(fused, p, r2, q)
	y = madd(fused, y, r4, q)
	return y
}

// powfExp2 returns 2^xd as float, xd in [-1021, 1023]; signBias sets the sign.
func powfExp2(xd float64, signBias uint32, fused bool) float32 {
	kd := xd + exp2fShift
	ki := math.Float64bits(kd)
	kd -= exp2fShift
	r := xd - kd

	t := exp2fTab[ki%exp2fN]
	ski := ki + uint64(signBias)
	t += ski << (52 - exp2fTableBits)
	s := math.Float64frombits(t)
	c := &exp2fPoly
	z := madd(fused, c[0], r, c[1])
	r2 := float64(r * r)
	y := madd(fused, c[2], r, 1)
	y = madd(fused, z, r2, y)
	y = float64(y * s)
	return float32(y)
}

// powfCheckint returns 0 if iy (a non-zero finite float) is not an integer,
// 1 if it is an odd integer and 2 if an even one.
func powfCheckint(iy uint32) int {
	e := iy >> 23 & 0xff
	if e < 0x7f {
		return 0
	}
	if e > 0x7f+23 {
		return 2
	}
	if iy&((1<<(0x7f+23-e))-1) != 0 {
		return 0
	}
	if iy&(1<<(0x7f+23-e)) != 0 {
		return 1
	}
	return 2
}

// powfZeroInfNaN reports whether ix is the bit pattern of ±0, ±inf or NaN.
func powfZeroInfNaN(ix uint32) bool {
	return 2*ix-1 >= 2*0x7f800000-1
}

func isSignalingF(x float32) bool {
	ix := math.Float32bits(x)
	return 2*(ix^0x00400000) > 2*0x7fc00000
}

// x86 default NaN (what 0/0 produces on SSE).
var powfDefaultNaN = math.Float32frombits(0xffc00000)

// Powf: bit-exact port of glibc >= 2.28 powf (single precision, correctly matching glibc on x86-64).
func Powf(x, y float32) float32 { return powf(x, y, true) }

// powfSSE2 is the same algorithm without FMA contraction (glibc's SSE2 build).
func powfSSE2(x, y float32) float32 { return powf(x, y, false) }

func powf(x, y float32, fused bool) float32 {
	var signBias uint32
	ix := math.Float32bits(x)
	iy := math.Float32bits(y)
	if ix-0x00800000 >= 0x7f800000-0x00800000 || powfZeroInfNaN(iy) {
		// x is subnormal, zero, inf, nan or negative, or y is zero, inf or nan.
		if powfZeroInfNaN(iy) {
			if 2*iy == 0 {
				if isSignalingF(x) {
					return x + y
				}
				return 1.0
			}
			if ix == 0x3f800000 {
				if isSignalingF(y) {
					return x + y
				}
				return 1.0
			}
			if 2*ix > 2*0x7f800000 || 2*iy > 2*0x7f800000 {
				return x + y
			}
			if 2*ix == 2*0x3f800000 {
				return 1.0
			}
			if (2*ix < 2*0x3f800000) == (iy&0x80000000 == 0) {
				return 0.0 // |x|<1 && y==inf or |x|>1 && y==-inf
			}
			return float32(y * y)
		}
		if powfZeroInfNaN(ix) {
			x2 := float32(x * x)
			if ix&0x80000000 != 0 && powfCheckint(iy) == 1 {
				x2 = -x2
			}
			if iy&0x80000000 != 0 {
				return 1 / x2
			}
			return x2
		}
		// x and y are non-zero finite.
		if ix&0x80000000 != 0 {
			// finite x < 0
			yint := powfCheckint(iy)
			if yint == 0 {
				return powfDefaultNaN
			}
			if yint == 1 {
				signBias = powfSignBias
			}
			ix &= 0x7fffffff
		}
		if ix < 0x00800000 {
			// normalise subnormal x so the exponent becomes negative
			ix = math.Float32bits(float32(x * 0x1p23))
			ix &= 0x7fffffff
			ix -= 23 << 23
		}
	}
	ylogx := float64(float64(y) * powfLog2(ix, fused))

	// |y*log2(x)| >= 126?
	if (math.Float64bits(ylogx)>>47)&0xffff >= math.Float64bits(126.0)>>47 {
		if ylogx <= -150.0 {
			return powfSigned(0, signBias) // underflow
		}
		if ylogx < -149.0 {
			// glibc's may-underflow path (errno build): 0x1.4p-75f squared
			return powfSigned(math.Float32frombits(1), signBias)
		}
		if ylogx > 0x1.fffffffa3aae2p+6 {
			if ylogx > 0x1.fffffffd1d571p+6 {
				return powfSigned(float32(math.Inf(1)), signBias) // overflow
			}
			// round-to-nearest: 1 + 0x1p-25f == 1, so no overflow
			return powfSigned(math.MaxFloat32, signBias)
		}
	}
	return powfExp2(ylogx, signBias, fused)
}

func powfSigned(v float32, signBias uint32) float32 {
	if signBias != 0 {
		return -v
	}
	return v
}
