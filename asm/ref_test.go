package asm

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// This file holds the test-only high-precision reference and helpers.

const refPrec = 256

var bigPi, _, _ = big.ParseFloat("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798", 10, refPrec, big.ToNearestEven)

func bf(x float64) *big.Float { return new(big.Float).SetPrec(refPrec).SetFloat64(x) }

// sinpiBig returns sin(pi*y) to about 2^-240 absolute.
func sinpiBig(y *big.Float) *big.Float {
	k, _ := y.Int(nil) // trunc: any integer k works, sin(pi*y) = (-1)^k sin(pi*(y-k))
	r := new(big.Float).SetPrec(refPrec).Sub(y, new(big.Float).SetPrec(refPrec).SetInt(k))
	x := new(big.Float).SetPrec(refPrec).Mul(r, bigPi)
	x2 := new(big.Float).SetPrec(refPrec).Mul(x, x)
	sum := new(big.Float).SetPrec(refPrec).Set(x)
	term := new(big.Float).SetPrec(refPrec).Set(x)
	for i := int64(1); i < 80; i++ {
		term.Mul(term, x2)
		term.Quo(term, bf(float64(-(2*i)*(2*i+1))))
		sum.Add(sum, term)
		if term.Sign() == 0 || term.MantExp(nil) < -250 {
			break
		}
	}
	if k.Bit(0) == 1 {
		sum.Neg(sum)
	}
	return sum
}

// sincgRef returns the true sincg(pi*h, n) = sin(pi*n*h)/sin(pi*h) of the
// float64 inputs (the limit n*(-1)^(h*(n-1)) at integral h for integral n);
// ok is false where it is undefined (integral h != 0, non-integral n).
func sincgRef(h, n float64) (*big.Float, bool) {
	if h == 0 {
		return bf(n), true
	}
	if h == math.Trunc(h) {
		if n != math.Trunc(n) {
			return nil, false
		}
		hb, _ := bf(h).Int(nil)
		nb, _ := bf(n - 1).Int(nil)
		v := bf(n)
		if new(big.Int).Mul(hb, nb).Bit(0) == 1 {
			v.Neg(v)
		}
		return v, true
	}
	num := sinpiBig(new(big.Float).SetPrec(refPrec).Mul(bf(n), bf(h)))
	den := sinpiBig(bf(h))
	return num.Quo(num, den), true
}

// latticeRef is the true square lattice product rounded to float64, with
// the per-axis true factors (1 for skipped axes).
func latticeRef(h, k, l, na, nb, nc float64) (p float64, f [3]float64, ok bool) {
	prod := bf(1)
	for i, ax := range [3][2]float64{{h, na}, {k, nb}, {l, nc}} {
		f[i] = 1
		if ax[1] <= 1 {
			continue
		}
		v, ok := sincgRef(ax[0], ax[1])
		if !ok {
			return 0, f, false
		}
		f[i], _ = v.Float64()
		prod.Mul(prod, v)
	}
	p, _ = prod.Float64()
	return p, f, true
}

const eps = 0x1p-53

// genericAxisBound is an a-priori bound on |sincgGeneric(pi*h, n) - F| for
// the true factor F: the generic path evaluates sin(fl(n*fl(pi*h))) and
// sin(fl(pi*h)), whose arguments are off by up to 2.2*eps*n*pi*|h| and
// 1.1*eps*pi*|h|, and |sin(pi*h)| >= 2|d| with d = h - rint(h). It is +Inf
// at integral h != 0, where the generic result is not accurate at all.
func genericAxisBound(h, n, f float64) float64 {
	if h == 0 {
		return 0
	}
	d := math.Abs(h - math.RoundToEven(h))
	en := 2.2*eps*n*math.Pi*math.Abs(h) + 4*eps
	ed := 1.1*eps*math.Pi*math.Abs(h) + 4*eps*math.Sin(math.Pi*d)
	den := 2*d - ed
	if den <= 0 {
		return math.Inf(1)
	}
	return (en+math.Abs(f)*ed)/den + 4*eps*math.Abs(f)
}

// genericProductBound propagates the per-axis generic bounds to the product.
func genericProductBound(h, k, l, na, nb, nc float64, f [3]float64) float64 {
	hi, lo := 1.0, 1.0
	for i, ax := range [3][2]float64{{h, na}, {k, nb}, {l, nc}} {
		b := 0.0
		if ax[1] > 1 {
			b = genericAxisBound(ax[0], ax[1], f[i])
		}
		hi *= math.Abs(f[i]) + b
		lo *= math.Abs(f[i])
	}
	return hi - lo + 4*eps*hi
}

// latticeNs are the N values exercised; 2.5 forces the generic fallback.
var latticeNs = []float64{1, 2, 3, 5, 8, 10, 31, 100, 2.5}

// randIndex draws a Miller index in [-50, 50] from a mix of generic values,
// exact integers, half-integers, integers offset by < 1e-12 and tiny values.
func randIndex(rng *rand.Rand) float64 {
	switch rng.IntN(8) {
	case 0:
		return float64(rng.IntN(101) - 50)
	case 1:
		return float64(rng.IntN(100)-50) + 0.5
	case 2:
		return float64(rng.IntN(101)-50) + (rng.Float64()*2-1)*1e-12
	case 3:
		return (rng.Float64()*2 - 1) * math.Pow(10, -float64(rng.IntN(300)))
	case 4:
		return float64(rng.IntN(101)-50) + (rng.Float64()*2-1)*1e-6
	default:
		return (rng.Float64()*2 - 1) * 50
	}
}

const guardN = 5

// guarded returns a slice of length n embedded in a buffer whose guardN
// elements on each side hold a NaN sentinel, and a checker for them.
func guarded(t testing.TB, n int) ([]float64, func()) {
	sentinel := math.Float64frombits(0x7ff8_dead_beef_0001)
	buf := make([]float64, n+2*guardN)
	for i := range buf {
		buf[i] = sentinel
	}
	return buf[guardN : guardN+n : guardN+n], func() {
		t.Helper()
		for i := range guardN {
			if math.Float64bits(buf[i]) != math.Float64bits(sentinel) ||
				math.Float64bits(buf[n+guardN+i]) != math.Float64bits(sentinel) {
				t.Fatalf("guard element overwritten (n=%d, side index %d)", n, i)
			}
		}
	}
}

// asmPaths lists the non-generic paths this machine can run.
func asmPaths() []string { return Paths()[1:] }

// withPath runs f with the path forced to name and restores the old one.
func withPath(t testing.TB, name string, f func()) {
	t.Helper()
	old := Path()
	if err := SetPath(name); err != nil {
		t.Skipf("path %s: %v", name, err)
	}
	defer SetPath(old)
	f()
}

// allPaths is every path name, so that unsupported ones show up as skips.
var allPaths = []string{"generic", "avx2", "avx512"}
