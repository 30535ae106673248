package files

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

func fuzzFile(t *testing.T, data []byte) string {
	p := filepath.Join(t.TempDir(), "in")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// lowGridLimit keeps fuzzed grids small (a fuzz worker allocating 2 GB
// per input is slow enough to fail a bounded run).
func lowGridLimit(f *testing.F) {
	old := gridLimit
	gridLimit = 1 << 20
	f.Cleanup(func() { gridLimit = old })
}

func FuzzReadHKL(f *testing.F) {
	lowGridLimit(f)
	for _, s := range []string{"1 2 3 4\n-1 0 0 5.5\n", "1.0 0 0 3\n0.5 0 0 2\n", "# c\n1 2 3 4", "1 2 3 4 5\n6 7 8 9 10\n", "0x1p3 1e2 nan inf\n", "4294967297 0 0 1\n"} {
		f.Add([]byte(s), 0.0)
	}
	f.Fuzz(func(t *testing.T, data []byte, defaultF float64) {
		g, err := ReadHKL(fuzzFile(t, data), defaultF, io.Discard)
		if err == nil && len(g.F) != (g.HRange+1)*(g.KRange+1)*(g.LRange+1) {
			t.Fatalf("grid size %d for ranges %d %d %d", len(g.F), g.HRange, g.KRange, g.LRange)
		}
	})
}

func FuzzReadFdump(f *testing.F) {
	lowGridLimit(f)
	f.Add([]byte("-1 1 0 1 0 1\n\f" + string(make([]byte, 288))))
	f.Add([]byte("0 0 0 0 0 0\n\f \t"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ReadFdump(fuzzFile(t, data))
		if err == nil && len(g.F) != (g.HRange+1)*(g.KRange+1)*(g.LRange+1) {
			t.Fatalf("grid size %d", len(g.F))
		}
	})
}

func FuzzReadColumns(f *testing.F) {
	for _, s := range []string{"-10,0;0:1!1e-10\n", "-10 nan 0.001 3\n# comment\n", "-10 0 0\r\n", "-10 0 0", "-10abc 5\n\n\n"} {
		f.Add([]byte(s), 5)
	}
	f.Fuzz(func(t *testing.T, data []byte, nargs int) {
		if nargs < 1 || nargs > 8 {
			return
		}
		cols, n, err := ReadColumns(fuzzFile(t, data), nargs)
		if err != nil {
			return
		}
		for _, c := range cols {
			if len(c) < n {
				t.Fatalf("column of %d values for %d lines", len(c), n)
			}
		}
	})
}

func FuzzReadSMV(f *testing.F) {
	h := FormatSMVHeader(&SMVHeader{FPixels: 2, SPixels: 2, PixelSizeMM: 0.1, DistanceMM: 100, WavelengthA: 1})
	f.Add(append(h, 1, 0, 2, 0, 3, 0, 4, 0))
	f.Add([]byte("{\nHEADER_BYTES=1024;\nSIZE1=3;\nSIZE2=1;\n}"))
	f.Add([]byte("{\nHEADER_BYTX"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := ReadSMV(fuzzFile(t, data))
		if err == nil && len(fr.Data) < fr.Width*fr.Height {
			t.Fatalf("%d pixels for %dx%d", len(fr.Data), fr.Width, fr.Height)
		}
	})
}

func FuzzReadMatrix(f *testing.F) {
	f.Add([]byte("1 2 3\n4 5 6\n7 8 9\n"))
	f.Add([]byte("1 2 . 4 5 6 7 8 9"))
	f.Add([]byte("1e 2 0x 3 nan inf"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, rows, err := ReadMatrix(fuzzFile(t, data))
		if err == nil && (rows < 0 || rows > 3) {
			t.Fatalf("rows = %d", rows)
		}
	})
}
