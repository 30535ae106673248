// Command nbparity runs the Go core and the C reference (cref, or an
// external nanoBragg binary with -c-bin) on the same nanoBragg arguments
// and compares the float images pixel by pixel.
//
//	nbparity [options] -- <nanoBragg arguments>
//
// Exit status: 0 when the images agree within the thresholds, 1 when they
// do not, 2 on bad usage or input.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gobragg/gobragg/core"
	"github.com/gobragg/gobragg/core/files"
	"github.com/gobragg/gobragg/cref"
)

type options struct {
	jsonOut  string
	rel      float64
	corr     float64
	cBin     string
	trace    string
	png      string
	outDir   string
	workers  int
	nbArgs   []string
	traceF   int
	traceS   int
	hasTrace bool
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func usageError(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "nbparity: "+format+"\n", args...)
	return 2
}

func parseOptions(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("nbparity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.jsonOut, "json", "", "write the report as JSON to `FILE`")
	fs.Float64Var(&o.rel, "rel", 1e-6, "largest allowed per-pixel relative difference (pixels above 1e-6 of the maximum)")
	fs.Float64Var(&o.corr, "corr", 0.999999, "smallest allowed Pearson correlation")
	fs.StringVar(&o.cBin, "c-bin", "", "compare with this external nanoBragg `binary` instead of cref")
	fs.StringVar(&o.trace, "trace", "", "print the intermediate values of pixel `F,S` for both engines")
	fs.StringVar(&o.png, "png", "", "write a picture of both images and their relative difference to `FILE`")
	fs.StringVar(&o.outDir, "out", "", "write go.bin and c.bin (float images) into `DIR`")
	fs.IntVar(&o.workers, "workers", 0, "goroutines for the Go engine (default GOMAXPROCS)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: nbparity [options] -- <nanoBragg arguments>\n")
		fs.PrintDefaults()
	}
	split := -1
	for i, a := range args {
		if a == "--" {
			split = i
			break
		}
	}
	if split < 0 {
		fs.Usage()
		return nil, errors.New("missing -- before the nanoBragg arguments")
	}
	if err := fs.Parse(args[:split]); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q before --", fs.Arg(0))
	}
	o.nbArgs = args[split+1:]
	if len(o.nbArgs) == 0 {
		return nil, errors.New("no nanoBragg arguments after --")
	}
	if o.trace != "" {
		parts := strings.Split(o.trace, ",")
		if len(parts) != 2 {
			return nil, fmt.Errorf("-trace wants F,S (fast, slow pixel), got %q", o.trace)
		}
		f, err1 := strconv.Atoi(strings.TrimSpace(parts[0]))
		s, err2 := strconv.Atoi(strings.TrimSpace(parts[1]))
		if err1 != nil || err2 != nil || f < 0 || s < 0 {
			return nil, fmt.Errorf("-trace wants two non-negative pixel indices, got %q", o.trace)
		}
		o.traceF, o.traceS, o.hasTrace = f, s, true
	}
	if !(o.rel >= 0) || !(o.corr <= 1) {
		return nil, fmt.Errorf("thresholds out of range: -rel %g -corr %g", o.rel, o.corr)
	}
	return o, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 2
		}
		return usageError(stderr, "%v", err)
	}
	tmp, err := os.MkdirTemp("", "nbparity-")
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	defer os.RemoveAll(tmp)

	cfg, err := core.ParseArgs(o.nbArgs, -time.Now().Unix(), io.Discard)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	if cfg.HKLFile != "" {
		// keep the structure-factor cache out of the user's folder
		cfg.DumpFile = filepath.Join(tmp, "Fdump.bin")
	}
	plan, inputs, err := core.Setup(cfg, io.Discard, io.Discard)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	if o.hasTrace && (o.traceF >= plan.FPixels || o.traceS >= plan.SPixels) {
		return usageError(stderr, "-trace pixel %d,%d is outside the %dx%d detector", o.traceF, o.traceS, plan.FPixels, plan.SPixels)
	}

	var goTrace *core.PixelTrace
	ropts := core.Options{Workers: o.workers, Kernel: core.DefaultKernel()}
	if o.hasTrace {
		ropts.Trace = func(t *core.PixelTrace) { goTrace = t }
		ropts.TraceF, ropts.TraceS = o.traceF, o.traceS
	}
	t0 := time.Now()
	goImg, _, err := core.Render(context.Background(), plan, ropts)
	if err != nil {
		return usageError(stderr, "Go engine: %v", err)
	}
	goSec := time.Since(t0).Seconds()

	var cPix []float32
	var cTrace *core.PixelTrace
	t0 = time.Now()
	if o.cBin != "" {
		cPix, err = runExternal(o.cBin, o.nbArgs, tmp, plan.FPixels*plan.SPixels)
	} else {
		var img *core.Image
		img, err = cref.Run(cfg, inputs)
		if err == nil {
			cPix = img.Pixels
			if o.hasTrace {
				cTrace, err = cref.TracePixel(cfg, inputs, o.traceF, o.traceS)
			}
		}
	}
	if err != nil {
		return usageError(stderr, "C engine: %v", err)
	}
	cSec := time.Since(t0).Seconds()

	rep := Compare(goImg.Pixels, cPix, plan.FPixels, plan.SPixels, o.rel, o.corr)
	rep.GoSeconds, rep.CSeconds = goSec, cSec
	printReport(stdout, rep, o.cBin)
	if o.hasTrace {
		printTrace(stdout, goTrace, cTrace, o.rel)
	}
	if o.jsonOut != "" {
		raw, _ := json.MarshalIndent(rep, "", "  ")
		if err := files.WriteFileAtomic(o.jsonOut, append(raw, '\n')); err != nil {
			return usageError(stderr, "%v", err)
		}
	}
	if o.outDir != "" {
		if err := files.WriteFileAtomic(filepath.Join(o.outDir, "go.bin"), files.EncodeFloat(goImg.Pixels)); err != nil {
			return usageError(stderr, "%v", err)
		}
		if err := files.WriteFileAtomic(filepath.Join(o.outDir, "c.bin"), files.EncodeFloat(cPix)); err != nil {
			return usageError(stderr, "%v", err)
		}
	}
	if o.png != "" {
		span, err := writeDiffPNG(o.png, goImg.Pixels, cPix, plan.FPixels, plan.SPixels, rep.Floor)
		if err != nil {
			return usageError(stderr, "%v", err)
		}
		fmt.Fprintf(stdout, "picture: %s (Go | C | (Go-C)/|C|, colour bar from -%.3g blue to +%.3g red)\n", o.png, span, span)
	}
	if !rep.Pass {
		return 1
	}
	return 0
}

func printReport(w io.Writer, r *Report, cBin string) {
	other := "cref (C reference)"
	if cBin != "" {
		other = cBin
	}
	verdict := "AGREE"
	if !r.Pass {
		verdict = "DIFFER"
	}
	fmt.Fprintf(w, "nbparity: Go core vs %s: %s\n", other, verdict)
	fmt.Fprintf(w, "  image            %d x %d pixels\n", r.FPixels, r.SPixels)
	fmt.Fprintf(w, "  sum              Go %.9g  C %.9g  ratio %.12g\n", r.SumGo, r.SumC, r.SumRatio)
	fmt.Fprintf(w, "  correlation      %.12f (min %g)\n", r.Pearson, r.CorrTol)
	fmt.Fprintf(w, "  max abs diff     %.6g\n", r.MaxAbs)
	fmt.Fprintf(w, "  max rel diff     %.6g over pixels above %.6g (tolerance %g)\n", r.MaxRel, r.Floor, r.RelTol)
	fmt.Fprintf(w, "  rms diff         %.6g\n", r.RMSDiff)
	fmt.Fprintf(w, "  bit-identical    %d of %d pixels\n", r.BitIdentical, r.FPixels*r.SPixels)
	fmt.Fprintf(w, "  beyond tolerance %d pixels (%d NaN/Inf mismatches)\n", r.Beyond, r.NonFiniteDiffer)
	fmt.Fprintf(w, "  worst pixel      fast %d slow %d: Go %.9g C %.9g (rel %.3g)\n", r.Worst.Fast, r.Worst.Slow, r.Worst.Go, r.Worst.C, r.Worst.Rel)
	fmt.Fprintf(w, "  time             Go %.3f s  C %.3f s\n", r.GoSeconds, r.CSeconds)
}

// printTrace prints the intermediate values of one pixel side by side and
// marks the first that differs beyond rel.
func printTrace(w io.Writer, g, c *core.PixelTrace, rel float64) {
	if g == nil || c == nil {
		fmt.Fprintf(w, "trace: pixel not computed (outside the ROI or masked)\n")
		return
	}
	type row struct {
		name string
		g, c []float64
	}
	v3 := func(v core.Vec) []float64 { return []float64{v[0], v[1], v[2]} }
	rows := []row{
		{"pix0", v3(g.Pix0), v3(c.Pix0)},
		{"pixel_pos", v3(g.PixelPos), v3(c.PixelPos)},
		{"diffracted", v3(g.Diffracted), v3(c.Diffracted)},
		{"scattering", v3(g.Scattering), v3(c.Scattering)},
		{"stol", []float64{g.Stol}, []float64{c.Stol}},
		{"h,k,l", []float64{g.H, g.K, g.L}, []float64{c.H, c.K, c.L}},
		{"h0,k0,l0", []float64{float64(g.H0), float64(g.K0), float64(g.L0)}, []float64{float64(c.H0), float64(c.K0), float64(c.L0)}},
		{"F_cell", []float64{g.FCell}, []float64{c.FCell}},
		{"F_latt", []float64{g.FLatt}, []float64{c.FLatt}},
		{"polar", []float64{g.Polar}, []float64{c.Polar}},
		{"omega", []float64{g.Omega}, []float64{c.Omega}},
		{"capture", []float64{g.Capture}, []float64{c.Capture}},
		{"I (sum)", []float64{g.I}, []float64{c.I}},
		{"value", []float64{float64(g.Value)}, []float64{float64(c.Value)}},
	}
	fmt.Fprintf(w, "trace of pixel fast %d slow %d (last evaluation of the pixel):\n", g.FPixel, g.SPixel)
	fmt.Fprintf(w, "  %-12s %-48s %-48s\n", "quantity", "Go", "C")
	marked := false
	for _, r := range rows {
		mark := ""
		if !marked && differs(r.g, r.c, rel) {
			mark = "  <== first difference"
			marked = true
		}
		fmt.Fprintf(w, "  %-12s %-48s %-48s%s\n", r.name, fmtVals(r.g), fmtVals(r.c), mark)
	}
	if !marked {
		fmt.Fprintf(w, "  all traced quantities agree within %g\n", rel)
	}
}

func fmtVals(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'g', 12, 64)
	}
	return strings.Join(s, " ")
}

func differs(a, b []float64, rel float64) bool {
	for i := range a {
		x, y := a[i], b[i]
		if x == y || (math.IsNaN(x) && math.IsNaN(y)) {
			continue
		}
		if math.Abs(x-y) > rel*math.Max(math.Abs(x), math.Abs(y)) {
			return true
		}
	}
	return false
}
