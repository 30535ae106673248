//go:build amd64 && gc && !purego

#include "textflag.h"

// func sumAVX2(h, k, l, fl *float64, n int, p *accumParams) float64
//
// Requires: AVX, AVX2, SSE4.1 (VPEXTRD)
//
// Returns, for i < n (p as accumParams in kernels_amd64.go), the sum of
// the terms
//
//	fl[i] == 0 ? 0 : (F*F*fl[i])*fl[i]
//	h0 = ceil(h[i]-0.5), k0, l0 likewise (VROUNDPD toward +inf: exact)
//	F = grid[(h0-hmin)*sh + (k0-kmin)*sk + (l0-lmin)] if every index is
//	    in its [min, max] (ordered compares: NaN is out), else def
//
// with one partial sum per lane (lane = i mod 4), the four added at the
// end ((s0+s1)+(s2+s3)); the last n mod 4 terms run as one more vector
// under a VMASKMOVPD load mask (VTAIL). Each term is bit-identical to the generic one
// (the linear index is an exact integer in float64, converted with
// VCVTPD2DQ, and must be < 2^31, the caller's duty, as are the bounds);
// only the order of the sum differs: within n ulp of the ordered sum for
// non-negative terms. Out-of-grid lanes load index 0 (a valid address)
// and take def by a blend; the four loads are scalar (VMOVSD/VMOVHPD),
// faster than VGATHERDPD on Zen 2 (2.9 vs 3.3 ns per term).

#define HP SI  // h cursor
#define KP DI  // k cursor
#define LP R8  // l cursor
#define FLP R9 // fl cursor
#define CNT CX // elements left
#define FB DX  // grid base
#define PP AX  // params
#define I0 BX  // lane indices of the loads
#define I1 R10
#define I2 R11
#define I3 R12

#define HALF accumConst<>+0(SB) // 0.5 (4 copies)
#define VTAIL Y15 // tail mask (the last n mod 4 terms)
#define VHMIN Y14
#define VHMAX Y13
#define VKMIN Y12
#define VKMAX Y11
#define VLMIN Y10
#define VLMAX Y9
#define VDEF Y8  // default F
#define VSH Y7   // stride h (float64)
#define VSK Y6   // stride k (float64)
#define VACC Y5  // partial sums
#define VZERO Y4 // 0.0
#define VIDX Y0  // linear index (float64), then XIDX (int32)
#define XIDX X0
#define VT Y1    // index temporary; fl
#define VMASK Y2 // in-grid mask
#define VC Y3    // compare temporary; F, term
#define XT X1    // low half of VT
#define XC X3    // low half of VC

// TERMS adds the four terms of the current elements to VACC (LOAD:
// unmasked, or masked by VTAIL for the last n mod 4): h0 and its range
// mask, + (k0-kmin)*sk and (l0-lmin) (exact); F loaded where in the grid
// (index 0 elsewhere, a valid address) by four scalar loads, which beat
// VGATHERDPD on Zen 2 and 3, def blended in elsewhere; term = (F*F*fl)*fl,
// 0 where fl == 0.
#define TERMS(LOAD) \
	LOAD((HP), VIDX); \
	VSUBPD      HALF, VIDX, VIDX; \
	VROUNDPD    $2, VIDX, VIDX; \
	VCMPPD      $0x1d, VHMIN, VIDX, VMASK; \
	VCMPPD      $0x12, VHMAX, VIDX, VC; \
	VANDPD      VC, VMASK, VMASK; \
	VSUBPD      VHMIN, VIDX, VIDX; \
	VMULPD      VSH, VIDX, VIDX; \
	LOAD((KP), VT); \
	VSUBPD      HALF, VT, VT; \
	VROUNDPD    $2, VT, VT; \
	VCMPPD      $0x1d, VKMIN, VT, VC; \
	VANDPD      VC, VMASK, VMASK; \
	VCMPPD      $0x12, VKMAX, VT, VC; \
	VANDPD      VC, VMASK, VMASK; \
	VSUBPD      VKMIN, VT, VT; \
	VFMADD231PD VSK, VT, VIDX; \
	LOAD((LP), VT); \
	VSUBPD      HALF, VT, VT; \
	VROUNDPD    $2, VT, VT; \
	VCMPPD      $0x1d, VLMIN, VT, VC; \
	VANDPD      VC, VMASK, VMASK; \
	VCMPPD      $0x12, VLMAX, VT, VC; \
	VANDPD      VC, VMASK, VMASK; \
	VSUBPD      VLMIN, VT, VT; \
	VADDPD      VT, VIDX, VIDX; \
	VANDPD      VMASK, VIDX, VIDX; \
	VCVTPD2DQY  VIDX, XIDX; \
	VMOVD       XIDX, I0; \
	VPEXTRD     $1, XIDX, I1; \
	VPEXTRD     $2, XIDX, I2; \
	VPEXTRD     $3, XIDX, I3; \
	VMOVSD      (FB)(I0*8), XT; \
	VMOVHPD     (FB)(I1*8), XT, XT; \
	VMOVSD      (FB)(I2*8), XC; \
	VMOVHPD     (FB)(I3*8), XC, XC; \
	VINSERTF128 $1, XC, VT, VT; \
	VBLENDVPD   VMASK, VT, VDEF, VC; \
	LOAD((FLP), VT); \
	VMULPD      VC, VC, VC; \
	VMULPD      VT, VC, VC; \
	VMULPD      VT, VC, VC; \
	VCMPPD      $0, VZERO, VT, VT; \
	VANDNPD     VC, VT, VC; \
	VADDPD      VC, VACC, VACC

#define LOADU(src, dst) VMOVUPD src, dst
#define LOADM(src, dst) VMASKMOVPD src, VTAIL, dst

TEXT ·sumAVX2(SB), NOSPLIT, $0-56
	MOVQ h+0(FP), HP
	MOVQ k+8(FP), KP
	MOVQ l+16(FP), LP
	MOVQ fl+24(FP), FLP
	MOVQ n+32(FP), CNT
	MOVQ p+40(FP), PP
	VXORPD VACC, VACC, VACC
	VXORPD VZERO, VZERO, VZERO
	VBROADCASTSD 0(PP), VHMIN
	VBROADCASTSD 8(PP), VHMAX
	VBROADCASTSD 16(PP), VKMIN
	VBROADCASTSD 24(PP), VKMAX
	VBROADCASTSD 32(PP), VLMIN
	VBROADCASTSD 40(PP), VLMAX
	VBROADCASTSD 48(PP), VSH
	VBROADCASTSD 56(PP), VSK
	VBROADCASTSD 64(PP), VDEF
	MOVQ 72(PP), FB

loop:
	CMPQ CNT, $4
	JL   tail
	TERMS(LOADU)
	ADDQ        $32, HP
	ADDQ        $32, KP
	ADDQ        $32, LP
	ADDQ        $32, FLP
	SUBQ        $4, CNT
	JMP         loop

tail:
	// the last 1..3 terms under a load mask (masked lanes read 0: fl == 0,
	// a zero term at a valid grid address)
	TESTQ   CNT, CNT
	JZ      done
	LEAQ    accumTailMask<>(SB), I0
	NEGQ    CNT
	LEAQ    32(I0)(CNT*8), I0
	VMOVDQU (I0), VTAIL
	TERMS(LOADM)

done:
	// (s0+s1)+(s2+s3)
	VEXTRACTF128 $1, VACC, X1
	VHADDPD      X5, X5, X5
	VHADDPD      X1, X1, X1
	VADDSD       X1, X5, X5
	VMOVSD       X5, ret+48(FP)
	VZEROUPPER
	RET

DATA accumConst<>+0(SB)/8, $0x3fe0000000000000
DATA accumConst<>+8(SB)/8, $0x3fe0000000000000
DATA accumConst<>+16(SB)/8, $0x3fe0000000000000
DATA accumConst<>+24(SB)/8, $0x3fe0000000000000
GLOBL accumConst<>(SB), RODATA|NOPTR, $32

// accumTailMask: four all-ones then four zero quadwords; the mask for c
// remaining terms starts at 32 - 8c.
DATA accumTailMask<>+0(SB)/8, $0xffffffffffffffff
DATA accumTailMask<>+8(SB)/8, $0xffffffffffffffff
DATA accumTailMask<>+16(SB)/8, $0xffffffffffffffff
DATA accumTailMask<>+24(SB)/8, $0xffffffffffffffff
DATA accumTailMask<>+32(SB)/8, $0
DATA accumTailMask<>+40(SB)/8, $0
DATA accumTailMask<>+48(SB)/8, $0
DATA accumTailMask<>+56(SB)/8, $0
GLOBL accumTailMask<>(SB), RODATA|NOPTR, $64
