//go:build amd64 && gc && !purego

#include "textflag.h"

// func millerAVX2(s, cell, h, k, l *float64, n, mj, stride int)
//
// Requires: AVX, AVX2, FMA
//
// For i < n, j < mj:
//
//	h[i*stride+j] = a_j·s_i, k[i*stride+j] = b_j·s_i, l[i*stride+j] = c_j·s_i
//
// with s_i = s[3i:3i+3] and a_j b_j c_j = cell[9j:9j+9]. Each dot product
// is fma(z, cz, fma(y, cy, x*cx)): within 1.5 ulp of the sum of the
// absolute products from the exact value. Bounds are the caller's duty.
//
// Four scattering vectors (3 unaligned YMM loads) are de-interleaved once
// per block (see dot3_avx2_amd64.s), then the orientations are swept with
// 9 broadcasts, 3 VMULPD + 6 VFMADD231PD; the four results per output go to
// rows i..i+3 (one VMOVUPD when stride == 1, else 4 scalar stores).
// Rows n&^3..n-1 are handled one at a time with scalar FMAs in the same
// order.

#define SP_ SI // s cursor
#define CELL BX // cell base
#define CP R8 // cell cursor
#define HP DI // h cursor (row block, column j)
#define KP R11 // k cursor
#define LP R12 // l cursor
#define CNT CX // rows left
#define MJ DX // orientations
#define J R9 // orientations left
#define SB1 R10 // stride in bytes
#define SB3 R13 // 3*stride in bytes, then rows-block advance

#define VL0 Y0
#define VL1 Y1
#define VL2 Y2
#define VA Y3
#define VB Y4
#define VC Y5
#define VSX Y6 // x components of 4 s vectors
#define VSY Y7
#define VSZ Y8
#define VCX Y9 // broadcast cell component
#define VCY Y10
#define VCZ Y11
#define VH Y3 // results (reuse the de-interleave temporaries)
#define VK Y4
#define VL Y5
#define XH X3
#define XK X4
#define XL X5
#define XHI X12

// LOAD4: de-interleave 4 s vectors at SP_ into VSX, VSY, VSZ.
#define LOAD4 \
	VMOVUPD    0(SP_), VL0;         \
	VMOVUPD    32(SP_), VL1;        \
	VMOVUPD    64(SP_), VL2;        \
	VBLENDPD   $0x0c, VL1, VL0, VA; \
	VPERM2F128 $0x21, VL2, VL0, VB; \
	VBLENDPD   $0x0c, VL2, VL1, VC; \
	VSHUFPD    $0x0a, VB, VA, VSX;  \
	VSHUFPD    $0x05, VC, VA, VSY;  \
	VSHUFPD    $0x0a, VC, VB, VSZ

#define DOT(off, dst) \
	VBROADCASTSD off(CP), VCX;   \
	VBROADCASTSD off+8(CP), VCY; \
	VBROADCASTSD off+16(CP), VCZ; \
	VMULPD       VCX, VSX, dst;  \
	VFMADD231PD  VCY, VSY, dst;  \
	VFMADD231PD  VCZ, VSZ, dst

#define STORE4(acc, xacc, ptr) \
	VEXTRACTF128 $1, acc, XHI;     \
	VMOVSD       xacc, (ptr);      \
	VMOVHPD      xacc, (ptr)(SB1*1); \
	VMOVSD       XHI, (ptr)(SB1*2);  \
	VMOVHPD      XHI, (ptr)(SB3*1)

#define SDOT(off, dst) \
	VMULSD      off(CP), X6, dst;    \
	VFMADD231SD off+8(CP), X7, dst;  \
	VFMADD231SD off+16(CP), X8, dst

TEXT ·millerAVX2(SB), NOSPLIT, $0-64
	MOVQ s+0(FP), SP_
	MOVQ cell+8(FP), CELL
	MOVQ h+16(FP), HP
	MOVQ k+24(FP), KP
	MOVQ l+32(FP), LP
	MOVQ n+40(FP), CNT
	MOVQ mj+48(FP), MJ
	MOVQ stride+56(FP), SB1
	TESTQ CNT, CNT
	JZ   done
	TESTQ MJ, MJ
	JZ   done
	SHLQ $3, SB1
	LEAQ (SB1)(SB1*2), SB3

	CMPQ CNT, $4
	JB   tail
	CMPQ SB1, $8
	JNE  block
	CMPQ MJ, $1
	JEQ  unit

block:
	LOAD4
	MOVQ CELL, CP
	MOVQ MJ, J

jloop:
	DOT(0, VH)
	DOT(24, VK)
	DOT(48, VL)
	STORE4(VH, XH, HP)
	STORE4(VK, XK, KP)
	STORE4(VL, XL, LP)
	ADDQ $72, CP
	ADDQ $8, HP
	ADDQ $8, KP
	ADDQ $8, LP
	DECQ J
	JNZ  jloop

	// Next block of 4 rows: the cursors moved mj columns; rows start
	// 4*stride after the block start.
	LEAQ (SB1*4), AX
	MOVQ MJ, J
	SHLQ $3, J
	SUBQ J, AX
	ADDQ AX, HP
	ADDQ AX, KP
	ADDQ AX, LP
	ADDQ $96, SP_
	SUBQ $4, CNT
	CMPQ CNT, $4
	JAE  block
	JMP  tail

unit:
	// stride == 1 and mj == 1: outputs of consecutive rows are contiguous.
	MOVQ CELL, CP

unitloop:
	LOAD4
	DOT(0, VH)
	DOT(24, VK)
	DOT(48, VL)
	VMOVUPD VH, (HP)
	VMOVUPD VK, (KP)
	VMOVUPD VL, (LP)
	ADDQ    $32, HP
	ADDQ    $32, KP
	ADDQ    $32, LP
	ADDQ    $96, SP_
	SUBQ    $4, CNT
	CMPQ    CNT, $4
	JAE     unitloop

tail:
	TESTQ CNT, CNT
	JZ    vzero
	// Row advance after the j sweep: (stride - mj)*8 bytes.
	MOVQ  MJ, AX
	SHLQ  $3, AX
	MOVQ  SB1, SB3
	SUBQ  AX, SB3

rowloop:
	VMOVSD 0(SP_), X6
	VMOVSD 8(SP_), X7
	VMOVSD 16(SP_), X8
	MOVQ   CELL, CP
	MOVQ   MJ, J

sjloop:
	SDOT(0, XH)
	SDOT(24, XK)
	SDOT(48, XL)
	VMOVSD XH, (HP)
	VMOVSD XK, (KP)
	VMOVSD XL, (LP)
	ADDQ   $72, CP
	ADDQ   $8, HP
	ADDQ   $8, KP
	ADDQ   $8, LP
	DECQ   J
	JNZ    sjloop
	ADDQ   SB3, HP
	ADDQ   SB3, KP
	ADDQ   SB3, LP
	ADDQ   $24, SP_
	DECQ   CNT
	JNZ    rowloop

vzero:
	VZEROUPPER

done:
	RET
