//go:build amd64 && gc && !purego

#include "textflag.h"

// func dot3AVX2(p *float64, w *[3]float64, out *float64, n int)
//
// Requires: AVX, AVX2, FMA
//
// For q < n: out[q] = p[3q]*w[0] + p[3q+1]*w[1] + p[3q+2]*w[2],
// evaluated as fma(p2, w2, fma(p1, w1, p0*w0)): at most 1.5 ulp of
// |p0*w0| + |p1*w1| + |p2*w2| from the exact dot product (the generic
// path's (p0*w0 + p1*w1) + p2*w2 has the same order of error, so the two
// differ by at most ~3 ulp of that sum). Bounds are the caller's duty:
// p has 3n elements, out n. RotateUmat applies it to the 3m rows of the
// m matrices.
//
// Four rows (12 doubles = 3 unaligned YMM loads) are de-interleaved per
// iteration with 2 blends, 1 lane permute and 3 in-lane shuffles:
//
//	L0 = x0 y0 | z0 x1   A = L0.lo|L1.hi = x0 y0 | x2 y2
//	L1 = y1 z1 | x2 y2   B = L0.hi|L2.lo = z0 x1 | z2 x3
//	L2 = z2 x3 | y3 z3   C = L1.lo|L2.hi = y1 z1 | y3 z3
//	X = shufpd(A, B, 1010b), Y = shufpd(A, C, 0101b), Z = shufpd(B, C, 1010b)
//
// The 0..3 row tail is scalar with the same FMA order.

#define PP SI // p cursor
#define OP DI // out cursor
#define WP BX // w
#define CNT CX // rows left

#define VW0 Y13 // w[0] broadcast
#define VW1 Y14 // w[1]
#define VW2 Y15 // w[2]
#define XW0 X13
#define XW1 X14
#define XW2 X15

#define VL0 Y0
#define VL1 Y1
#define VL2 Y2
#define VA Y3
#define VB Y4
#define VC Y5
#define VXC Y6 // x components
#define VYC Y7 // y components
#define VZC Y8 // z components
#define VACC Y9 // result

// DOT4: 4 rows at PP -> VACC.
#define DOT4 \
	VMOVUPD     0(PP), VL0;          \
	VMOVUPD     32(PP), VL1;         \
	VMOVUPD     64(PP), VL2;         \
	VBLENDPD    $0x0c, VL1, VL0, VA; \
	VPERM2F128  $0x21, VL2, VL0, VB; \
	VBLENDPD    $0x0c, VL2, VL1, VC; \
	VSHUFPD     $0x0a, VB, VA, VXC;  \
	VSHUFPD     $0x05, VC, VA, VYC;  \
	VSHUFPD     $0x0a, VC, VB, VZC;  \
	VMULPD      VW0, VXC, VACC;      \
	VFMADD231PD VW1, VYC, VACC;      \
	VFMADD231PD VW2, VZC, VACC

TEXT ·dot3AVX2(SB), NOSPLIT, $0-32
	MOVQ p+0(FP), PP
	MOVQ w+8(FP), WP
	MOVQ out+16(FP), OP
	MOVQ n+24(FP), CNT
	TESTQ CNT, CNT
	JZ   done

	VBROADCASTSD 0(WP), VW0
	VBROADCASTSD 8(WP), VW1
	VBROADCASTSD 16(WP), VW2

	CMPQ CNT, $4
	JB   tail

loop4:
	DOT4
	VMOVUPD VACC, (OP)
	ADDQ    $96, PP
	ADDQ    $32, OP
	SUBQ    $4, CNT
	CMPQ    CNT, $4
	JAE     loop4

tail:
	TESTQ CNT, CNT
	JZ    vzero

tailloop:
	VMOVSD      0(PP), X0
	VMULSD      XW0, X0, X0
	VMOVSD      8(PP), X1
	VFMADD231SD XW1, X1, X0
	VMOVSD      16(PP), X1
	VFMADD231SD XW2, X1, X0
	VMOVSD      X0, (OP)
	ADDQ        $24, PP
	ADDQ        $8, OP
	DECQ        CNT
	JNZ         tailloop

vzero:
	VZEROUPPER

done:
	RET
