package core

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/gobragg/gobragg/core/files"
)

// RunOptions configure a command-line run.
type RunOptions struct {
	Stdout, Stderr io.Writer
	Workers        int
	Kernel         Kernel
	ClockSeed      int64 // negated start-up time (the default seeds)
	// Bar, if set, replaces the original's "% done" lines by a progress
	// display (used on terminals): it gets the number of pixels to compute
	// and returns a sink told about every finished row.
	Bar func(total int) ProgressSink
}

// ProgressSink receives progress of a render.
type ProgressSink interface {
	Add(pixels int)
	Finish()
}

// Main runs the drop-in command line on args (without the program name)
// and returns the exit status: 0 on success, 9 for the conditions the
// original exits 9 on and for our input errors (a one-line message on
// stderr), 130 when ctx is cancelled.
func Main(ctx context.Context, args []string, o RunOptions) int {
	out := bufio.NewWriterSize(o.Stdout, 1<<16)
	defer out.Flush()
	fail := func(err error) int {
		out.Flush()
		var ee *ExitError
		if errors.As(err, &ee) {
			fmt.Fprintf(o.Stderr, "gobragg: %s\n", ee.Msg)
			return ee.Status
		}
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(o.Stderr, "gobragg: interrupted, no output written\n")
			return 130
		}
		fmt.Fprintf(o.Stderr, "gobragg: %v\n", err)
		return 9
	}
	cfg, err := ParseArgs(args, o.ClockSeed, out)
	if err != nil {
		return fail(err)
	}
	if err := checkOutputDirs(cfg); err != nil {
		return fail(err)
	}
	plan, _, err := Setup(cfg, out, o.Stderr)
	if err != nil {
		return fail(err)
	}
	img, info, err := renderWithConsole(ctx, plan, o, out)
	if err != nil {
		return fail(err)
	}
	if err := WriteOutputs(plan, img, info, out); err != nil {
		return fail(err)
	}
	return 0
}

// checkOutputDirs fails early when an output file could not be created,
// so that a bad path never leaves some outputs written and others not.
func checkOutputDirs(c *Config) error {
	names := []string{c.FloatFile, c.IntFile}
	if c.WritePGM {
		names = append(names, c.PGMFile)
	}
	if c.CalcNoise {
		names = append(names, c.NoiseFile)
	}
	for _, n := range names {
		dir := filepath.Dir(n)
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			return &ExitError{Status: 9, Msg: fmt.Sprintf("cannot write %s: folder %s does not exist", n, dir)}
		}
		if st, err := os.Stat(n); err == nil && st.IsDir() {
			return &ExitError{Status: 9, Msg: fmt.Sprintf("cannot write %s: it is a folder", n)}
		}
	}
	return nil
}

// renderWithConsole renders the image while printing the original's
// progress lines (or -printout blocks) in serial order.
func renderWithConsole(ctx context.Context, p *Plan, o RunOptions, out io.Writer) (*Image, *RenderInfo, error) {
	c := &p.Cfg
	progress := c.Progress && !c.Printout && p.ProgressPixels/100 > 0
	var mu sync.Mutex
	done := make([]bool, p.SPixels)
	nextRow := 0
	counter := 0 // progress_pixel
	e := &engine{p: p}
	warned := false
	warn := func(r *outOfRange) {
		pf(out, "WARNING: out of range for three point interpolation: h,k,l,h0,k0,l0: %g,%g,%g,%d,%d,%d \n", r.h, r.k, r.l, r.h0, r.k0, r.l0)
		pf(out, "WARNING: further warnings will not be printed! ")
		warned = true
	}
	rowOOR := make([]int, p.SPixels)
	rowOORAt := make([]*outOfRange, p.SPixels)
	emitRow := func(sp int) {
		for fp := 0; fp < p.FPixels; fp++ {
			if !e.computed(fp, sp) {
				continue
			}
			if !warned && fp == rowOOR[sp] {
				warn(rowOORAt[sp])
			}
			if progress {
				P := p.ProgressPixels
				if counter%(P/20) == 0 || ((10*counter < P || 10*counter > 9*P) && counter%(P/100) == 0) {
					pf(out, "%lu%% done\n", counter*100/P)
				}
			}
			counter++
		}
	}
	opts := Options{Workers: o.Workers, Kernel: o.Kernel}
	if progress && o.Bar != nil {
		total := 0
		for sp := 0; sp < p.SPixels; sp++ {
			for fp := 0; fp < p.FPixels; fp++ {
				if e.computed(fp, sp) {
					total++
				}
			}
		}
		sink := o.Bar(total)
		defer sink.Finish()
		opts.RowDone = func(row int, oorF int, oor *outOfRange) {
			n := 0
			for fp := 0; fp < p.FPixels; fp++ {
				if e.computed(fp, row) {
					n++
				}
			}
			sink.Add(n)
		}
	} else if progress {
		opts.RowDone = func(row int, oorF int, oor *outOfRange) {
			mu.Lock()
			defer mu.Unlock()
			done[row] = true
			rowOOR[row], rowOORAt[row] = oorF, oor
			for nextRow < p.SPixels && done[nextRow] {
				emitRow(nextRow)
				nextRow++
			}
			if f, ok := out.(interface{ Flush() error }); ok {
				f.Flush()
			}
		}
	}
	img, info, err := Render(ctx, p, opts)
	if err != nil {
		return nil, nil, err
	}
	if info.OutOfRange != nil && !warned {
		// without progress lines the warning is the loop's only output
		warn(info.OutOfRange)
	}
	if c.Printout {
		printPixels(p, img, info, out)
	}
	return img, info, nil
}

// printPixels prints the -printout blocks (cli.md §8).
func printPixels(p *Plan, img *Image, info *RenderInfo, out io.Writer) {
	c := &p.Cfg
	e := newEngine(p, nil)
	sc := &scratch{}
	modeAt := func(fp, sp int) int {
		if p.Interpolate && (info.OutOfRange == nil || sp*p.FPixels+fp <= info.OutOfRangePixel) {
			return interpOn
		}
		return interpOff
	}
	// lastEvaluated finds, before pixel (fp, sp) in serial order, the last
	// evaluation of the run: the values the original still holds when every
	// evaluation of a pixel was cut by dmin.
	lastEvaluated := func(fp, sp int) *PixelTrace {
		for i := sp*p.FPixels + fp - 1; i >= 0; i-- {
			f, s := i%p.FPixels, i/p.FPixels
			if !e.computed(f, s) {
				continue
			}
			tr := &PixelTrace{}
			e.computePixel(f, s, modeAt(f, s), sc, tr)
			if tr.Evaluated {
				return tr
			}
		}
		return nil
	}
	for sp := 0; sp < p.SPixels; sp++ {
		for fp := 0; fp < p.FPixels; fp++ {
			if !e.computed(fp, sp) {
				continue
			}
			if !((fp == c.PrintoutF && sp == c.PrintoutS) || c.PrintoutF < 0) {
				continue
			}
			tr := &PixelTrace{}
			e.computePixel(fp, sp, modeAt(fp, sp), sc, tr)
			if !tr.Evaluated {
				if last := lastEvaluated(fp, sp); last != nil {
					tr.H, tr.K, tr.L, tr.H0, tr.K0, tr.L0 = last.H, last.K, last.L, last.H0, last.K0, last.L0
					tr.FCell, tr.FLatt, tr.A, tr.B, tr.C = last.FCell, last.FLatt, last.A, last.B, last.C
				} else {
					tr.A, tr.B, tr.C = p.A0, p.B0, p.C0 // set-up leftovers (not part of the contract)
				}
			}
			pos := tr.PixelPos
			twotheta := atan2(sqrt(pos[1]*pos[1]+pos[2]*pos[2]), pos[0])
			test := sin(twotheta/2.0) / (c.Lambda0 * 1e10)
			pf(out, "%4d %4d : stol = %g or %g\n", fp, sp, tr.Stol, test)
			pf(out, "at %g %g %g\n", pos[0], pos[1], pos[2])
			pf(out, "hkl= %f %f %f  hkl0= %d %d %d\n", tr.H, tr.K, tr.L, tr.H0, tr.K0, tr.L0)
			pf(out, " F_cell=%g  F_latt=%g   I = %g\n", tr.FCell, tr.FLatt, tr.I)
			pf(out, "I/steps %15.10g\n", tr.I/float64(p.Steps))
			pf(out, "polar   %15.10g\n", tr.Polar)
			pf(out, "omega   %15.10g\n", tr.Omega)
			pf(out, "capfrac %15.10g\n", tr.Capture)
			pf(out, "pixel   %15.10g\n", img.Pixels[sp*p.FPixels+fp])
			printCellTable(out, "real-space cell vectors (Angstrom):", "a", "b", "c",
				scale(tr.A, 1e10), scale(tr.B, 1e10), scale(tr.C, 1e10))
		}
	}
}

// WriteOutputs prints the closing lines and writes the output files in the
// original's order (float, int, PGM, noise), each atomically.
func WriteOutputs(p *Plan, img *Image, info *RenderInfo, out io.Writer) error {
	c := &p.Cfg
	st := &img.Stats
	pf(out, "\n")
	pf(out, "solid angle subtended by detector = %g steradian ( %g%% sphere)\n", st.OmegaSum/float64(p.Steps), 100*st.OmegaSum/float64(p.Steps)/4/pi)
	pf(out, "writing %s as %d %lu-byte floats\n", c.FloatFile, p.FPixels*p.SPixels, 4)
	// the float file is written while the integers are computed
	floatDone := make(chan error, 1)
	go func() {
		floatDone <- files.WriteAtomic(c.FloatFile, func(w io.Writer) error { return files.WriteFloatTo(w, img.Pixels) })
	}()
	intScale := c.IntScale
	if intScale <= 0 {
		intScale = 1.0
		if st.MaxI > 0 {
			intScale = 55000.0 / st.MaxI
		}
	}
	ints := IntImage(p, img, intScale) // reused for the noise image, as the original does
	if err := <-floatDone; err != nil {
		return &ExitError{Status: 9, Msg: fmt.Sprintf("ERROR: fopen: %v", err)}
	}
	pf(out, "max_I = %g  at %g %g\n", st.MaxI, st.MaxIX, st.MaxIY)
	pf(out, "mean= %g rms= %g rmsd= %g\n", st.Mean, st.RMS, st.RMSD)
	pf(out, "intfile_scale = %g\n", intScale)
	hdr := smvHeader(p)
	pf(out, "writing %s as %lu-byte integers\n", c.IntFile, 2)
	if err := files.WriteAtomic(c.IntFile, func(w io.Writer) error { return files.WriteSMVTo(w, hdr, ints) }); err != nil {
		return &ExitError{Status: 9, Msg: fmt.Sprintf("ERROR: fopen: %v", err)}
	}
	if c.WritePGM {
		pgmScale := c.PGMScale
		if pgmScale <= 0 {
			pgmScale = intScale
			if st.RMSD > 0 {
				pgmScale = 250.0 / (5.0 * st.RMSD)
			}
		}
		pf(out, "pgm_scale = %g\n", pgmScale)
		pgm := PGMImage(p, img, pgmScale)
		pf(out, "writing %s as %lu-byte integers\n", c.PGMFile, 1)
		if err := files.WriteAtomic(c.PGMFile, func(w io.Writer) error { return files.WritePGMTo(w, p.FPixels, p.SPixels, pgmScale, pgm) }); err != nil {
			return &ExitError{Status: 9, Msg: fmt.Sprintf("ERROR: fopen: %v", err)}
		}
	}
	if !c.CalcNoise {
		return nil
	}
	seed := c.Seed
	noise, sum, overloads := p.Gen.Noise(img.Pixels, p.FPixels, p.SPixels, p.ROI, c.Adc, &seed)
	pf(out, "%.0f photons on noise image (%d overloads)\n", sum, overloads)
	pf(out, "writing %s as %lu-byte integers\n", c.NoiseFile, 2)
	if err := files.WriteAtomic(c.NoiseFile, func(w io.Writer) error { return files.WriteSMVTo(w, hdr, noise) }); err != nil {
		return &ExitError{Status: 9, Msg: fmt.Sprintf("ERROR: fopen: %v", err)}
	}
	return nil
}
