package core

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// goldenDir is where CI places the shared golden outputs of the original.
const goldenDir = "../../shared/golden"

// goldenAbs is goldenDir made absolute before any test changes directory.
var goldenAbs, _ = filepath.Abs(goldenDir)

type goldenCase struct {
	name string
	dir  string
	args []string
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	abs := goldenAbs
	if _, err := os.Stat(filepath.Join(abs, "MANIFEST.tsv")); err != nil {
		t.Skipf("golden outputs not found at %s (CI places ../shared/golden beside the checkout): %v", abs, err)
	}
	entries, err := os.ReadDir(abs)
	require.NoError(t, err)
	var cases []goldenCase
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "g") {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(abs, e.Name(), "args"))
		require.NoError(t, err)
		if testing.Short() && !strings.HasPrefix(e.Name(), "g01") && !strings.HasPrefix(e.Name(), "g03") && !strings.HasPrefix(e.Name(), "g11") {
			continue // -short: one plain case, the phi = 0 case and the output-files case
		}
		cases = append(cases, goldenCase{e.Name(), filepath.Join(abs, e.Name()), strings.Fields(string(raw))})
	}
	require.NotEmpty(t, cases)
	return cases
}

// runInDir runs the command line in a fresh directory holding inputs/ and
// returns stdout, stderr and the exit status.
func runInDir(t *testing.T, dir string, args []string, workers int, k Kernel) (string, string, int) {
	t.Helper()
	inputs := filepath.Join(goldenAbs, "inputs")
	require.NoError(t, os.Symlink(inputs, filepath.Join(dir, "inputs")))
	t.Chdir(dir)
	var out, errb bytes.Buffer
	rc := Main(context.Background(), args, RunOptions{Stdout: &out, Stderr: &errb, Workers: workers, Kernel: k, ClockSeed: -1})
	return out.String(), errb.String(), rc
}

// maskAddress removes the heap address the original prints for -mask/-img.
func maskAddress(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "mmap(") {
			lines[i] = l[:strings.Index(l, "=")]
		}
	}
	return strings.Join(lines, "\n")
}

// TestGoldenExact runs every golden case through the Go core in-process
// and requires bit-identical files and identical console output.
func TestGoldenExact(t *testing.T) {
	for _, gc := range goldenCases(t) {
		t.Run(gc.name, func(t *testing.T) {
			dir := t.TempDir()
			stdout, stderr, rc := runInDir(t, dir, gc.args, 2, ExactKernel{})
			require.Equal(t, 0, rc, "stderr: %s", stderr)
			want, err := os.ReadFile(filepath.Join(gc.dir, "stdout.txt"))
			require.NoError(t, err)
			require.Equal(t, maskAddress(string(want)), maskAddress(stdout), "console output")
			for _, f := range []string{"float.bin", "int.img", "noise.img", "image.pgm"} {
				want, err := os.ReadFile(filepath.Join(gc.dir, f))
				if os.IsNotExist(err) {
					continue
				}
				require.NoError(t, err)
				got, err := os.ReadFile(filepath.Join(dir, f))
				require.NoError(t, err)
				require.True(t, bytes.Equal(want, got), "%s differs from the original's", f)
			}
		})
	}
}

// TestThreadIndependence: the same arguments give byte-identical outputs
// with GOMAXPROCS 1, 2 and 3 (phi = 0 carry-over and mosaic cases).
func TestThreadIndependence(t *testing.T) {
	for _, gc := range goldenCases(t) {
		if !strings.HasPrefix(gc.name, "g03") && !strings.HasPrefix(gc.name, "g04") && !strings.HasPrefix(gc.name, "g13") {
			continue
		}
		t.Run(gc.name, func(t *testing.T) {
			var ref []byte
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
			for _, w := range []int{1, 2, 3} {
				runtime.GOMAXPROCS(w)
				dir := t.TempDir()
				_, stderr, rc := runInDir(t, dir, gc.args, 0, SIMDKernel{})
				require.Equal(t, 0, rc, stderr)
				got, err := os.ReadFile(filepath.Join(dir, "float.bin"))
				require.NoError(t, err)
				if ref == nil {
					ref = got
					continue
				}
				require.True(t, bytes.Equal(ref, got), "GOMAXPROCS=%d differs from GOMAXPROCS=1", w)
			}
		})
	}
}
