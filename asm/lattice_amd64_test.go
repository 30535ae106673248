//go:build amd64 && gc && !purego

package asm

import (
	"math"
	"testing"
)

// TestSinpiPoly checks the float64 minimax coefficients: P(y*y), evaluated
// exactly, is within 6.3e-14 relative of sin(pi*y)/y on |y| <= 1/2 (the
// truncation term of the kernels' error budget).
func TestSinpiPoly(t *testing.T) {
	worst := 0.0
	for j := 0; j <= 20000; j++ {
		y := 0.5 * float64(j) / 20000
		if y == 0 {
			y = 1e-30
		}
		yb := bf(y)
		z := bf(0).Mul(yb, yb)
		p := bf(sinpiCoef[len(sinpiCoef)-1])
		for k := len(sinpiCoef) - 2; k >= 0; k-- {
			p.Mul(p, z)
			p.Add(p, bf(sinpiCoef[k]))
		}
		want := sinpiBig(yb)
		want.Quo(want, yb)
		p.Sub(p, want).Quo(p, want)
		e, _ := p.Float64()
		worst = max(worst, math.Abs(e))
	}
	if worst > 6.3e-14 {
		t.Fatalf("polynomial relative error %.3g > 6.3e-14", worst)
	}
	t.Logf("polynomial relative error %.3g (%.2f u)", worst, worst/0x1p-53)
}
