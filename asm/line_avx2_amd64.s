//go:build amd64 && gc && !purego

#include "textflag.h"

// func scatterLineAVX2(p *lineParams, s, r *float64, n, chunk, stride int)
//
// Requires: AVX
//
// ScatterLine for points i < n, n a multiple of chunk, chunk a positive
// multiple of 4, stride >= chunk: with the parameters broadcast in p (see
// lineParams in kernels_amd64.go),
//
//	f   = sub*(K0+i) + sub/2
//	p_k = ((f*dir_k + slow_k) + depth_k) + pix0_k
//	r   = sqrt((x*x + y*y) + z*z)
//	d_k = p_k / r                     (0 where r == 0)
//	S_k = (d_k - inc_k) * il
//
// with every product and sum rounded (no FMA): f, p, r and d are the
// generic path's (and the original's) bit for bit, so a sample point on
// the beam axis gives S == 0 exactly as it does there; S_k is the same
// correctly rounded expression as the generic. Results equal the generic
// path's bit for bit.
//
// Four points per iteration; S of the four is interleaved by
// VUNPCK{L,H}PD, VPERM2F128 and VBLENDPD into three YMM stores (12
// consecutive doubles), r is one YMM store. After each chunk the cursors
// skip stride-chunk points. Unaligned loads and stores; bounds are the
// caller's duty. Ends with VZEROUPPER.

#define PP BX   // parameter block
#define SO SI   // s cursor
#define RO DI   // r cursor
#define CNT CX  // points left
#define CH DX   // chunk
#define IN R8   // points left in the chunk
#define GAPS R9 // (stride-chunk)*24: s skip between chunks
#define GAPR R10 // (stride-chunk)*8: r skip between chunks

#define VZERO Y14 // 0.0
#define VIL Y13   // 1/lambda
#define VSUB Y12  // sub
#define VHALF Y11 // sub/2
#define VIDX Y10  // K0+i .. K0+i+3
#define VFOUR Y9  // 4.0
#define VF Y0     // f
#define VX Y1     // x, then d_x, S_x
#define VY Y2     // y, ...
#define VZ Y3     // z, ...
#define VR2 Y4    // r², then interleave temporary
#define VR Y5     // r, then interleave temporary
#define VT Y6     // product temporary, then interleave temporary
#define VMASK Y7  // r == 0 lanes, then interleave temporary
#define VO1 Y8    // second output vector

// POSITION: for the four points of VIDX (advanced by 4), store r at (RO)
// and leave p in VX, VY, VZ and r in VR (f = sub*(K0+i) + sub/2; p =
// ((f*dir + slow) + depth) + pix0; r = sqrt((x*x + y*y) + z*z): the
// original's operations in its order, no FMA).
#define POSITION \
	VMULPD  VIDX, VSUB, VF; \
	VADDPD  VHALF, VF, VF; \
	VADDPD  VFOUR, VIDX, VIDX; \
	VMULPD  0(PP), VF, VX; \
	VADDPD  96(PP), VX, VX; \
	VADDPD  192(PP), VX, VX; \
	VADDPD  288(PP), VX, VX; \
	VMULPD  32(PP), VF, VY; \
	VADDPD  128(PP), VY, VY; \
	VADDPD  224(PP), VY, VY; \
	VADDPD  320(PP), VY, VY; \
	VMULPD  64(PP), VF, VZ; \
	VADDPD  160(PP), VZ, VZ; \
	VADDPD  256(PP), VZ, VZ; \
	VADDPD  352(PP), VZ, VZ; \
	VMULPD  VX, VX, VR2; \
	VMULPD  VY, VY, VT; \
	VADDPD  VT, VR2, VR2; \
	VMULPD  VZ, VZ, VT; \
	VADDPD  VT, VR2, VR2; \
	VSQRTPD VR2, VR; \
	VMOVUPD VR, (RO)

// POINT: POSITION, then S in VX, VY, VZ (d = p/r, 0 where r == 0; S =
// (d - inc)*il: the original's operations, no FMA).
#define POINT \
	POSITION; \
	VCMPPD  $0, VZERO, VR, VMASK; \
	VDIVPD  VR, VX, VX; \
	VDIVPD  VR, VY, VY; \
	VDIVPD  VR, VZ, VZ; \
	VANDNPD VX, VMASK, VX; \
	VANDNPD VY, VMASK, VY; \
	VANDNPD VZ, VMASK, VZ; \
	VSUBPD  384(PP), VX, VX; \
	VSUBPD  416(PP), VY, VY; \
	VSUBPD  448(PP), VZ, VZ; \
	VMULPD  VIL, VX, VX; \
	VMULPD  VIL, VY, VY; \
	VMULPD  VIL, VZ, VZ

// LINE_CONSTS loads the broadcast constants of the parameter block.
#define LINE_CONSTS \
	VXORPD VZERO, VZERO, VZERO; \
	VMOVUPD 576(PP), VIL; \
	VMOVUPD 512(PP), VSUB; \
	VMOVUPD 544(PP), VHALF; \
	VMOVUPD 480(PP), VIDX; \
	VMOVUPD 608(PP), VFOUR

TEXT ·scatterLineAVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), PP
	MOVQ s+8(FP), SO
	MOVQ r+16(FP), RO
	MOVQ n+24(FP), CNT
	MOVQ chunk+32(FP), CH
	MOVQ stride+40(FP), GAPR
	SUBQ CH, GAPR             // stride - chunk
	LEAQ (GAPR)(GAPR*2), GAPS // 3*(stride - chunk)
	SHLQ $3, GAPS
	SHLQ $3, GAPR
	LINE_CONSTS

nextchunk:
	TESTQ CNT, CNT
	JLE   done
	MOVQ  CH, IN

point:
	POINT
	// interleave: x0 y0 z0 x1 | y1 z1 x2 y2 | z2 x3 y3 z3
	VUNPCKLPD VY, VX, VR2       // x0 y0 x2 y2
	VUNPCKHPD VY, VX, VR        // x1 y1 x3 y3
	VUNPCKLPD VR, VZ, VT        // z0 x1 z2 x3
	VUNPCKHPD VZ, VR, VMASK     // y1 z1 y3 z3
	VPERM2F128 $0x20, VT, VR2, VF  // x0 y0 z0 x1
	VBLENDPD $0x0c, VR2, VMASK, VO1  // y1 z1 x2 y2
	VPERM2F128 $0x31, VMASK, VT, VX // z2 x3 y3 z3
	VMOVUPD VF, 0(SO)
	VMOVUPD VO1, 32(SO)
	VMOVUPD VX, 64(SO)
	ADDQ $96, SO
	ADDQ $32, RO
	SUBQ $4, IN
	JG   point

	ADDQ GAPS, SO
	ADDQ GAPR, RO
	SUBQ CH, CNT
	JMP  nextchunk

done:
	VZEROUPPER
	RET


// func millerLineAVX2(p *lineParams, h, k, l, r *float64, n, chunk, stride int)
//
// Requires: AVX, FMA
//
// MillerLine for points i < n (same layout rules as scatterLineAVX2): the
// position p and distance r of POSITION (the original's bits), w = il/r
// (0 where r == 0), then
//
//	h = fma(w, fma(a_z, z, fma(a_y, y, a_x*x)), c_a)
//
// with c_a = -il*(a·inc) (p.off at 928), k and l likewise with b, c (p.cell
// at 640): h = a·S for S = (p/r - inc)*il with one division for the three
// components. Bit-identical to millerLineGeneric (the same FMAs). Registers:
// VX, VY, VZ the position, VR r, VMASK r == 0, VT w, VR2 the index being
// formed. h, k, l and r are stored four points per YMM store; after each
// chunk the cursors skip stride-chunk points. Ends with VZEROUPPER.

#define HO SI  // h cursor
#define KO R11 // k cursor
#define LO R12 // l cursor

TEXT ·millerLineAVX2(SB), NOSPLIT, $0-64
	MOVQ p+0(FP), PP
	MOVQ h+8(FP), HO
	MOVQ k+16(FP), KO
	MOVQ l+24(FP), LO
	MOVQ r+32(FP), RO
	MOVQ n+40(FP), CNT
	MOVQ chunk+48(FP), CH
	MOVQ stride+56(FP), GAPR
	SUBQ CH, GAPR             // stride - chunk
	SHLQ $3, GAPR
	LINE_CONSTS

mnextchunk:
	TESTQ CNT, CNT
	JLE   mdone
	MOVQ  CH, IN

mpoint:
	POSITION
	VCMPPD  $0, VZERO, VR, VMASK
	VDIVPD  VR, VIL, VT
	VANDNPD VT, VMASK, VT
	// h = fma(w, fma(a_z, z, fma(a_y, y, a_x*x)), c_a), then k, l
	VMULPD      640(PP), VX, VR2
	VFMADD231PD 672(PP), VY, VR2
	VFMADD231PD 704(PP), VZ, VR2
	VFMADD213PD 928(PP), VT, VR2
	VMOVUPD     VR2, (HO)
	VMULPD      736(PP), VX, VR2
	VFMADD231PD 768(PP), VY, VR2
	VFMADD231PD 800(PP), VZ, VR2
	VFMADD213PD 960(PP), VT, VR2
	VMOVUPD     VR2, (KO)
	VMULPD      832(PP), VX, VR2
	VFMADD231PD 864(PP), VY, VR2
	VFMADD231PD 896(PP), VZ, VR2
	VFMADD213PD 992(PP), VT, VR2
	VMOVUPD     VR2, (LO)
	ADDQ $32, HO
	ADDQ $32, KO
	ADDQ $32, LO
	ADDQ $32, RO
	SUBQ $4, IN
	JG   mpoint

	ADDQ GAPR, HO
	ADDQ GAPR, KO
	ADDQ GAPR, LO
	ADDQ GAPR, RO
	SUBQ CH, CNT
	JMP  mnextchunk

mdone:
	VZEROUPPER
	RET
