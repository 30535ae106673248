//go:build amd64 && gc && !purego

#include "textflag.h"

// func latticeAVX2(x0, x1, x2, out []float64, n0, n1, n2, p0, p1, p2 float64, axes int)
//
// Requires: AVX, AVX2, FMA
//
// The fused square lattice factor over the axes active axes (1, 2 or 3;
// the caller compacts the active axes into slots 0..axes-1; the slices of
// unused slots are not read). For i < len(out):
//
//	out[i] = prod_{j < axes} sincg(pi*xj[i], nj)
//
// nj an integer in [2, 2^31], pj = (nj-1) mod 2, len(xj) >= len(out) (the
// caller's duty). Per lane and active axis j (x = xj[i], n = nj):
//
//	kh = rint(x); d = x - kh                  (exact)
//	kt = rint(n*d); r = fma(n, d, -kt)        (one rounding, relative to r)
//	K = kh*pj + kt; p = K - 2*rint(K/2)       (exact, p in {-1, 0, 1})
//	sgn ^= bits(p)                            (bit 52: 1 iff p odd)
//	tiny = |d| < 1e-90
//	Yr *= tiny ? n : r;  Yd *= tiny ? 1 : d   (first axis: =)
//	Pr = P(r*r); Pd = P(d*d)
//
// then out = ((Pr0*Pr1)*(Pr2*Yr)) / ((Pd0*Pd1)*(Pd2*Yd)), with its sign
// bit xored with bit 52 of sgn (p = ±1 has bit 52 set, ±0 not), i.e. the
// numerator prod S(r_j) and the denominator prod S(d_j), S(y) = y*P(y*y),
// with ONE division for all axes. P is the degree-6 (in y*y) minimax
// approximation of sin(pi*y)/y on |y| <= 1/2 (sinpiCoef, relative error
// below 6.3e-14 with the float64 coefficients). A tiny axis has numerator
// factor n and denominator factor 1: its true factor is n*(1 - O(1e-180)),
// and P(r*r) = P(d*d) = sinpiCoef[0] exactly there.
//
// Range: |d| >= 1e-90 or the axis is tiny, so |Yd| >= 1e-270 and every
// denominator product is a normal double (|S(d)| >= 2|d|). |r| is 0 or at
// least min(2|d|, 2^-85) (r is a multiple of ulp(d) once n*|d| >= 1/2, and
// |d| >= 2^-32 then), so a non-zero numerator product is also above
// 1e-269: neither product nor the quotient leaves the normal range for
// finite input. A true zero (some n*d integral) gives r = 0 and out = ±0.
// Inf or NaN input gives NaN.
//
// Accuracy (u = 2^-53): each P within 566.2u (truncation 564u, argument
// y*y 0.5u, Horner 1.7u), each r within 1u, 10 products and the division
// 11u: |out - true| <= (6*566.2 + 3 + 11)u = 3411u ~ 3.79e-13 relative for 3
// axes (LatticeRelBound in params.go), (2*566.2 + 1 + 3)u = 1136.4u = 568.2
// ulp for one axis (latticeAxisULP).
//
// Schedule: one 4-lane stream per iteration. Phase 1 reduces the axes one
// after the other (scratch: the Horner registers and Y15), phase 2 runs the
// 2*axes independent Horner chains interleaved (6 FMAs each, coefficients
// as memory operands from sinpiCoef4), phase 3 multiplies, divides once and
// stores. The out-of-order core overlaps the next iteration's reduction
// with the current Horner chains and division. n and the parities are
// 32-byte broadcasts in the local frame; the other constants are in
// latticeConst<>. The last 1..3 elements run the same code with VMASKMOVPD
// loads (masked lanes read 0, a tiny axis) and store, so results do not
// depend on the position in the slice. Ends with VZEROUPPER.

// General purpose registers.
#define X0P SI // x0 base
#define X1P R8 // x1 base
#define X2P R9 // x2 base
#define OP DI // out base
#define IDX BX // element index
#define CNT CX // len(out)
#define TMP AX
#define MASKP DX // tail mask address

// Frame: n_j at 64*j(SP), p_j at 64*j+32(SP) (4 copies each).
#define N0 0(SP)
#define PAR0 32(SP)
#define N1 64(SP)
#define PAR1 96(SP)
#define N2 128(SP)
#define PAR2 160(SP)

// Memory constants (32-byte broadcasts).
#define HALF latticeConst<>+0(SB) // 0.5
#define ABS latticeConst<>+32(SB) // 0x7fff... abs mask
#define TINY latticeConst<>+64(SB) // 1e-90
#define TWO latticeConst<>+96(SB) // 2.0
#define ONE latticeConst<>+128(SB) // 1.0

// Vector registers.
#define ZD0 Y0 // d*d, axis 0
#define ZR0 Y1 // r*r, axis 0
#define ZD1 Y2
#define ZR1 Y3
#define ZD2 Y4
#define ZR2 Y5
#define PD0 Y6 // P(d*d), axis 0; phase 1 scratch
#define PR0 Y7 // P(r*r), axis 0; phase 1 scratch
#define PD1 Y8
#define PR1 Y9
#define PD2 Y10
#define PR2 Y11
#define YR Y12 // product of (tiny ? n : r)
#define YD Y13 // product of (tiny ? 1 : d)
#define SG Y14 // xor of the axes' p (sign in bit 52)
#define VT Y15 // tail mask (phase 1); sinpiCoef[6] (phase 2)

// Phase 1 scratch.
#define S_A Y6 // x, then d, then (tiny ? 1 : d)
#define S_B Y7 // kh
#define S_C Y8 // t, then r, then (tiny ? n : r)
#define S_E Y10 // kt, then K, p
#define S_F Y11 // K/2, tiny mask

// Loads of x: unmasked (main loop) and masked (tail, mask in VT).
#define LOADU(xp) VMOVUPD (xp)(IDX*8), S_A
#define LOADM(xp) VMASKMOVPD (xp)(IDX*8), VT, S_A

// REDUCE: x in S_A -> zd = d*d, zr = r*r, S_A = tiny ? 1 : d,
// S_C = tiny ? n : r, S_E = p (bit 52 is the axis' sign). REDUCEM is
// REDUCE without the sign (magnitude kernel).
#define REDUCE_HEAD(nn) \
	VROUNDPD     $0, S_A, S_B;       \
	VSUBPD       S_B, S_A, S_A;       \
	VMULPD       nn, S_A, S_C;       \
	VROUNDPD     $0, S_C, S_E;       \
	VMOVAPD      S_E, S_C;           \
	VFMSUB231PD  nn, S_A, S_C

#define REDUCE_PARITY(par) \
	VFMADD231PD  par, S_B, S_E;      \
	VMULPD       HALF, S_E, S_F;     \
	VROUNDPD     $0, S_F, S_F;       \
	VFNMADD231PD TWO, S_F, S_E

#define REDUCE_TAIL(nn, zd, zr) \
	VMULPD       S_A, S_A, zd;       \
	VMULPD       S_C, S_C, zr;       \
	VANDPD       ABS, S_A, S_F;      \
	VCMPPD       $1, TINY, S_F, S_F; \
	VBLENDVPD    S_F, ONE, S_A, S_A;  \
	VBLENDVPD    S_F, nn, S_C, S_C

#define REDUCE(nn, par, zd, zr) \
	REDUCE_HEAD(nn);       \
	REDUCE_PARITY(par);    \
	REDUCE_TAIL(nn, zd, zr)

#define REDUCEM(nn, zd, zr) \
	REDUCE_HEAD(nn);       \
	REDUCE_TAIL(nn, zd, zr)

// First axis sets YR, YD, SG; the others multiply / xor into them
// (FIRSTM, NEXTM: without the sign).
#define FIRSTM \
	VMOVAPD S_A, YD; \
	VMOVAPD S_C, YR

#define NEXTM \
	VMULPD S_A, YD, YD; \
	VMULPD S_C, YR, YR

#define FIRST \
	FIRSTM; \
	VMOVAPD S_E, SG

#define NEXT \
	NEXTM; \
	VPXOR  S_E, SG, SG

// Horner on z into p: p = c5 + c6*z, then p = p*z + ck, k = 4..0.
#define HSTART(z, p) \
	VMOVUPD     ·sinpiCoef4+160(SB), p; \
	VFMADD231PD VT, z, p

#define HSTEP(off, z, p) VFMADD213PD ·sinpiCoef4+off(SB), z, p

#define HORNER2(off) \
	HSTEP(off, ZD0, PD0); \
	HSTEP(off, ZR0, PR0)

#define HORNER4(off) \
	HSTEP(off, ZD0, PD0); \
	HSTEP(off, ZR0, PR0); \
	HSTEP(off, ZD1, PD1); \
	HSTEP(off, ZR1, PR1)

#define HORNER6(off) \
	HSTEP(off, ZD0, PD0); \
	HSTEP(off, ZR0, PR0); \
	HSTEP(off, ZD1, PD1); \
	HSTEP(off, ZR1, PR1); \
	HSTEP(off, ZD2, PD2); \
	HSTEP(off, ZR2, PR2)

#define POLY1 \
	VMOVUPD ·sinpiCoef4+192(SB), VT; \
	HSTART(ZD0, PD0);                \
	HSTART(ZR0, PR0);                \
	HORNER2(128);                    \
	HORNER2(96);                     \
	HORNER2(64);                     \
	HORNER2(32);                     \
	HORNER2(0)

#define POLY2 \
	VMOVUPD ·sinpiCoef4+192(SB), VT; \
	HSTART(ZD0, PD0);                \
	HSTART(ZR0, PR0);                \
	HSTART(ZD1, PD1);                \
	HSTART(ZR1, PR1);                \
	HORNER4(128);                    \
	HORNER4(96);                     \
	HORNER4(64);                     \
	HORNER4(32);                     \
	HORNER4(0)

#define POLY3 \
	VMOVUPD ·sinpiCoef4+192(SB), VT; \
	HSTART(ZD0, PD0);                \
	HSTART(ZR0, PR0);                \
	HSTART(ZD1, PD1);                \
	HSTART(ZR1, PR1);                \
	HSTART(ZD2, PD2);                \
	HSTART(ZR2, PR2);                \
	HORNER6(128);                    \
	HORNER6(96);                     \
	HORNER6(64);                     \
	HORNER6(32);                     \
	HORNER6(0)

// Phase 3: -> result in YR (COMBINEnM: without the sign).
#define SIGNFIX \
	VPSRLQ $52, SG, SG; \
	VPSLLQ $63, SG, SG; \
	VXORPD SG, YR, YR

#define COMBINE1M \
	VMULPD PD0, YD, YD; \
	VMULPD PR0, YR, YR; \
	VDIVPD YD, YR, YR

#define COMBINE1 \
	COMBINE1M; \
	SIGNFIX

#define COMBINE2M \
	VMULPD PD1, PD0, PD0; \
	VMULPD PR1, PR0, PR0; \
	VMULPD PD0, YD, YD; \
	VMULPD PR0, YR, YR; \
	VDIVPD YD, YR, YR

#define COMBINE2 \
	COMBINE2M; \
	SIGNFIX

#define COMBINE3M \
	VMULPD PD1, PD0, PD0; \
	VMULPD PR1, PR0, PR0; \
	VMULPD PD2, YD, YD; \
	VMULPD PR2, YR, YR; \
	VMULPD PD0, YD, YD; \
	VMULPD PR0, YR, YR; \
	VDIVPD YD, YR, YR

#define COMBINE3 \
	COMBINE3M; \
	SIGNFIX

// One axis: load, reduce, start (FIRST) or extend (NEXT) the products.
#define AXIS0(LOAD) LOAD(X0P); REDUCE(N0, PAR0, ZD0, ZR0); FIRST
#define AXIS1(LOAD) LOAD(X1P); REDUCE(N1, PAR1, ZD1, ZR1); NEXT
#define AXIS2(LOAD) LOAD(X2P); REDUCE(N2, PAR2, ZD2, ZR2); NEXT
#define AXIS0M(LOAD) LOAD(X0P); REDUCEM(N0, ZD0, ZR0); FIRSTM
#define AXIS1M(LOAD) LOAD(X1P); REDUCEM(N1, ZD1, ZR1); NEXTM
#define AXIS2M(LOAD) LOAD(X2P); REDUCEM(N2, ZD2, ZR2); NEXTM

// BODYn: the factor of n active axes for four elements, into YR
// (BODYnM: its magnitude).
#define BODY1(LOAD) AXIS0(LOAD); POLY1; COMBINE1
#define BODY2(LOAD) AXIS0(LOAD); AXIS1(LOAD); POLY2; COMBINE2
#define BODY3(LOAD) AXIS0(LOAD); AXIS1(LOAD); AXIS2(LOAD); POLY3; COMBINE3
#define BODY1M(LOAD) AXIS0M(LOAD); POLY1; COMBINE1M
#define BODY2M(LOAD) AXIS0M(LOAD); AXIS1M(LOAD); POLY2; COMBINE2M
#define BODY3M(LOAD) AXIS0M(LOAD); AXIS1M(LOAD); AXIS2M(LOAD); POLY3; COMBINE3M

// TAILMASK: CNT-IDX in 1..3 -> MASKP = &latticeTailMask[4-(CNT-IDX)],
// VT = mask.
#define TAILMASK \
	MOVQ    IDX, TMP;                     \
	ADDQ    $4, TMP;                      \
	SUBQ    CNT, TMP;                     \
	LEAQ    latticeTailMask<>(SB), MASKP; \
	LEAQ    (MASKP)(TMP*8), MASKP;        \
	VMOVDQU (MASKP), VT

#define STOREU VMOVUPD YR, (OP)(IDX*8)

#define STOREM \
	VMOVDQU    (MASKP), VT; \
	VMASKMOVPD YR, VT, (OP)(IDX*8)

// AXESLOOP runs body B over the elements, four at a time, the last 1..3
// under a load mask, then jumps to vz (labels l, t from the caller).
#define AXESLOOP(B, l, t, vz) \
l:                                  \
	LEAQ 4(IDX), TMP;           \
	CMPQ TMP, CNT;              \
	JA   t;                     \
	B(LOADU);                   \
	STOREU;                     \
	ADDQ $4, IDX;               \
	JMP  l;                     \
t:                                  \
	CMPQ IDX, CNT;              \
	JAE  vz;                    \
	TAILMASK;                   \
	B(LOADM);                   \
	STOREM;                     \
	JMP  vz

// LATTICE is a kernel's whole body: the arguments and the frame copies of
// n and the parities, then the element loop for 1, 2 or 3 active axes with
// the bodies B1, B2, B3 (signed or sign-free). The labels come as
// arguments (one set per kernel).
#define LATTICE(B1, B2, B3, l3, t3, l2, t2, l1, t1, vz, dn) \
	MOVQ  x0_base+0(FP), X0P;   \
	MOVQ  x1_base+24(FP), X1P;  \
	MOVQ  x2_base+48(FP), X2P;  \
	MOVQ  out_base+72(FP), OP;  \
	MOVQ  out_len+80(FP), CNT;  \
	TESTQ CNT, CNT;             \
	JZ    dn;                   \
	VBROADCASTSD n0+96(FP), VT; \
	VMOVUPD VT, N0;             \
	VBROADCASTSD n1+104(FP), VT; \
	VMOVUPD VT, N1;             \
	VBROADCASTSD n2+112(FP), VT; \
	VMOVUPD VT, N2;             \
	VBROADCASTSD p0+120(FP), VT; \
	VMOVUPD VT, PAR0;           \
	VBROADCASTSD p1+128(FP), VT; \
	VMOVUPD VT, PAR1;           \
	VBROADCASTSD p2+136(FP), VT; \
	VMOVUPD VT, PAR2;           \
	XORQ IDX, IDX;              \
	MOVQ axes+144(FP), TMP;     \
	CMPQ TMP, $2;               \
	JB   l1;                    \
	JE   l2;                    \
	AXESLOOP(B3, l3, t3, vz);   \
	AXESLOOP(B2, l2, t2, vz);   \
	AXESLOOP(B1, l1, t1, vz);   \
vz:                                 \
	VZEROUPPER;                 \
dn:                                 \
	RET

TEXT ·latticeAVX2(SB), NOSPLIT, $192-152
	LATTICE(BODY1, BODY2, BODY3, loop3, tail3, loop2, tail2, loop1, tail1, vzero, done)

// func latticeMagAVX2(x0, x1, x2, out []float64, n0, n1, n2, p0, p1, p2 float64, axes int)
//
// latticeAVX2 without the sign: the same magnitudes bit for bit, the sign
// of prod S(r_j) / prod S(d_j) as it falls (the parities are not formed:
// four instructions fewer per axis and three per element). For callers
// that square the factor.
TEXT ·latticeMagAVX2(SB), NOSPLIT, $192-152
	LATTICE(BODY1M, BODY2M, BODY3M, mloop3, mtail3, mloop2, mtail2, mloop1, mtail1, mvzero, mdone)

DATA latticeTailMask<>+0(SB)/8, $0xffffffffffffffff
DATA latticeTailMask<>+8(SB)/8, $0xffffffffffffffff
DATA latticeTailMask<>+16(SB)/8, $0xffffffffffffffff
DATA latticeTailMask<>+24(SB)/8, $0xffffffffffffffff
DATA latticeTailMask<>+32(SB)/8, $0
DATA latticeTailMask<>+40(SB)/8, $0
DATA latticeTailMask<>+48(SB)/8, $0
DATA latticeTailMask<>+56(SB)/8, $0
GLOBL latticeTailMask<>(SB), RODATA|NOPTR, $64

DATA latticeConst<>+0(SB)/8, $0x3fe0000000000000
DATA latticeConst<>+8(SB)/8, $0x3fe0000000000000
DATA latticeConst<>+16(SB)/8, $0x3fe0000000000000
DATA latticeConst<>+24(SB)/8, $0x3fe0000000000000
DATA latticeConst<>+32(SB)/8, $0x7fffffffffffffff
DATA latticeConst<>+40(SB)/8, $0x7fffffffffffffff
DATA latticeConst<>+48(SB)/8, $0x7fffffffffffffff
DATA latticeConst<>+56(SB)/8, $0x7fffffffffffffff
DATA latticeConst<>+64(SB)/8, $0x2d404bd984990e6f
DATA latticeConst<>+72(SB)/8, $0x2d404bd984990e6f
DATA latticeConst<>+80(SB)/8, $0x2d404bd984990e6f
DATA latticeConst<>+88(SB)/8, $0x2d404bd984990e6f
DATA latticeConst<>+96(SB)/8, $0x4000000000000000
DATA latticeConst<>+104(SB)/8, $0x4000000000000000
DATA latticeConst<>+112(SB)/8, $0x4000000000000000
DATA latticeConst<>+120(SB)/8, $0x4000000000000000
DATA latticeConst<>+128(SB)/8, $0x3ff0000000000000
DATA latticeConst<>+136(SB)/8, $0x3ff0000000000000
DATA latticeConst<>+144(SB)/8, $0x3ff0000000000000
DATA latticeConst<>+152(SB)/8, $0x3ff0000000000000
GLOBL latticeConst<>(SB), RODATA|NOPTR, $160
