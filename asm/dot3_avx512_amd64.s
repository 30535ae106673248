//go:build amd64 && gc && !purego

#include "textflag.h"

// func dot3AVX512(p *float64, w *[3]float64, out *float64, n int)
//
// Requires: AVX512F (the dispatcher also requires AVX2 and FMA)
//
// For q < n: out[q] = p[3q]*w[0] + p[3q+1]*w[1] + p[3q+2]*w[2], evaluated
// as fma(p2, w2, fma(p1, w1, p0*w0)) exactly as dot3AVX2 (same results
// bit for bit, within 1.5 ulp of the sum of the absolute products). Bounds
// are the caller's duty: p has 3n elements, out n.
//
// Eight rows (24 doubles = 3 unaligned ZMM loads L0 L1 L2) are
// de-interleaved per iteration with two VPERMI2PD per component: the first
// gathers the 5 or 6 elements that lie in L0:L1, the second keeps those and
// adds the 2 or 3 from L2 (tables dot3Perm<>, verified by simulation):
//
//	x: [0 3 6 9 12 15 . .] then [0 1 2 3 4 5 | L2: 2 5]
//	y: [1 4 7 10 13 . . .] then [0 1 2 3 4 | L2: 0 3 6]
//	z: [2 5 8 11 14 . . .] then [0 1 2 3 4 | L2: 1 4 7]
//
// The 0..7 row tail is scalar with the same FMA order.

#define PP SI // p cursor
#define OP DI // out cursor
#define WP BX // w
#define CNT CX // rows left

#define VW0 Z13 // w[0] broadcast
#define VW1 Z14
#define VW2 Z15
#define XW0 X13
#define XW1 X14
#define XW2 X15
#define IX1 Z16 // permutation tables
#define IX2 Z17
#define IY1 Z18
#define IY2 Z19
#define IZ1 Z20
#define IZ2 Z21

#define VL0 Z0
#define VL1 Z1
#define VL2 Z2
#define VT Z3 // first-step result
#define VXC Z6 // x components
#define VYC Z7
#define VZC Z8
#define VACC Z9

// COMP: component c of 8 rows into dst using tables i1, i2.
#define COMP(i1, i2, dst) \
	VMOVDQU64 i1, VT;       \
	VPERMI2PD VL1, VL0, VT; \
	VMOVDQU64 i2, dst;      \
	VPERMI2PD VL2, VT, dst

TEXT ·dot3AVX512(SB), NOSPLIT, $0-32
	MOVQ p+0(FP), PP
	MOVQ w+8(FP), WP
	MOVQ out+16(FP), OP
	MOVQ n+24(FP), CNT
	TESTQ CNT, CNT
	JZ   done

	VBROADCASTSD 0(WP), VW0
	VBROADCASTSD 8(WP), VW1
	VBROADCASTSD 16(WP), VW2
	CMPQ CNT, $8
	JB   tail
	VMOVDQU64 dot3Perm<>+0(SB), IX1
	VMOVDQU64 dot3Perm<>+64(SB), IX2
	VMOVDQU64 dot3Perm<>+128(SB), IY1
	VMOVDQU64 dot3Perm<>+192(SB), IY2
	VMOVDQU64 dot3Perm<>+256(SB), IZ1
	VMOVDQU64 dot3Perm<>+320(SB), IZ2

loop8:
	VMOVUPD     0(PP), VL0
	VMOVUPD     64(PP), VL1
	VMOVUPD     128(PP), VL2
	COMP(IX1, IX2, VXC)
	COMP(IY1, IY2, VYC)
	COMP(IZ1, IZ2, VZC)
	VMULPD      VW0, VXC, VACC
	VFMADD231PD VW1, VYC, VACC
	VFMADD231PD VW2, VZC, VACC
	VMOVUPD     VACC, (OP)
	ADDQ        $192, PP
	ADDQ        $64, OP
	SUBQ        $8, CNT
	CMPQ        CNT, $8
	JAE         loop8

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

// x: step 1, step 2
DATA dot3Perm<>+0(SB)/8, $0
DATA dot3Perm<>+8(SB)/8, $3
DATA dot3Perm<>+16(SB)/8, $6
DATA dot3Perm<>+24(SB)/8, $9
DATA dot3Perm<>+32(SB)/8, $12
DATA dot3Perm<>+40(SB)/8, $15
DATA dot3Perm<>+48(SB)/8, $0
DATA dot3Perm<>+56(SB)/8, $0
DATA dot3Perm<>+64(SB)/8, $0
DATA dot3Perm<>+72(SB)/8, $1
DATA dot3Perm<>+80(SB)/8, $2
DATA dot3Perm<>+88(SB)/8, $3
DATA dot3Perm<>+96(SB)/8, $4
DATA dot3Perm<>+104(SB)/8, $5
DATA dot3Perm<>+112(SB)/8, $10
DATA dot3Perm<>+120(SB)/8, $13
// y
DATA dot3Perm<>+128(SB)/8, $1
DATA dot3Perm<>+136(SB)/8, $4
DATA dot3Perm<>+144(SB)/8, $7
DATA dot3Perm<>+152(SB)/8, $10
DATA dot3Perm<>+160(SB)/8, $13
DATA dot3Perm<>+168(SB)/8, $0
DATA dot3Perm<>+176(SB)/8, $0
DATA dot3Perm<>+184(SB)/8, $0
DATA dot3Perm<>+192(SB)/8, $0
DATA dot3Perm<>+200(SB)/8, $1
DATA dot3Perm<>+208(SB)/8, $2
DATA dot3Perm<>+216(SB)/8, $3
DATA dot3Perm<>+224(SB)/8, $4
DATA dot3Perm<>+232(SB)/8, $8
DATA dot3Perm<>+240(SB)/8, $11
DATA dot3Perm<>+248(SB)/8, $14
// z
DATA dot3Perm<>+256(SB)/8, $2
DATA dot3Perm<>+264(SB)/8, $5
DATA dot3Perm<>+272(SB)/8, $8
DATA dot3Perm<>+280(SB)/8, $11
DATA dot3Perm<>+288(SB)/8, $14
DATA dot3Perm<>+296(SB)/8, $0
DATA dot3Perm<>+304(SB)/8, $0
DATA dot3Perm<>+312(SB)/8, $0
DATA dot3Perm<>+320(SB)/8, $0
DATA dot3Perm<>+328(SB)/8, $1
DATA dot3Perm<>+336(SB)/8, $2
DATA dot3Perm<>+344(SB)/8, $3
DATA dot3Perm<>+352(SB)/8, $4
DATA dot3Perm<>+360(SB)/8, $9
DATA dot3Perm<>+368(SB)/8, $12
DATA dot3Perm<>+376(SB)/8, $15
GLOBL dot3Perm<>(SB), RODATA|NOPTR, $384
