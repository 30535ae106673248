// Package preview turns float images into PNG pictures (log-scaled grey
// images and signed difference maps with a colour bar).
package preview

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// LogScale maps v >= 0 onto [0, 1] by log(1+v/floor)/log(1+max/floor).
type LogScale struct{ Max, Floor float64 }

// NewLogScale chooses the scale from the images' largest finite value.
func NewLogScale(imgs ...[]float32) LogScale {
	m := 0.0
	for _, im := range imgs {
		for _, v := range im {
			if f := float64(v); f > m && !math.IsInf(f, 0) {
				m = f
			}
		}
	}
	if m <= 0 {
		m = 1
	}
	return LogScale{Max: m, Floor: m * 1e-4}
}

// At returns the grey level of v.
func (s LogScale) At(v float32) uint8 {
	f := float64(v)
	if !(f > 0) {
		return 0
	}
	t := math.Log1p(f/s.Floor) / math.Log1p(s.Max/s.Floor)
	if t > 1 {
		t = 1
	}
	return uint8(255 * t)
}

// Grey draws a w x h image (fast index first) at (x0, y0) of dst.
func Grey(dst *image.RGBA, x0, y0 int, pix []float32, w, h int, s LogScale) {
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := s.At(pix[y*w+x])
			dst.Set(x0+x, y0+y, color.RGBA{g, g, g, 255})
		}
	}
}

// Diverging maps t in [-1, 1] to blue (negative), white (0), red (positive).
func Diverging(t float64) color.RGBA {
	if math.IsNaN(t) {
		return color.RGBA{0, 255, 0, 255}
	}
	t = math.Max(-1, math.Min(1, t))
	if t >= 0 {
		c := uint8(255 * (1 - t))
		return color.RGBA{255, c, c, 255}
	}
	c := uint8(255 * (1 + t))
	return color.RGBA{c, c, 255, 255}
}

// WritePNG encodes img to path through a temporary file and a rename.
func WritePNG(path string, img image.Image) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	if err := png.Encode(tmp, img); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// SingleImage returns a log-scaled grey picture of one float image.
func SingleImage(pix []float32, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	Grey(img, 0, 0, pix, w, h, NewLogScale(pix))
	return img
}
