package core

import "testing"

func BenchmarkAddRepeatedZZ(b *testing.B) {
	ws := make([]float64, 2048)
	for i := range ws {
		ws[i] = 1e-7 * (1 + float64(i)/4096)
	}
	for b.Loop() {
		s := 0.0
		for r := 0; r < 100; r++ {
			for _, w := range ws {
				s = addRepeated(s, w, 16)
			}
		}
		_ = s
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/204800, "ns/term")
}
