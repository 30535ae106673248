//go:build amd64 && gc && !purego

#include "textflag.h"

// func solidAnglesAVX2(r *float64, stride int, area, close float64, out *float64, n int)
//
// Requires: AVX
//
// out[i] = (((area/x)/x)*close)/x, x = r[i*stride], for i < n (n a
// multiple of 4): the original's solid angle, the same IEEE operations as
// the scalar code, four lanes per VDIVPD (bit-identical). Registers: Y0
// the four distances (scalar loads, VMOVHPD and VINSERTF128), Y1 the
// result, Y2 area, Y3 close, X4 scratch. Ends with VZEROUPPER.
TEXT ·solidAnglesAVX2(SB), NOSPLIT, $0-48
	MOVQ r+0(FP), SI
	MOVQ stride+8(FP), BX
	SHLQ $3, BX // stride in bytes
	VBROADCASTSD area+16(FP), Y2
	VBROADCASTSD close+24(FP), Y3
	MOVQ out+32(FP), DI
	MOVQ n+40(FP), CX

loop:
	CMPQ CX, $4
	JL   done
	VMOVSD  (SI), X0
	ADDQ    BX, SI
	VMOVHPD (SI), X0, X0
	ADDQ    BX, SI
	VMOVSD  (SI), X4
	ADDQ    BX, SI
	VMOVHPD (SI), X4, X4
	ADDQ    BX, SI
	VINSERTF128 $1, X4, Y0, Y0
	VDIVPD  Y0, Y2, Y1 // area/x
	VDIVPD  Y0, Y1, Y1 // /x
	VMULPD  Y3, Y1, Y1 // *close
	VDIVPD  Y0, Y1, Y1 // /x
	VMOVUPD Y1, (DI)
	ADDQ    $32, DI
	SUBQ    $4, CX
	JMP     loop

done:
	VZEROUPPER
	RET
