//go:build amd64 && gc && !purego

#include "textflag.h"

// func unitAVX2(x, y, z, r *float64, n int)
//
// Requires: AVX, FMA
//
// For i < n (n a multiple of 4): r[i] = sqrt(x²+y²+z²) and (x, y, z)[i]
// are replaced by (x, y, z)[i] / r[i], computed as x * (1/r). r² is formed
// with FMA (x*x, then fma(y, y, .), fma(z, z, .)): within 1 ulp of the
// generic (x*x + y*y) + z*z; sqrt and the division are correctly rounded,
// so r is within 1 ulp and each component within 4 ulp of the generic
// x / r; a zero point stays zero (as the C unitize leaves it). Unaligned
// loads and stores; bounds are the caller's duty.

#define XP SI  // x cursor
#define YP DI  // y cursor
#define ZP R8  // z cursor
#define RP R9  // r cursor
#define CNT CX // elements left

#define VONE Y15 // 1.0 broadcast
#define VX Y0    // x
#define VY Y1    // y
#define VZ Y2    // z
#define VR2 Y3   // x²+y²+z²
#define VR Y4    // r
#define VINV Y5  // 1/r
#define VZERO Y14 // 0.0
#define VMASK Y6  // r2 == 0 lanes

TEXT ·unitAVX2(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), XP
	MOVQ y+8(FP), YP
	MOVQ z+16(FP), ZP
	MOVQ r+24(FP), RP
	MOVQ n+32(FP), CNT
	MOVQ $0x3ff0000000000000, AX
	MOVQ AX, X15
	VBROADCASTSD X15, VONE
	VXORPD VZERO, VZERO, VZERO

loop:
	CMPQ CNT, $4
	JL   done
	VMOVUPD (XP), VX
	VMOVUPD (YP), VY
	VMOVUPD (ZP), VZ
	VMULPD  VX, VX, VR2       // r2 = x*x
	VFMADD231PD VY, VY, VR2   // r2 += y*y
	VFMADD231PD VZ, VZ, VR2   // r2 += z*z
	VSQRTPD VR2, VR           // r = sqrt(r2)
	VDIVPD  VR, VONE, VINV    // inv = 1/r
	VCMPPD  $0, VZERO, VR2, VMASK // mask = (r2 == 0)
	VANDNPD VINV, VMASK, VINV // inv = 0 where r2 == 0: a zero point stays zero
	VMULPD  VINV, VX, VX      // x *= inv
	VMULPD  VINV, VY, VY
	VMULPD  VINV, VZ, VZ
	VMOVUPD VX, (XP)
	VMOVUPD VY, (YP)
	VMOVUPD VZ, (ZP)
	VMOVUPD VR, (RP)
	ADDQ $32, XP
	ADDQ $32, YP
	ADDQ $32, ZP
	ADDQ $32, RP
	SUBQ $4, CNT
	JMP  loop

done:
	VZEROUPPER
	RET
