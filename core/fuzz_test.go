package core

import (
	"io"
	"strings"
	"testing"
)

// FuzzParseArgs: the option parser never panics; it returns a config or a
// one-line error.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{
		"-cell 100 100 100 90 90 90 -default_F 100 -N 2",
		"-misset_seed 30 -cell 100 -misset random",
		"-twotheta_axis 3 0 1 -pivot sample -Xbeam 1e300",
		"-roi 1 2 3 -detpixels 0x10 -lambda nan(123)",
		"-cell -N -Na -printout_pixel 3 -detector_abs",
		"-detsize_x 50 -matrix -wavelength inf -mosaic_dom -2147483649",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseArgs(strings.Fields(s), -1, io.Discard)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error: %q", err)
			}
			return
		}
		if c == nil {
			t.Fatal("nil config without error")
		}
	})
}
