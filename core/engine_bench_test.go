package core

import (
	"io"
	"strings"
	"testing"
)

func benchPlan(b *testing.B, args string) *Plan {
	c, err := ParseArgs(strings.Fields(args), -1, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	p, _, err := Setup(c, io.Discard, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkGeometry times the geometry phase per sample point.
func BenchmarkGeometry(b *testing.B) {
	p := benchPlan(b, "-cell 50 60 70 90 90 90 -default_F 100 -N 5 -detpixels 64 -oversample 4 -nonoise")
	for _, k := range []Kernel{ExactKernel{}, SIMDKernel{}} {
		e := newEngine(p, k)
		sc := &scratch{}
		name := "exact"
		if !k.Exact() {
			name = "simd"
		}
		b.Run(name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				e.gather(7, []int{n % 64}, sc)
				n++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/16, "ns/point")
		})
	}
}
