// Package synth makes deterministic synthetic inputs (structure factors)
// for the demo and the benchmarks, so that neither needs data files.
package synth

import (
	"fmt"
	"math"
	"strings"
)

// HKL returns a P1 structure-factor table "h k l F" for every h, k, l in
// -n..n, with a Wilson-like fall-off for a cell of roughly 32 x 41 x 48 A
// and pseudo-random amplitudes (a hash of h, k, l).
func HKL(n int) []byte {
	var b strings.Builder
	for h := -n; h <= n; h++ {
		for k := -n; k <= n; k++ {
			for l := -n; l <= n; l++ {
				x := uint32((h+64)*73856093 ^ (k+64)*19349663 ^ (l+64)*83492791)
				x ^= x >> 13
				x *= 0x5bd1e995
				x ^= x >> 15
				r := float64(x%10000) / 10000
				s2 := float64(h*h)/1056 + float64(k*k)/1697 + float64(l*l)/2285
				f := 500 * math.Exp(-2*s2) * (0.2 + r)
				fmt.Fprintf(&b, "%d %d %d %.2f\n", h, k, l, f)
			}
		}
	}
	return []byte(b.String())
}

// Mat is a MOSFLM A matrix (wavelength 1 A) of a triclinic cell
// 32.5 41.2 47.8 86.5 93.1 97.4.
const Mat = `   0.01934086  -0.01585104  -0.00430179
   0.01909129   0.01838111  -0.00870407
   0.01504235   0.00342515   0.01860103
`
