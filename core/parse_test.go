package core

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func parse(t *testing.T, args string) *Config {
	t.Helper()
	c, err := ParseArgs(strings.Fields(args), -7, &bytes.Buffer{})
	require.NoError(t, err)
	return c
}

func TestParseSubstringRules(t *testing.T) {
	c := parse(t, "-matrix A.mat -wavelength 1.5 -mosaicity 0.3 -mosaic_domains 4 -curved_detector x")
	require.Equal(t, "A.mat", c.MatFile)
	require.Equal(t, 1.5/1e10, c.Lambda0)
	v03 := 0.3
	require.Equal(t, v03/RTD, c.MosaicSpread)
	require.Equal(t, 4, c.MosaicDomains)
	require.True(t, c.Curved)

	// -misset_seed N also sets misset angles when three arguments follow (Q2)
	c = parse(t, "-misset_seed 30 -cell 100")
	require.Equal(t, [4]float64{1, 30 / RTD, 0, 100 / RTD}, c.Misset)
	require.Equal(t, int64(-30), c.MissetSeed)
	c = parse(t, "-misset random -misset_seed 12345")
	require.Equal(t, -1.0, c.Misset[0])

	// -twotheta_axis also sets the angle and the sample pivot (Q3)
	c = parse(t, "-twotheta_axis 3 0 1")
	require.Equal(t, CUSTOM, c.Convention)
	require.Equal(t, 3/RTD, c.TwoTheta)
	require.Equal(t, PivotSample, c.Pivot)
	require.Equal(t, [3]float64{3, 0, 1}, c.TwoThetaAxis)

	// guards: -phisteps does not touch -phi; -detpixels_x only the fast axis
	c = parse(t, "-phisteps 3 -detpixels_x 40 -hdivsteps 3 -detector_thicksteps 3")
	require.Equal(t, 0.0, c.Phi0)
	require.Equal(t, 3, c.PhiSteps)
	require.Equal(t, 40, c.FPixels)
	require.Equal(t, 0, c.SPixels)
	require.Equal(t, 3, c.HDivSteps)
	require.Equal(t, -1, c.VDivSteps)
	require.Equal(t, 3, c.DetectorThicksteps)
	require.Equal(t, 0.0, c.DetectorThick)

	// C number parsing and later-wins order
	c = parse(t, "-distance 100mm -N 2.9 -lambda 0x1p0 -pixel .1 -detpixels 32abc -nonoise -noisefile n.img -pgmfile x.pgm -nopgm")
	require.Equal(t, 0.1, c.Distance)
	require.Equal(t, 2.0, c.Na)
	require.Equal(t, 1/1e10, c.Lambda0)
	require.Equal(t, 0.1/1000.0, c.PixelSize)
	require.Equal(t, 32, c.FPixels)
	require.True(t, c.CalcNoise)
	require.False(t, c.WritePGM)

	// -cell stops at the first value starting with '-'
	c = parse(t, "-cell 50 -default_F 100")
	require.Equal(t, 50.0, c.CellA)
	require.Equal(t, 0.0, c.CellB)
	require.True(t, c.UserCell)

	// -detector_abs inf zeroes the thickness; -polar re-enables polarisation
	c = parse(t, "-detector_thick 100 -detector_abs inf -nopolar -polar 0.5")
	require.Equal(t, 0.0, c.DetectorThick)
	require.Equal(t, 0.0, c.DetectorMu)
	require.False(t, c.NoPolar)
	require.Equal(t, 0.5, c.Polarization)
	require.True(t, math.IsNaN(c.CloseDistance))
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"-foo", "unknown option -foo"},
		{"-detsize_x 50", "unknown option -detsize_x (did you mean -detsize_f?)"},
		{"-distance", "-distance is missing its value"},
		{"-detector_abs", "-detector_abs is missing its value"},
		{"-misset 10 20", "-misset is missing its value"},
		{"-roi 1 2 3", "-roi is missing its value"},
		{"-distance nan", "not a finite number"},
		{"-lambda inf", "not a finite number"},
		{"-N abc", "not a number"},
		{"-cell 100 -5", "unexpected argument -5"},
	} {
		_, err := ParseArgs(strings.Fields(tc.args), -1, &bytes.Buffer{})
		require.Error(t, err, tc.args)
		require.Contains(t, err.Error(), tc.want, tc.args)
		require.NotContains(t, err.Error(), "\n")
	}
}

// TestBadInputs: every bad input exits non-zero with one stderr line and
// leaves no output file behind.
func TestBadInputs(t *testing.T) {
	base := "-cell 100 100 100 90 90 90 -default_F 100 -N 2 -detpixels 8 -nonoise -nopgm "
	dir := t.TempDir()
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("empty.hkl", "")
	write("garbage.hkl", "# h k l F\n1 2 3 4\n")
	write("nolambda.txt", "-10 0 0")
	write("short.img", "{\nHEADER_BYTES=512;\n")
	write("good.hkl", "0 0 0 10\n1 0 0 5\n")
	t.Chdir(dir)
	for _, a := range []string{
		"-lambda 0", "-lambda -1", "-pixel 0", "-detpixels -5", "-detpixels 100000",
		"-hkl missing.hkl", "-hkl empty.hkl", "-hkl garbage.hkl", "-sourcefile nolambda.txt",
		"-sourcefile missing.txt", "-floatfile nodir/f.bin", "-intfile nodir/i.img",
		"-img short.img", "-mask short.img", "-mat missing.mat", "-stol missing.stol", "-stol empty.hkl",
		"-distance", "-bogus 3",
		"-hkl good.hkl -sourcefile missing.txt", // no Fdump.bin either
	} {
		var out, errb bytes.Buffer
		rc := Main(context.Background(), strings.Fields(base+a), RunOptions{Stdout: &out, Stderr: &errb, ClockSeed: -1})
		require.NotEqual(t, 0, rc, a)
		lines := strings.Split(strings.TrimRight(errb.String(), "\n"), "\n")
		require.LessOrEqual(t, len(lines), 3, "%s: %q", a, errb.String())
		require.NotEmpty(t, errb.String(), a)
		require.NotContains(t, errb.String(), "panic", a)
		for _, f := range []string{"floatimage.bin", "intimage.img", "image.pgm", "noiseimage.img", "Fdump.bin"} {
			_, err := os.Stat(f)
			require.True(t, os.IsNotExist(err), "%s left %s behind", a, f)
		}
	}
}

// TestCancel: a cancelled run stops promptly and leaves no output file.
func TestCancel(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	args := strings.Fields("-cell 100 100 100 90 90 90 -default_F 100 -N 5 -detpixels 2048 -oversample 4 -nopgm")
	rc := Main(ctx, args, RunOptions{Stdout: &out, Stderr: &errb, ClockSeed: -1})
	require.Equal(t, 130, rc)
	require.Contains(t, errb.String(), "interrupted")
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	require.Empty(t, entries, "files left behind")
}
