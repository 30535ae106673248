//go:build cgo

package cref

// Differential tests: the Go engine (core, exact kernel) against the C
// reference, in process, on the same parsed configuration and the same
// loaded inputs. Per pixel the doubles before the float32 store must agree
// to a relative 1e-9, the float32 images bit for bit, the statistics to a
// relative 1e-12, and the trace of two pixels (centre and brightest) field
// by field.

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gobragg/gobragg/core"
	"github.com/gobragg/gobragg/core/files"
	"github.com/gobragg/gobragg/internal/synth"
)

const (
	relValues = 1e-9  // per-pixel doubles
	relStats  = 1e-12 // closing statistics
	// maxCost bounds the lattice evaluations of a generated configuration
	// (pixels x layers x sub-pixels x sources x phi steps x domains).
	maxCost = 3e6
)

// Input files shared by all cases (absolute paths; every case runs in its
// own empty directory, because Setup writes Fdump.bin into the cwd when
// -hkl is given and reads it back when it is not).
type diffFiles struct {
	hkl, smallHKL, mat, src, mask string
}

var (
	filesOnce sync.Once
	filesDir  string
	filesErr  error
	theFiles  diffFiles
)

// maskSize is the size of the generated mask (the -mask header sets the
// detector to it).
const maskSize = 40

func testFiles(tb testing.TB) diffFiles {
	tb.Helper()
	filesOnce.Do(func() {
		filesDir, filesErr = os.MkdirTemp("", "cref-diff-")
		if filesErr != nil {
			return
		}
		d := filesDir
		theFiles = diffFiles{
			hkl:      filepath.Join(d, "big.hkl"),
			smallHKL: filepath.Join(d, "small.hkl"),
			mat:      filepath.Join(d, "A.mat"),
			src:      filepath.Join(d, "sources.txt"),
			mask:     filepath.Join(d, "mask.img"),
		}
		// small.hkl (-4..4) is small enough that interpolation runs out of
		// the grid part way through the image and switches off.
		src := "-10 0 0 1 1e-10\n-10 0.003 0 0.8 1.01e-10\n-10 -0.002 0.002 0.5\n-10 0 -0.003\n"
		mask := make([]uint16, maskSize*maskSize)
		for i := range mask {
			f, s := i%maskSize, i/maskSize
			if !(f == s || (f > 25 && s < 8) || (f*7+s*3)%11 == 0) {
				mask[i] = 1
			}
		}
		hdr := &files.SMVHeader{
			FPixels: maskSize, SPixels: maskSize, PixelSizeMM: 0.6, DistanceMM: 70, WavelengthA: 1.1,
			BeamCenterXMM: 11.5, BeamCenterYMM: 12.5, CloseDistanceMM: 70, OscRangeDeg: 0.2,
		}
		for _, w := range []struct {
			path string
			data []byte
		}{
			{theFiles.hkl, synth.HKL(9)},
			{theFiles.smallHKL, synth.HKL(4)},
			{theFiles.mat, []byte(synth.Mat)},
			{theFiles.src, []byte(src)},
			{theFiles.mask, files.EncodeSMV(hdr, mask)},
		} {
			if filesErr = os.WriteFile(w.path, w.data, 0o644); filesErr != nil {
				return
			}
		}
	})
	if filesErr != nil {
		tb.Fatal(filesErr)
	}
	return theFiles
}

func TestMain(m *testing.M) {
	code := m.Run()
	if filesDir != "" {
		os.RemoveAll(filesDir)
	}
	os.Exit(code)
}

// resolve replaces the @name placeholders of args by the input files.
func resolve(tb testing.TB, args []string) []string {
	fs := testFiles(tb)
	out := make([]string, len(args))
	for i, a := range args {
		switch a {
		case "@hkl":
			a = fs.hkl
		case "@smallhkl":
			a = fs.smallHKL
		case "@mat":
			a = fs.mat
		case "@src":
			a = fs.src
		case "@mask":
			a = fs.mask
		}
		out[i] = a
	}
	return out
}

// relDiff is |a-b|/max(|a|,|b|): 0 when equal (both zero, both the same
// infinity) or both NaN, +Inf when exactly one is NaN.
func relDiff(a, b float64) float64 {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return 0
	}
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return math.Inf(1)
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

// diffResult is what one differential comparison measured.
type diffResult struct {
	skipped string  // why the configuration was not compared ("" if it was)
	maxRel  float64 // largest relative difference of the pixel doubles
	pixels  int
	nonzero int // pixels with a non-zero value
	differ  int // pixels whose doubles are not identical
	traced  int // pixel traces compared (computed and evaluated pixels)
}

// diffArgs compares both engines on one argument list (placeholders
// resolved). With strict, a configuration that does not parse or set up is
// an error; otherwise it is reported as skipped. It chdirs into a fresh
// temporary directory.
func diffArgs(t *testing.T, label string, args []string, strict bool) diffResult {
	t.Helper()
	t.Chdir(t.TempDir())
	full := resolve(t, args)
	where := func() string { return label + "\n    args: " + strings.Join(args, " ") }
	skip := func(format string, a ...any) diffResult {
		msg := fmt.Sprintf(format, a...)
		if strict {
			t.Fatalf("%s\n    %s", where(), msg)
		}
		return diffResult{skipped: msg}
	}
	cfg, err := core.ParseArgs(full, -1, io.Discard)
	if err != nil {
		return skip("ParseArgs: %v", err)
	}
	plan, in, err := core.Setup(cfg, io.Discard, io.Discard)
	if err != nil {
		return skip("Setup: %v", err)
	}
	cost := float64(plan.FPixels*plan.SPixels) * float64(plan.ThickSteps) * float64(plan.Oversample*plan.Oversample) *
		float64(len(plan.Sources)) * float64(plan.PhiSteps) * float64(len(plan.Umats))
	if !strict && cost > maxCost {
		return skip("too costly (%.3g lattice evaluations)", cost)
	}

	tf, ts := plan.FPixels/2, plan.SPixels/2
	var goTr *core.PixelTrace
	goImg, _, err := core.Render(context.Background(), plan, core.Options{
		Kernel: core.ExactKernel{}, KeepFloat64: true,
		Trace: func(p *core.PixelTrace) { goTr = p }, TraceF: tf, TraceS: ts,
	})
	if err != nil {
		t.Fatalf("%s\n    Go Render: %v", where(), err)
	}
	cImg, err := RunOpts(cfg, in, Options{KeepFloat64: true})
	if err != nil {
		t.Fatalf("%s\n    the Go engine set up this configuration but cref refused it: %v", where(), err)
	}
	if goImg.FPixels != cImg.FPixels || goImg.SPixels != cImg.SPixels {
		t.Fatalf("%s\n    image size Go %dx%d, C %dx%d", where(), goImg.FPixels, goImg.SPixels, cImg.FPixels, cImg.SPixels)
	}
	if len(goImg.Values) != len(goImg.Pixels) || len(cImg.Values) != len(cImg.Pixels) {
		t.Fatalf("%s\n    Values missing (Go %d, C %d of %d)", where(), len(goImg.Values), len(cImg.Values), len(goImg.Pixels))
	}

	res := diffResult{pixels: len(goImg.Pixels)}
	bad, badBits, first := 0, 0, -1
	brightest, bv := -1, math.Inf(-1)
	for i, g := range goImg.Values {
		c := cImg.Values[i]
		if g != 0 {
			res.nonzero++
		}
		if math.Float64bits(g) != math.Float64bits(c) {
			res.differ++
		}
		r := relDiff(g, c)
		if r > res.maxRel {
			res.maxRel = r
		}
		if r > relValues {
			if first < 0 {
				first = i
			}
			bad++
		}
		if math.Float32bits(goImg.Pixels[i]) != math.Float32bits(cImg.Pixels[i]) {
			badBits++
			if first < 0 {
				first = i
			}
		}
		if g > bv {
			brightest, bv = i, g
		}
	}
	if bad > 0 || badBits > 0 {
		f, s := first%goImg.FPixels, first/goImg.FPixels
		t.Errorf("%s\n    %d of %d pixel doubles differ by more than %g relative, %d float32 pixels differ in bits; max rel %.3g;"+
			" first at fast %d slow %d: Go %.17g (%g) C %.17g (%g)",
			where(), bad, res.pixels, relValues, badBits, res.maxRel, f, s,
			goImg.Values[first], goImg.Pixels[first], cImg.Values[first], cImg.Pixels[first])
	}
	if res.differ > 0 {
		t.Logf("%s\n    %d of %d pixel doubles not bit-identical (max rel %.3g)", where(), res.differ, res.pixels, res.maxRel)
	}
	compareStats(t, where, &goImg.Stats, &cImg.Stats)

	// traces: the centre pixel (traced above) and the brightest one
	if compareTrace(t, where, goTr, cfg, in, tf, ts) {
		res.traced++
	}
	if bf, bs := brightest%plan.FPixels, brightest/plan.FPixels; brightest >= 0 && (bf != tf || bs != ts) {
		goTr = nil
		if _, _, err := core.Render(context.Background(), plan, core.Options{
			Kernel: core.ExactKernel{}, Trace: func(p *core.PixelTrace) { goTr = p }, TraceF: bf, TraceS: bs,
		}); err != nil {
			t.Fatal(err)
		}
		if compareTrace(t, where, goTr, cfg, in, bf, bs) {
			res.traced++
		}
	}
	return res
}

func compareStats(t *testing.T, where func() string, g, c *core.Stats) {
	t.Helper()
	for _, q := range []struct {
		name string
		g, c float64
	}{
		{"MaxI", g.MaxI, c.MaxI}, {"MaxIX", g.MaxIX, c.MaxIX}, {"MaxIY", g.MaxIY, c.MaxIY},
		{"Sum", g.Sum, c.Sum}, {"SumSqr", g.SumSqr, c.SumSqr},
		{"Mean", g.Mean, c.Mean}, {"RMS", g.RMS, c.RMS}, {"RMSD", g.RMSD, c.RMSD},
	} {
		if r := relDiff(q.g, q.c); r > relStats {
			t.Errorf("%s\n    stats %s: Go %.17g C %.17g (rel %.3g)", where(), q.name, q.g, q.c, r)
		}
	}
	// Both engines add every (layer, sub-pixel) solid angle to one running
	// sum in serial order, as the original does with one thread.
	if r := relDiff(g.OmegaSum, c.OmegaSum); r > relStats {
		t.Errorf("%s\n    stats OmegaSum: Go %.17g C %.17g (rel %.3g)", where(), g.OmegaSum, c.OmegaSum, r)
	}
	if g.N != c.N || g.Steps != c.Steps {
		t.Errorf("%s\n    stats N/Steps: Go %d/%d C %d/%d", where(), g.N, g.Steps, c.N, c.Steps)
	}
}

// compareTrace compares the Go trace g of pixel (f, s) with TracePixel's;
// it reports whether an evaluated pixel was compared.
func compareTrace(t *testing.T, where func() string, g *core.PixelTrace, cfg *core.Config, in *core.Inputs, f, s int) bool {
	t.Helper()
	c, err := TracePixel(cfg, in, f, s)
	if err != nil {
		t.Errorf("%s\n    TracePixel(%d, %d): %v", where(), f, s, err)
		return false
	}
	if (g == nil) != (c == nil) {
		t.Errorf("%s\n    trace of pixel %d,%d: Go %v, C %v", where(), f, s, g != nil, c != nil)
		return false
	}
	if g == nil {
		return false
	}
	type q struct {
		name string
		g, c []float64
	}
	v := func(x core.Vec) []float64 { return x[:] }
	for _, x := range []q{
		{"Pix0", v(g.Pix0), v(c.Pix0)}, {"PixelPos", v(g.PixelPos), v(c.PixelPos)},
		{"Diffracted", v(g.Diffracted), v(c.Diffracted)}, {"Scattering", v(g.Scattering), v(c.Scattering)},
		{"Stol", []float64{g.Stol}, []float64{c.Stol}},
		{"H,K,L", []float64{g.H, g.K, g.L}, []float64{c.H, c.K, c.L}},
		{"H0,K0,L0", []float64{float64(g.H0), float64(g.K0), float64(g.L0)}, []float64{float64(c.H0), float64(c.K0), float64(c.L0)}},
		{"FCell", []float64{g.FCell}, []float64{c.FCell}}, {"FLatt", []float64{g.FLatt}, []float64{c.FLatt}},
		{"A", v(g.A), v(c.A)}, {"B", v(g.B), v(c.B)}, {"C", v(g.C), v(c.C)},
		{"Polar", []float64{g.Polar}, []float64{c.Polar}}, {"Omega", []float64{g.Omega}, []float64{c.Omega}},
		{"Capture", []float64{g.Capture}, []float64{c.Capture}}, {"I", []float64{g.I}, []float64{c.I}},
		{"Steps", []float64{float64(g.Steps)}, []float64{float64(c.Steps)}},
	} {
		for i := range x.g {
			if relDiff(x.g[i], x.c[i]) > relValues {
				t.Errorf("%s\n    trace of pixel %d,%d: %s Go %v C %v", where(), f, s, x.name, x.g, x.c)
				break
			}
		}
	}
	if math.Float32bits(g.Value) != math.Float32bits(c.Value) || g.Evaluated != c.Evaluated ||
		g.FPixel != c.FPixel || g.SPixel != c.SPixel {
		t.Errorf("%s\n    trace of pixel %d,%d: Go value %g evaluated %v at %d,%d; C value %g evaluated %v at %d,%d",
			where(), f, s, g.Value, g.Evaluated, g.FPixel, g.SPixel, c.Value, c.Evaluated, c.FPixel, c.SPixel)
	}
	return g.Evaluated
}

// handCases cover every option family on small detectors. @name stands
// for a generated input file (see testFiles).
var handCases = []struct {
	name string
	args []string
}{
	{"cubic_defaultF", []string{"-cell", "50", "-default_F", "100", "-N", "5", "-detpixels", "32", "-pixel", "0.5", "-distance", "80"}},
	{"triclinic_hkl_auto_oversample", []string{"-cell", "32.5", "41.2", "47.8", "86.5", "93.1", "97.4", "-hkl", "@hkl", "-N", "3", "-detpixels", "40", "-pixel", "0.6", "-distance", "90"}},
	{"mat_misset_angles", []string{"-mat", "@mat", "-hkl", "@hkl", "-misset", "10", "-20", "30", "-N", "4", "-detpixels", "40", "-pixel", "0.5", "-oversample", "2"}},
	{"mat_misset_random_seed", []string{"-mat", "@mat", "-hkl", "@hkl", "-misset", "random", "-misset_seed", "4321", "-N", "4", "-detpixels", "40", "-pixel", "0.5", "-oversample", "1"}},
	{"cell_and_mat", []string{"-mat", "@mat", "-cell", "33", "40", "48", "-hkl", "@hkl", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"xds_orgx_twotheta", []string{"-mat", "@mat", "-hkl", "@hkl", "-xds", "-ORGX", "12", "-ORGY", "20", "-twotheta", "15", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-distance", "70", "-oversample", "1"}},
	{"adxv_rotations_beam_centre", []string{"-mat", "@mat", "-hkl", "@hkl", "-adxv", "-Xbeam", "9", "-Ybeam", "11", "-detector_rotx", "3", "-detector_roty", "-4", "-detector_rotz", "25", "-N", "4", "-detpixels", "36", "-pixel", "0.6", "-oversample", "1"}},
	{"denzo_close_distance", []string{"-cell", "45", "-default_F", "50", "-denzo", "-close_distance", "75", "-Xbeam", "8", "-N", "3", "-detpixels", "32", "-pixel", "0.5", "-oversample", "1"}},
	{"dials_spindle_phi", []string{"-mat", "@mat", "-hkl", "@hkl", "-dials", "-spindle_axis", "0", "1", "0.2", "-phi", "5", "-osc", "0.4", "-phisteps", "3", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"custom_vectors_pivot_sample", []string{"-mat", "@mat", "-hkl", "@hkl", "-beam_vector", "0", "0", "1", "-fdet_vector", "1", "0.05", "0", "-sdet_vector", "0", "1", "0", "-odet_vector", "0", "0", "1", "-Xclose", "12", "-Yclose", "9", "-twotheta", "6", "-twotheta_axis", "0", "1", "0.1", "-pivot", "sample", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"custom_pivot_beam_twotheta", []string{"-mat", "@mat", "-hkl", "@hkl", "-beam_vector", "0", "0", "1", "-fdet_vector", "-1", "0", "0", "-sdet_vector", "0", "1", "0", "-odet_vector", "0", "0", "1", "-twotheta", "-10", "-pivot", "beam", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"roi_and_mask", []string{"-mat", "@mat", "-hkl", "@hkl", "-mask", "@mask", "-roi", "3", "33", "5", "38", "-N", "4", "-oversample", "1"}},
	{"curved_point_pixel", []string{"-mat", "@mat", "-hkl", "@hkl", "-curved_det", "x", "-point_pixel", "-N", "4", "-detpixels", "36", "-pixel", "0.7", "-distance", "50", "-oversample", "2"}},
	{"thick_abs_oversample_thick", []string{"-mat", "@mat", "-hkl", "@hkl", "-detector_thick", "250", "-detector_abs", "400", "-detector_thicksteps", "3", "-oversample_thick", "-oversample", "2", "-N", "4", "-detpixels", "24", "-pixel", "0.8"}},
	{"thick_default_mu_negative_thick", []string{"-cell", "40", "-default_F", "20", "-detector_thick", "-5", "-detector_thicksteps", "2", "-N", "3", "-detpixels", "24", "-pixel", "0.8", "-oversample", "1"}},
	{"oversample_polar_omega_kahn", []string{"-mat", "@mat", "-hkl", "@hkl", "-oversample", "3", "-oversample_polar", "-oversample_omega", "-polar", "0.6", "-polar_vector", "0", "0.3", "1", "-N", "4", "-detpixels", "24", "-pixel", "0.8"}},
	{"nopolar", []string{"-mat", "@mat", "-hkl", "@hkl", "-nopolar", "-oversample", "2", "-N", "4", "-detpixels", "24", "-pixel", "0.8"}},
	{"mosaic_domains_seed", []string{"-mat", "@mat", "-hkl", "@hkl", "-mosaic", "0.8", "-mosaic_dom", "4", "-mosaic_seed", "77", "-N", "5", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"mosaic_default_domains", []string{"-cell", "40", "-default_F", "30", "-mosaic", "0.3", "-N", "4", "-detpixels", "24", "-pixel", "0.8", "-oversample", "1"}},
	{"phi_zero_carry_over", []string{"-mat", "@mat", "-hkl", "@hkl", "-phi", "-0.1", "-phistep", "0.1", "-phisteps", "4", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"phi_zero_first_then_rotated", []string{"-mat", "@mat", "-hkl", "@hkl", "-phi", "0", "-osc", "0.3", "-phisteps", "3", "-mosaic", "0.2", "-mosaic_dom", "2", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"phisteps0_osc", []string{"-mat", "@mat", "-hkl", "@hkl", "-phisteps", "0", "-osc", "0.2", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"divergence_round", []string{"-mat", "@mat", "-hkl", "@hkl", "-divergence", "0.3", "-divsteps", "4", "-round_div", "-N", "4", "-detpixels", "24", "-pixel", "0.8", "-oversample", "1"}},
	{"divergence_square", []string{"-mat", "@mat", "-hkl", "@hkl", "-square_div", "-hdivrange", "0.2", "-vdivrange", "0.1", "-hdivsteps", "3", "-vdivstep", "0.05", "-N", "4", "-detpixels", "24", "-pixel", "0.8", "-oversample", "1"}},
	{"dispersion", []string{"-mat", "@mat", "-hkl", "@hkl", "-dispersion", "3", "-dispsteps", "3", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"sourcefile", []string{"-mat", "@mat", "-hkl", "@hkl", "-sourcefile", "@src", "-N", "4", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"round_xtal_fudge", []string{"-mat", "@mat", "-hkl", "@hkl", "-round_xtal", "-fudge", "0.7", "-N", "5", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"gauss_xtal_fudge", []string{"-mat", "@mat", "-hkl", "@hkl", "-gauss_xtal", "-fudge", "1.4", "-N", "5", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"tophat_fudge_water", []string{"-mat", "@mat", "-hkl", "@hkl", "-tophat_spots", "-fudge", "0.5", "-water", "30", "-N", "5", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"interpolate_switch_off", []string{"-mat", "@mat", "-hkl", "@smallhkl", "-interpolate", "-N", "2", "-detpixels", "40", "-pixel", "0.5", "-distance", "60", "-oversample", "1"}},
	{"interpolate_auto_N2", []string{"-mat", "@mat", "-hkl", "@hkl", "-N", "2", "-detpixels", "32", "-pixel", "0.5", "-distance", "120", "-oversample", "1"}},
	{"nointerpolate_small_grid", []string{"-mat", "@mat", "-hkl", "@smallhkl", "-default_F", "7", "-nointerpolate", "-N", "2", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"dmin", []string{"-mat", "@mat", "-hkl", "@hkl", "-dmin", "4", "-N", "4", "-detpixels", "40", "-pixel", "0.6", "-distance", "60", "-oversample", "1"}},
	{"water_defaultF", []string{"-cell", "60", "-default_F", "1", "-water", "80", "-N", "2", "-detpixels", "24", "-pixel", "0.8", "-oversample", "1"}},
	{"Nabc", []string{"-mat", "@mat", "-hkl", "@hkl", "-Na", "3", "-Nb", "5", "-Nc", "2", "-detpixels", "32", "-pixel", "0.6", "-oversample", "1"}},
	{"xtalsize", []string{"-mat", "@mat", "-hkl", "@hkl", "-xtalsize", "0.0008", "-detpixels", "32", "-pixel", "0.6", "-oversample", "2"}},
	{"flux_exposure_beamsize_clip", []string{"-mat", "@mat", "-hkl", "@hkl", "-flux", "1e12", "-exposure", "0.5", "-beamsize", "0.0004", "-xtalsize", "0.001", "-detpixels", "24", "-pixel", "0.8", "-oversample", "1"}},
	{"fluence_energy", []string{"-cell", "38", "-default_F", "40", "-fluence", "1e24", "-energy", "9500", "-N", "4", "-detpixels", "24", "-pixel", "0.8", "-oversample", "1"}},
	{"detpixels_fs_detsize", []string{"-mat", "@mat", "-hkl", "@hkl", "-detpixels_f", "40", "-detpixels_s", "20", "-pixel", "0.6", "-lambda", "1.3", "-N", "4", "-oversample", "1"}},
	{"everything", []string{"-mat", "@mat", "-hkl", "@hkl", "-misset", "5", "5", "5", "-xds", "-twotheta", "8", "-detector_rotz", "2", "-detector_thick", "100", "-thicksteps", "2", "-oversample", "2", "-oversample_omega", "-mosaic", "0.4", "-mosaic_dom", "2", "-phi", "0.5", "-osc", "0.2", "-phisteps", "2", "-dispersion", "1", "-dispsteps", "2", "-dmin", "3", "-water", "10", "-round_xtal", "-N", "4", "-detpixels", "20", "-pixel", "1"}},
}

func TestDifferentialHandPicked(t *testing.T) {
	maxRel, differ, pixels, traced := 0.0, 0, 0, 0
	for _, c := range handCases {
		t.Run(c.name, func(t *testing.T) {
			r := diffArgs(t, c.name, c.args, true)
			if r.nonzero == 0 {
				t.Errorf("%s: the image is all zero; the case tests nothing", c.name)
			}
			maxRel = math.Max(maxRel, r.maxRel)
			differ += r.differ
			pixels += r.pixels
			traced += r.traced
		})
	}
	t.Logf("%d configurations, %d pixels, %d pixel traces: max relative difference of the doubles %.3g, %d pixels not bit-identical",
		len(handCases), pixels, traced, maxRel, differ)
}

// genArgs draws a random, mostly valid configuration over all option
// families. The same r state gives the same arguments.
func genArgs(r *rand.Rand) []string {
	var a []string
	add := func(s ...string) { a = append(a, s...) }
	p := func(prob float64) bool { return r.Float64() < prob }
	f := func(lo, hi float64) string { return strconv.FormatFloat(lo+(hi-lo)*r.Float64(), 'g', 4, 64) }
	n := func(lo, hi int) string { return strconv.Itoa(lo + r.IntN(hi-lo+1)) }
	vec := func(x, y, z float64) []string {
		return []string{f(x-0.15, x+0.15), f(y-0.15, y+0.15), f(z-0.15, z+0.15)}
	}

	// crystal
	switch r.IntN(4) {
	case 0:
		add("-cell", f(25, 60))
	case 1:
		add("-cell", f(25, 60), f(25, 60), f(25, 60), f(75, 105), f(75, 105), f(75, 105))
	default:
		add("-mat", "@mat")
		if p(0.1) {
			add("-cell", f(30, 50), f(30, 50), f(30, 50))
		}
	}
	switch {
	case p(0.2):
		add("-misset", f(-180, 180), f(-90, 90), f(-180, 180))
	case p(0.1):
		add("-misset", "random", "-misset_seed", n(1, 100000))
	}
	// structure factors
	switch r.IntN(6) {
	case 0, 1, 2:
		add("-hkl", "@hkl")
	case 3:
		add("-hkl", "@smallhkl")
	}
	if !containsArg(a, "-hkl") || p(0.3) {
		add("-default_F", f(1, 200))
	}
	// crystal size
	switch r.IntN(5) {
	case 0, 1, 2:
		add("-N", n(1, 6))
	case 3:
		add("-Na", n(1, 5), "-Nb", n(1, 5), "-Nc", n(1, 5))
	default:
		add("-xtalsize", f(0.0002, 0.002))
		if p(0.3) {
			add("-sample_y", f(0.0002, 0.002))
		}
	}
	// spot shape and structure-factor interpolation
	switch r.IntN(6) {
	case 0:
		add("-round_xtal")
	case 1:
		add("-gauss_xtal")
	case 2:
		add("-tophat_spots")
	}
	if p(0.3) {
		add("-fudge", f(0.3, 2))
	}
	switch r.IntN(5) {
	case 0:
		add("-interpolate")
	case 1:
		add("-nointerpolate")
	}

	// detector
	useMask := p(0.08)
	if useMask {
		add("-mask", "@mask")
	} else {
		if p(0.7) {
			add("-detpixels", n(6, 36))
		} else {
			add("-detpixels_f", n(6, 36), "-detpixels_s", n(6, 36))
		}
		add("-pixel", f(0.3, 1.2))
	}
	if p(0.85) {
		add("-distance", f(40, 160))
	} else {
		add("-close_distance", f(40, 160))
	}
	switch r.IntN(8) {
	case 0:
		add("-xds")
	case 1:
		add("-adxv")
	case 2:
		add("-denzo")
	case 3:
		add("-dials")
	case 4:
		add("-mosflm")
	case 5:
		add("-beam_vector")
		add(vec(0, 0, 1)...)
		add("-fdet_vector")
		add(vec(1, 0, 0)...)
		add("-sdet_vector")
		add(vec(0, 1, 0)...)
		if p(0.5) {
			add("-odet_vector")
			add(vec(0, 0, 1)...)
		}
	}
	switch r.IntN(6) {
	case 0:
		add("-Xbeam", f(2, 20), "-Ybeam", f(2, 20))
	case 1:
		add("-Xclose", f(2, 20), "-Yclose", f(2, 20))
	case 2:
		add("-ORGX", f(0, 30), "-ORGY", f(0, 30))
	}
	if p(0.25) {
		add("-detector_rotx", f(-8, 8), "-detector_roty", f(-8, 8), "-detector_rotz", f(-30, 30))
	}
	if p(0.2) {
		add("-twotheta", f(-25, 25))
		if p(0.4) {
			add("-twotheta_axis")
			add(vec(0, 1, 0)...)
		}
	}
	if p(0.1) {
		add("-pivot", []string{"sample", "beam"}[r.IntN(2)])
	}
	if p(0.1) {
		add("-curved_det", "x")
	}
	if p(0.1) {
		add("-point_pixel")
	}
	if p(0.15) {
		add("-roi", n(0, 10), n(5, 40), n(0, 10), n(5, 40))
	}
	// detector thickness and sub-sampling
	if p(0.2) {
		add("-detector_thick", f(-20, 300))
		switch r.IntN(3) {
		case 0:
			add("-detector_abs", f(50, 1000))
		case 1:
			add("-detector_abs", "inf")
		}
		if p(0.6) {
			add("-detector_thicksteps", n(0, 4))
		}
		if p(0.5) {
			add("-oversample_thick")
		}
	}
	if p(0.85) || containsArg(a, "-xtalsize") {
		add("-oversample", n(1, 3))
	}
	if p(0.15) {
		add("-oversample_polar")
	}
	if p(0.15) {
		add("-oversample_omega")
	}

	// beam
	switch r.IntN(6) {
	case 0:
		add("-lambda", f(0.6, 2))
	case 1:
		add("-energy", f(6000, 15000))
	}
	if p(0.15) {
		add("-dispersion", f(0.1, 5), "-dispsteps", n(0, 3))
	}
	if p(0.1) {
		add("-sourcefile", "@src")
	} else if p(0.22) {
		switch r.IntN(3) {
		case 0:
			add("-divergence", f(0.02, 0.5), "-divsteps", n(0, 3))
		case 1:
			add("-hdivrange", f(0.02, 0.5), "-vdivrange", f(0.02, 0.5), "-hdivstep", f(0.02, 0.2), "-vdivstep", f(0.02, 0.2))
		default:
			add("-hdivrange", f(-0.1, 0.3), "-hdivsteps", n(-1, 3), "-vdivsteps", n(-1, 3))
		}
		if p(0.5) {
			add([]string{"-round_div", "-square_div"}[r.IntN(2)])
		}
	}
	switch r.IntN(7) {
	case 0:
		add("-polar", f(0, 1))
	case 1:
		add("-nopolar")
	case 2:
		add("-polar_vector")
		add(vec(0, 0, 1)...)
	}
	switch r.IntN(8) {
	case 0:
		add("-fluence", f(1e20, 1e25))
	case 1:
		add("-flux", f(1e10, 1e13), "-exposure", f(0.1, 2), "-beamsize", f(0.0005, 0.2))
	}

	// mosaicity
	if p(0.2) {
		add("-mosaic", f(0.02, 2))
		if p(0.7) {
			add("-mosaic_dom", n(1, 4))
		}
		if p(0.5) {
			add("-mosaic_seed", n(1, 10000))
		}
	}
	// spindle
	switch r.IntN(6) {
	case 0:
		add("-phi", f(-1, 1), "-osc", f(0, 1), "-phisteps", n(0, 3))
	case 1: // a phi = 0 step after a rotated one (carry-over)
		add("-phi", "-0.1", "-phistep", "0.1", "-phisteps", n(2, 4))
	case 2:
		add("-osc", f(0, 0.5), "-phistep", f(0.05, 0.3))
	}
	if p(0.1) {
		add("-spindle_axis")
		add(vec(0, 0, 1)...)
	}
	// resolution and background
	if p(0.15) {
		add("-dmin", f(1, 10))
	}
	if p(0.1) {
		add("-water", f(1, 100))
	}
	return a
}

func containsArg(a []string, s string) bool {
	for _, x := range a {
		if x == s {
			return true
		}
	}
	return false
}

func genRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x6f62726167672e67)) }

// TestDifferentialRandom compares both engines on generated
// configurations. Seeds are fixed: CREF_DIFF_SEED sets the first (default
// 1), CREF_DIFF_N how many are compared (default 60, 15 with -short); a
// failure prints its arguments and the command that replays it alone.
func TestDifferentialRandom(t *testing.T) {
	want := 60
	if testing.Short() {
		want = 15
	}
	if v, err := strconv.Atoi(os.Getenv("CREF_DIFF_N")); err == nil && v > 0 {
		want = v
	}
	first := uint64(1)
	if v, err := strconv.ParseUint(os.Getenv("CREF_DIFF_SEED"), 10, 64); err == nil {
		first = v
	}
	ran, skipped, maxRel, differ, pixels, traced := 0, 0, 0.0, 0, 0, 0
	reasons := map[string]int{}
	filtered := false // -run selected some seeds only
	for seed := first; ran < want && seed < first+uint64(4*want); seed++ {
		args := genArgs(genRand(seed))
		executed := false
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			executed = true
			label := fmt.Sprintf("seed %d (replay: CREF_DIFF_SEED=%d CREF_DIFF_N=1 go test ./cref -run TestDifferentialRandom)", seed, seed)
			r := diffArgs(t, label, args, false)
			if r.skipped != "" {
				skipped++
				reasons[strings.SplitN(r.skipped, ":", 2)[0]]++
				t.Skipf("args %s: %s", strings.Join(args, " "), r.skipped)
			}
			ran++
			maxRel = math.Max(maxRel, r.maxRel)
			differ += r.differ
			pixels += r.pixels
			traced += r.traced
		})
		filtered = filtered || !executed
	}
	if ran < want && !filtered {
		t.Errorf("only %d of %d generated configurations could be compared (%d skipped: %v)", ran, want, skipped, reasons)
	}
	t.Logf("%d configurations compared (%d skipped: %v), %d pixels, %d pixel traces: max relative difference of the doubles %.3g, %d pixels not bit-identical",
		ran, skipped, reasons, pixels, traced, maxRel, differ)
}

// FuzzDifferential drives the same generator from a fuzzed seed; the
// configurations that do not parse or set up, or are too costly, are
// skipped.
func FuzzDifferential(f *testing.F) {
	for _, s := range []uint64{1, 2, 3, 17, 1000, 0xdeadbeef} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		args := genArgs(genRand(seed))
		if r := diffArgs(t, fmt.Sprintf("fuzz seed %d", seed), args, false); r.skipped != "" {
			t.Skip(r.skipped)
		}
	})
}

// BenchmarkRun times the C reference alone on a 256x256 detector (compare
// with the original: nanoBragg -mat A.mat -hkl P1.hkl -N 5 -detpixels 256
// -pixel 0.4 -distance 100 -oversample 2 -mosaic 0.2 -mosaic_dom 2, run with
// OMP_NUM_THREADS=1).
func BenchmarkRun(b *testing.B) {
	b.Chdir(b.TempDir())
	args := resolve(b, []string{"-mat", "@mat", "-hkl", "@hkl", "-N", "5", "-detpixels", "256", "-pixel", "0.4",
		"-distance", "100", "-oversample", "2", "-mosaic", "0.2", "-mosaic_dom", "2"})
	cfg, err := core.ParseArgs(args, -1, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	_, in, err := core.Setup(cfg, io.Discard, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Run(cfg, in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWaterBackgroundOriginalBits pins a configuration whose only pixel
// lies on a float32 rounding boundary: the background I_bg (physics.md
// §9, "2.57*2.57*r_e^2*fluence*w*w*w*1e6*N_A/18, left to right" in double)
// decides the last bit. The original nanoBragg (OMP_NUM_THREADS=1) writes
// 0x50cdcc94 here; cref and the Go engine must too (a Go engine folding
// 2.57*2.57*r_e^2 as exact constants writes 0x50cdcc95).
func TestWaterBackgroundOriginalBits(t *testing.T) {
	t.Chdir(t.TempDir())
	args := []string{"-cell", "50", "-default_F", "1", "-tophat_spots", "-fudge", "1000", "-detpixels", "1", "-pixel", "0.1",
		"-oversample", "1", "-nopolar", "-N", "2", "-water", "50.00000046538817"}
	const origBits = 0x50cdcc94
	cfg, err := core.ParseArgs(args, -1, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	plan, in, err := core.Setup(cfg, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c, err := RunOpts(cfg, in, Options{KeepFloat64: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := math.Float32bits(c.Pixels[0]); got != origBits {
		t.Fatalf("cref pixel %#x (%.17g before the store), the original writes %#x", got, c.Values[0], origBits)
	}
	g, _, err := core.Render(context.Background(), plan, core.Options{Kernel: core.ExactKernel{}, KeepFloat64: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := math.Float32bits(g.Pixels[0]); got != origBits {
		t.Fatalf("Go pixel %#x (%.17g), original and cref %#x (%.17g)", got, g.Values[0], origBits, c.Values[0])
	}
}
