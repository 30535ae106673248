package main

import (
	"math"
)

// Report is the comparison of two float images.
type Report struct {
	FPixels         int     `json:"fpixels"`
	SPixels         int     `json:"spixels"`
	SumGo           float64 `json:"sum_go"`
	SumC            float64 `json:"sum_c"`
	SumRatio        float64 `json:"sum_ratio"` // SumGo / SumC
	Pearson         float64 `json:"pearson"`
	MaxAbs          float64 `json:"max_abs_diff"`
	MaxRel          float64 `json:"max_rel_diff"` // over pixels above Floor
	Floor           float64 `json:"rel_floor"`    // FloorFrac * max|C|
	RMSDiff         float64 `json:"rms_diff"`
	BitIdentical    int     `json:"bit_identical_pixels"`
	Beyond          int     `json:"pixels_beyond_tolerance"`
	Worst           Worst   `json:"worst_pixel"`
	NonFiniteDiffer int     `json:"nonfinite_mismatches"`
	RelTol          float64 `json:"rel_tolerance"`
	CorrTol         float64 `json:"corr_tolerance"`
	GoSeconds       float64 `json:"go_seconds"`
	CSeconds        float64 `json:"c_seconds"`
	Pass            bool    `json:"pass"`
}

// Worst is the pixel with the largest relative difference above the floor
// (or the largest absolute difference when none is above it).
type Worst struct {
	Fast, Slow int
	Go, C      float64
	Rel        float64
}

// FloorFrac: relative differences are taken over pixels above this
// fraction of the largest |C| pixel (the drop-in issue's criterion).
const FloorFrac = 1e-6

// Compare compares g (Go) with c (C) of size w x h.
func Compare(g, c []float32, w, h int, relTol, corrTol float64) *Report {
	r := &Report{FPixels: w, SPixels: h, RelTol: relTol, CorrTol: corrTol}
	maxC := 0.0
	for _, v := range c {
		if a := math.Abs(float64(v)); a > maxC && !math.IsInf(a, 0) {
			maxC = a
		}
	}
	r.Floor = FloorFrac * maxC
	var n, sg, sc, sdd float64
	r.Worst.Rel = -1
	worstAbs := -1.0
	for i := range g {
		a, b := float64(g[i]), float64(c[i])
		if math.Float32bits(g[i]) == math.Float32bits(c[i]) || (a == 0 && b == 0) {
			r.BitIdentical++
		}
		fa, fb := !math.IsNaN(a) && !math.IsInf(a, 0), !math.IsNaN(b) && !math.IsInf(b, 0)
		if !fa || !fb {
			if fa != fb || (math.IsNaN(a) != math.IsNaN(b)) || (math.IsInf(a, 0) && a != b) {
				r.NonFiniteDiffer++
				r.Beyond++
			}
			continue
		}
		r.SumGo += a
		r.SumC += b
		n++
		sg += a
		sc += b
		d := a - b
		sdd += d * d
		ad := math.Abs(d)
		if ad > r.MaxAbs {
			r.MaxAbs = ad
		}
		if math.Abs(b) > r.Floor && r.Floor > 0 {
			rel := ad / math.Abs(b)
			if rel > r.MaxRel {
				r.MaxRel = rel
			}
			if rel > relTol {
				r.Beyond++
			}
			if rel > r.Worst.Rel {
				r.Worst = Worst{i % w, i / w, a, b, rel}
			}
		} else if r.Worst.Rel < 0 && ad > worstAbs {
			worstAbs = ad
			r.Worst = Worst{i % w, i / w, a, b, -1}
		}
	}
	if r.Worst.Rel < 0 {
		r.Worst.Rel = 0
	}
	if r.SumC != 0 {
		r.SumRatio = r.SumGo / r.SumC
	} else if r.SumGo == 0 {
		r.SumRatio = 1
	}
	if n > 0 {
		r.RMSDiff = math.Sqrt(sdd / n)
		mg, mc := sg/n, sc/n
		var cov, vg, vc float64 // second pass: centred sums
		for i := range g {
			a, b := float64(g[i]), float64(c[i])
			if math.IsNaN(a) || math.IsInf(a, 0) || math.IsNaN(b) || math.IsInf(b, 0) {
				continue
			}
			cov += (a - mg) * (b - mc)
			vg += (a - mg) * (a - mg)
			vc += (b - mc) * (b - mc)
		}
		switch {
		case vg > 0 && vc > 0:
			r.Pearson = cov / math.Sqrt(vg*vc)
		case vg == vc:
			r.Pearson = 1 // two constant images: equal or not, decided by MaxRel
		}
	}
	r.Pass = r.Beyond == 0 && r.Pearson >= corrTol
	return r
}
