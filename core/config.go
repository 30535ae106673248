// Package core is the gobragg simulation engine: the parsed configuration,
// the derived plan (detector, crystal, sources, orientations), the pixel
// loop, the statistics and the output files of the original nanoBragg.
package core

import "math"

// Convention is the detector/beam axis convention (geometry.md §3).
type Convention int

// Conventions, in the order of the original's enum.
const (
	CUSTOM Convention = iota
	ADXV
	MOSFLM
	XDS
	DIALS
	DENZO
)

var conventionNames = [...]string{"custom", "adxv", "mosflm", "xds", "dials", "denzo"}

func (c Convention) String() string { return conventionNames[c] }

// Pivot says about which point the detector rotations turn it.
type Pivot int

// Pivots.
const (
	PivotBeam Pivot = iota
	PivotSample
)

// Shape is the crystal (lattice-factor) shape.
type Shape int

// Shapes (physics.md §10).
const (
	Square Shape = iota
	Round
	Gauss
	Tophat
)

// RTD is the original's degrees-per-radian value, 180.0*M_1_PI evaluated in
// double at run time (a variable, so Go never folds expressions using it
// with exact constant arithmetic).
var RTD = 180.0 * m1Pi

var m1Pi = float64(1 / math.Pi)

// Config is every option of the original after its matching rules, in SI
// units, before any derived value is resolved (the C variables at the end of
// the option scan, header presets from -mask/-img included). Unset values
// hold the original's sentinels (-1 or NaN) so that setup can apply the
// original's resolution rules. Both engines (Go core and cref) take it.
type Config struct {
	// crystal
	CellA, CellB, CellC       float64 // Å (0: not given)
	Alpha, Beta, Gamma        float64 // rad (0: not given)
	UserCell                  bool
	MatFile                   string
	Misset                    [4]float64 // [0]: 0 none, 1 angles in [1..3] (rad), -1 random
	MissetSeed                int64      // ran1 word (negated seed)
	Na, Nb, Nc                float64
	SampleX, SampleY, SampleZ float64 // m
	HKLFile                   string
	DumpFile                  string
	DefaultF                  float64
	Shape                     Shape
	Fudge                     float64
	Interpolate               int     // 0 off, 1 on, 2 auto
	MosaicSpread              float64 // rad, -1 unset
	MosaicDomains             int     // -1 unset
	MosaicSeed                int64   // ran1 word

	// beam
	Lambda0                           float64 // m
	Dispersion                        float64 // fraction
	DispSteps                         int
	HDivRange, VDivRange              float64 // rad, -1 unset
	HDivStep, VDivStep                float64 // rad, -1 unset
	HDivSteps, VDivSteps              int     // -1 unset
	RoundDiv                          bool
	Fluence, Flux, Exposure, Beamsize float64
	Polarization                      float64 // Kahn factor
	NoPolar                           bool
	SourceFile                        string

	// detector
	Convention                                        Convention
	Pivot                                             Pivot
	BeamVector, PolarVector                           [3]float64
	SpindleVector, TwoThetaAxis                       [3]float64
	FdetVector, SdetVector, OdetVector                [3]float64
	Pix0Vector                                        [3]float64 // parsed, overwritten by the geometry (inert)
	PixelSize                                         float64    // m
	DetsizeF, DetsizeS                                float64    // m
	FPixels, SPixels                                  int        // 0: not given
	Distance                                          float64    // m
	CloseDistance                                     float64    // m, NaN unset
	Xbeam, Ybeam, Xclose, Yclose                      float64    // m, NaN unset
	ORGX, ORGY                                        float64    // pixels, NaN unset
	DetRotX, DetRotY, DetRotZ                         float64    // rad
	TwoTheta                                          float64    // rad
	DetectorThick                                     float64    // m
	DetectorMu                                        float64    // 1/m, -1 unset
	DetectorThicksteps                                int        // -1 unset
	Curved, PointPixel                                bool
	Oversample                                        int // -1 auto
	OversampleThick, OversamplePolar, OversampleOmega bool
	ROI                                               [4]int // xmin xmax ymin ymax, -1 unset
	Adc                                               float64

	// spindle and resolution
	Phi0, Osc, PhiStep float64 // rad; Osc, PhiStep -1 unset
	PhiSteps           int     // -1 unset
	Dmin               float64 // m

	// background
	WaterSize float64 // m
	StolFile  string
	StolMult  float64

	// outputs and messages
	FloatFile, IntFile, PGMFile, NoiseFile string
	WritePGM, CalcNoise                    bool
	IntScale, PGMScale                     float64
	Seed                                   int64 // ran1 word of the noise stream
	Printout                               bool
	PrintoutF, PrintoutS                   int
	Progress                               bool

	// -img / -mask (read before the option scan)
	ImgFile, MaskFile string
	Mask              []uint16 // mask pixels as read (nil: no mask)
}

// DefaultFluence makes r_e^2 * fluence equal 1 to double precision.
const DefaultFluence = 125932015286227086360700780544.0

// NewConfig returns the original's defaults. clockSeed is the negated
// start-up time used for -seed and -misset_seed when they are not given.
func NewConfig(clockSeed int64) *Config {
	nan := math.NaN()
	return &Config{
		Na: 1, Nb: 1, Nc: 1,
		DumpFile:      "Fdump.bin",
		Fudge:         1,
		Interpolate:   2,
		MosaicSpread:  -1,
		MosaicDomains: -1,
		MosaicSeed:    -12345678,
		MissetSeed:    clockSeed,

		Lambda0:   1.0e-10,
		DispSteps: -1,
		HDivRange: -1, VDivRange: -1, HDivStep: -1, VDivStep: -1, HDivSteps: -1, VDivSteps: -1,
		RoundDiv: true,
		Fluence:  DefaultFluence,
		Exposure: 1.0,
		Beamsize: 1e-4,

		Convention:    MOSFLM,
		Pivot:         PivotBeam,
		BeamVector:    [3]float64{1, 0, 0},
		PolarVector:   [3]float64{0, 0, 1},
		SpindleVector: [3]float64{0, 0, 1},
		TwoThetaAxis:  [3]float64{0, 1, 0},
		FdetVector:    [3]float64{0, 0, 1},
		SdetVector:    [3]float64{0, -1, 0},
		OdetVector:    [3]float64{1, 0, 0},
		PixelSize:     0.1e-3,
		DetsizeF:      102.4e-3,
		DetsizeS:      102.4e-3,
		Distance:      100.0e-3,
		CloseDistance: nan,
		Xbeam:         nan, Ybeam: nan, Xclose: nan, Yclose: nan, ORGX: nan, ORGY: nan,
		DetectorMu:         -1,
		DetectorThicksteps: -1,
		Oversample:         -1,
		ROI:                [4]int{-1, -1, -1, -1},
		Adc:                40.0,

		Osc: -1, PhiStep: -1, PhiSteps: -1,

		FloatFile: "floatimage.bin",
		IntFile:   "intimage.img",
		PGMFile:   "image.pgm",
		NoiseFile: "noiseimage.img",
		WritePGM:  true,
		CalcNoise: true,
		Seed:      clockSeed,
		PrintoutF: -1, PrintoutS: -1,
		Progress: true,
	}
}
