package core

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/gobragg/gobragg/core/cnum"
	"github.com/gobragg/gobragg/core/files"
	"github.com/gobragg/gobragg/core/rng"
)

// ExitError is a condition for which the original exits with a status
// (9); the text the original prints has already gone to the log.
type ExitError struct {
	Status int
	Msg    string // one line for stderr
}

func (e *ExitError) Error() string { return e.Msg }

// Source is one point source: the unit direction from the sample towards
// it and its wavelength (m).
type Source struct {
	Dir    Vec
	Lambda float64
}

// Plan is everything derived from a Config before the pixel loop (the
// original's set-up code, in its order). It is read-only afterwards.
type Plan struct {
	Cfg Config // the configuration with derived values resolved

	FPixels, SPixels   int
	PixelSize          float64
	DetsizeF, DetsizeS float64
	ROI                [4]int // inclusive xmin xmax ymin ymax (resolved)
	ProgressPixels     int

	// detector (after rotations)
	Fdet, Sdet, Odet, Beam Vec
	PolarAxis, Spindle     Vec
	VertVector             Vec
	TwoThetaAxis           Vec
	Pix0                   Vec
	Distance, CloseDist    float64
	Ratio                  float64
	Xbeam, Ybeam           float64
	Xclose, Yclose         float64
	Fbeam, Sbeam           float64
	Fclose, Sclose         float64
	ORGX, ORGY             float64
	DialsOrigin            Vec

	// crystal
	A0, B0, C0          Vec // direct cell vectors (m), phi = 0, no mosaic
	AStar, BStar, CStar Vec // regenerated reciprocal vectors (1/Å)
	Na, Nb, Nc          float64
	Interpolate         bool
	HKL                 *files.HKLGrid // nil: default_F only
	Hkls                int

	// sampling
	Sources              []Source
	DivSteps             int
	Umats                [][9]float64
	MosaicSpread         float64
	Phi0, PhiStep, Osc   float64
	PhiSteps             int
	ThickSteps           int
	ThickStep, Thick, Mu float64
	Oversample           int
	SubpixelSize         float64
	Steps                int
	IBg                  float64
	HDivRange, HDivStep  float64
	VDivRange, VDivStep  float64
	HDivSteps, VDivSteps int
	Dispersion, DispStep float64
	DispSteps            int
	Fluence              float64
	Mask                 []uint16
	DumpPresent          bool
	// Gen is the original's process-wide random state (shared shuffle table).
	Gen *rng.Generator
}

// Constants of the physics (physics.md §0).
const (
	reSqr    = 7.94079248018965e-30
	avogadro = 6.02214179e23
	waterF   = 2.57
	waterMW  = 18.0
	srcDist  = 10.0
)

// maxPixels bounds the detector so that its buffers fit in memory.
const maxPixels = 1 << 29

func pf(w io.Writer, format string, args ...any) { io.WriteString(w, cnum.Sprintf(format, args...)) }

// Setup derives the Plan from cfg exactly as the original's set-up code
// does, printing the original's console lines to log, and loads the input
// files (returned in Inputs, which the C reference also takes).
func Setup(cfg *Config, log, errlog io.Writer) (*Plan, *Inputs, error) {
	c := *cfg
	p := &Plan{Gen: rng.New()}
	in := &Inputs{}

	if c.PixelSize <= 0 || math.IsNaN(c.PixelSize) {
		return nil, nil, &UsageError{fmt.Sprintf("pixel size must be > 0 (got %g mm)", c.PixelSize*1000)}
	}
	if c.Lambda0 <= 0 || math.IsNaN(c.Lambda0) || math.IsInf(c.Lambda0, 0) {
		return nil, nil, &UsageError{fmt.Sprintf("wavelength must be > 0 (got %g A)", c.Lambda0*1e10)}
	}
	// fill in blanks: detector size
	if c.FPixels != 0 {
		c.DetsizeF = c.PixelSize * float64(c.FPixels)
	}
	if c.SPixels != 0 {
		c.DetsizeS = c.PixelSize * float64(c.SPixels)
	}
	fp := math.Ceil(c.DetsizeF/c.PixelSize - 0.5)
	sp := math.Ceil(c.DetsizeS/c.PixelSize - 0.5)
	if !(fp >= 1) || !(sp >= 1) {
		return nil, nil, &UsageError{fmt.Sprintf("detector size must be at least one pixel (got %gx%g pixels)", fp, sp)}
	}
	if fp*sp > maxPixels {
		return nil, nil, &UsageError{fmt.Sprintf("detector of %.0fx%.0f pixels is too large (limit %d pixels)", fp, sp, maxPixels)}
	}
	p.FPixels, p.SPixels = int(fp), int(sp)
	p.PixelSize, p.DetsizeF, p.DetsizeS = c.PixelSize, c.DetsizeF, c.DetsizeS
	if c.Mask != nil && len(c.Mask) < p.FPixels*p.SPixels {
		return nil, nil, &UsageError{fmt.Sprintf("mask %s has %d pixels but the detector has %dx%d", c.MaskFile, len(c.Mask), p.FPixels, p.SPixels)}
	}
	p.Mask = c.Mask

	// fluence from flux, sample clipping
	if c.Flux != 0 && c.Exposure > 0 && c.Beamsize >= 0 {
		c.Fluence = c.Flux * c.Exposure / c.Beamsize / c.Beamsize
	}
	if c.Beamsize >= 0 {
		if c.Beamsize < c.SampleY {
			pf(log, "WARNING: clipping sample (%lg m high) with beam (%lg m)\n", c.SampleY, c.Beamsize)
			c.SampleY = c.Beamsize
		}
		if c.Beamsize < c.SampleZ {
			pf(log, "WARNING: clipping sample (%lg m wide) with beam (%lg m)\n", c.SampleZ, c.Beamsize)
			c.SampleZ = c.Beamsize
		}
	}
	if c.Exposure > 0 {
		c.Flux = c.Fluence / c.Exposure * c.Beamsize * c.Beamsize
	}
	p.Fluence = c.Fluence

	// beam centre defaults
	fclose, sclose := math.NaN(), math.NaN()
	if !math.IsNaN(c.ORGX) {
		fclose = (c.ORGX - 0.5) * c.PixelSize
	}
	if !math.IsNaN(c.ORGY) {
		sclose = (c.ORGY - 0.5) * c.PixelSize
	}
	if math.IsNaN(fclose) {
		fclose = (c.DetsizeF - 0*c.PixelSize) / 2.0
	}
	if math.IsNaN(sclose) {
		sclose = (c.DetsizeS + 0*c.PixelSize) / 2.0
	}
	if math.IsNaN(c.Xclose) {
		c.Xclose = fclose
	}
	if math.IsNaN(c.Yclose) {
		c.Yclose = sclose
	}
	fbeam, sbeam := fclose, sclose

	roi := c.ROI
	if roi[0] < 0 {
		roi[0] = 0
	}
	if roi[1] < 0 {
		roi[1] = p.FPixels
	}
	if roi[2] < 0 {
		roi[2] = 0
	}
	if roi[3] < 0 {
		roi[3] = p.SPixels
	}
	p.ROI = roi
	p.ProgressPixels = (roi[1] - roi[0] + 1) * (roi[3] - roi[2] + 1)

	beam, fdet, sdet, odet := Vec(c.BeamVector), Vec(c.FdetVector), Vec(c.SdetVector), Vec(c.OdetVector)
	tth, polar, spindle := Vec(c.TwoThetaAxis), Vec(c.PolarVector), Vec(c.SpindleVector)
	pivot := c.Pivot
	px := c.PixelSize
	switch c.Convention {
	case ADXV:
		if math.IsNaN(c.Xbeam) {
			c.Xbeam = (c.DetsizeF + px) / 2.0
		}
		if math.IsNaN(c.Ybeam) {
			c.Ybeam = (c.DetsizeS - px) / 2.0
		}
		beam, fdet, sdet, odet = Vec{0, 0, 1}, Vec{1, 0, 0}, Vec{0, -1, 0}, Vec{0, 0, 1}
		tth, polar, spindle = Vec{-1, 0, 0}, Vec{1, 0, 0}, Vec{1, 0, 0}
		fbeam = c.Xbeam
		sbeam = c.DetsizeS - c.Ybeam
		pivot = PivotBeam
	case MOSFLM, DENZO:
		if math.IsNaN(c.Xbeam) {
			c.Xbeam = (c.DetsizeS + px) / 2.0
		}
		if math.IsNaN(c.Ybeam) {
			c.Ybeam = (c.DetsizeF + px) / 2.0
		}
		beam, odet, fdet, sdet = Vec{1, 0, 0}, Vec{1, 0, 0}, Vec{0, 0, 1}, Vec{0, -1, 0}
		tth, polar, spindle = Vec{0, 0, -1}, Vec{0, 0, 1}, Vec{0, 0, 1}
		half := 0.5
		if c.Convention == DENZO {
			half = 0.0
		}
		fbeam = c.Ybeam + float64(half*px)
		sbeam = c.Xbeam + float64(half*px)
		pivot = PivotBeam
	case XDS, DIALS:
		if math.IsNaN(c.Xbeam) {
			c.Xbeam = c.Xclose
		}
		if math.IsNaN(c.Ybeam) {
			c.Ybeam = c.Yclose
		}
		beam, fdet, sdet, odet = Vec{0, 0, 1}, Vec{1, 0, 0}, Vec{0, 1, 0}, Vec{0, 0, 1}
		if c.Convention == XDS {
			tth, polar, spindle = Vec{1, 0, 0}, Vec{1, 0, 0}, Vec{1, 0, 0}
		} else {
			tth, polar, spindle = Vec{0, 1, 0}, Vec{0, 1, 0}, Vec{0, 1, 0}
		}
		fbeam, sbeam = c.Xbeam, c.Ybeam
		pivot = PivotSample
	case CUSTOM:
		if math.IsNaN(c.Xbeam) {
			c.Xbeam = c.Xclose
		}
		if math.IsNaN(c.Ybeam) {
			c.Ybeam = c.Yclose
		}
		fbeam, sbeam = c.Xbeam, c.Ybeam
		fclose, sclose = c.Xbeam, c.Ybeam
	}

	c.Pivot = pivot

	// straighten up vectors
	beam, _ = unitize(beam)
	fdet, _ = unitize(fdet)
	sdet, _ = unitize(sdet)
	var odetLen float64
	odet, odetLen = unitize(odet)
	if odetLen != 1.0 {
		pf(log, "WARNING: auto-generating odet_vector\n")
		odet, _ = unitize(cross(fdet, sdet))
	}
	polar, _ = unitize(polar)
	spindle, _ = unitize(spindle)
	vert, _ := unitize(cross(beam, polar))

	pf(log, "nanoBragg nanocrystal diffraction simulator - James Holton and Ken Frankel 5-17-17\n")
	dumpReadable := false
	var dump *files.HKLGrid // structure factors to cache in the dump file
	if c.HKLFile == "" {
		if f, err := os.Open(c.DumpFile); err == nil {
			f.Close()
			dumpReadable = true
		} else if c.DefaultF == 0 {
			pf(log, "ERROR: no hkl file and no dump file to read.")
		}
	}
	p.DumpPresent = dumpReadable
	if (c.HKLFile == "" && !dumpReadable && c.DefaultF == 0) || (c.MatFile == "" && c.CellA == 0) {
		printUsage(log, &c, fdet, sdet, odet, beam, polar, spindle)
		msg := "no structure factors: give -hkl, a dump file or -default_F"
		if !(c.HKLFile == "" && !dumpReadable && c.DefaultF == 0) {
			msg = "no crystal: give -mat or -cell"
		}
		return nil, nil, &ExitError{Status: 9, Msg: msg}
	}

	// default sampling logic: phi
	switch {
	case c.PhiSteps < 0:
		if c.Osc < 0 {
			if c.PhiStep <= 0 {
				c.PhiSteps, c.Osc, c.PhiStep = 1, 0, 0
			} else {
				c.Osc, c.PhiSteps = c.PhiStep, 2
			}
		} else {
			if c.PhiStep <= 0 {
				c.PhiSteps, c.PhiStep = 2, c.Osc/2.0
			} else {
				c.PhiSteps = int(math.Ceil(c.Osc / c.PhiStep))
			}
		}
	default:
		if c.PhiSteps == 0 {
			c.PhiSteps = 1
		}
		if c.Osc < 0 {
			if c.PhiStep <= 0 {
				c.Osc = 1.0 / RTD
				c.PhiStep = c.Osc / float64(c.PhiSteps)
			} else {
				c.Osc, c.PhiSteps = c.PhiStep, 2
			}
		} else if c.PhiStep < 0 {
			c.PhiStep = c.Osc / float64(c.PhiSteps)
		}
	}
	c.HDivSteps, c.HDivRange, c.HDivStep = resolveSteps(c.HDivSteps, c.HDivRange, c.HDivStep, 1.0, 1)
	c.VDivSteps, c.VDivRange, c.VDivStep = resolveSteps(c.VDivSteps, c.VDivRange, c.VDivStep, 1.0, 1)
	dispStep := -1.0
	c.DispSteps, c.Dispersion, dispStep = resolveSteps(c.DispSteps, c.Dispersion, dispStep, 1.0, 1)
	thickStep := -1.0
	c.DetectorThicksteps, c.DetectorThick, thickStep = resolveSteps(c.DetectorThicksteps, c.DetectorThick, thickStep, 0.5e-6, 0.5)
	if c.DetectorThick > 0 && c.DetectorMu < 0 {
		c.DetectorMu = 1.0 / c.DetectorThick
		pf(log, "WARNING: setting detector attenuation depth to %g m\n", c.DetectorMu)
	}
	if c.MosaicDomains <= 0 {
		if c.MosaicSpread < 0 {
			c.MosaicDomains, c.MosaicSpread = 1, 0
		} else if c.MosaicSpread == 0 {
			c.MosaicDomains = 1
		} else {
			pf(log, "WARNING: finite mosaicity with only one domain! upping to 10 mosaic domains\n")
			c.MosaicDomains = 10
		}
	} else {
		if c.MosaicSpread < 0 {
			pf(log, "WARNING: no mosaic spread specified.  setting mosaic_domains = 1\n")
			c.MosaicSpread, c.MosaicDomains = 0, 1
		} else if c.MosaicSpread == 0 {
			pf(log, "WARNING: zero mosaic spread specified.  setting mosaic_domains = 1\n")
			c.MosaicDomains = 1
		}
	}
	// sanity checks
	if c.HDivRange <= 0 || c.HDivStep <= 0 || c.HDivSteps <= 0 {
		c.HDivSteps, c.HDivRange, c.HDivStep = 1, 0, 0
	}
	if c.VDivRange <= 0 || c.VDivStep <= 0 || c.VDivSteps <= 0 {
		c.VDivSteps, c.VDivRange, c.VDivStep = 1, 0, 0
	}
	if c.Dispersion <= 0 || dispStep <= 0 || c.DispSteps <= 0 {
		c.DispSteps, c.Dispersion, dispStep = 1, 0, 0
	}
	if c.DetectorThick <= 0 || thickStep <= 0 || c.DetectorThicksteps <= 0 {
		c.DetectorThicksteps, c.DetectorThick, thickStep = 1, 0, 0
	}

	// detector placement
	pf(log, "%s convention selected.\n", c.Convention.String())
	ratio := dot(beam, rotate(odet, c.DetRotX, c.DetRotY, c.DetRotZ))
	if ratio == 0 {
		ratio = math.SmallestNonzeroFloat64 * (1 << 52) // DBL_MIN
	}
	closeDist := c.CloseDistance
	if math.IsNaN(closeDist) {
		closeDist = math.Abs(ratio * c.Distance)
	}
	distance := closeDist / ratio
	var pix0 Vec
	if pivot == PivotSample {
		pf(log, "pivoting detector around sample\n")
		for i := 0; i < 3; i++ {
			pix0[i] = float64(float64(-fclose*fdet[i])-float64(sclose*sdet[i])) + float64(closeDist*odet[i])
		}
		pix0 = rotate(pix0, c.DetRotX, c.DetRotY, c.DetRotZ)
		pix0 = rotateAxis(pix0, tth, c.TwoTheta)
	}
	fdet = rotateAxis(rotate(fdet, c.DetRotX, c.DetRotY, c.DetRotZ), tth, c.TwoTheta)
	sdet = rotateAxis(rotate(sdet, c.DetRotX, c.DetRotY, c.DetRotZ), tth, c.TwoTheta)
	odet = rotateAxis(rotate(odet, c.DetRotX, c.DetRotY, c.DetRotZ), tth, c.TwoTheta)
	if pivot == PivotBeam {
		pf(log, "pivoting detector around direct beam spot\n")
		for i := 0; i < 3; i++ {
			pix0[i] = float64(float64(-fbeam*fdet[i])-float64(sbeam*sdet[i])) + float64(distance*beam[i])
		}
	}
	fclose = -dot(pix0, fdet)
	sclose = -dot(pix0, sdet)
	closeDist = dot(pix0, odet)
	var w Vec
	for i := 0; i < 3; i++ {
		w[i] = float64(closeDist/ratio*beam[i]) - pix0[i]
	}
	fbeam = dot(fdet, w)
	sbeam = dot(sdet, w)
	distance = closeDist / ratio
	p.ORGX = fclose/px + 0.5
	p.ORGY = sclose/px + 0.5
	p.DialsOrigin = Vec{1000.0 * dot(pix0, Vec{0, 0, 1}), 1000.0 * dot(pix0, Vec{0, 1, 0}), 1000.0 * dot(pix0, Vec{-1, 0, 0})}
	pf(log, "XDS incident beam: %g %g %g\n", dot(beam, fdet), dot(beam, sdet), dot(beam, odet))

	interpolate := c.Interpolate
	if interpolate > 1 {
		if c.Na <= 2 || c.Nb <= 2 || c.Nc <= 2 {
			pf(log, "auto-selected tricubic interpolation of structure factors\n")
			interpolate = 1
		} else {
			pf(log, "auto-selected no interpolation\n")
			interpolate = 0
		}
	}

	if err := buildCrystal(&c, p, in, log, errlog); err != nil {
		return nil, nil, err
	}

	// crystal size and oversampling
	if c.SampleX > 0 {
		c.Na = math.Ceil(c.SampleX / magnitude(p.A0))
	}
	if c.SampleY > 0 {
		c.Nb = math.Ceil(c.SampleY / magnitude(p.B0))
	}
	if c.SampleZ > 0 {
		c.Nc = math.Ceil(c.SampleZ / magnitude(p.C0))
	}
	if c.Na <= 1 {
		c.Na = 1
	}
	if c.Nb <= 1 {
		c.Nb = 1
	}
	if c.Nc <= 1 {
		c.Nc = 1
	}
	xa := magnitude(p.A0) * c.Na
	xb := magnitude(p.B0) * c.Nb
	xc := magnitude(p.C0) * c.Nc
	pf(log, "crystal is %g x %g x %g microns\n", xa*1e6, xb*1e6, xc*1e6)
	xmax := xa
	if xmax < xb {
		xmax = xb
	}
	if xmax < xc {
		xmax = xc
	}
	recipPixel := c.Lambda0 * distance / px
	recommended := int(math.Ceil(3.0 * xmax / recipPixel))
	if recommended <= 0 {
		recommended = 1
	}
	if c.Oversample <= 0 {
		c.Oversample = recommended
		pf(log, "auto-selected %d-fold oversampling\n", c.Oversample)
	}
	if c.Oversample < recommended {
		pf(log, "WARNING: maximum dimension of sample is %g A\n", xmax*1e10)
		pf(log, "         but reciprocal pixel size is %g A\n", recipPixel*1e10)
		pf(log, "         intensity may vary significantly across a pixel!\n")
		pf(log, "         recommend -oversample %d to work around this\n", recommended)
	}
	volume := xa * xb * xc
	mw := volume * 1.2e6 * avogadro / (c.Na * c.Nb * c.Nc)
	pf(log, "approximate MW = %g\n", mw)

	// structure factors
	if c.HKLFile == "" {
		if dumpReadable {
			pf(log, "reading Fs from %s\n", c.DumpFile)
			g, err := files.ReadFdump(c.DumpFile)
			if err != nil {
				return nil, nil, &ExitError{Status: 9, Msg: fmt.Sprintf("%s: %v", c.DumpFile, err)}
			}
			in.HKL = g
			p.Hkls = g.HRange * g.KRange * g.LRange
			if g.EmptyRows > 0 {
				fmt.Fprintf(errlog, "fscanf: %s is truncated: %d rows of the grid read as zero\n", c.DumpFile, g.EmptyRows)
			}
		}
	} else {
		// the layout check reads the file beside the reader; its warning
		// is printed first, as if it had run first
		var layout bytes.Buffer
		checked := make(chan struct{})
		go func() {
			warnHKLLayout(c.HKLFile, &layout)
			close(checked)
		}()
		var hklLog bytes.Buffer
		g, err := files.ReadHKL(c.HKLFile, c.DefaultF, &hklLog)
		<-checked
		errlog.Write(layout.Bytes())
		log.Write(hklLog.Bytes())
		if err != nil {
			var fe *files.ExitError
			if errors.As(err, &fe) {
				return nil, nil, &ExitError{Status: fe.Status, Msg: fe.Msg}
			}
			return nil, nil, &ExitError{Status: 9, Msg: err.Error()}
		}
		in.HKL = g
		p.Hkls = g.Count
		// The original writes the dump here; it is written at the end of the
		// set-up instead, so that a later input error leaves no file behind.
		if dumpWritable(c.DumpFile) {
			pf(log, "writing dump file for next time: %s\n", c.DumpFile)
			dump = g
		} else {
			pf(log, "WARNING: unable to open dump file: %s\n", c.DumpFile)
		}
	}
	p.HKL = in.HKL
	if p.Hkls == 0 {
		interpolate = 0
	}
	p.Interpolate = interpolate != 0

	if c.StolFile != "" {
		pf(log, "reading %s\n", c.StolFile)
		_, n, err := files.ReadColumns(c.StolFile, 2)
		if err != nil || n == 0 {
			return nil, nil, &ExitError{Status: 9, Msg: fmt.Sprintf("%s: no data in input file", c.StolFile)}
		}
	}

	for t := 0; t < c.DetectorThicksteps; t++ {
		pf(log, "thick%d = %g um\n", t, thickStep*float64(t)*1e6)
	}
	for t := 0; t < c.PhiSteps; t++ {
		pf(log, "phi%d = %g\n", t, (c.Phi0+c.PhiStep*float64(t))*RTD)
	}

	// sources
	p.DivSteps = -1
	var raw []struct {
		pos       Vec
		I, lambda float64
	}
	if c.SourceFile != "" {
		cols, n, err := files.ReadColumns(c.SourceFile, 5)
		if err != nil || n == 0 {
			return nil, nil, &ExitError{Status: 9, Msg: fmt.Sprintf("%s: reading source definition file: no sources", c.SourceFile)}
		}
		in.SourceCols = cols
		for s := 0; s < n; s++ {
			v := [5]float64{cols[0][s], cols[1][s], cols[2][s], cols[3][s], cols[4][s]}
			for i := 0; i < 3; i++ {
				if math.IsNaN(v[i]) {
					v[i] = -srcDist * beam[i]
				}
			}
			if math.IsNaN(v[3]) {
				v[3] = 1.0
			}
			if math.IsNaN(v[4]) {
				v[4] = c.Lambda0
			}
			if !(v[4] > 0) || math.IsInf(v[4], 0) {
				return nil, nil, &UsageError{fmt.Sprintf("%s: source %d has no usable wavelength (%g m)", c.SourceFile, s+1, v[4])}
			}
			raw = append(raw, struct {
				pos       Vec
				I, lambda float64
			}{Vec{v[0], v[1], v[2]}, v[3], v[4]})
		}
	} else {
		hdivs, vdivs := c.HDivSteps, c.VDivSteps
		keep := func(ht, vt int) (float64, float64, bool) {
			hdiv := float64(c.HDivStep*float64(ht)) - c.HDivRange/2.0
			vdiv := float64(c.VDivStep*float64(vt)) - c.VDivRange/2.0
			test := (float64(hdiv*hdiv) - float64(float64(c.HDivStep*c.HDivStep)/4.0*float64(1-hdivs%2))) / c.HDivRange / c.HDivRange
			test += (float64(vdiv*vdiv) - float64(float64(c.VDivStep*c.VDivStep)/4.0*float64(1-vdivs%2))) / c.VDivRange / c.VDivRange
			return hdiv, vdiv, !(c.RoundDiv && test*4.0 > 1.1)
		}
		p.DivSteps = 0
		for ht := 0; ht < hdivs; ht++ {
			for vt := 0; vt < vdivs; vt++ {
				if hdiv, vdiv, ok := keep(ht, vt); ok {
					p.DivSteps++
					pf(log, "divergence deviation: %g %g\n", hdiv, vdiv)
				}
			}
		}
		lambdaAt := func(m int) float64 {
			return c.Lambda0 * ((1.0 + float64(dispStep*float64(m))) - c.Dispersion/2.0)
		}
		for m := 0; m < c.DispSteps; m++ {
			pf(log, "lambda%d = %.15g\n", m, lambdaAt(m))
		}
		weight := 1.0 / float64(p.DivSteps*c.DispSteps)
		for ht := 0; ht < hdivs; ht++ {
			for vt := 0; vt < vdivs; vt++ {
				hdiv, vdiv, ok := keep(ht, vt)
				if !ok {
					continue
				}
				v := Vec{-srcDist * beam[0], -srcDist * beam[1], -srcDist * beam[2]}
				v = rotateAxis(rotateAxis(v, polar, vdiv), vert, hdiv)
				for m := 0; m < c.DispSteps; m++ {
					raw = append(raw, struct {
						pos       Vec
						I, lambda float64
					}{v, weight, lambdaAt(m)})
				}
			}
		}
	}
	pf(log, "  created a total of %d sources:\n", len(raw))
	for _, s := range raw {
		dir, _ := unitize(s.pos)
		p.Sources = append(p.Sources, Source{Dir: dir, Lambda: s.lambda})
		pf(log, "%g %g %g   %g %g\n", s.pos[0], s.pos[1], s.pos[2], s.I, s.lambda)
	}

	// mosaic domains
	gen := p.Gen
	p.Umats = make([][9]float64, c.MosaicDomains)
	seed := c.MosaicSeed
	for m := range p.Umats {
		p.Umats[m] = gen.MosaicRotationUmat(float32(c.MosaicSpread), &seed)
		if m == 0 {
			p.Umats[0] = [9]float64{1, 0, 0, 0, 1, 0, 0, 0, 1}
		}
	}
	pf(log, "  created a total of %d mosaic domains\n", c.MosaicDomains)

	if c.Oversample <= 0 {
		c.Oversample = 1
	}
	steps := int32(len(p.Sources)) * int32(c.MosaicDomains) * int32(c.PhiSteps) * int32(c.Oversample) * int32(c.Oversample)
	p.Steps = int(steps)
	p.Oversample = c.Oversample
	p.SubpixelSize = px / float64(c.Oversample)

	// keep the resolved values
	p.Fdet, p.Sdet, p.Odet, p.Beam = fdet, sdet, odet, beam
	p.PolarAxis, p.Spindle, p.VertVector, p.TwoThetaAxis = polar, spindle, vert, tth
	p.Pix0, p.Distance, p.CloseDist, p.Ratio = pix0, distance, closeDist, ratio
	p.Xbeam, p.Ybeam, p.Xclose, p.Yclose = c.Xbeam, c.Ybeam, c.Xclose, c.Yclose
	p.Fbeam, p.Sbeam, p.Fclose, p.Sclose = fbeam, sbeam, fclose, sclose
	p.Na, p.Nb, p.Nc = c.Na, c.Nb, c.Nc
	p.MosaicSpread = c.MosaicSpread
	p.Phi0, p.PhiStep, p.Osc, p.PhiSteps = c.Phi0, c.PhiStep, c.Osc, c.PhiSteps
	p.ThickSteps, p.ThickStep, p.Thick, p.Mu = c.DetectorThicksteps, thickStep, c.DetectorThick, c.DetectorMu
	p.HDivRange, p.HDivStep, p.HDivSteps = c.HDivRange, c.HDivStep, c.HDivSteps
	p.VDivRange, p.VDivStep, p.VDivSteps = c.VDivRange, c.VDivStep, c.VDivSteps
	p.Dispersion, p.DispStep, p.DispSteps = c.Dispersion, dispStep, c.DispSteps
	// I_bg = F_bg*F_bg*r_e^2*fluence*w*w*w*1e6*N_A/MW, left to right in
	// double (variables, so that Go does not fold the constants exactly).
	fBg, re2, na, mw := waterF, reSqr, avogadro, waterMW
	p.IBg = float64(float64(float64(float64(float64(float64(float64(float64(fBg*fBg)*re2)*c.Fluence)*c.WaterSize)*c.WaterSize)*c.WaterSize)*1e6)*na) / mw
	p.Cfg = c

	printSummary(log, p)
	if dump != nil {
		if err := files.WriteFdump(c.DumpFile, dump); err != nil {
			fmt.Fprintf(errlog, "gobragg: warning: could not write the dump file: %v\n", err)
		}
	}
	return p, in, nil
}

// dumpWritable reports whether the dump file can be created (its folder
// exists and takes a new file, and it is not a folder itself).
func dumpWritable(path string) bool {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return false
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".gobragg-probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// resolveSteps is the count/range/step rule of physics.md §5.1 (and, with
// rangeOnly 0.5e-6 and rangeStep 0.5, the sensor-layer rule of §8.2):
// rangeOnly is the range a count alone implies, rangeStep the fraction of
// a range alone that becomes the step of its two points.
func resolveSteps(count int, rng, step, rangeOnly, rangeStep float64) (int, float64, float64) {
	if count <= 0 {
		if rng < 0 {
			if step <= 0 {
				return 1, 0, 0
			}
			return 2, step, step
		}
		if step <= 0 {
			return 2, rng, rng * rangeStep
		}
		return int(math.Ceil(rng / step)), rng, step
	}
	if rng < 0 {
		if step <= 0 {
			return count, rangeOnly, rangeOnly / float64(count)
		}
		return 2, step, step
	}
	if step <= 0 {
		if count <= 1 {
			count = 2
		}
		return count, rng, rng / float64(count-1)
	}
	return count, rng, step
}
