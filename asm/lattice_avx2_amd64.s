//go:build amd64 && gc && !purego

#include "textflag.h"

// func latticeAxisAVX2(x, out []float64, n, parity float64)
//
// Requires: AVX, AVX2, FMA
//
// For i < len(out): out[i] *= sincg(pi*x[i], n), n an integer in [2, 2^31],
// parity = (n-1) mod 2. Per lane:
//
//	kh = rint(x); d = x - kh                 (exact)
//	t = n*d; tlo = fma(n, d, -t)             (t + tlo == n*d exactly)
//	kt = rint(t); r = (t - kt) + tlo         (one rounding, relative to r)
//	S(y) = y * P(y*y), P = Taylor series of sin(pi*y)/y to y^20 (|y| <= 1/2;
//	       truncation below 3e-18 relative, i.e. 0.02 ulp)
//	f = |d| < 1e-200 ? n : S(r)/S(d)
//	K = kh*parity + kt; p = K - 2*rint(K/2)  (exact, p in {-1, 0, 1})
//	out *= f - 2*(p*p*f)                     (exact sign flip)
//
// Accuracy: each factor is within 6 ulp of the true sincg(pi*x, n) of the
// float64 input (latticeAxisULP in params.go; 1.9 ulp observed); a true
// zero (n*d integral) gives exactly 0.
//
// Schedule: the Horner chain (11 dependent FMAs) and the division make one
// 4-lane vector latency bound, so the main loop runs two independent
// streams A and B (8 elements) with their Horner steps interleaved. To fit
// 2 x 7 live vectors in 16 YMM registers, only n stays in a register; the
// other constants are memory operands (the coefficient vectors sinpiCoef4,
// latticeConst<> and the parity broadcast in the 32-byte local frame). A 4..7 element remainder runs
// stream A once unmasked; the last 1..3 elements run stream A with
// VMASKMOVPD, so results do not depend on the position in the slice.

// General purpose registers.
#define XP SI // x cursor
#define OP DI // out cursor
#define CNT CX // elements left
#define TMP AX
#define MASKP DX // tail mask address

// Memory constants (32-byte broadcasts).
#define PAR 0(SP) // parity, local frame
#define HALF latticeConst<>+0(SB) // 0.5
#define ABS latticeConst<>+32(SB) // 0x7fff... abs mask
#define TINY latticeConst<>+64(SB) // 1e-200
#define TWO latticeConst<>+96(SB) // 2.0

// Vector registers.
#define VN Y15 // n
#define VC Y14 // current polynomial coefficient; tail mask
// Stream A: d, r, d*d, r*r, P(d*d)/S(d), P(r*r)/S(r)/f, K/p/sign.
// During the prologue A_PD holds x, A_PR rint(x), A_D2 t, A_R2 tlo, A_K kt.
#define A_D Y0
#define A_R Y1
#define A_D2 Y2
#define A_R2 Y3
#define A_PD Y4
#define A_PR Y5
#define A_K Y6
// Stream B, same roles.
#define B_D Y7
#define B_R Y8
#define B_D2 Y9
#define B_R2 Y10
#define B_PD Y11
#define B_PR Y12
#define B_K Y13

// PRO: x in pd -> d, r, d2, r2, K; pd = pr = c11 (start of Horner).
#define PRO(d, r, d2, r2, pd, pr, k) \
	VROUNDPD     $0, pd, pr;       \
	VSUBPD       pr, pd, d;        \
	VMULPD       d, VN, d2;        \
	VMOVAPD      d2, r2;           \
	VFMSUB231PD  d, VN, r2;        \
	VROUNDPD     $0, d2, k;        \
	VSUBPD       k, d2, r;         \
	VADDPD       r2, r, r;         \
	VFMADD231PD  PAR, pr, k;       \
	VMULPD       d, d, d2;         \
	VMULPD       r, r, r2;         \
	VMOVUPD      ·sinpiCoef4+320(SB), pd; \
	VMOVAPD      pd, pr

// HORNER steps read the coefficient vector from memory (sinpiCoef4, 4
// copies of each coefficient: off = 32*k), no broadcast.
#define HORNER1(off, d2, r2, pd, pr) \
	VFMADD213PD  ·sinpiCoef4+off(SB), d2, pd; \
	VFMADD213PD  ·sinpiCoef4+off(SB), r2, pr

#define HORNER2(off) \
	VFMADD213PD  ·sinpiCoef4+off(SB), A_D2, A_PD; \
	VFMADD213PD  ·sinpiCoef4+off(SB), A_R2, A_PR; \
	VFMADD213PD  ·sinpiCoef4+off(SB), B_D2, B_PD; \
	VFMADD213PD  ·sinpiCoef4+off(SB), B_R2, B_PR

// EPI: -> f (with sign) in pr; d2 and r2 are scratch.
#define EPI(d, r, d2, r2, pd, pr, k) \
	VMULPD       d, pd, pd;       \
	VMULPD       r, pr, pr;       \
	VDIVPD       pd, pr, pr;      \
	VANDPD       ABS, d, d2;      \
	VCMPPD       $1, TINY, d2, d2; \
	VBLENDVPD    d2, VN, pr, pr;  \
	VMULPD       HALF, k, r2;     \
	VROUNDPD     $0, r2, r2;      \
	VFNMADD231PD TWO, r2, k;      \
	VMULPD       k, k, k;         \
	VMULPD       k, pr, k;        \
	VFNMADD231PD TWO, k, pr

#define ONE_STREAM \
	PRO(A_D, A_R, A_D2, A_R2, A_PD, A_PR, A_K); \
	HORNER1(288, A_D2, A_R2, A_PD, A_PR); \
	HORNER1(256, A_D2, A_R2, A_PD, A_PR); \
	HORNER1(224, A_D2, A_R2, A_PD, A_PR); \
	HORNER1(192, A_D2, A_R2, A_PD, A_PR); \
	HORNER1(160, A_D2, A_R2, A_PD, A_PR); \
	HORNER1(128, A_D2, A_R2, A_PD, A_PR); \
	HORNER1(96, A_D2, A_R2, A_PD, A_PR); \
	HORNER1(64, A_D2, A_R2, A_PD, A_PR); \
	HORNER1(32, A_D2, A_R2, A_PD, A_PR); \
	HORNER1(0, A_D2, A_R2, A_PD, A_PR); \
	EPI(A_D, A_R, A_D2, A_R2, A_PD, A_PR, A_K)

TEXT ·latticeAxisAVX2(SB), NOSPLIT, $32-64
	MOVQ x_base+0(FP), XP
	MOVQ out_base+24(FP), OP
	MOVQ out_len+32(FP), CNT
	TESTQ CNT, CNT
	JZ   done

	VBROADCASTSD n+48(FP), VN
	VBROADCASTSD parity+56(FP), VC
	VMOVUPD      VC, PAR

	CMPQ CNT, $8
	JB   rem

loop8:
	VMOVUPD 0(XP), A_PD
	VMOVUPD 32(XP), B_PD
	PRO(A_D, A_R, A_D2, A_R2, A_PD, A_PR, A_K)
	PRO(B_D, B_R, B_D2, B_R2, B_PD, B_PR, B_K)
	HORNER2(288)
	HORNER2(256)
	HORNER2(224)
	HORNER2(192)
	HORNER2(160)
	HORNER2(128)
	HORNER2(96)
	HORNER2(64)
	HORNER2(32)
	HORNER2(0)
	EPI(A_D, A_R, A_D2, A_R2, A_PD, A_PR, A_K)
	VMULPD  0(OP), A_PR, A_PR
	VMOVUPD A_PR, 0(OP)
	EPI(B_D, B_R, B_D2, B_R2, B_PD, B_PR, B_K)
	VMULPD  32(OP), B_PR, B_PR
	VMOVUPD B_PR, 32(OP)
	ADDQ    $64, XP
	ADDQ    $64, OP
	SUBQ    $8, CNT
	CMPQ    CNT, $8
	JAE     loop8

rem:
	CMPQ CNT, $4
	JB   tail
	VMOVUPD (XP), A_PD
	ONE_STREAM
	VMULPD  (OP), A_PR, A_PR
	VMOVUPD A_PR, (OP)
	ADDQ    $32, XP
	ADDQ    $32, OP
	SUBQ    $4, CNT

tail:
	TESTQ CNT, CNT
	JZ    vzero
	// CNT in 1..3: mask = latticeTailMask[4-CNT : 8-CNT].
	MOVQ       $4, TMP
	SUBQ       CNT, TMP
	LEAQ       latticeTailMask<>(SB), MASKP
	LEAQ       (MASKP)(TMP*8), MASKP
	VMOVDQU    (MASKP), VC
	VMASKMOVPD (XP), VC, A_PD
	ONE_STREAM
	VMOVDQU    (MASKP), VC
	VMASKMOVPD (OP), VC, A_D
	VMULPD     A_D, A_PR, A_PR
	VMASKMOVPD A_PR, VC, (OP)

vzero:
	VZEROUPPER

done:
	RET

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
DATA latticeConst<>+64(SB)/8, $0x16687e92154ef7ac
DATA latticeConst<>+72(SB)/8, $0x16687e92154ef7ac
DATA latticeConst<>+80(SB)/8, $0x16687e92154ef7ac
DATA latticeConst<>+88(SB)/8, $0x16687e92154ef7ac
DATA latticeConst<>+96(SB)/8, $0x4000000000000000
DATA latticeConst<>+104(SB)/8, $0x4000000000000000
DATA latticeConst<>+112(SB)/8, $0x4000000000000000
DATA latticeConst<>+120(SB)/8, $0x4000000000000000
GLOBL latticeConst<>(SB), RODATA|NOPTR, $128
