// Command gobragg-demo runs a real simulation of a built-in case (a small
// triclinic crystal with mosaic spread and beam divergence) without any
// input file, and writes the float image, an SMV image and a PNG preview.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/gobragg/gobragg/core"
	"github.com/gobragg/gobragg/core/files"
	"github.com/gobragg/gobragg/core/preview"
	"github.com/gobragg/gobragg/internal/synth"
)

// demoArgs is the nanoBragg command line of the built-in case.
const demoArgs = `-cell 32.5 41.2 47.8 86.5 93.1 97.4 -misset 10 20 30 -hkl demo.hkl -N 10
-lambda 1.0 -distance 80 -detpixels 384 -pixel 0.2 -oversample 1
-mosaic 0.2 -mosaic_domains 4 -divergence 0.3 -divsteps 2 -dispersion 0.2 -dispsteps 2
-floatfile floatimage.bin -intfile intimage.img -nopgm -nonoise -noprogress`

func main() {
	out := flag.String("out", "gobragg-demo", "folder for the outputs")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintf(os.Stderr, "gobragg-demo: %v\n", err)
		os.Exit(1)
	}
}

// demoHKL writes the built-in structure factors (h, k, l in -20..20).
func demoHKL(path string) error { return files.WriteFileAtomic(path, synth.HKL(20)) }

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.Chdir(abs); err != nil {
		return err
	}
	if err := demoHKL("demo.hkl"); err != nil {
		return err
	}
	args := strings.Fields(demoArgs)
	fmt.Printf("gobragg-demo: nanoBragg %s\n\n", strings.Join(args, " "))
	status := core.Main(context.Background(), args, core.RunOptions{
		Stdout: os.Stdout, Stderr: os.Stderr, Kernel: core.DefaultKernel(), ClockSeed: -1,
	})
	if status != 0 {
		return fmt.Errorf("simulation failed with status %d", status)
	}
	raw, err := os.ReadFile("floatimage.bin")
	if err != nil {
		return err
	}
	const n = 384
	pix := make([]float32, n*n)
	for i := range pix {
		pix[i] = math.Float32frombits(uint32(raw[4*i]) | uint32(raw[4*i+1])<<8 | uint32(raw[4*i+2])<<16 | uint32(raw[4*i+3])<<24)
	}
	if err := preview.WritePNG("preview.png", preview.SingleImage(pix, n, n)); err != nil {
		return err
	}
	fmt.Printf("\nwrote %s (float32 image), %s (SMV) and %s (PNG preview)\n",
		filepath.Join(abs, "floatimage.bin"), filepath.Join(abs, "intimage.img"), filepath.Join(abs, "preview.png"))
	return nil
}
