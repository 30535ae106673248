//go:build amd64 && gc && !purego

#include "textflag.h"

// func millerAVX512(s, cell, h, k, l *float64, n, mj, stride int)
//
// Requires: AVX512F (the dispatcher also requires AVX2 and FMA)
//
// Same contract and arithmetic as millerAVX2 (miller_avx2_amd64.s), bit for
// bit: for i < n, j < mj, h[i*stride+j] = a_j·s_i (likewise k with b_j, l
// with c_j), each dot product fma(z, cz, fma(y, cy, x*cx)), within 1.5 ulp
// of the sum of the absolute products. stride must be < 2^32 (VPMULUDQ
// builds the scatter offsets); bounds are the caller's duty.
//
// Eight scattering vectors (3 unaligned ZMM loads) are de-interleaved once
// per block with two VPERMI2PD per component (tables as in
// dot3_avx512_amd64.s), then the orientations are swept with embedded-
// broadcast FMAs on the cell components. The 8 results per output go to rows
// i..i+7: one VMOVUPD when stride == 1 (then mj == 1), else VSCATTERQPD
// with offsets q*stride (K3 is reset to all ones before each scatter, which
// clears it). Rows n&^7..n-1 are handled one at a time with scalar FMAs
// in the same order.

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
#define ADV R13 // cursor advance after a row block (or a row)

#define IX1 Z16 // permutation tables
#define IX2 Z17
#define IY1 Z18
#define IY2 Z19
#define IZ1 Z20
#define IZ2 Z21
#define VSIDX Z22 // q*stride, q = 0..7 (scatter offsets, in elements)
#define VL0 Z0
#define VL1 Z1
#define VL2 Z2
#define VT Z3
#define VSX Z6 // x components of 8 s vectors
#define VSY Z7
#define VSZ Z8
#define VH Z3 // results (VT is dead by then)
#define VK Z4
#define VL Z5
#define XH X3
#define XK X4
#define XL X5
#define KSC K3 // scatter mask

#define COMP(i1, i2, dst) \
	VMOVDQU64 i1, VT;       \
	VPERMI2PD VL1, VL0, VT; \
	VMOVDQU64 i2, dst;      \
	VPERMI2PD VL2, VT, dst

// LOAD8: de-interleave 8 s vectors at SP_ into VSX, VSY, VSZ.
#define LOAD8 \
	VMOVUPD 0(SP_), VL0;     \
	VMOVUPD 64(SP_), VL1;    \
	VMOVUPD 128(SP_), VL2;   \
	COMP(IX1, IX2, VSX);     \
	COMP(IY1, IY2, VSY);     \
	COMP(IZ1, IZ2, VSZ)

#define DOT(off, dst) \
	VMULPD.BCST      off(CP), VSX, dst;    \
	VFMADD231PD.BCST off+8(CP), VSY, dst;  \
	VFMADD231PD.BCST off+16(CP), VSZ, dst

#define SCATTER(acc, ptr) \
	KXNORW      KSC, KSC, KSC; \
	VSCATTERQPD acc, KSC, (ptr)(VSIDX*8)

#define SDOT(off, dst) \
	VMULSD      off(CP), X6, dst;    \
	VFMADD231SD off+8(CP), X7, dst;  \
	VFMADD231SD off+16(CP), X8, dst

TEXT ·millerAVX512(SB), NOSPLIT, $0-64
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

	CMPQ CNT, $8
	JB   tail
	VMOVDQU64    millerPerm<>+0(SB), IX1
	VMOVDQU64    millerPerm<>+64(SB), IX2
	VMOVDQU64    millerPerm<>+128(SB), IY1
	VMOVDQU64    millerPerm<>+192(SB), IY2
	VMOVDQU64    millerPerm<>+256(SB), IZ1
	VMOVDQU64    millerPerm<>+320(SB), IZ2
	VPBROADCASTQ SB1, VSIDX
	VPMULUDQ     millerIota<>(SB), VSIDX, VSIDX
	SHLQ         $3, SB1
	CMPQ         SB1, $8
	JNE          blocks
	CMPQ         MJ, $1
	JEQ          unit

blocks:
	// Advance after a block: 8 rows minus the mj columns swept.
	MOVQ SB1, ADV
	SHLQ $3, ADV
	MOVQ MJ, AX
	SHLQ $3, AX
	SUBQ AX, ADV

block:
	LOAD8
	MOVQ CELL, CP
	MOVQ MJ, J

jloop:
	DOT(0, VH)
	DOT(24, VK)
	DOT(48, VL)
	SCATTER(VH, HP)
	SCATTER(VK, KP)
	SCATTER(VL, LP)
	ADDQ $72, CP
	ADDQ $8, HP
	ADDQ $8, KP
	ADDQ $8, LP
	DECQ J
	JNZ  jloop
	ADDQ ADV, HP
	ADDQ ADV, KP
	ADDQ ADV, LP
	ADDQ $192, SP_
	SUBQ $8, CNT
	CMPQ CNT, $8
	JAE  block
	JMP  tailstride

unit:
	// stride == 1 and mj == 1: outputs of consecutive rows are contiguous.
	MOVQ CELL, CP

unitloop:
	LOAD8
	DOT(0, VH)
	DOT(24, VK)
	DOT(48, VL)
	VMOVUPD VH, (HP)
	VMOVUPD VK, (KP)
	VMOVUPD VL, (LP)
	ADDQ    $64, HP
	ADDQ    $64, KP
	ADDQ    $64, LP
	ADDQ    $192, SP_
	SUBQ    $8, CNT
	CMPQ    CNT, $8
	JAE     unitloop
	JMP     tailstride

tail:
	SHLQ $3, SB1

tailstride:
	// SB1 is the stride in bytes here.
	TESTQ CNT, CNT
	JZ    vzero
	// Row advance after the j sweep: (stride - mj)*8 bytes.
	MOVQ  MJ, AX
	SHLQ  $3, AX
	MOVQ  SB1, ADV
	SUBQ  AX, ADV

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
	ADDQ   ADV, HP
	ADDQ   ADV, KP
	ADDQ   ADV, LP
	ADDQ   $24, SP_
	DECQ   CNT
	JNZ    rowloop

vzero:
	VZEROUPPER

done:
	RET

DATA millerIota<>+0(SB)/8, $0
DATA millerIota<>+8(SB)/8, $1
DATA millerIota<>+16(SB)/8, $2
DATA millerIota<>+24(SB)/8, $3
DATA millerIota<>+32(SB)/8, $4
DATA millerIota<>+40(SB)/8, $5
DATA millerIota<>+48(SB)/8, $6
DATA millerIota<>+56(SB)/8, $7
GLOBL millerIota<>(SB), RODATA|NOPTR, $64

// x: step 1, step 2
DATA millerPerm<>+0(SB)/8, $0
DATA millerPerm<>+8(SB)/8, $3
DATA millerPerm<>+16(SB)/8, $6
DATA millerPerm<>+24(SB)/8, $9
DATA millerPerm<>+32(SB)/8, $12
DATA millerPerm<>+40(SB)/8, $15
DATA millerPerm<>+48(SB)/8, $0
DATA millerPerm<>+56(SB)/8, $0
DATA millerPerm<>+64(SB)/8, $0
DATA millerPerm<>+72(SB)/8, $1
DATA millerPerm<>+80(SB)/8, $2
DATA millerPerm<>+88(SB)/8, $3
DATA millerPerm<>+96(SB)/8, $4
DATA millerPerm<>+104(SB)/8, $5
DATA millerPerm<>+112(SB)/8, $10
DATA millerPerm<>+120(SB)/8, $13
// y
DATA millerPerm<>+128(SB)/8, $1
DATA millerPerm<>+136(SB)/8, $4
DATA millerPerm<>+144(SB)/8, $7
DATA millerPerm<>+152(SB)/8, $10
DATA millerPerm<>+160(SB)/8, $13
DATA millerPerm<>+168(SB)/8, $0
DATA millerPerm<>+176(SB)/8, $0
DATA millerPerm<>+184(SB)/8, $0
DATA millerPerm<>+192(SB)/8, $0
DATA millerPerm<>+200(SB)/8, $1
DATA millerPerm<>+208(SB)/8, $2
DATA millerPerm<>+216(SB)/8, $3
DATA millerPerm<>+224(SB)/8, $4
DATA millerPerm<>+232(SB)/8, $8
DATA millerPerm<>+240(SB)/8, $11
DATA millerPerm<>+248(SB)/8, $14
// z
DATA millerPerm<>+256(SB)/8, $2
DATA millerPerm<>+264(SB)/8, $5
DATA millerPerm<>+272(SB)/8, $8
DATA millerPerm<>+280(SB)/8, $11
DATA millerPerm<>+288(SB)/8, $14
DATA millerPerm<>+296(SB)/8, $0
DATA millerPerm<>+304(SB)/8, $0
DATA millerPerm<>+312(SB)/8, $0
DATA millerPerm<>+320(SB)/8, $0
DATA millerPerm<>+328(SB)/8, $1
DATA millerPerm<>+336(SB)/8, $2
DATA millerPerm<>+344(SB)/8, $3
DATA millerPerm<>+352(SB)/8, $4
DATA millerPerm<>+360(SB)/8, $9
DATA millerPerm<>+368(SB)/8, $12
DATA millerPerm<>+376(SB)/8, $15
GLOBL millerPerm<>(SB), RODATA|NOPTR, $384
