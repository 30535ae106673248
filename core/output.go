package core

import (
	"math"
	"runtime"
	"sync"

	"github.com/gobragg/gobragg/core/files"
	"github.com/gobragg/gobragg/core/libm"
)

const pi = math.Pi

func atan2(y, x float64) float64 { return libm.Atan2(y, x) }
func sqrt(x float64) float64     { return math.Sqrt(x) }
func sin(x float64) float64      { return libm.Sin(x) }

func inROI(p *Plan, fp, sp int) bool {
	return !(fp < p.ROI[0] || fp > p.ROI[1] || sp < p.ROI[2] || sp > p.ROI[3])
}

// IntImage converts the float image to the SMV integers (io.md §10.3):
// floorf((float)(clamp(v*scale + adc, 0, 65535) + 0.5)) inside the ROI,
// stored like (unsigned short) of the C int conversion.
func IntImage(p *Plan, img *Image, scale float64) []uint16 {
	out := make([]uint16, len(img.Pixels))
	forROI(p, func(i int) {
		t := float64(float64(img.Pixels[i])*scale) + p.Cfg.Adc
		if t > 65535.0 {
			t = 65535.0
		}
		if t < 0.0 {
			t = 0.0
		}
		out[i] = uint16(cint(float64(float32(math.Floor(float64(float32(t + 0.5)))))))
	})
	return out
}

// PGMImage converts the float image to PGM bytes (io.md §12): min(v*scale,
// 255) inside the ROI, stored like (unsigned char) of the C int conversion.
func PGMImage(p *Plan, img *Image, scale float64) []byte {
	out := make([]byte, len(img.Pixels))
	forROI(p, func(i int) {
		t := float64(img.Pixels[i]) * scale
		if t > 255.0 {
			t = 255.0
		}
		out[i] = byte(cint(t))
	})
	return out
}

// forROI calls f with the index of every pixel inside the ROI, the rows
// shared among GOMAXPROCS goroutines in contiguous ranges (pixel-wise
// conversions: the order does not matter).
func forROI(p *Plan, f func(i int)) {
	rows := p.SPixels
	row := func(sp int) {
		for fp := 0; fp < p.FPixels; fp++ {
			if inROI(p, fp, sp) {
				f(sp*p.FPixels + fp)
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), rows)
	if workers <= 1 {
		for sp := 0; sp < rows; sp++ {
			row(sp)
		}
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := rows*w/workers, rows*(w+1)/workers
		wg.Go(func() {
			for sp := lo; sp < hi; sp++ {
				row(sp)
			}
		})
	}
	wg.Wait()
}

func smvHeader(p *Plan) *files.SMVHeader {
	c := &p.Cfg
	px := p.PixelSize
	return &files.SMVHeader{
		FPixels: p.FPixels, SPixels: p.SPixels,
		PixelSizeMM:     px * 1000.0,
		DistanceMM:      p.Distance * 1000.0,
		WavelengthA:     c.Lambda0 * 1e10,
		BeamCenterXMM:   p.Xbeam * 1000.0,
		BeamCenterYMM:   p.Ybeam * 1000,
		ADXVCenterXMM:   p.Fbeam * 1000.0,
		ADXVCenterYMM:   (p.DetsizeS - p.Sbeam) * 1000,
		MOSFLMCenterXMM: (p.Sbeam - 0.5*px) * 1000.0,
		MOSFLMCenterYMM: (p.Fbeam - 0.5*px) * 1000,
		DenzoXBeamMM:    (p.Sbeam - 0.0*px) * 1000.0,
		DenzoYBeamMM:    (p.Fbeam - 0.0*px) * 1000,
		DialsOrigin:     [3]float64(p.DialsOrigin),
		XDSOrgX:         p.ORGX, XDSOrgY: p.ORGY,
		CloseDistanceMM: p.CloseDist * 1000.0,
		PhiDeg:          p.Phi0 * RTD, OscStartDeg: p.Phi0 * RTD,
		OscRangeDeg: p.Osc * RTD,
		TwoThetaDeg: c.TwoTheta * RTD,
	}
}
