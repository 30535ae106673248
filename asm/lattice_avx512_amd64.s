//go:build amd64 && gc && !purego

#include "textflag.h"

// func latticeAVX512(x0, x1, x2, out []float64, n0, n1, n2, p0, p1, p2 float64, axes int)
//
// Requires: AVX512F (the dispatcher also requires AVX2 and FMA)
//
// Same contract, algorithm, accuracy and schedule as latticeAVX2 (see
// lattice_avx2_amd64.s), on 8 lanes, with the same results lane by lane
// (r is formed as (t - kt) + tlo with tlo = fma(n, d, -t), where the AVX2
// kernel uses one fma(n, d, -kt): t - kt is exact, so both are n*d - kt
// rounded once): out[i] = prod_{j < axes}
// sincg(pi*xj[i], nj) with one division per element, nj integers in
// [2, 2^31], pj = (nj-1) mod 2.
//
// Only AVX512F instructions are used: VRNDSCALEPD $0 for rint, VPANDQ for
// |d|, VCMPPD into K1 with merge-masked moves instead of VBLENDVPD, VPXORQ
// for the sign. The main loop runs one 8-lane stream; the last 1..7
// elements run it under the K2 load/store mask (masked lanes read 0), so
// results do not depend on the position in the slice. The polynomial
// coefficients and the other constants stay in registers; n and the
// parities are 64-byte broadcasts in the local frame. Ends with VZEROUPPER.

// General purpose registers.
#define X0P SI // x0 base
#define X1P R8 // x1 base
#define X2P R9 // x2 base
#define OP DI // out base
#define IDX BX // element index
#define CNT R11 // len(out)
#define TMP AX

// Frame: n_j at 128*j(SP), p_j at 128*j+64(SP) (8 copies each).
#define N0 0(SP)
#define PAR0 64(SP)
#define N1 128(SP)
#define PAR1 192(SP)
#define N2 256(SP)
#define PAR2 320(SP)

// Vector registers.
#define ZD0 Z0 // d*d, axis 0
#define ZR0 Z1 // r*r, axis 0
#define ZD1 Z2
#define ZR1 Z3
#define ZD2 Z4
#define ZR2 Z5
#define PD0 Z6 // P(d*d), axis 0; phase 1 scratch
#define PR0 Z7 // P(r*r), axis 0; phase 1 scratch
#define PD1 Z8
#define PR1 Z9
#define PD2 Z10
#define PR2 Z11
#define YR Z12 // product of (tiny ? n : r)
#define YD Z13 // product of (tiny ? 1 : d)
#define SG Z14 // xor of the axes' p (sign in bit 52)
#define VB Z15 // broadcast scratch (prologue)
#define C0 Z16 // sinpiCoef[0]; Ck = Z(16+k)
#define C1 Z17
#define C2 Z18
#define C3 Z19
#define C4 Z20
#define C5 Z21
#define C6 Z22
#define VHALF Z25 // 0.5
#define VABS Z26 // abs mask
#define VTINY Z27 // 1e-90
#define VTWO Z28 // 2.0
#define VONE Z29 // 1.0

#define KTINY K1 // |d| < tiny
#define KTAIL K2 // tail lanes

// Phase 1 scratch.
#define S_A Z6 // x, then d, then (tiny ? 1 : d)
#define S_B Z7 // kh
#define S_C Z8 // t, then r, then (tiny ? n : r)
#define S_D Z9 // tlo
#define S_E Z10 // kt, then K, p
#define S_F Z11 // K/2, |d|

#define LOADU(xp) VMOVUPD (xp)(IDX*8), S_A
#define LOADM(xp) VMOVUPD.Z (xp)(IDX*8), KTAIL, S_A

// REDUCE: x in S_A -> zd = d*d, zr = r*r, S_A = tiny ? 1 : d,
// S_C = tiny ? n : r, S_E = p (bit 52 is the axis' sign).
#define REDUCE(nn, par, zd, zr) \
	VRNDSCALEPD  $0, S_A, S_B;         \
	VSUBPD       S_B, S_A, S_A;        \
	VMULPD       nn, S_A, S_C;         \
	VMOVAPD      S_C, S_D;             \
	VFMSUB231PD  nn, S_A, S_D;         \
	VRNDSCALEPD  $0, S_C, S_E;         \
	VSUBPD       S_E, S_C, S_C;        \
	VADDPD       S_D, S_C, S_C;        \
	VFMADD231PD  par, S_B, S_E;        \
	VMULPD       VHALF, S_E, S_F;      \
	VRNDSCALEPD  $0, S_F, S_F;         \
	VFNMADD231PD VTWO, S_F, S_E;       \
	VMULPD       S_A, S_A, zd;         \
	VMULPD       S_C, S_C, zr;         \
	VPANDQ       VABS, S_A, S_F;       \
	VCMPPD       $1, VTINY, S_F, KTINY; \
	VMOVAPD      VONE, KTINY, S_A;     \
	VMOVUPD      nn, KTINY, S_C

#define FIRST \
	VMOVAPD S_A, YD; \
	VMOVAPD S_C, YR; \
	VMOVAPD S_E, SG

#define NEXT \
	VMULPD S_A, YD, YD; \
	VMULPD S_C, YR, YR; \
	VPXORQ S_E, SG, SG

#define HSTART(z, p) \
	VMOVAPD     C5, p; \
	VFMADD231PD C6, z, p

#define HSTEP(c, z, p) VFMADD213PD c, z, p

#define HORNER2(c) \
	HSTEP(c, ZD0, PD0); \
	HSTEP(c, ZR0, PR0)

#define HORNER4(c) \
	HSTEP(c, ZD0, PD0); \
	HSTEP(c, ZR0, PR0); \
	HSTEP(c, ZD1, PD1); \
	HSTEP(c, ZR1, PR1)

#define HORNER6(c) \
	HSTEP(c, ZD0, PD0); \
	HSTEP(c, ZR0, PR0); \
	HSTEP(c, ZD1, PD1); \
	HSTEP(c, ZR1, PR1); \
	HSTEP(c, ZD2, PD2); \
	HSTEP(c, ZR2, PR2)

#define POLY1 \
	HSTART(ZD0, PD0); \
	HSTART(ZR0, PR0); \
	HORNER2(C4);      \
	HORNER2(C3);      \
	HORNER2(C2);      \
	HORNER2(C1);      \
	HORNER2(C0)

#define POLY2 \
	HSTART(ZD0, PD0); \
	HSTART(ZR0, PR0); \
	HSTART(ZD1, PD1); \
	HSTART(ZR1, PR1); \
	HORNER4(C4);      \
	HORNER4(C3);      \
	HORNER4(C2);      \
	HORNER4(C1);      \
	HORNER4(C0)

#define POLY3 \
	HSTART(ZD0, PD0); \
	HSTART(ZR0, PR0); \
	HSTART(ZD1, PD1); \
	HSTART(ZR1, PR1); \
	HSTART(ZD2, PD2); \
	HSTART(ZR2, PR2); \
	HORNER6(C4);      \
	HORNER6(C3);      \
	HORNER6(C2);      \
	HORNER6(C1);      \
	HORNER6(C0)

#define SIGN \
	VPSRLQ $52, SG, SG; \
	VPSLLQ $63, SG, SG; \
	VPXORQ SG, YR, YR

#define COMBINE1 \
	VMULPD PD0, YD, YD; \
	VMULPD PR0, YR, YR; \
	VDIVPD YD, YR, YR;  \
	SIGN

#define COMBINE2 \
	VMULPD PD1, PD0, PD0; \
	VMULPD PR1, PR0, PR0; \
	VMULPD PD0, YD, YD;   \
	VMULPD PR0, YR, YR;   \
	VDIVPD YD, YR, YR;    \
	SIGN

#define COMBINE3 \
	VMULPD PD1, PD0, PD0; \
	VMULPD PR1, PR0, PR0; \
	VMULPD PD2, YD, YD;   \
	VMULPD PR2, YR, YR;   \
	VMULPD PD0, YD, YD;   \
	VMULPD PR0, YR, YR;   \
	VDIVPD YD, YR, YR;    \
	SIGN

// One axis: load, reduce, start (FIRST) or extend (NEXT) the products.
#define AXIS0(LOAD) LOAD(X0P); REDUCE(N0, PAR0, ZD0, ZR0); FIRST
#define AXIS1(LOAD) LOAD(X1P); REDUCE(N1, PAR1, ZD1, ZR1); NEXT
#define AXIS2(LOAD) LOAD(X2P); REDUCE(N2, PAR2, ZD2, ZR2); NEXT

// BODYn: the factor of n active axes for eight elements, into YR.
#define BODY1(LOAD) AXIS0(LOAD); POLY1; COMBINE1
#define BODY2(LOAD) AXIS0(LOAD); AXIS1(LOAD); POLY2; COMBINE2
#define BODY3(LOAD) AXIS0(LOAD); AXIS1(LOAD); AXIS2(LOAD); POLY3; COMBINE3

// TAILMASK: CNT-IDX in 1..7 -> KTAIL = (1<<(CNT-IDX)) - 1 (CL is the
// shift count).
#define TAILMASK \
	MOVQ  CNT, CX;   \
	SUBQ  IDX, CX;   \
	MOVQ  $1, TMP;   \
	SHLQ  CX, TMP;   \
	DECQ  TMP;       \
	KMOVW TMP, KTAIL

#define STOREU VMOVUPD YR, (OP)(IDX*8)
#define STOREM VMOVUPD YR, KTAIL, (OP)(IDX*8)

// AXESLOOP runs body B over the elements, eight at a time, the last 1..7
// under the K2 mask, then jumps to vzero (labels l, t from the caller).
#define AXESLOOP(B, l, t) \
l:                          \
	LEAQ 8(IDX), TMP;   \
	CMPQ TMP, CNT;      \
	JA   t;             \
	B(LOADU);           \
	STOREU;             \
	ADDQ $8, IDX;       \
	JMP  l;             \
t:                          \
	CMPQ IDX, CNT;      \
	JAE  vzero;         \
	TAILMASK;           \
	B(LOADM);           \
	STOREM;             \
	JMP  vzero

TEXT ·latticeAVX512(SB), NOSPLIT, $384-152
	MOVQ  x0_base+0(FP), X0P
	MOVQ  x1_base+24(FP), X1P
	MOVQ  x2_base+48(FP), X2P
	MOVQ  out_base+72(FP), OP
	MOVQ  out_len+80(FP), CNT
	TESTQ CNT, CNT
	JZ    done

	VBROADCASTSD n0+96(FP), VB
	VMOVUPD      VB, N0
	VBROADCASTSD n1+104(FP), VB
	VMOVUPD      VB, N1
	VBROADCASTSD n2+112(FP), VB
	VMOVUPD      VB, N2
	VBROADCASTSD p0+120(FP), VB
	VMOVUPD      VB, PAR0
	VBROADCASTSD p1+128(FP), VB
	VMOVUPD      VB, PAR1
	VBROADCASTSD p2+136(FP), VB
	VMOVUPD      VB, PAR2

	MOVQ         $0x3fe0000000000000, TMP // 0.5
	VPBROADCASTQ TMP, VHALF
	MOVQ         $0x7fffffffffffffff, TMP
	VPBROADCASTQ TMP, VABS
	MOVQ         $0x2d404bd984990e6f, TMP // 1e-90
	VPBROADCASTQ TMP, VTINY
	MOVQ         $0x4000000000000000, TMP // 2.0
	VPBROADCASTQ TMP, VTWO
	MOVQ         $0x3ff0000000000000, TMP // 1.0
	VPBROADCASTQ TMP, VONE
	VBROADCASTSD ·sinpiCoef+0(SB), C0
	VBROADCASTSD ·sinpiCoef+8(SB), C1
	VBROADCASTSD ·sinpiCoef+16(SB), C2
	VBROADCASTSD ·sinpiCoef+24(SB), C3
	VBROADCASTSD ·sinpiCoef+32(SB), C4
	VBROADCASTSD ·sinpiCoef+40(SB), C5
	VBROADCASTSD ·sinpiCoef+48(SB), C6

	XORQ IDX, IDX
	MOVQ axes+144(FP), TMP
	CMPQ TMP, $2
	JB   loop1
	JE   loop2

	AXESLOOP(BODY3, loop3, tail3)
	AXESLOOP(BODY2, loop2, tail2)
	AXESLOOP(BODY1, loop1, tail1)

vzero:
	VZEROUPPER

done:
	RET
