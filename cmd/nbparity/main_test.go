package main

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gobragg/gobragg/cref"
	"github.com/gobragg/gobragg/internal/synth"
)

// small is a quick case (phi sweep, ROI) on synthetic inputs.
const small = "-mat A.mat -hkl P1.hkl -lambda 1 -N 5 -distance 100 -detpixels 64 -pixel 0.8 -phi 10 -osc 1 -phisteps 2 -oversample 1 -nonoise -nopgm"

func inputsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "A.mat"), []byte(synth.Mat), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "P1.hkl"), synth.HKL(15), 0o644))
	t.Chdir(dir)
	return dir
}

func runParity(t *testing.T, args string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	rc := run(strings.Fields(args), &out, &errb)
	return out.String(), errb.String(), rc
}

func TestAgreeTraceAndPicture(t *testing.T) {
	if !cref.Available() {
		t.Skip("cref needs cgo")
	}
	dir := inputsDir(t)
	out, stderr, rc := runParity(t, "-trace 20,30 -png d.png -json r.json -out . -- "+small)
	require.Equal(t, 0, rc, "%s%s", out, stderr)
	require.Contains(t, out, "AGREE")
	require.Contains(t, out, "trace of pixel fast 20 slow 30")
	for _, q := range []string{"pix0", "pixel_pos", "diffracted", "scattering", "h,k,l", "F_cell", "F_latt", "polar", "omega", "capture", "I (sum)", "value"} {
		require.Contains(t, out, "  "+q+" ", q)
	}
	require.Contains(t, out, "all traced quantities agree")
	f, err := os.Open(filepath.Join(dir, "d.png"))
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	require.Equal(t, 3*64+16, img.Bounds().Dx())
	require.Equal(t, 64+32, img.Bounds().Dy())
	for _, name := range []string{"r.json", "go.bin", "c.bin"} {
		_, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err, name)
	}
	_, err = os.Stat(filepath.Join(dir, "Fdump.bin"))
	require.True(t, os.IsNotExist(err), "nbparity must not leave Fdump.bin in the working folder")
}

// TestPerturbed: an external "C" binary whose image differs in one pixel
// makes nbparity exit 1 and name that pixel.
func TestPerturbed(t *testing.T) {
	if !cref.Available() {
		t.Skip("cref needs cgo")
	}
	dir := inputsDir(t)
	_, stderr, rc := runParity(t, "-out . -- "+small)
	require.Equal(t, 0, rc, stderr)
	raw, err := os.ReadFile(filepath.Join(dir, "go.bin"))
	require.NoError(t, err)
	const fast, slow = 41, 17
	i := 4 * (slow*64 + fast)
	v := math.Float32frombits(binary.LittleEndian.Uint32(raw[i:]))
	if v == 0 {
		v = 1
	}
	binary.LittleEndian.PutUint32(raw[i:], math.Float32bits(v*1.001))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "perturbed.bin"), raw, 0o644))
	script := "#!/bin/sh\ncp " + filepath.Join(dir, "perturbed.bin") + " c.bin\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fake-nanoBragg"), []byte(script), 0o755))
	out, _, rc := runParity(t, "-c-bin "+filepath.Join(dir, "fake-nanoBragg")+" -- "+small)
	require.Equal(t, 1, rc, out)
	require.Contains(t, out, "DIFFER")
	require.Contains(t, out, "worst pixel      fast 41 slow 17")
	require.Contains(t, out, "beyond tolerance 1 pixels")
}

func TestUsageErrors(t *testing.T) {
	for _, args := range []string{"", "-rel 1e-6", "-- ", "-trace 1 -- -cell 10", "-bogus -- -cell 10", "-- -cell 10 -default_F 1 -bogus"} {
		_, stderr, rc := runParity(t, args)
		require.Equal(t, 2, rc, args)
		require.NotEmpty(t, stderr, args)
	}
}

func TestExternalArgs(t *testing.T) {
	got, err := externalArgs(strings.Fields("-hkl x.hkl -floatfile /abs/f.bin -intfile i.img -stol w.stol -N 2"), "/tmp/run")
	require.NoError(t, err)
	require.True(t, filepath.IsAbs(got[1]))
	require.Equal(t, "/tmp/run/c.bin", got[3])
	require.Equal(t, "/tmp/run/i.img", got[5])
	require.True(t, filepath.IsAbs(got[7]))
	require.Equal(t, "2", got[9])
}

// TestGoldenCases runs nbparity on the golden cases' arguments (exit 0).
func TestGoldenCases(t *testing.T) {
	if !cref.Available() {
		t.Skip("cref needs cgo")
	}
	golden, _ := filepath.Abs("../../../shared/golden")
	entries, err := os.ReadDir(golden)
	if err != nil {
		t.Skipf("golden outputs not found at %s: %v", golden, err)
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "g") || (testing.Short() && e.Name() > "g04") {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(golden, e.Name(), "args"))
			require.NoError(t, err)
			dir := t.TempDir()
			require.NoError(t, os.Symlink(filepath.Join(golden, "inputs"), filepath.Join(dir, "inputs")))
			t.Chdir(dir)
			out, stderr, rc := runParity(t, "-- "+string(raw))
			require.Equal(t, 0, rc, "%s%s", out, stderr)
			require.Contains(t, out, "bit-identical")
		})
	}
}
