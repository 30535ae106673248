package core

import "github.com/gobragg/gobragg/asm"

// Kernel is the hot inner work of the pixel loop: Miller indices of a batch
// of scattering vectors against a table of crystal orientations, and the
// square-crystal lattice factor. The exact implementation reproduces the
// original's arithmetic; SIMD implementations may reorder it (asm package).
// A kernel that is not Exact selects the engine's fast path, which also
// calls the fast-path-only kernels of package asm directly (lines,
// sources, solid angles, block sums, the sign-free lattice).
type Kernel interface {
	// MillerIndices: for n vectors s (s[3i:3i+3]) and m orientations
	// cell (9 each: a, b, c), h[i*m+j] = a_j·s_i, k = b_j·s_i, l = c_j·s_i.
	MillerIndices(s, cell, h, k, l []float64)
	// SquareLattice: out[i] = sincg(pi*h, na)·sincg(pi*k, nb)·sincg(pi*l, nc),
	// axes with N <= 1 skipped.
	SquareLattice(h, k, l []float64, na, nb, nc float64, out []float64)
	// UnitVectors replaces the points (x, y, z)[i], i < len(r), by their
	// unit vectors and stores their lengths in r.
	UnitVectors(x, y, z, r []float64)
	// Exact reports whether results are bit-identical to the original.
	Exact() bool
}

// ExactKernel is the pure-Go kernel in the original's order of operations
// (the generic path of package asm, whatever path is selected).
type ExactKernel struct{}

// Exact reports true.
func (ExactKernel) Exact() bool { return true }

// MillerIndices implements Kernel.
func (ExactKernel) MillerIndices(s, cell, h, k, l []float64) {
	asm.MillerIndicesGeneric(s, cell, h, k, l)
}

// SquareLattice implements Kernel.
func (ExactKernel) SquareLattice(h, k, l []float64, na, nb, nc float64, out []float64) {
	asm.SquareLatticeGeneric(h, k, l, na, nb, nc, out)
}

// UnitVectors implements Kernel.
func (ExactKernel) UnitVectors(x, y, z, r []float64) { asm.UnitVectorsGeneric(x, y, z, r) }

// SIMDKernel runs the kernels on the path package asm selected at start
// (cpuid, or GOBRAGG_SIMD=generic|avx2|avx512).
type SIMDKernel struct{}

// Exact reports whether the selected path is the generic one.
func (SIMDKernel) Exact() bool { return asm.Path() == "generic" }

// MillerIndices implements Kernel.
func (SIMDKernel) MillerIndices(s, cell, h, k, l []float64) { asm.MillerIndices(s, cell, h, k, l) }

// SquareLattice implements Kernel.
func (SIMDKernel) SquareLattice(h, k, l []float64, na, nb, nc float64, out []float64) {
	asm.SquareLattice(h, k, l, na, nb, nc, out)
}

// UnitVectors implements Kernel.
func (SIMDKernel) UnitVectors(x, y, z, r []float64) { asm.UnitVectors(x, y, z, r) }

// DefaultKernel returns the kernel for this machine (the SIMD path chosen
// by package asm).
func DefaultKernel() Kernel { return SIMDKernel{} }
