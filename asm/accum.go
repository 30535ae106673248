package asm

import "math"

// FGrid is a structure-factor grid as SumSquareTerms reads it: F of
// (h, k, l) at F[(h-HMin)*StrideH + (k-KMin)*StrideK + (l-LMin)] for h in
// [HMin, HMax] etc., Default outside (or if F is empty).
type FGrid struct {
	F                []float64
	HMin, HMax       int
	KMin, KMax       int
	LMin, LMax       int
	StrideH, StrideK int
	Default          float64

	prep accumPrep // kernel parameters, filled by Prepare
}

// Prepare checks the grid and fills the parameters the assembly path reads,
// so that SumSquareTerms calls on small batches cost little. Call it once
// after setting the fields (and again if they change); an unprepared grid
// still works.
func (g *FGrid) Prepare() { g.prep = prepareAccum(g) }

// SumSquareTerms returns the sum over i < len(fl) with fl[i] != 0 of
// F^2*fl[i]^2, F the grid value at the nearest integers h0 = ceil(h-0.5)
// etc. of (h, k, l)[i] (the square-shape accumulation of physics.md §9
// without per-term factors; NaN or out-of-grid indices give Default). h,
// k and l must hold at least len(fl) elements.
//
// The generic path sums in index order starting from 0; the assembly path
// keeps four partial sums (lanes i mod 4) and adds them at the end: each
// term is the same, the sum is within n ulp of the ordered one (n =
// len(fl), all terms are non-negative unless F or fl is NaN).
func SumSquareTerms(h, k, l, fl []float64, g *FGrid) float64 {
	n := len(fl)
	return sumSquareTerms(h[:n], k[:n], l[:n], fl, g)
}

// SumSquareTermsBlocks sets out[b] = SumSquareTerms of the terms
// [b*per, (b+1)*per) for b < len(out): the sums of consecutive pixels
// with per evaluations each, with the results of SumSquareTerms bit for
// bit and one call for the batch. h, k, l and fl must hold at least
// len(out)*per elements.
func SumSquareTermsBlocks(h, k, l, fl []float64, per int, g *FGrid, out []float64) {
	if per <= 0 {
		panic("asm: SumSquareTermsBlocks: need per > 0")
	}
	n := len(out) * per
	sumSquareTermsBlocks(h[:n], k[:n], l[:n], fl[:n], per, g, out)
}

func sumSquareTermsBlocksEach(h, k, l, fl []float64, per int, g *FGrid, out []float64) {
	for b := range out {
		lo, hi := b*per, (b+1)*per
		out[b] = sumSquareTerms(h[lo:hi], k[lo:hi], l[lo:hi], fl[lo:hi], g)
	}
}

// SumSquareTermsGeneric is SumSquareTerms on the generic path, whatever
// path is selected.
func SumSquareTermsGeneric(h, k, l, fl []float64, g *FGrid) float64 {
	n := len(fl)
	return sumSquareTermsGeneric(h[:n], k[:n], l[:n], fl, g)
}

func sumSquareTermsGeneric(h, k, l, fl []float64, g *FGrid) float64 {
	sum := 0.0
	def := g.Default
	if len(g.F) == 0 {
		for _, f := range fl {
			if f != 0 {
				sum += def * def * f * f
			}
		}
		return sum
	}
	hmin, hmax := float64(g.HMin), float64(g.HMax)
	kmin, kmax := float64(g.KMin), float64(g.KMax)
	lmin, lmax := float64(g.LMin), float64(g.LMax)
	h, k, l = h[:len(fl)], k[:len(fl)], l[:len(fl)]
	for i, f := range fl {
		if f == 0 {
			continue
		}
		h0, k0, l0 := math.Ceil(h[i]-0.5), math.Ceil(k[i]-0.5), math.Ceil(l[i]-0.5)
		fc := def
		if h0 >= hmin && h0 <= hmax && k0 >= kmin && k0 <= kmax && l0 >= lmin && l0 <= lmax {
			fc = g.F[int(h0-hmin)*g.StrideH+int(k0-kmin)*g.StrideK+int(l0-lmin)]
		}
		sum += float64(float64(fc*fc)*f) * f
	}
	return sum
}
