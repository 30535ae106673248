//go:build cgo

package cref

/*
#cgo CFLAGS: -O3 -fno-fast-math -std=c99
#cgo LDFLAGS: -lm
#include <stdlib.h>
#include "cref.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/gobragg/gobragg/core"
)

// The C code keeps the ran1 shuffle table in static storage, as the
// original does; runs are serialised.
var runMu sync.Mutex

// Available reports whether the C reference is compiled in.
func Available() bool { return true }

func b2i(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

func vec3(dst *[3]C.double, v [3]float64) {
	for i := range v {
		dst[i] = C.double(v[i])
	}
}

func toC(cfg *core.Config) C.cref_config {
	var c C.cref_config
	c.cell_a, c.cell_b, c.cell_c = C.double(cfg.CellA), C.double(cfg.CellB), C.double(cfg.CellC)
	c.alpha, c.beta, c.gamma = C.double(cfg.Alpha), C.double(cfg.Beta), C.double(cfg.Gamma)
	c.user_cell = b2i(cfg.UserCell)
	for i := range cfg.Misset {
		c.misset[i] = C.double(cfg.Misset[i])
	}
	c.misset_seed = C.longlong(cfg.MissetSeed)
	c.Na, c.Nb, c.Nc = C.double(cfg.Na), C.double(cfg.Nb), C.double(cfg.Nc)
	c.sample_x, c.sample_y, c.sample_z = C.double(cfg.SampleX), C.double(cfg.SampleY), C.double(cfg.SampleZ)
	c.default_F = C.double(cfg.DefaultF)
	c.shape = C.int(cfg.Shape)
	c.fudge = C.double(cfg.Fudge)
	c.interpolate = C.int(cfg.Interpolate)
	c.mosaic_spread = C.double(cfg.MosaicSpread)
	c.mosaic_domains = C.int(cfg.MosaicDomains)
	c.mosaic_seed = C.longlong(cfg.MosaicSeed)

	c.lambda0, c.dispersion = C.double(cfg.Lambda0), C.double(cfg.Dispersion)
	c.dispsteps = C.int(cfg.DispSteps)
	c.hdivrange, c.vdivrange = C.double(cfg.HDivRange), C.double(cfg.VDivRange)
	c.hdivstep, c.vdivstep = C.double(cfg.HDivStep), C.double(cfg.VDivStep)
	c.hdivsteps, c.vdivsteps = C.int(cfg.HDivSteps), C.int(cfg.VDivSteps)
	c.round_div = b2i(cfg.RoundDiv)
	c.fluence, c.flux = C.double(cfg.Fluence), C.double(cfg.Flux)
	c.exposure, c.beamsize = C.double(cfg.Exposure), C.double(cfg.Beamsize)
	c.polarization = C.double(cfg.Polarization)
	c.nopolar = b2i(cfg.NoPolar)

	c.convention = C.int(cfg.Convention)
	c.pivot = C.int(cfg.Pivot)
	vec3(&c.beam_vector, cfg.BeamVector)
	vec3(&c.polar_vector, cfg.PolarVector)
	vec3(&c.spindle_vector, cfg.SpindleVector)
	vec3(&c.twotheta_axis, cfg.TwoThetaAxis)
	vec3(&c.fdet_vector, cfg.FdetVector)
	vec3(&c.sdet_vector, cfg.SdetVector)
	vec3(&c.odet_vector, cfg.OdetVector)
	c.pixel_size = C.double(cfg.PixelSize)
	c.detsize_f, c.detsize_s = C.double(cfg.DetsizeF), C.double(cfg.DetsizeS)
	c.fpixels, c.spixels = C.int(cfg.FPixels), C.int(cfg.SPixels)
	c.distance, c.close_distance = C.double(cfg.Distance), C.double(cfg.CloseDistance)
	c.Xbeam, c.Ybeam = C.double(cfg.Xbeam), C.double(cfg.Ybeam)
	c.Xclose, c.Yclose = C.double(cfg.Xclose), C.double(cfg.Yclose)
	c.ORGX, c.ORGY = C.double(cfg.ORGX), C.double(cfg.ORGY)
	c.detector_rotx, c.detector_roty = C.double(cfg.DetRotX), C.double(cfg.DetRotY)
	c.detector_rotz, c.detector_twotheta = C.double(cfg.DetRotZ), C.double(cfg.TwoTheta)
	c.detector_thick, c.detector_mu = C.double(cfg.DetectorThick), C.double(cfg.DetectorMu)
	c.detector_thicksteps = C.int(cfg.DetectorThicksteps)
	c.curved_detector, c.point_pixel = b2i(cfg.Curved), b2i(cfg.PointPixel)
	c.oversample = C.int(cfg.Oversample)
	c.oversample_thick = b2i(cfg.OversampleThick)
	c.oversample_polar = b2i(cfg.OversamplePolar)
	c.oversample_omega = b2i(cfg.OversampleOmega)
	for i := range cfg.ROI {
		c.roi[i] = C.int(cfg.ROI[i])
	}

	c.phi0, c.osc, c.phistep = C.double(cfg.Phi0), C.double(cfg.Osc), C.double(cfg.PhiStep)
	c.phisteps = C.int(cfg.PhiSteps)
	c.dmin = C.double(cfg.Dmin)
	c.water_size = C.double(cfg.WaterSize)
	return c
}

// cDoubles copies v into C memory (freed by the caller with C.free).
func cDoubles(v []float64) *C.double {
	if len(v) == 0 {
		return nil
	}
	p := (*C.double)(C.malloc(C.size_t(len(v)) * C.size_t(unsafe.Sizeof(C.double(0)))))
	copy(unsafe.Slice((*float64)(unsafe.Pointer(p)), len(v)), v)
	return p
}

// Run computes the float image of cfg with the C reference. cfg and in are
// not modified.
func Run(cfg *core.Config, in *core.Inputs) (*core.Image, error) {
	img, err := run(cfg, in, false, nil)
	return img, err
}

// RunOpts is Run with optional outputs: with opt.KeepFloat64 the image's
// Values holds every computed pixel before its float32 store (0 for pixels
// outside the ROI or masked).
func RunOpts(cfg *core.Config, in *core.Inputs, opt Options) (*core.Image, error) {
	img, err := run(cfg, in, opt.KeepFloat64, nil)
	return img, err
}

// TracePixel runs the C reference up to pixel (fpixel, spixel) and returns
// the intermediate values it holds at the end of that pixel, the same
// quantities the Go engine reports through core.Options.Trace. It returns
// (nil, nil) when the pixel is inside the detector but not computed
// (outside the ROI or masked), like the Go engine, which then never calls
// its trace function.
func TracePixel(cfg *core.Config, in *core.Inputs, fpixel, spixel int) (*core.PixelTrace, error) {
	if cfg == nil {
		return nil, errors.New("cref: nil config")
	}
	if cfg.PixelSize > 0 {
		ccfg := toC(cfg)
		var fp, sp C.int
		if C.cref_image_size(&ccfg, &fp, &sp) == 0 && (fpixel < 0 || spixel < 0 || fpixel >= int(fp) || spixel >= int(sp)) {
			return nil, fmt.Errorf("cref: pixel %d,%d is outside the %dx%d detector", fpixel, spixel, int(fp), int(sp))
		}
	}
	tr := &C.cref_trace{fpixel: C.int(fpixel), spixel: C.int(spixel), stop: 1}
	if _, err := run(cfg, in, false, tr); err != nil {
		return nil, err
	}
	if tr.found == 0 {
		return nil, nil
	}
	v := func(a [3]C.double) core.Vec { return core.Vec{float64(a[0]), float64(a[1]), float64(a[2])} }
	return &core.PixelTrace{
		FPixel: fpixel, SPixel: spixel,
		Pix0:       v(tr.pix0),
		PixelPos:   v(tr.pixel_pos),
		Diffracted: v(tr.diffracted),
		Scattering: v(tr.scattering),
		Stol:       float64(tr.stol),
		H:          float64(tr.h), K: float64(tr.k), L: float64(tr.l),
		H0: int(tr.h0), K0: int(tr.k0), L0: int(tr.l0),
		FCell: float64(tr.F_cell), FLatt: float64(tr.F_latt),
		A: v(tr.a), B: v(tr.b), C: v(tr.c),
		Polar: float64(tr.polar), Omega: float64(tr.omega), Capture: float64(tr.capture),
		I:         float64(tr.I),
		Steps:     int(tr.steps),
		Value:     float32(tr.value),
		Evaluated: tr.evaluated != 0,
	}, nil
}

// run is the common body of Run, RunOpts and TracePixel (trace, which
// holds no pointers, may be Go memory).
func run(cfg *core.Config, in *core.Inputs, keep64 bool, trace *C.cref_trace) (*core.Image, error) {
	if cfg == nil {
		return nil, errors.New("cref: nil config")
	}
	if in == nil {
		in = &core.Inputs{}
	}
	if !(cfg.PixelSize > 0) {
		return nil, fmt.Errorf("cref: pixel size %g must be positive", cfg.PixelSize)
	}
	if cfg.MatFile == "" && !in.HasMat && cfg.CellA == 0 {
		return nil, errors.New("cref: no unit cell (-cell) and no matrix (-mat)")
	}
	if in.HKL == nil && cfg.DefaultF == 0 {
		return nil, errors.New("cref: no structure factors (-hkl/Fdump) and default_F is 0")
	}
	ccfg := toC(cfg)
	var fp, sp C.int
	if C.cref_image_size(&ccfg, &fp, &sp) != 0 {
		return nil, errors.New("cref: unusable detector size")
	}

	cin := (*C.cref_inputs)(C.calloc(1, C.size_t(unsafe.Sizeof(C.cref_inputs{}))))
	defer C.free(unsafe.Pointer(cin))
	var toFree []unsafe.Pointer
	defer func() {
		for _, p := range toFree {
			C.free(p)
		}
	}()
	if g := in.HKL; g != nil {
		want := (g.HRange + 1) * (g.KRange + 1) * (g.LRange + 1)
		if g.HRange < 0 || g.KRange < 0 || g.LRange < 0 || len(g.F) < want {
			return nil, errors.New("cref: malformed HKL grid")
		}
		cin.F = cDoubles(g.F[:want])
		toFree = append(toFree, unsafe.Pointer(cin.F))
		cin.h_min, cin.h_max = C.int(g.HMin), C.int(g.HMax)
		cin.k_min, cin.k_max = C.int(g.KMin), C.int(g.KMax)
		cin.l_min, cin.l_max = C.int(g.LMin), C.int(g.LMax)
		cin.h_range, cin.k_range, cin.l_range = C.int(g.HRange), C.int(g.KRange), C.int(g.LRange)
		cin.hkls = C.longlong(g.Count)
	}
	if in.HasMat {
		cin.has_mat = 1
		for i := range in.Mat {
			cin.mat[i] = C.double(in.Mat[i])
		}
	}
	if cols := in.SourceCols; len(cols) > 0 {
		if len(cols) < 5 {
			return nil, errors.New("cref: source file needs five columns")
		}
		n := len(cols[0])
		for _, c := range cols[:5] {
			if len(c) != n {
				return nil, errors.New("cref: ragged source columns")
			}
		}
		if n > 0 {
			cin.n_sources = C.int(n)
			for i := 0; i < 5; i++ {
				p := cDoubles(cols[i])
				toFree = append(toFree, unsafe.Pointer(p))
				cin.src[i] = p
			}
		}
	}
	if len(cfg.Mask) > 0 {
		p := (*C.ushort)(C.malloc(C.size_t(len(cfg.Mask)) * 2))
		toFree = append(toFree, unsafe.Pointer(p))
		copy(unsafe.Slice((*uint16)(unsafe.Pointer(p)), len(cfg.Mask)), cfg.Mask)
		cin.mask = p
		cin.mask_len = C.longlong(len(cfg.Mask))
	} else if cfg.Mask != nil {
		// A loaded mask with no data: every pixel is masked.
		p := (*C.ushort)(C.malloc(2))
		toFree = append(toFree, unsafe.Pointer(p))
		*p = 0
		cin.mask = p
		cin.mask_len = 0
	}

	npix := int(fp) * int(sp)
	buf := (*C.float)(C.calloc(C.size_t(npix), 4))
	if buf == nil {
		return nil, errors.New("cref: out of memory")
	}
	defer C.free(unsafe.Pointer(buf))
	var vals *C.double
	if keep64 {
		vals = (*C.double)(C.calloc(C.size_t(npix), 8))
		if vals == nil {
			return nil, errors.New("cref: out of memory")
		}
		defer C.free(unsafe.Pointer(vals))
	}
	var st C.cref_stats

	runMu.Lock()
	rc := C.cref_run_ex(&ccfg, cin, buf, vals, trace, &st)
	runMu.Unlock()
	if rc != 0 {
		return nil, fmt.Errorf("cref: simulation setup failed (code %d)", int(rc))
	}
	img := &core.Image{
		FPixels: int(fp),
		SPixels: int(sp),
		Pixels:  make([]float32, npix),
	}
	copy(img.Pixels, unsafe.Slice((*float32)(unsafe.Pointer(buf)), npix))
	if keep64 {
		img.Values = make([]float64, npix)
		copy(img.Values, unsafe.Slice((*float64)(unsafe.Pointer(vals)), npix))
	}
	img.Stats = core.Stats{
		MaxI: float64(st.max_I), MaxIX: float64(st.max_I_x), MaxIY: float64(st.max_I_y),
		Sum: float64(st.sum), SumSqr: float64(st.sumsqr),
		N:    int(st.n),
		Mean: float64(st.mean), RMS: float64(st.rms), RMSD: float64(st.rmsd),
		OmegaSum: float64(st.omega_sum),
		Steps:    int(st.steps),
	}
	return img, nil
}
