package main

import (
	"image"
	"image/color"
	"math"

	"github.com/gobragg/gobragg/core/preview"
)

// writeDiffPNG draws the Go image, the C image (same log scale) and the
// signed relative difference (Go-C)/|C| of pixels above floor, with a
// colour bar spanning ±the largest relative difference.
func writeDiffPNG(path string, g, c []float32, w, h int, floor float64) (float64, error) {
	const gap, barH = 8, 24
	img := image.NewRGBA(image.Rect(0, 0, 3*w+2*gap, h+gap+barH))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	scale := preview.NewLogScale(g, c)
	preview.Grey(img, 0, 0, g, w, h, scale)
	preview.Grey(img, w+gap, 0, c, w, h, scale)
	rel := make([]float64, len(g))
	maxRel := 0.0
	for i := range g {
		a, b := float64(g[i]), float64(c[i])
		switch {
		case math.IsNaN(a) != math.IsNaN(b):
			rel[i] = math.NaN()
		case math.Abs(b) > floor && floor > 0:
			rel[i] = (a - b) / math.Abs(b)
			maxRel = math.Max(maxRel, math.Abs(rel[i]))
		}
	}
	if maxRel == 0 {
		maxRel = 1e-12
	}
	x0 := 2 * (w + gap)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x0+x, y, preview.Diverging(rel[y*w+x]/maxRel))
		}
	}
	// colour bar under the difference map: -maxRel (left) .. +maxRel (right)
	for x := 0; x < w; x++ {
		col := preview.Diverging(2*float64(x)/float64(max(w-1, 1)) - 1)
		for y := h + gap; y < h+gap+barH; y++ {
			img.Set(x0+x, y, col)
		}
	}
	// a black tick at zero
	for y := h + gap; y < h+gap+barH; y++ {
		img.Set(x0+w/2, y, color.Black)
	}
	return maxRel, preview.WritePNG(path, img)
}
