package core

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/gobragg/gobragg/core/cnum"
	"github.com/gobragg/gobragg/core/files"
)

// UsageError is a command-line problem (unknown option, missing value, bad
// number). The original ignores most of these silently; we stop.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// optionRule is one test of the original's option scan: when match accepts
// the argument and at least need values follow it, apply runs. stop ends the
// scan of this argument (the original's `continue`).
type optionRule struct {
	match func(arg string) bool
	need  int
	apply func(c *Config, v []string) (stop bool)
	// numeric lists which of the values must be numbers (checked for NaN/Inf).
	numeric []int
	// allowInf: the value may be inf (for -detector_abs).
	allowInf bool
}

func has(p string) func(string) bool { return func(a string) bool { return strings.Contains(a, p) } }
func hasLen(p string, n int) func(string) bool {
	return func(a string) bool { return strings.Contains(a, p) && len(a) == n }
}
func is(p string) func(string) bool { return func(a string) bool { return a == p } }
func anyOf(ps ...string) func(string) bool {
	return func(a string) bool {
		for _, p := range ps {
			if strings.Contains(a, p) {
				return true
			}
		}
		return false
	}
}

func af(s string) float64 { return cnum.Atof(s) }
func ai(s string) int     { return cnum.Atoi(s) }

var one = []int{0}
var three = []int{0, 1, 2}

// optionRules lists the tests in the order the original applies them.
var optionRules = []optionRule{
	{match: has("-Na"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Na = float64(ai(v[0])); return true }},
	{match: has("-Nb"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Nb = float64(ai(v[0])); return true }},
	{match: has("-Nc"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Nc = float64(ai(v[0])); return true }},
	{match: is("-N"), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		n := float64(ai(v[0]))
		c.Na, c.Nb, c.Nc = n, n, n
		return true
	}},
	// -cell is handled specially in ParseArgs (variable value count).
	{match: anyOf("-samplesize", "-sample_size"), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		x := af(v[0]) / 1000
		c.SampleX, c.SampleY, c.SampleZ = x, x, x
		return false
	}},
	{match: anyOf("-sample_thick", "-sample_x"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.SampleX = af(v[0]) / 1000; return false }},
	{match: anyOf("-sample_width", "-sample_y", "-width"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.SampleY = af(v[0]) / 1000; return false }},
	{match: anyOf("-sample_heigh", "-sample_z", "-heigh"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.SampleZ = af(v[0]) / 1000; return false }},
	{match: anyOf("-xtalsize", "-xtal_size"), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		x := af(v[0]) / 1000
		c.SampleX, c.SampleY, c.SampleZ = x, x, x
		return false
	}},
	{match: anyOf("-xtal_thick", "-xtal_x"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.SampleX = af(v[0]) / 1000; return false }},
	{match: anyOf("-xtal_width", "-xtal_y", "-width"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.SampleY = af(v[0]) / 1000; return false }},
	{match: anyOf("-xtal_heigh", "-xtal_z", "-heigh"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.SampleZ = af(v[0]) / 1000; return false }},
	{match: anyOf("-density", "-sample_den"), need: 1, apply: func(c *Config, v []string) bool { return false }}, // no effect
	{match: func(a string) bool { return a == "-MW" || strings.Contains(a, "-molec") }, need: 1, apply: func(c *Config, v []string) bool { return false }},
	{match: has("-Xbeam"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Xbeam = af(v[0]) / 1000.0; c.Pivot = PivotBeam; return false }},
	{match: has("-Ybeam"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Ybeam = af(v[0]) / 1000.0; c.Pivot = PivotBeam; return false }},
	{match: has("-Xclose"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Xclose = af(v[0]) / 1000.0; c.Pivot = PivotSample; return false }},
	{match: has("-Yclose"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Yclose = af(v[0]) / 1000.0; c.Pivot = PivotSample; return false }},
	{match: has("-ORGX"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.ORGX = af(v[0]); c.Pivot = PivotSample; return false }},
	{match: has("-ORGY"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.ORGY = af(v[0]); c.Pivot = PivotSample; return false }},
	{match: has("-pivot"), need: 1, apply: func(c *Config, v []string) bool {
		if strings.Contains(v[0], "sample") {
			c.Pivot = PivotSample
		}
		if strings.Contains(v[0], "beam") {
			c.Pivot = PivotBeam
		}
		return false
	}},
	{match: has("-mosflm"), apply: func(c *Config, v []string) bool { c.Convention = MOSFLM; c.Pivot = PivotBeam; return false }},
	{match: has("-xds"), apply: func(c *Config, v []string) bool { c.Convention = XDS; c.Pivot = PivotSample; return false }},
	{match: has("-adxv"), apply: func(c *Config, v []string) bool { c.Convention = ADXV; c.Pivot = PivotBeam; return false }},
	{match: has("-denzo"), apply: func(c *Config, v []string) bool { c.Convention = DENZO; c.Pivot = PivotBeam; return false }},
	{match: has("-dials"), apply: func(c *Config, v []string) bool { c.Convention = DIALS; c.Pivot = PivotBeam; return false }},
	vectorRule("-fdet_vector", func(c *Config) *[3]float64 { return &c.FdetVector }),
	vectorRule("-sdet_vector", func(c *Config) *[3]float64 { return &c.SdetVector }),
	vectorRule("-odet_vector", func(c *Config) *[3]float64 { return &c.OdetVector }),
	vectorRule("-beam_vector", func(c *Config) *[3]float64 { return &c.BeamVector }),
	vectorRule("-polar_vector", func(c *Config) *[3]float64 { return &c.PolarVector }),
	vectorRule("-spindle_axis", func(c *Config) *[3]float64 { return &c.SpindleVector }),
	vectorRule("-twotheta_axis", func(c *Config) *[3]float64 { return &c.TwoThetaAxis }),
	vectorRule("-pix0_vector", func(c *Config) *[3]float64 { return &c.Pix0Vector }),
	{match: has("-distance"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Distance = af(v[0]) / 1000.0; c.Pivot = PivotBeam; return false }},
	{match: has("-close_distance"), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		c.CloseDistance = af(v[0]) / 1000.0
		c.Pivot = PivotSample
		return false
	}},
	{match: has("-detector_abs"), need: 1, numeric: one, allowInf: true, apply: func(c *Config, v []string) bool {
		if strings.Contains(v[0], "inf") || af(v[0]) == 0.0 {
			c.DetectorThick = 0
			c.DetectorMu = 0
		} else {
			c.DetectorMu = 1.0 / (af(v[0]) * 1e-6)
		}
		return false
	}},
	{match: hasLen("-detector_thick", 15), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DetectorThick = af(v[0]) * 1e-6; return false }},
	{match: has("-detector_thicksteps"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DetectorThicksteps = ai(v[0]); return false }},
	{match: has("-thicksteps"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DetectorThicksteps = ai(v[0]); return false }},
	{match: has("-twotheta"), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		c.TwoTheta = af(v[0]) / RTD
		c.Pivot = PivotSample
		return false
	}},
	{match: has("-detector_rotx"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DetRotX = af(v[0]) / RTD; return false }},
	{match: has("-detector_roty"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DetRotY = af(v[0]) / RTD; return false }},
	{match: has("-detector_rotz"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DetRotZ = af(v[0]) / RTD; return false }},
	{match: hasLen("-detsize", 8), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		c.DetsizeF = af(v[0]) / 1000.0
		c.DetsizeS = c.DetsizeF
		return false
	}},
	{match: has("-detsize_f"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DetsizeF = af(v[0]) / 1000.0; return false }},
	{match: has("-detsize_s"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DetsizeS = af(v[0]) / 1000.0; return false }},
	{match: hasLen("-detpixels", 10), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		c.FPixels = ai(v[0])
		c.SPixels = c.FPixels
		return false
	}},
	{match: anyOf("-detpixels_f", "-detpixels_x"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.FPixels = ai(v[0]); return false }},
	{match: anyOf("-detpixels_s", "-detpixels_y"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.SPixels = ai(v[0]); return false }},
	{match: has("-curved_det"), need: 1, apply: func(c *Config, v []string) bool { c.Curved = true; return false }},
	{match: has("-pixel"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.PixelSize = af(v[0]) / 1000.0; return false }},
	{match: has("-point_pixel"), apply: func(c *Config, v []string) bool { c.PointPixel = true; return false }},
	{match: hasLen("-polar", 6), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		c.Polarization = af(v[0])
		c.NoPolar = false
		return false
	}},
	{match: has("-nopolar"), apply: func(c *Config, v []string) bool { c.NoPolar = true; return false }},
	{match: has("-oversample_thick"), apply: func(c *Config, v []string) bool { c.OversampleThick = true; return true }},
	{match: has("-oversample_polar"), apply: func(c *Config, v []string) bool { c.OversamplePolar = true; return true }},
	{match: has("-oversample_omega"), apply: func(c *Config, v []string) bool { c.OversampleOmega = true; return true }},
	{match: has("-oversample"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Oversample = ai(v[0]); return false }},
	{match: has("-roi"), need: 4, numeric: []int{0, 1, 2, 3}, apply: func(c *Config, v []string) bool {
		c.ROI = [4]int{ai(v[0]), ai(v[1]), ai(v[2]), ai(v[3])}
		return false
	}},
	{match: anyOf("-lambda", "-wave"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Lambda0 = af(v[0]) / 1.0e10; return false }},
	{match: has("-energy"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Lambda0 = (12398.42 / af(v[0])) / 1.0e10; return false }},
	{match: has("-fluence"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Fluence = af(v[0]); return false }},
	{match: has("-flux"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Flux = af(v[0]); return false }},
	{match: has("-exposure"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Exposure = af(v[0]); return false }},
	{match: has("-beamsize"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Beamsize = af(v[0]) / 1000; return false }},
	{match: func(a string) bool {
		return (strings.Contains(a, "-mosaic") && len(a) == 7) || strings.Contains(a, "-mosaici") || strings.Contains(a, "-mosaic_spr")
	}, need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.MosaicSpread = af(v[0]) / RTD; return false }},
	{match: has("-mosaic_dom"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.MosaicDomains = ai(v[0]); return false }},
	{match: has("-dispersion"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Dispersion = af(v[0]) / 100.0; return false }},
	{match: has("-dispsteps"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DispSteps = ai(v[0]); return false }},
	{match: has("-divergence"), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		c.HDivRange = af(v[0]) / 1000.0
		c.VDivRange = c.HDivRange
		return false
	}},
	{match: has("-hdivrange"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.HDivRange = af(v[0]) / 1000.0; return false }},
	{match: has("-vdivrange"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.VDivRange = af(v[0]) / 1000.0; return false }},
	{match: hasLen("-hdivstep", 9), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.HDivStep = af(v[0]) / 1000.0; return false }},
	{match: has("-hdivsteps"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.HDivSteps = ai(v[0]); return false }},
	{match: hasLen("-vdivstep", 9), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.VDivStep = af(v[0]) / 1000.0; return false }},
	{match: has("-vdivsteps"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.VDivSteps = ai(v[0]); return false }},
	{match: has("-divsteps"), need: 1, numeric: one, apply: func(c *Config, v []string) bool {
		c.HDivSteps = ai(v[0])
		c.VDivSteps = c.HDivSteps
		return false
	}},
	{match: has("-round_div"), apply: func(c *Config, v []string) bool { c.RoundDiv = true; return false }},
	{match: has("-square_div"), apply: func(c *Config, v []string) bool { c.RoundDiv = false; return false }},
	{match: has("-adc"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Adc = af(v[0]); return false }},
	{match: hasLen("-phi", 4), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Phi0 = af(v[0]) / RTD; return false }},
	{match: has("-osc"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Osc = af(v[0]) / RTD; return false }},
	{match: hasLen("-phistep", 8), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.PhiStep = af(v[0]) / RTD; return false }},
	{match: has("-phisteps"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.PhiSteps = ai(v[0]); return false }},
	{match: has("-dmin"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Dmin = af(v[0]) * 1e-10; return false }},
	{match: has("-mat"), need: 1, apply: func(c *Config, v []string) bool { c.MatFile = v[0]; return false }},
	{match: has("-hkl"), need: 1, apply: func(c *Config, v []string) bool { c.HKLFile = v[0]; return false }},
	{match: has("-default_F"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.DefaultF = af(v[0]); return false }},
	{match: has("-dump"), need: 1, apply: func(c *Config, v []string) bool { c.DumpFile = v[0]; return false }},
	{match: has("-img"), need: 1, apply: func(c *Config, v []string) bool { return false }},  // read in the pre-scan
	{match: has("-mask"), need: 1, apply: func(c *Config, v []string) bool { return false }}, // read in the pre-scan
	{match: func(a string) bool { return strings.Contains(a, "-stolout") && len(a) > 7 }, need: 1, apply: func(c *Config, v []string) bool { return false }},
	{match: hasLen("-stol", 5), need: 1, apply: func(c *Config, v []string) bool { c.StolFile = v[0]; c.StolMult = 1e10; return false }},
	{match: hasLen("-4stol", 6), need: 1, apply: func(c *Config, v []string) bool { c.StolFile = v[0]; c.StolMult = 1e10 / 4; return false }},
	{match: hasLen("-Q", 2), need: 1, apply: func(c *Config, v []string) bool { c.StolFile = v[0]; c.StolMult = 1e10 / math.Pi / 4; return false }},
	{match: has("-sourcefile"), need: 1, apply: func(c *Config, v []string) bool { c.SourceFile = v[0]; return false }},
	{match: anyOf("-floatfile", "-floatimage"), need: 1, apply: func(c *Config, v []string) bool { c.FloatFile = v[0]; return false }},
	{match: anyOf("-intfile", "-intimage"), need: 1, apply: func(c *Config, v []string) bool { c.IntFile = v[0]; return false }},
	{match: anyOf("-pgmfile", "-pgmimage"), need: 1, apply: func(c *Config, v []string) bool { c.PGMFile = v[0]; c.WritePGM = true; return false }},
	{match: anyOf("-noisefile", "-noiseimage"), need: 1, apply: func(c *Config, v []string) bool { c.NoiseFile = v[0]; c.CalcNoise = true; return false }},
	{match: has("-nonoise"), apply: func(c *Config, v []string) bool { c.CalcNoise = false; return false }},
	{match: has("-nopgm"), apply: func(c *Config, v []string) bool { c.WritePGM = false; return false }},
	{match: has("-scale"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.IntScale = af(v[0]); return false }},
	{match: has("-pgmscale"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.PGMScale = af(v[0]); c.WritePGM = true; return false }},
	{match: has("-coherent"), apply: func(c *Config, v []string) bool { return false }}, // no effect
	{match: has("-printout"), apply: func(c *Config, v []string) bool { c.Printout = true; return false }},
	{match: has("-noprogress"), apply: func(c *Config, v []string) bool { c.Progress = false; return false }},
	{match: has("-progress"), apply: func(c *Config, v []string) bool { c.Progress = true; return false }},
	{match: has("-interpolate"), apply: func(c *Config, v []string) bool { c.Interpolate = 1; return false }},
	{match: has("-nointerpolate"), apply: func(c *Config, v []string) bool { c.Interpolate = 0; return false }},
	{match: has("-round_xtal"), apply: func(c *Config, v []string) bool { c.Shape = Round; return false }},
	{match: has("-square_xtal"), apply: func(c *Config, v []string) bool { c.Shape = Square; return false }},
	{match: has("-gauss_xtal"), apply: func(c *Config, v []string) bool { c.Shape = Gauss; return false }},
	{match: anyOf("-binary_spots", "-tophat_spots"), apply: func(c *Config, v []string) bool { c.Shape = Tophat; return false }},
	{match: has("-fudge"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Fudge = af(v[0]); return false }},
	{match: has("-printout_pixel"), need: 2, numeric: []int{0, 1}, apply: func(c *Config, v []string) bool {
		c.PrintoutF, c.PrintoutS = ai(v[0]), ai(v[1])
		return false
	}},
	{match: has("-seed"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.Seed = -int64(ai(v[0])); return false }},
	{match: has("-mosaic_seed"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.MosaicSeed = -int64(ai(v[0])); return false }},
	{match: has("-misset_seed"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.MissetSeed = -int64(ai(v[0])); return false }},
	{match: has("-water"), need: 1, numeric: one, apply: func(c *Config, v []string) bool { c.WaterSize = af(v[0]) / 1e6; return false }},
}

func vectorRule(name string, field func(*Config) *[3]float64) optionRule {
	return optionRule{match: has(name), need: 3, numeric: three, apply: func(c *Config, v []string) bool {
		c.Convention = CUSTOM
		*field(c) = [3]float64{af(v[0]), af(v[1]), af(v[2])}
		return false
	}}
}

// knownOptions are the spellings offered in "did you mean" hints.
var knownOptions = strings.Fields(`-Na -Nb -Nc -N -cell -misset -samplesize -sample_size -sample_thick -sample_x
-sample_width -sample_y -width -sample_height -sample_z -height -xtalsize -xtal_size -xtal_thick -xtal_x
-xtal_width -xtal_y -xtal_height -xtal_z -density -sample_den -MW -molecules -Xbeam -Ybeam -Xclose -Yclose
-ORGX -ORGY -pivot -mosflm -xds -adxv -denzo -dials -fdet_vector -sdet_vector -odet_vector -beam_vector
-polar_vector -spindle_axis -twotheta_axis -pix0_vector -distance -close_distance -detector_abs
-detector_absorb -detector_thick -detector_thicksteps -thicksteps -twotheta -detector_rotx -detector_roty
-detector_rotz -detsize -detsize_f -detsize_s -detpixels -detpixels_f -detpixels_x -detpixels_s -detpixels_y
-curved_det -pixel -point_pixel -polar -nopolar -oversample_thick -oversample_polar -oversample_omega
-oversample -roi -lambda -wavelength -energy -fluence -flux -exposure -beamsize -mosaic -mosaic_spread
-mosaic_domains -dispersion -dispsteps -divergence -hdivrange -vdivrange -hdivstep -hdivsteps -vdivstep
-vdivsteps -divsteps -round_div -square_div -adc -phi -osc -phistep -phisteps -dmin -mat -hkl -default_F
-dump -img -mask -stolout -stol -4stol -Q -sourcefile -floatfile -floatimage -intfile -intimage -pgmfile
-pgmimage -noisefile -noiseimage -nonoise -nopgm -scale -pgmscale -coherent -printout -noprogress -progress
-interpolate -nointerpolate -round_xtal -square_xtal -gauss_xtal -binary_spots -tophat_spots -fudge
-printout_pixel -seed -mosaic_seed -misset_seed -water`)

// closestOption returns the known option nearest to arg (Levenshtein distance).
func closestOption(arg string) string {
	best, bestD := "", math.MaxInt
	for _, k := range knownOptions {
		if d := editDistance(strings.ToLower(arg), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// ParseArgs reads the command line (without the program name) the way the
// original does: the -mask/-img pre-scan and header presets, then every
// option test in source order on every argument (cli.md §1). Messages the
// original prints while reading headers go to log. Unlike the original, an
// unknown option, an option missing its values and a NaN/Inf number are
// errors (*UsageError).
func ParseArgs(args []string, clockSeed int64, log io.Writer) (*Config, error) {
	c := NewConfig(clockSeed)
	argc := len(args)

	// Pre-scan for -img and -mask (any argument containing them).
	for i, a := range args {
		if !strings.HasPrefix(a, "-") || i+1 >= argc {
			continue
		}
		if strings.Contains(a, "-img") {
			c.ImgFile = args[i+1]
		}
		if strings.Contains(a, "-mask") {
			c.MaskFile = args[i+1]
		}
	}
	if c.MaskFile != "" {
		if err := applyHeader(c, c.MaskFile, true, log); err != nil {
			return nil, err
		}
	}
	if c.ImgFile != "" {
		if err := applyHeader(c, c.ImgFile, false, log); err != nil {
			return nil, err
		}
	}

	usedAsValue := make([]bool, argc)
	for i := 0; i < argc; i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		if a == "-h" || a == "-help" || a == "--help" {
			// The original has no help flag; these reach its usage text
			// because no crystal or structure factors are given.
			continue
		}
		fired, blocked := false, ""
		var valueErr error
		// -cell reads up to six values, stopping at one that starts with '-'.
		if strings.Contains(a, "-cell") {
			if argc > i+1 {
				fired = true
				c.UserCell = true
				vals := []*float64{&c.CellA, &c.CellB, &c.CellC, &c.Alpha, &c.Beta, &c.Gamma}
				for n := 0; n < 6; n++ {
					if argc <= i+1+n || strings.HasPrefix(args[i+1+n], "-") {
						break
					}
					v := af(args[i+1+n])
					if err := checkNumber(a, args[i+1+n], v, false); err != nil {
						return nil, err
					}
					if n >= 3 {
						v /= RTD
					}
					*vals[n] = v
					usedAsValue[i+1+n] = true
				}
				continue
			}
			blocked = "-cell"
		}
		// -misset: "rand..." (then stop) or three angles.
		if strings.Contains(a, "-misset") {
			switch {
			case argc > i+1 && strings.Contains(args[i+1], "rand"):
				c.Misset[0] = -1
				usedAsValue[i+1] = true
				continue
			case argc > i+3:
				for k := 1; k <= 3; k++ {
					if err := checkNumber(a, args[i+k], af(args[i+k]), false); err != nil && a == "-misset" {
						return nil, err
					}
					usedAsValue[i+k] = true
				}
				c.Misset = [4]float64{1, af(args[i+1]) / RTD, af(args[i+2]) / RTD, af(args[i+3]) / RTD}
				fired = true
			default:
				blocked = a
			}
		}
		for _, r := range optionRules {
			if !r.match(a) {
				continue
			}
			if argc <= i+r.need {
				blocked = a
				continue
			}
			vals := args[i+1 : i+1+r.need]
			for _, k := range r.numeric {
				if err := checkNumber(a, vals[k], af(vals[k]), r.allowInf); err != nil && valueErr == nil {
					valueErr = err
				}
			}
			if valueErr != nil {
				return nil, valueErr
			}
			for k := range vals {
				usedAsValue[i+1+k] = true
			}
			fired = true
			if r.apply(c, vals) {
				break
			}
		}
		if fired {
			continue
		}
		if blocked != "" {
			return nil, &UsageError{fmt.Sprintf("option %s is missing its value(s)", a)}
		}
		if usedAsValue[i] {
			continue
		}
		if isNumberLike(a) {
			// A stray negative number that no option consumed.
			return nil, &UsageError{fmt.Sprintf("unexpected argument %s (no option takes it as a value)", a)}
		}
		return nil, &UsageError{fmt.Sprintf("unknown option %s (did you mean %s?)", a, closestOption(a))}
	}
	return c, nil
}

func isNumberLike(s string) bool {
	_, n := cnum.Strtod(s)
	return n > 0
}

// checkNumber rejects values that are not numbers at all or are NaN/Inf.
func checkNumber(opt, text string, v float64, allowInf bool) error {
	if math.IsNaN(v) || (math.IsInf(v, 0) && !allowInf) {
		return &UsageError{fmt.Sprintf("option %s: value %q is not a finite number", opt, text)}
	}
	if allowInf && strings.Contains(text, "inf") {
		return nil
	}
	if _, n := cnum.Strtod(text); n == 0 {
		return &UsageError{fmt.Sprintf("option %s: value %q is not a number", opt, text)}
	}
	return nil
}

// applyHeader presets geometry from an SMV header (geometry.md §9).
func applyHeader(c *Config, path string, isMask bool, log io.Writer) error {
	f, err := files.ReadSMV(path)
	if err != nil {
		var na *files.NotADSCError
		if errors.As(err, &na) {
			fmt.Fprintf(log, "ERROR: %s does not look like an ADSC frame!\n", path)
			return nil
		}
		if os.IsNotExist(err) || os.IsPermission(err) {
			return &UsageError{fmt.Sprintf("%s: cannot open: %v", path, err)}
		}
		return err
	}
	fmt.Fprintf(log, "reading %s\n", path)
	fmt.Fprintf(log, "mmap(%s) = %p\n", path, f)
	c.FPixels, c.SPixels = f.Width, f.Height
	if v, ok := f.ValueOf("PIXEL_SIZE"); ok {
		c.PixelSize = v / 1000.0
	}
	c.DetsizeF = c.PixelSize * float64(c.FPixels)
	c.DetsizeS = c.PixelSize * float64(c.SPixels)
	if v, ok := f.ValueOf("DISTANCE"); ok {
		c.Distance = v / 1000.0
	}
	if v, ok := f.ValueOf("CLOSE_DISTANCE"); ok {
		c.CloseDistance = v / 1000.0
	}
	if v, ok := f.ValueOf("WAVELENGTH"); ok {
		c.Lambda0 = v / 1e10
	}
	if v, ok := f.ValueOf("BEAM_CENTER_X"); ok {
		c.Xbeam = v / 1000.0
	}
	if v, ok := f.ValueOf("BEAM_CENTER_Y"); ok {
		if isMask {
			c.Ybeam = c.DetsizeS - v/1000.0
		} else {
			c.Ybeam = v / 1000.0
		}
	}
	if v, ok := f.ValueOf("ORGX"); ok {
		c.ORGX = v
	}
	if v, ok := f.ValueOf("ORGY"); ok {
		c.ORGY = v
	}
	if v, ok := f.ValueOf("PHI"); ok {
		c.Phi0 = v / RTD
	}
	if v, ok := f.ValueOf("OSC_RANGE"); ok {
		c.Osc = v / RTD
	}
	if isMask {
		n := c.FPixels * c.SPixels
		if n < 0 || n > len(f.Data) {
			return &UsageError{fmt.Sprintf("%s: mask holds %d pixels, header says %dx%d", path, len(f.Data), c.FPixels, c.SPixels)}
		}
		c.Mask = append([]uint16(nil), f.Data[:n]...)
	}
	return nil
}
