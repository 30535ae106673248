package core

import "math"

// Kernel is the hot inner work of the pixel loop: Miller indices of a batch
// of scattering vectors against a table of crystal orientations, and the
// square-crystal lattice factor. The exact implementation reproduces the
// original's arithmetic; SIMD implementations may reorder it (asm package).
type Kernel interface {
	// MillerIndices: for n vectors s (s[3i:3i+3]) and m orientations
	// cell (9 each: a, b, c), h[i*m+j] = a_j·s_i, k = b_j·s_i, l = c_j·s_i.
	MillerIndices(s, cell, h, k, l []float64)
	// SquareLattice: out[i] = sincg(pi*h, na)·sincg(pi*k, nb)·sincg(pi*l, nc),
	// axes with N <= 1 skipped.
	SquareLattice(h, k, l []float64, na, nb, nc float64, out []float64)
	// Exact reports whether results are bit-identical to the original.
	Exact() bool
}

// ExactKernel is the pure-Go kernel in the original's order of operations.
type ExactKernel struct{}

// Exact reports true.
func (ExactKernel) Exact() bool { return true }

// MillerIndices implements Kernel.
func (ExactKernel) MillerIndices(s, cell, h, k, l []float64) {
	m := len(cell) / 9
	n := len(s) / 3
	for i := 0; i < n; i++ {
		sv := Vec{s[3*i], s[3*i+1], s[3*i+2]}
		for j := 0; j < m; j++ {
			o := cell[9*j : 9*j+9]
			h[i*m+j] = dot(Vec{o[0], o[1], o[2]}, sv)
			k[i*m+j] = dot(Vec{o[3], o[4], o[5]}, sv)
			l[i*m+j] = dot(Vec{o[6], o[7], o[8]}, sv)
		}
	}
}

// SquareLattice implements Kernel.
func (ExactKernel) SquareLattice(h, k, l []float64, na, nb, nc float64, out []float64) {
	for i := range out {
		f := 1.0
		if na > 1 {
			f *= sincg(math.Pi*h[i], na)
		}
		if nb > 1 {
			f *= sincg(math.Pi*k[i], nb)
		}
		if nc > 1 {
			f *= sincg(math.Pi*l[i], nc)
		}
		out[i] = f
	}
}

// DefaultKernel returns the kernel selected for this machine.
func DefaultKernel() Kernel { return ExactKernel{} }
