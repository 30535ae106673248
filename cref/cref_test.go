//go:build cgo

package cref

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobragg/gobragg/core"
	"github.com/gobragg/gobragg/core/files"
)

// goldenDir holds the original's reference images (see its README.md).
const goldenDir = "../../shared/golden"

// pending lists golden cases that are known not to reproduce bit for bit,
// with the reason. They are run and reported but do not fail the test.
var pending = map[string]string{}

func loadGoldenCase(t *testing.T, dir string) (*core.Config, *core.Inputs) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatal(err)
	}
	absGolden, err := filepath.Abs(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Fields(string(raw))
	for i, a := range args {
		if strings.HasPrefix(a, "inputs/") {
			args[i] = filepath.Join(absGolden, a)
		}
	}
	cfg, err := core.ParseArgs(args, -1, io.Discard)
	if err != nil {
		t.Fatalf("ParseArgs: %v", err)
	}
	in := &core.Inputs{}
	if cfg.HKLFile != "" {
		g, err := files.ReadHKL(cfg.HKLFile, cfg.DefaultF, io.Discard)
		if err != nil {
			t.Fatalf("ReadHKL: %v", err)
		}
		in.HKL = g
	}
	if cfg.MatFile != "" {
		m, rows, err := files.ReadMatrix(cfg.MatFile)
		if err == nil {
			in.Mat, in.MatRows, in.HasMat = m, rows, true
		}
	}
	if cfg.SourceFile != "" {
		cols, _, err := files.ReadColumns(cfg.SourceFile, 5)
		if err != nil {
			t.Fatalf("ReadColumns: %v", err)
		}
		in.SourceCols = cols
	}
	return cfg, in
}

func readFloatImage(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

func TestGolden(t *testing.T) {
	if _, err := os.Stat(filepath.Join(goldenDir, "MANIFEST.tsv")); err != nil {
		t.Skipf("golden images not found at %s: %v", goldenDir, err)
	}
	dirs, err := filepath.Glob(filepath.Join(goldenDir, "g[0-9][0-9]_*"))
	if err != nil || len(dirs) == 0 {
		t.Skipf("no golden cases under %s", goldenDir)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			cfg, in := loadGoldenCase(t, dir)
			img, err := Run(cfg, in)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			want := readFloatImage(t, filepath.Join(dir, "float.bin"))
			if len(want) != len(img.Pixels) {
				t.Fatalf("image has %d pixels (%dx%d), golden %d", len(img.Pixels), img.FPixels, img.SPixels, len(want))
			}
			diff, first, maxRel := 0, -1, 0.0
			for i := range want {
				if math.Float32bits(want[i]) != math.Float32bits(img.Pixels[i]) {
					diff++
					if first < 0 {
						first = i
					}
					w, g := float64(want[i]), float64(img.Pixels[i])
					if r := math.Abs(g-w) / math.Max(math.Abs(w), 1e-30); r > maxRel {
						maxRel = r
					}
				}
			}
			checkStats(t, dir, img)
			if diff == 0 {
				if reason, ok := pending[name]; ok {
					t.Logf("pending case now reproduces bit for bit (was: %s); remove it from the pending list", reason)
				}
				return
			}
			msg := "%d of %d pixels differ (first at fast %d slow %d: got %g want %g; max rel diff %.3g)"
			fargs := []any{diff, len(want), first % img.FPixels, first / img.FPixels, img.Pixels[first], want[first], maxRel}
			if reason, ok := pending[name]; ok {
				t.Skipf("pending (%s): "+msg, append([]any{reason}, fargs...)...)
			}
			t.Errorf(msg, fargs...)
		})
	}
}

// TestG01HandBuilt runs g01 from a Config built by hand (no parser).
func TestG01HandBuilt(t *testing.T) {
	dir := filepath.Join(goldenDir, "g01_cubic_defaultF")
	if _, err := os.Stat(filepath.Join(dir, "float.bin")); err != nil {
		t.Skipf("golden case g01 not found: %v", err)
	}
	// -cell 50 50 50 90 90 90 -default_F 100 -N 8 -lambda 1.0 -distance 100 -detpixels 128 -pixel 0.2
	cfg := core.NewConfig(-1)
	cfg.UserCell = true
	cfg.CellA, cfg.CellB, cfg.CellC = 50, 50, 50
	cfg.Alpha, cfg.Beta, cfg.Gamma = 90/core.RTD, 90/core.RTD, 90/core.RTD
	cfg.DefaultF = 100
	cfg.Na, cfg.Nb, cfg.Nc = 8, 8, 8
	cfg.Lambda0 = 1.0 / 1e10
	cfg.Distance = 100 / 1000.0
	cfg.Pivot = core.PivotBeam
	cfg.FPixels, cfg.SPixels = 128, 128
	cfg.PixelSize = 0.2 / 1000.0
	img, err := Run(cfg, &core.Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	want := readFloatImage(t, filepath.Join(dir, "float.bin"))
	if len(want) != len(img.Pixels) {
		t.Fatalf("got %d pixels, want %d", len(img.Pixels), len(want))
	}
	for i := range want {
		if math.Float32bits(want[i]) != math.Float32bits(img.Pixels[i]) {
			t.Fatalf("pixel %d: got %g want %g", i, img.Pixels[i], want[i])
		}
	}
	if img.Stats.Steps != 9 {
		t.Errorf("steps %d, want 9 (auto-selected 3-fold oversampling)", img.Stats.Steps)
	}
}

// checkStats compares the statistics with the lines the original printed
// (cli.md §7.2), at the printed precision (%g, six significant digits).
func checkStats(t *testing.T, dir string, img *core.Image) {
	t.Helper()
	out, err := os.ReadFile(filepath.Join(dir, "stdout.txt"))
	if err != nil {
		t.Logf("no stdout.txt: %v", err)
		return
	}
	s := img.Stats
	g := func(v float64) string { return fmt.Sprintf("%.6g", v) }
	want := []string{
		fmt.Sprintf("solid angle subtended by detector = %s steradian ( %s%% sphere)",
			g(s.OmegaSum/float64(s.Steps)), g(100*s.OmegaSum/float64(s.Steps)/4/math.Pi)),
		fmt.Sprintf("max_I = %s  at %s %s", g(s.MaxI), g(s.MaxIX), g(s.MaxIY)),
		fmt.Sprintf("mean= %s rms= %s rmsd= %s", g(s.Mean), g(s.RMS), g(s.RMSD)),
	}
	lines := strings.Split(string(out), "\n")
	for _, w := range want {
		found := false
		for _, l := range lines {
			if l == w {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("statistics line %q not in the original's output", w)
		}
	}
}

// Known-answer values of noise-rng.md §12.
func TestRan1KnownAnswers(t *testing.T) {
	runMu.Lock()
	defer runMu.Unlock()
	cases := []struct {
		seed  int64
		bits  []uint32
		after int64
	}{
		{-1, []uint32{0x3ed4fdde, 0x3dbc5817, 0x3f41a41e, 0x3f079a6f, 0x3f6e3116, 0x3ec45a62, 0x3f27673c, 0x3d88e495}, 1899894091},
	}
	for _, c := range cases {
		resetRan1()
		w := c.seed
		for i, b := range c.bits {
			if got := ran1(&w); math.Float32bits(got) != b {
				t.Errorf("ran1 seed %d draw %d: got %#x want %#x", c.seed, i, math.Float32bits(got), b)
			}
		}
		if w != c.after {
			t.Errorf("ran1 seed %d: word afterwards %d, want %d", c.seed, w, c.after)
		}
	}
	resetRan1()
	w := int64(-12345678)
	want := []float32{0.765989304, 0.023453664, 0.589726627, 0.535101593, 0.982231438, 0.693016112, 0.328146875, 0.29564169}
	for i, v := range want {
		if got := ran1(&w); got != v {
			t.Errorf("ran1 -12345678 draw %d: got %.9g want %.9g", i, got, v)
		}
	}
	if w != 716607775 {
		t.Errorf("word afterwards %d", w)
	}
}

func TestMosaicUmatKnownAnswer(t *testing.T) {
	runMu.Lock()
	defer runMu.Unlock()
	resetRan1()
	w := int64(-12345678)
	spread := float64(float32(1 / core.RTD))
	first := mosaicUmat(spread, &w)
	second := mosaicUmat(spread, &w)
	want1 := [9]float64{0.99986449752590911, 0.016451908512331283, -0.00056682763088982736, -0.01645463317913215, 0.99985112005937082, -0.005194493523134629, 0.00048128390941530775, 0.0052031165971526822, 0.99998634787854723}
	want2 := [9]float64{0.99986368592193575, -0.01594877166007503, 0.0042715637810345434, 0.015952848100370585, 0.99987232016945238, -0.00092195251648568416, -0.0042563143783279477, 0.00098997044952826353, 0.99999045182762714}
	for i := range want1 {
		if first[i] != want1[i] {
			t.Errorf("first matrix [%d]: got %.17g want %.17g", i, first[i], want1[i])
		}
		if second[i] != want2[i] {
			t.Errorf("second matrix [%d]: got %.17g want %.17g", i, second[i], want2[i])
		}
	}
}

func TestRandomMissetKnownAnswer(t *testing.T) {
	runMu.Lock()
	defer runMu.Unlock()
	for _, c := range []struct {
		seed int64
		deg  [3]float64
	}{
		{12345, [3]float64{105.72075473063305, -34.951318363186608, -97.823571440655073}},
	} {
		resetRan1()
		w := -c.seed
		u := mosaicUmat(90.0, &w)
		ang := umat2misset(u)
		for i := range ang {
			if got := ang[i] * core.RTD; math.Abs(got-c.deg[i]) > 1e-9 {
				t.Errorf("seed %d angle %d: got %.17g want %.17g", c.seed, i, got, c.deg[i])
			}
		}
	}
}

// extraCases are configurations outside the golden set. They are compared
// against the original program when CREF_ORIG names its executable (run
// with one thread in a scratch directory holding the golden inputs).
var extraCases = [][]string{
	{"-cell", "40", "-default_F", "10", "-N", "3", "-detpixels", "48", "-pixel", "0.5", "-distance", "60"},
	{"-cell", "70", "80", "90", "75", "85", "95", "-default_F", "10", "-N", "4", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-misset_seed", "12345", "-misset", "random", "-N", "5", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "2", "-detpixels", "64", "-pixel", "0.5", "-distance", "50", "-oversample", "1"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "5", "-detpixels", "64", "-pixel", "0.5", "-oversample", "2", "-oversample_omega", "-oversample_polar", "-nopolar", "-polar", "0.5"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "5", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-phisteps", "3"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "5", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-phisteps", "0", "-osc", "0.2"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "5", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-detector_thick", "-5", "-detector_thicksteps", "3"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "5", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-mosaic", "0.4", "-divergence", "0.28", "-hdivstep", "0.02", "-vdivstep", "0.02"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "5", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-hdivrange", "0.1", "-hdivstep", "0.1", "-hdivsteps", "5", "-water", "10", "-dmin", "2"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "5", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-twotheta_axis", "3", "0", "1", "-curved_det", "x", "-round_xtal", "-fudge", "0.7"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "5", "-detpixels", "64", "-pixel", "0.5", "-odet_vector", "-1", "0", "0.0001", "-xtalsize", "0.0001", "-nointerpolate"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "2", "-detpixels", "96", "-pixel", "0.6", "-distance", "40", "-oversample", "1"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-cell", "33", "40", "48", "-N", "4", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-sourcefile", "inputs/sources.txt", "-roi", "5", "50", "10", "40"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "4", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-detector_abs", "inf", "-detector_thick", "100", "-dispersion", "1"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "4", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-phisteps", "4", "-phistep", "0.1", "-phi", "-0.1", "-dials", "-twotheta", "20", "-ORGX", "10"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "4", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-adxv", "-detector_rotz", "30", "-gauss_xtal", "-mosaic", "1", "-mosaic_domains", "3"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "4", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-beam_vector", "0", "0", "1", "-fdet_vector", "1", "0", "0", "-sdet_vector", "0", "1", "0", "-odet_vector", "0", "0", "1", "-Xclose", "20", "-twotheta", "5", "-tophat_spots", "-mosaic", "0.3"},
	{"-cell", "32", "41", "47", "86", "93", "97", "-misset", "10", "20", "30", "-hkl", "inputs/P1.hkl", "-N", "3", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-energy", "9000", "-polar", "1", "-square_div", "-vdivrange", "0.5", "-vdivsteps", "4"},
	{"-mat", "inputs/A.mat", "-hkl", "inputs/P1.hkl", "-N", "4", "-mask", "inputs/mask.img", "-oversample", "2", "-oversample_thick", "-detector_thick", "200", "-point_pixel"},
}

func TestAgainstOriginal(t *testing.T) {
	orig := os.Getenv("CREF_ORIG")
	if orig == "" {
		t.Skip("set CREF_ORIG to the original nanoBragg executable to run these comparisons")
	}
	absGolden, err := filepath.Abs(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	for n, args := range extraCases {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			work := t.TempDir()
			if err := os.Symlink(filepath.Join(absGolden, "inputs"), filepath.Join(work, "inputs")); err != nil {
				t.Fatal(err)
			}
			full := append(append([]string(nil), args...), "-floatfile", "float.bin", "-nonoise", "-nopgm", "-noprogress")
			cmd := exec.Command(orig, full...)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("original: %v\n%s", err, out)
			}
			want := readFloatImage(t, filepath.Join(work, "float.bin"))
			local := append([]string(nil), full...)
			for i, a := range local {
				if strings.HasPrefix(a, "inputs/") {
					local[i] = filepath.Join(absGolden, a)
				}
			}
			cfg, err := core.ParseArgs(local, -1, io.Discard)
			if err != nil {
				t.Fatalf("ParseArgs: %v", err)
			}
			in := &core.Inputs{}
			if cfg.HKLFile != "" {
				if in.HKL, err = files.ReadHKL(cfg.HKLFile, cfg.DefaultF, io.Discard); err != nil {
					t.Fatal(err)
				}
			}
			if cfg.MatFile != "" {
				if m, rows, err := files.ReadMatrix(cfg.MatFile); err == nil {
					in.Mat, in.MatRows, in.HasMat = m, rows, true
				}
			}
			if cfg.SourceFile != "" {
				if in.SourceCols, _, err = files.ReadColumns(cfg.SourceFile, 5); err != nil {
					t.Fatal(err)
				}
			}
			img, err := Run(cfg, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) != len(img.Pixels) {
				t.Fatalf("size %d vs %d", len(img.Pixels), len(want))
			}
			diff, first := 0, -1
			for i := range want {
				if math.Float32bits(want[i]) != math.Float32bits(img.Pixels[i]) {
					diff++
					if first < 0 {
						first = i
					}
				}
			}
			if diff != 0 {
				t.Errorf("%v: %d pixels differ, first %d: got %g want %g", args, diff, first, img.Pixels[first], want[first])
			}
		})
	}
}
