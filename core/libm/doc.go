// Package libm provides Go ports of a few GNU C Library (glibc 2.36) libm
// routines that return results bit-identical to the glibc functions as they
// execute on x86-64 CPUs with FMA and AVX2.
//
// On such CPUs glibc selects, via ifunc, variants of its generic
// sysdeps/ieee754/dbl-64 code compiled with -mfma -mavx2 (s_sin-fma.c,
// e_exp-fma.c, e_atan2-fma.c).  GCC contracts a*b+c into fused multiply-adds
// in that code wherever its GIMPLE allows, so the ports below use math.FMA at
// exactly the places where GCC 12 emits a fused operation (checked against
// -fdump-tree-widening_mul and empirically against the system libm) and keep
// every other product separately rounded (explicit float64 conversions stop
// the Go compiler from fusing them itself when GOAMD64>=v3).
//
// The functions are Sin, Cos, Exp and Atan2.  They do not set errno or raise
// floating-point exceptions; only the returned values are reproduced.
//
// Licensing: Sin, Cos and Atan2 (and their tables) are derived from the IBM
// Accurate Mathematical Library in glibc, Copyright (C) 2001-2022 Free
// Software Foundation, Inc., distributed under the GNU Lesser General Public
// License version 2.1 or later.  Exp is derived from the Arm Optimized
// Routines exp (Copyright (c) 2018 Arm Ltd., MIT / Apache-2.0 WITH
// LLVM-exception) as included in glibc.
package libm
