//go:build amd64 && gc && !purego

#include "textflag.h"

// func latticeAxisAVX512(x, out []float64, n, parity float64)
//
// Requires: AVX512F (the dispatcher also requires AVX2 and FMA)
//
// Same algorithm, accuracy and schedule as latticeAxisAVX2 (see
// lattice_avx2_amd64.s): out[i] *= sincg(pi*x[i], n) for i < len(out), n an
// integer in [2, 2^31], parity = (n-1) mod 2; each factor within 6 ulp of
// the true value (latticeAxisULP), an exactly zero true factor gives 0.
//
// Only AVX512F instructions are used: VRNDSCALEPD $0 for rint, VPANDQ for
// |d|, VCMPPD into K1 with a merge-masked VMOVAPD instead of VBLENDVPD.
// The main loop runs two independent 8-lane streams (16 elements) with
// interleaved Horner steps; an 8..15 element remainder runs stream A once;
// the last 1..7 elements run stream A under the K2 load/store mask, so
// results do not depend on the position in the slice. All constants,
// including the 12 polynomial coefficients, stay in registers.

// General purpose registers.
#define XP SI // x cursor
#define OP DI // out cursor
#define CNT CX // elements left (CL is the shift count in the tail)
#define TMP AX

// Constant vector registers.
#define VN Z15 // n
#define VPAR Z14 // parity
#define VHALF Z13 // 0.5
#define VABS Z12 // abs mask
#define VTINY Z11 // 1e-200
#define VTWO Z10 // 2.0
#define C0 Z16 // sinpiCoef[0]; Ck = Z(16+k)
#define C1 Z17
#define C2 Z18
#define C3 Z19
#define C4 Z20
#define C5 Z21
#define C6 Z22
#define C7 Z23
#define C8 Z24
#define C9 Z25
#define C10 Z26
#define C11 Z27

// Stream A: d, r, d*d, r*r, P(d*d)/S(d), P(r*r)/S(r)/f, K/p/sign.
// During the prologue A_PD holds x, A_PR rint(x), A_D2 t, A_R2 tlo, A_K kt.
#define A_D Z0
#define A_R Z1
#define A_D2 Z2
#define A_R2 Z3
#define A_PD Z4
#define A_PR Z5
#define A_K Z6
// Stream B, same roles.
#define B_D Z7
#define B_R Z8
#define B_D2 Z9
#define B_R2 Z28
#define B_PD Z29
#define B_PR Z30
#define B_K Z31

#define KTINY K1 // |d| < tiny
#define KTAIL K2 // tail lanes

// PRO: x in pd -> d, r, d2, r2, K; pd = pr = c11 (start of Horner).
#define PRO(d, r, d2, r2, pd, pr, k) \
	VRNDSCALEPD $0, pd, pr;   \
	VSUBPD      pr, pd, d;    \
	VMULPD      d, VN, d2;    \
	VMOVAPD     d2, r2;       \
	VFMSUB231PD d, VN, r2;    \
	VRNDSCALEPD $0, d2, k;    \
	VSUBPD      k, d2, r;     \
	VADDPD      r2, r, r;     \
	VFMADD231PD pr, VPAR, k;  \
	VMULPD      d, d, d2;     \
	VMULPD      r, r, r2;     \
	VMOVAPD     C11, pd;      \
	VMOVAPD     C11, pr

#define HORNER1(c, d2, r2, pd, pr) \
	VFMADD213PD c, d2, pd; \
	VFMADD213PD c, r2, pr

#define HORNER2(c) \
	VFMADD213PD c, A_D2, A_PD; \
	VFMADD213PD c, A_R2, A_PR; \
	VFMADD213PD c, B_D2, B_PD; \
	VFMADD213PD c, B_R2, B_PR

// EPI: -> f (with sign) in pr; d2 and r2 are scratch.
#define EPI(d, r, d2, r2, pd, pr, k) \
	VMULPD       d, pd, pd;            \
	VMULPD       r, pr, pr;            \
	VDIVPD       pd, pr, pr;           \
	VPANDQ       VABS, d, d2;          \
	VCMPPD       $1, VTINY, d2, KTINY; \
	VMOVAPD      VN, KTINY, pr;        \
	VMULPD       VHALF, k, r2;         \
	VRNDSCALEPD  $0, r2, r2;           \
	VFNMADD231PD VTWO, r2, k;          \
	VMULPD       k, k, k;              \
	VMULPD       k, pr, k;             \
	VFNMADD231PD VTWO, k, pr

#define ONE_STREAM \
	PRO(A_D, A_R, A_D2, A_R2, A_PD, A_PR, A_K); \
	HORNER1(C10, A_D2, A_R2, A_PD, A_PR);       \
	HORNER1(C9, A_D2, A_R2, A_PD, A_PR);        \
	HORNER1(C8, A_D2, A_R2, A_PD, A_PR);        \
	HORNER1(C7, A_D2, A_R2, A_PD, A_PR);        \
	HORNER1(C6, A_D2, A_R2, A_PD, A_PR);        \
	HORNER1(C5, A_D2, A_R2, A_PD, A_PR);        \
	HORNER1(C4, A_D2, A_R2, A_PD, A_PR);        \
	HORNER1(C3, A_D2, A_R2, A_PD, A_PR);        \
	HORNER1(C2, A_D2, A_R2, A_PD, A_PR);        \
	HORNER1(C1, A_D2, A_R2, A_PD, A_PR);        \
	HORNER1(C0, A_D2, A_R2, A_PD, A_PR);        \
	EPI(A_D, A_R, A_D2, A_R2, A_PD, A_PR, A_K)

TEXT ·latticeAxisAVX512(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), XP
	MOVQ out_base+24(FP), OP
	MOVQ out_len+32(FP), CNT
	TESTQ CNT, CNT
	JZ   done

	VBROADCASTSD n+48(FP), VN
	VBROADCASTSD parity+56(FP), VPAR
	MOVQ $0x3fe0000000000000, TMP // 0.5
	VPBROADCASTQ TMP, VHALF
	MOVQ $0x7fffffffffffffff, TMP
	VPBROADCASTQ TMP, VABS
	MOVQ $0x16687e92154ef7ac, TMP // 1e-200
	VPBROADCASTQ TMP, VTINY
	MOVQ $0x4000000000000000, TMP // 2.0
	VPBROADCASTQ TMP, VTWO
	VBROADCASTSD ·sinpiCoef+0(SB), C0
	VBROADCASTSD ·sinpiCoef+8(SB), C1
	VBROADCASTSD ·sinpiCoef+16(SB), C2
	VBROADCASTSD ·sinpiCoef+24(SB), C3
	VBROADCASTSD ·sinpiCoef+32(SB), C4
	VBROADCASTSD ·sinpiCoef+40(SB), C5
	VBROADCASTSD ·sinpiCoef+48(SB), C6
	VBROADCASTSD ·sinpiCoef+56(SB), C7
	VBROADCASTSD ·sinpiCoef+64(SB), C8
	VBROADCASTSD ·sinpiCoef+72(SB), C9
	VBROADCASTSD ·sinpiCoef+80(SB), C10
	VBROADCASTSD ·sinpiCoef+88(SB), C11

	CMPQ CNT, $16
	JB   rem

loop16:
	VMOVUPD 0(XP), A_PD
	VMOVUPD 64(XP), B_PD
	PRO(A_D, A_R, A_D2, A_R2, A_PD, A_PR, A_K)
	PRO(B_D, B_R, B_D2, B_R2, B_PD, B_PR, B_K)
	HORNER2(C10)
	HORNER2(C9)
	HORNER2(C8)
	HORNER2(C7)
	HORNER2(C6)
	HORNER2(C5)
	HORNER2(C4)
	HORNER2(C3)
	HORNER2(C2)
	HORNER2(C1)
	HORNER2(C0)
	EPI(A_D, A_R, A_D2, A_R2, A_PD, A_PR, A_K)
	VMULPD  0(OP), A_PR, A_PR
	VMOVUPD A_PR, 0(OP)
	EPI(B_D, B_R, B_D2, B_R2, B_PD, B_PR, B_K)
	VMULPD  64(OP), B_PR, B_PR
	VMOVUPD B_PR, 64(OP)
	ADDQ    $128, XP
	ADDQ    $128, OP
	SUBQ    $16, CNT
	CMPQ    CNT, $16
	JAE     loop16

rem:
	CMPQ CNT, $8
	JB   tail
	VMOVUPD (XP), A_PD
	ONE_STREAM
	VMULPD  (OP), A_PR, A_PR
	VMOVUPD A_PR, (OP)
	ADDQ    $64, XP
	ADDQ    $64, OP
	SUBQ    $8, CNT

tail:
	TESTQ CNT, CNT
	JZ    vzero
	// CNT in 1..7: KTAIL = (1<<CNT) - 1.
	MOVQ      $1, TMP
	SHLQ      CX, TMP
	DECQ      TMP
	KMOVW     TMP, KTAIL
	VMOVUPD.Z (XP), KTAIL, A_PD
	ONE_STREAM
	VMOVUPD.Z (OP), KTAIL, A_D
	VMULPD    A_D, A_PR, A_PR
	VMOVUPD   A_PR, KTAIL, (OP)

vzero:
	VZEROUPPER

done:
	RET
