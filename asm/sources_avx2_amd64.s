//go:build amd64 && gc && !purego

#include "textflag.h"

// func millerSourcesAVX2(x, y, z *float64, n int, il, off *float64, m int, cell *[9]float64, h, k, l *float64)
//
// Requires: AVX, FMA
//
// MillerSources for n points and m >= 4 sources: per point the dot
// products ad = fma(a_z, z, fma(a_y, y, a_x*x)) (scalar; bd and cd
// likewise), broadcast, then per four sources h = fma(il, ad, off_h), k
// and l likewise (off holds a's m offsets, then b's, then c's); the last
// m mod 4 sources run one more vector over sources m-4..m-1, rewriting
// some with the same values. The same FMAs as the generic path:
// bit-identical. Registers: X0-X2 / Y0-Y2 ad, bd, cd; Y3 il; Y4-Y6 the
// indices; X7 the point's x, y, z in turn. GP: SI, R8, R9 the x, y, z
// cursors; DI the h cursor, R13 = k - h and l - h (frame) in bytes; R10
// il, R11 off, R12 m, AX cell, CX points left, BX the source index, DX
// scratch. Ends with VZEROUPPER.

// FOUR stores the indices of sources BX..BX+3 of the current point.
#define FOUR \
	VMOVUPD     (R10)(BX*8), Y3;    \
	VMOVUPD     Y3, Y4;             \
	VFMADD213PD (R11)(BX*8), Y0, Y4; \
	LEAQ        (R11)(R12*8), DX;   \
	VMOVUPD     Y3, Y5;             \
	VFMADD213PD (DX)(BX*8), Y1, Y5; \
	LEAQ        (DX)(R12*8), DX;    \
	VMOVUPD     Y3, Y6;             \
	VFMADD213PD (DX)(BX*8), Y2, Y6; \
	VMOVUPD     Y4, (DI)(BX*8);     \
	LEAQ        (DI)(R13*1), DX;    \
	VMOVUPD     Y5, (DX)(BX*8);     \
	MOVQ        dl-8(SP), DX;       \
	ADDQ        DI, DX;             \
	VMOVUPD     Y6, (DX)(BX*8)

TEXT ·millerSourcesAVX2(SB), NOSPLIT, $8-88
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), R8
	MOVQ z+16(FP), R9
	MOVQ n+24(FP), CX
	MOVQ il+32(FP), R10
	MOVQ off+40(FP), R11
	MOVQ m+48(FP), R12
	MOVQ cell+56(FP), AX
	MOVQ h+64(FP), DI
	MOVQ k+72(FP), R13
	SUBQ DI, R13 // k - h
	MOVQ l+80(FP), DX
	SUBQ DI, DX
	MOVQ DX, dl-8(SP) // l - h

point:
	TESTQ CX, CX
	JZ    done
	VMOVSD       (SI), X7
	VMULSD       0(AX), X7, X0
	VMULSD       24(AX), X7, X1
	VMULSD       48(AX), X7, X2
	VMOVSD       (R8), X7
	VFMADD231SD  8(AX), X7, X0
	VFMADD231SD  32(AX), X7, X1
	VFMADD231SD  56(AX), X7, X2
	VMOVSD       (R9), X7
	VFMADD231SD  16(AX), X7, X0
	VFMADD231SD  40(AX), X7, X1
	VFMADD231SD  64(AX), X7, X2
	VBROADCASTSD X0, Y0
	VBROADCASTSD X1, Y1
	VBROADCASTSD X2, Y2
	XORQ         BX, BX

sources:
	LEAQ 4(BX), DX
	CMPQ DX, R12
	JA   last
	FOUR
	ADDQ $4, BX
	JMP  sources

last:
	CMPQ BX, R12
	JAE  next
	MOVQ R12, BX
	SUBQ $4, BX // the last four sources (m >= 4)
	FOUR

next:
	ADDQ $8, SI
	ADDQ $8, R8
	ADDQ $8, R9
	LEAQ (DI)(R12*8), DI
	DECQ CX
	JMP  point

done:
	VZEROUPPER
	RET
