package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// inputFlags name the options whose value is an input file (substring
// match, as the original matches them).
var inputFlags = []string{"-hkl", "-mat", "-sourcefile", "-img", "-mask", "-dump"}

// outputFlags name the options whose value is an output file.
var outputFlags = []string{"-floatfile", "-floatimage", "-intfile", "-intimage", "-pgmfile", "-pgmimage", "-noisefile", "-noiseimage"}

func matchesAny(a string, flags []string) bool {
	for _, f := range flags {
		if strings.Contains(a, f) {
			return true
		}
	}
	return false
}

// externalArgs rewrites the arguments for a run in dir: input files become
// absolute paths, outputs stay inside dir, the float image goes to c.bin.
func externalArgs(args []string, dir string) ([]string, error) {
	out := append([]string(nil), args...)
	hasFloat := false
	for i := 0; i+1 < len(out); i++ {
		a := out[i]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		isStol := a == "-stol" || a == "-4stol" || a == "-Q"
		switch {
		case strings.Contains(a, "-floatfile") || strings.Contains(a, "-floatimage"):
			out[i+1] = filepath.Join(dir, "c.bin")
			hasFloat = true
		case matchesAny(a, outputFlags):
			out[i+1] = filepath.Join(dir, filepath.Base(out[i+1]))
		case matchesAny(a, inputFlags) || isStol:
			abs, err := filepath.Abs(out[i+1])
			if err != nil {
				return nil, err
			}
			out[i+1] = abs
		}
	}
	if !hasFloat {
		out = append(out, "-floatfile", filepath.Join(dir, "c.bin"))
	}
	return out, nil
}

// runExternal runs an original nanoBragg binary in a fresh folder below tmp
// and reads its float image.
func runExternal(bin string, args []string, tmp string, pixels int) ([]float32, error) {
	dir := filepath.Join(tmp, "c-run")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	xargs, err := externalArgs(args, dir)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, xargs...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1")
	var errb bytes.Buffer
	cmd.Stdout = nil
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %v: %s", bin, err, strings.TrimSpace(errb.String()))
	}
	raw, err := os.ReadFile(filepath.Join(dir, "c.bin"))
	if err != nil {
		return nil, err
	}
	if len(raw) != 4*pixels {
		return nil, fmt.Errorf("%s wrote %d bytes, want %d (%d pixels)", bin, len(raw), 4*pixels, pixels)
	}
	pix := make([]float32, pixels)
	for i := range pix {
		pix[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return pix, nil
}
