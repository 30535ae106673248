//go:build !amd64 || !gc || purego

package asm

func squareLattice(h, k, l []float64, na, nb, nc float64, out []float64) {
	squareLatticeGeneric(h, k, l, na, nb, nc, out)
}

func squareLatticeMagnitude(h, k, l []float64, na, nb, nc float64, out []float64) {
	squareLatticeGeneric(h, k, l, na, nb, nc, out)
}

func millerIndices(s, cell []float64, n, m int, h, k, l []float64) {
	millerIndicesGeneric(s, cell, n, m, h, k, l)
}

func rotateUmat(u []float64, v *[3]float64, out []float64) {
	rotateUmatGeneric(u, v, out)
}

func unitVectors(x, y, z, r []float64) { unitVectorsGeneric(x, y, z, r) }

func sumSquareTerms(h, k, l, fl []float64, g *FGrid) float64 {
	return sumSquareTermsGeneric(h, k, l, fl, g)
}

func sumSquareTermsBlocks(h, k, l, fl []float64, per int, g *FGrid, out []float64) {
	sumSquareTermsBlocksEach(h, k, l, fl, per, g, out)
}

func scatterLine(l *Line, n, chunk, stride int, s, r []float64) {
	scatterLineGeneric(l, 0, n, chunk, stride, s, r)
}

type accumPrep struct{}

func prepareAccum(*FGrid) accumPrep { return accumPrep{} }

func millerLine(l *Line, cell *[9]float64, n, chunk, stride int, h, k, ll, r []float64) {
	millerLineGeneric(l, cell, 0, n, chunk, stride, h, k, ll, r)
}

func solidAngles(r []float64, stride int, area, close float64, point bool, out []float64) {
	solidAnglesGeneric(r, stride, area, close, point, out)
}

func millerSources(x, y, z, il, off []float64, cell *[9]float64, h, k, l []float64) {
	millerSourcesGeneric(x, y, z, il, off, cell, h, k, l)
}
