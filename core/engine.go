package core

import (
	"context"

	"github.com/gobragg/gobragg/asm"
	"github.com/gobragg/gobragg/core/libm"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Options control how the engine runs (never what it computes).
type Options struct {
	Workers int    // goroutines; <= 0 means GOMAXPROCS
	Kernel  Kernel // nil means ExactKernel
	// RowDone, if set, is called (from any goroutine) when a row is done.
	RowDone func(row int, oorFPixel int, oor *outOfRange)
	// KeepFloat64 also returns every pixel before its float32 store
	// (Image.Values), for differential tests.
	KeepFloat64 bool
	// Trace, if set, receives the intermediate values of pixel (TraceF, TraceS).
	Trace          func(*PixelTrace)
	TraceF, TraceS int
}

// PixelTrace holds the values left by the last evaluation of a pixel (what
// -printout prints) plus the pixel's totals.
type PixelTrace struct {
	FPixel, SPixel int
	Pix0           Vec
	PixelPos       Vec // last sample point
	Diffracted     Vec
	Scattering     Vec
	Stol           float64
	H, K, L        float64
	H0, K0, L0     int
	FCell, FLatt   float64
	A, B, C        Vec // cell vectors of the last evaluation (m)
	Polar, Omega   float64
	Capture        float64
	I              float64 // accumulator, background included
	Steps          int
	Value          float32
	Evaluated      bool // at least one evaluation happened in this pixel
}

// interpolation modes of a pixel computation
const (
	interpOff = iota
	interpOn  // on at the start of the pixel; may switch off inside it
)

// outOfRange records the first evaluation whose tricubic neighbourhood left
// the HKL grid (the original then switches interpolation off for good).
type outOfRange struct {
	h, k, l    float64
	h0, k0, l0 int
}

// pixelResult is what one pixel computation yields besides the value.
type pixelResult struct {
	value   float32
	value64 float64 // the value before the float32 store
	oor     *outOfRange
}

// engine holds the read-only tables derived from a Plan.
type engine struct {
	p      *Plan
	kern   Kernel
	orient []float64 // phisteps*domains orientations, 9 doubles each (a, b, c)
	// firstOrient replaces orient for the very first phi loop of the run
	// (phi = 0 steps there see the unrotated crystal, c-quirks Q12).
	firstOrient []float64
	firstPixel  int // index of the pixel holding the first phi loop, -1 none
	firstLoop   int // index of that loop among the pixel's (layer, sub-pixel, source) loops
	// the traced pixel (-1, -1: none): the fast geometry fills the
	// last-point fields of pixelGeom only there
	traceF, traceS int
	polarAxis      Vec
	srcs           []engineSource
	fast           bool // the kernel may reorder arithmetic: so may the geometry
	gridStrideK    int
	gridStrideH    int
	fgrid          asm.FGrid // the structure factors as asm.SumSquareTerms reads them
	// the sources' incident directions and 1/lambda as arrays (fast geometry)
	srcIncX, srcIncY, srcIncZ, srcInvLambda []float64
	srcMillerOff                            []float64 // asm.MillerOffsets for the one orientation (nil for several)
}

// engineSource is a source as the pixel loop uses it.
type engineSource struct {
	inc               Vec // incident direction, -(unit vector towards the source)
	lambda, invLambda float64
	eIn, bIn          Vec // E and B directions of the incident beam (fast path)
}

// polarization is the Kahn factor of physics.md §11 with the source's E and
// B directions precomputed and cos(2psi) = (E^2-B^2)/(E^2+B^2) instead of
// cos(2*atan2(B, E)) (SIMD paths: reordered arithmetic).
func (s *engineSource) polarization(kahn float64, d Vec) float64 {
	c2 := dot(s.inc, d)
	c2sq := c2 * c2
	s2sq := 1 - c2sq
	cos2psi := 1.0
	if kahn != 0 {
		E, B := dot(d, s.eIn), dot(d, s.bIn)
		if n := E*E + B*B; n > 0 {
			cos2psi = (E*E - B*B) / n
		}
	}
	return 0.5 * ((1.0 + c2sq) - kahn*cos2psi*s2sq)
}

// polarizationXYZ is polarization with d as scalars (the same arithmetic;
// Go would pass and copy the Vec through memory).
func (s *engineSource) polarizationXYZ(kahn, x, y, z float64) float64 {
	c2 := s.inc[0]*x + s.inc[1]*y + s.inc[2]*z
	c2sq := c2 * c2
	s2sq := 1 - c2sq
	cos2psi := 1.0
	if kahn != 0 {
		E := x*s.eIn[0] + y*s.eIn[1] + z*s.eIn[2]
		B := x*s.bIn[0] + y*s.bIn[1] + z*s.bIn[2]
		if n := E*E + B*B; n > 0 {
			cos2psi = (E*E - B*B) / n
		}
	}
	return 0.5 * ((1.0 + c2sq) - kahn*cos2psi*s2sq)
}

func newEngine(p *Plan, k Kernel) *engine {
	e := &engine{p: p, kern: k, traceF: -1, traceS: -1}
	if e.kern == nil {
		e.kern = ExactKernel{}
	}
	e.fast = !e.kern.Exact()
	for _, s := range p.Sources {
		inc, _ := unitize(Vec{-s.Dir[0], -s.Dir[1], -s.Dir[2]})
		b, _ := unitize(cross(p.PolarAxis, inc))
		ein, _ := unitize(cross(inc, b))
		e.srcs = append(e.srcs, engineSource{inc: Vec{-s.Dir[0], -s.Dir[1], -s.Dir[2]}, lambda: s.Lambda, invLambda: 1 / s.Lambda, eIn: ein, bIn: b})
		e.srcIncX, e.srcIncY, e.srcIncZ = append(e.srcIncX, -s.Dir[0]), append(e.srcIncY, -s.Dir[1]), append(e.srcIncZ, -s.Dir[2])
		e.srcInvLambda = append(e.srcInvLambda, 1/s.Lambda)
	}
	np, nm := p.PhiSteps, len(p.Umats)
	// phi vectors: a step at phi == 0 keeps the previous step's vectors
	phiVec := make([][3]Vec, np)
	rotated := make([]bool, np)
	for s := 0; s < np; s++ {
		phi := p.Phi0 + float64(p.PhiStep*float64(s))
		if phi != 0 {
			phiVec[s] = [3]Vec{rotateAxis(p.A0, p.Spindle, phi), rotateAxis(p.B0, p.Spindle, phi), rotateAxis(p.C0, p.Spindle, phi)}
			rotated[s] = true
		}
	}
	last := -1 // last rotated step of a loop (carried into the next loop)
	for s := np - 1; s >= 0; s-- {
		if rotated[s] {
			last = s
			break
		}
	}
	unrotated := [3]Vec{p.A0, p.B0, p.C0}
	steady := make([][3]Vec, np)
	first := make([][3]Vec, np)
	for s := 0; s < np; s++ {
		prev := -1
		for t := s; t >= 0; t-- {
			if rotated[t] {
				prev = t
				break
			}
		}
		switch {
		case prev >= 0:
			steady[s], first[s] = phiVec[prev], phiVec[prev]
		case last >= 0:
			steady[s], first[s] = phiVec[last], unrotated
		default:
			steady[s], first[s] = unrotated, unrotated
		}
	}
	build := func(vs [][3]Vec) []float64 {
		out := make([]float64, 0, np*nm*9)
		for s := 0; s < np; s++ {
			for m := 0; m < nm; m++ {
				abc := vs[s]
				if p.MosaicSpread > 0 {
					u := &p.Umats[m]
					abc = [3]Vec{rotateUmat(abc[0], u), rotateUmat(abc[1], u), rotateUmat(abc[2], u)}
				}
				for _, v := range abc {
					out = append(out, v[0], v[1], v[2])
				}
			}
		}
		return out
	}
	e.orient = build(steady)
	e.firstOrient = build(first)
	if len(e.orient) == 9 {
		e.srcMillerOff = asm.MillerOffsets(e.srcIncX, e.srcIncY, e.srcIncZ, e.srcInvLambda, (*[9]float64)(e.orient))
	}
	e.firstPixel, e.firstLoop = e.findFirstLoop()

	// the polarisation axis as the original uses it: renormalised in place
	// at every call; take the fixed point of that renormalisation.
	e.polarAxis = p.PolarAxis
	for i := 0; i < 8; i++ {
		n, _ := unitize(e.polarAxis)
		if n == e.polarAxis {
			break
		}
		e.polarAxis = n
	}
	if g := p.HKL; g != nil {
		e.gridStrideK = g.LRange + 1
		e.gridStrideH = (g.KRange + 1) * (g.LRange + 1)
	}
	e.fgrid.Default = p.Cfg.DefaultF
	if g := p.HKL; g != nil && p.Hkls != 0 {
		e.fgrid = asm.FGrid{F: g.F, HMin: g.HMin, HMax: g.HMax, KMin: g.KMin, KMax: g.KMax, LMin: g.LMin, LMax: g.LMax,
			StrideH: e.gridStrideH, StrideK: e.gridStrideK, Default: p.Cfg.DefaultF}
	}
	e.fgrid.Prepare()
	return e
}

// computed reports whether the pixel is inside the ROI and not masked.
func (e *engine) computed(fpixel, spixel int) bool {
	p := e.p
	if fpixel < p.ROI[0] || fpixel > p.ROI[1] || spixel < p.ROI[2] || spixel > p.ROI[3] {
		return false
	}
	return p.Mask == nil || p.Mask[spixel*p.FPixels+fpixel] != 0
}

func (e *engine) culled(stol float64) bool {
	dmin := e.p.Cfg.Dmin
	return dmin > 0 && stol > 0 && dmin > 0.5/stol
}

// findFirstLoop locates, in serial order, the first phi loop of the run.
func (e *engine) findFirstLoop() (int, int) {
	p := e.p
	if p.Cfg.Dmin <= 0 {
		// nothing is culled: the first loop of the first computed pixel
		for i := 0; i < p.FPixels*p.SPixels; i++ {
			if e.computed(i%p.FPixels, i/p.FPixels) {
				return i, 0
			}
		}
		return -1, 0
	}
	for sp := 0; sp < p.SPixels; sp++ {
		for fp := 0; fp < p.FPixels; fp++ {
			if !e.computed(fp, sp) {
				continue
			}
			loop := 0
			for t := 0; t < p.ThickSteps; t++ {
				for subS := 0; subS < p.Oversample; subS++ {
					for subF := 0; subF < p.Oversample; subF++ {
						x, y, z := e.point(fp, sp, subF, subS, float64(t)*p.ThickStep)
						d, _ := unitize(Vec{x, y, z})
						for s := range e.srcs {
							src := &e.srcs[s]
							S := Vec{(d[0] - src.inc[0]) / src.lambda, (d[1] - src.inc[1]) / src.lambda, (d[2] - src.inc[2]) / src.lambda}
							if !e.culled(0.5 * magnitude(S)) {
								return sp*p.FPixels + fp, loop
							}
							loop++
						}
					}
				}
			}
		}
	}
	return -1, 0
}

// scratch is per-goroutine working memory.
type scratch struct {
	s              []float64 // scattering vectors of the loops gathered so far
	loopFactors    []loopFactor
	h, k, l, flatt []float64
	sums           []float64 // square-term sum per pixel of the batch (blockSums)
	sumsReady      bool      // sums holds them
	// every pixel of the batch holds this many consecutive loops (0: not
	// known to be uniform)
	uniformLoops int
	recordLast   bool        // geometry keeps every pixel's last point (trace)
	cols         []int       // the pixels of the batch being gathered (computeRow)
	omegas       []float64   // solid angles of a gatherLines block
	pixels       []pixelGeom // pixels of a row batch
	firstAt      int         // loop of the batch using the first-loop table, -1 none
	hklDone      int         // loops whose h, k, l the geometry already stored (one orientation)
	// sample points of the batch: positions and their unit vectors, lengths
	px, py, pz, dx, dy, dz, r []float64
}

// appendPoints appends the sample points of a pixel in loop order (layer,
// sub-pixel row, sub-pixel column); normalise them with unitPoints.
func (e *engine) appendPoints(fpixel, spixel int, sc *scratch) {
	p := e.p
	for t := 0; t < p.ThickSteps; t++ {
		odetOff := float64(t) * p.ThickStep
		for subS := 0; subS < p.Oversample; subS++ {
			for subF := 0; subF < p.Oversample; subF++ {
				x, y, z := e.point(fpixel, spixel, subF, subS, odetOff)
				sc.px, sc.py, sc.pz = append(sc.px, x), append(sc.py, y), append(sc.pz, z)
			}
		}
	}
}

// unitPoints forms the unit vectors and lengths of the gathered points (the
// original's unitize; the kernel may multiply by the reciprocal instead).
func (e *engine) unitPoints(sc *scratch) {
	n := len(sc.px)
	sc.dx, sc.dy, sc.dz, sc.r = grow(sc.dx, n), grow(sc.dy, n), grow(sc.dz, n), grow(sc.r, n)
	copy(sc.dx, sc.px)
	copy(sc.dy, sc.py)
	copy(sc.dz, sc.pz)
	e.kern.UnitVectors(sc.dx, sc.dy, sc.dz, sc.r)
}

type loopFactor struct {
	capture, polar, omega float64
}

// pixelGeom is what the geometry phase leaves for a pixel: its loops
// (sc.s[3*start:3*end]; sc.loopFactors[start:end] unless the fast geometry
// ran) and the factors the original holds at its end.
type pixelGeom struct {
	fpixel, spixel        int
	start, end            int
	polar, omega, capture float64
	omegaExact            bool       // omega is the original's solid angle at the first sample point, bit for bit
	last                  *lastPoint // the traced pixel only
}

// lastPoint is the pixel's last sample point as the original holds it
// after the loops: position, unit vector, last scattering vector (trace).
type lastPoint struct{ pos, d, s Vec }

// traced reports whether pixel (fpixel, spixel) is the one traced.
func (e *engine) traced(fpixel, spixel int) bool {
	return fpixel == e.traceF && spixel == e.traceS
}

// geometry appends the (layer, sub-pixel, source) loops of a pixel that
// survive the dmin cut to sc (physics.md §9, outer loops).
func (e *engine) geometry(fpixel, spixel int, pt int, sc *scratch) pixelGeom {
	// Hot loop: 3-vectors are held in scalar locals (Go keeps [3]float64
	// locals in memory, which costs more than the arithmetic here). The
	// pixel's sample points are sc.px...[pt:], normalised in sc.dx...
	p := e.p
	c := &p.Cfg
	pixIdx := spixel*p.FPixels + fpixel
	g := pixelGeom{fpixel: fpixel, spixel: spixel, start: len(sc.loopFactors)}
	// the factors the original caches per pixel (0 = not computed yet)
	var polar, omega, capture float64
	if c.NoPolar {
		polar = 1.0
	}
	var lx, ly, lz, ldx, ldy, ldz, lsx, lsy, lsz float64 // last sample point
	loop := 0
	axis := e.polarAxis
	os := p.Oversample
	o0, o1, o2 := p.Odet[0], p.Odet[1], p.Odet[2]
	for t := 0; t < p.ThickSteps; t++ {
		capture = 0
		if p.Thick == 0 {
			capture = 1
		}
		for range os * os {
			{
				x, y, z := sc.px[pt], sc.py[pt], sc.pz[pt]
				dx, dy, dz, airpath := sc.dx[pt], sc.dy[pt], sc.dz[pt], sc.r[pt]
				pt++
				if omega == 0 || c.OversampleOmega {
					omega = e.solidAngle(airpath)
				}
				if capture == 0 || c.OversampleThick {
					parallax := float64(float64(dx*o0)+float64(dy*o1)) + float64(dz*o2)
					tt := float64(t)
					capture = libm.Exp(float64(float64(-tt*p.ThickStep)*p.Mu)/parallax) - libm.Exp(float64(float64(-(tt+1)*p.ThickStep)*p.Mu)/parallax)
				}
				var sx, sy, sz float64
				for s := range e.srcs {
					src := &e.srcs[s]
					if e.fast {
						il := src.invLambda
						sx, sy, sz = (dx-src.inc[0])*il, (dy-src.inc[1])*il, (dz-src.inc[2])*il
					} else {
						lam := src.lambda
						sx, sy, sz = (dx-src.inc[0])/lam, (dy-src.inc[1])/lam, (dz-src.inc[2])/lam
					}
					if c.Dmin > 0 && e.culled(0.5*math.Sqrt(float64(float64(sx*sx)+float64(sy*sy))+float64(sz*sz))) {
						loop++
						continue
					}
					if polar == 0 || c.OversamplePolar {
						d := Vec{dx, dy, dz}
						if e.fast {
							polar = src.polarization(c.Polarization, d)
						} else {
							polar, d, axis = polarizationFactor(c.Polarization, src.inc, d, axis)
							dx, dy, dz = d[0], d[1], d[2]
						}
					}
					if pixIdx == e.firstPixel && loop == e.firstLoop {
						sc.firstAt = len(sc.loopFactors)
					}
					sc.s = append(sc.s, sx, sy, sz)
					sc.loopFactors = append(sc.loopFactors, loopFactor{capture: capture, polar: polar, omega: omega})
					loop++
				}
				lx, ly, lz, ldx, ldy, ldz, lsx, lsy, lsz = x, y, z, dx, dy, dz, sx, sy, sz
			}
		}
	}
	g.end = len(sc.loopFactors)
	g.polar, g.omega, g.capture = polar, omega, capture
	if sc.recordLast || e.traced(fpixel, spixel) {
		g.last = &lastPoint{Vec{lx, ly, lz}, Vec{ldx, ldy, ldz}, Vec{lsx, lsy, lsz}}
	}
	return g
}

// point returns sample point (subF, subS) of a pixel at depth odetOff and
// its distance from the sample (geometry.md §7), in the original's order of
// operations.
func (e *engine) point(fpixel, spixel, subF, subS int, odetOff float64) (x, y, z float64) {
	p := e.p
	os, sub := p.Oversample, p.SubpixelSize
	fdet := float64(sub*float64(fpixel*os+subF)) + sub/2.0
	sdet := float64(sub*float64(spixel*os+subS)) + sub/2.0
	f, s, o, q := &p.Fdet, &p.Sdet, &p.Odet, &p.Pix0
	x = float64(float64(float64(fdet*f[0])+float64(sdet*s[0]))+float64(odetOff*o[0])) + q[0]
	y = float64(float64(float64(fdet*f[1])+float64(sdet*s[1]))+float64(odetOff*o[1])) + q[1]
	z = float64(float64(float64(fdet*f[2])+float64(sdet*s[2]))+float64(odetOff*o[2])) + q[2]
	if p.Cfg.Curved {
		x, y, z = e.curve(x, y, z)
	}
	return x, y, z
}

// airpath is the distance of a sample point from the sample, as unitize
// measures it.
func airpath(x, y, z float64) float64 {
	return math.Sqrt(float64(float64(x*x)+float64(y*y)) + float64(z*z))
}

// solidAngle is the pixel solid angle seen at distance airpath
// (geometry.md §8.1).
func (e *engine) solidAngle(airpath float64) float64 {
	p := e.p
	return asm.SolidAngle(airpath, p.PixelSize*p.PixelSize, p.CloseDist, p.Cfg.PointPixel)
}

// appendOmegaTerms appends to out the terms pixel g adds to the sum the
// original prints as the detector's solid angle: the pixel solid angle of
// each (layer, sub-pixel) sample point (-oversample_omega), or the one at
// its first point, which counts per = layers*oversample^2 times (see
// omegaSerial). g.omegaExact says g.omega is that first-point value.
func (e *engine) appendOmegaTerms(out []float64, g *pixelGeom) []float64 {
	p := e.p
	fp, sp := g.fpixel, g.spixel
	if !p.Cfg.OversampleOmega {
		if g.omegaExact {
			return append(out, g.omega)
		}
		return append(out, e.solidAngle(airpath(e.point(fp, sp, 0, 0, 0))))
	}
	for t := 0; t < p.ThickSteps; t++ {
		for subS := 0; subS < p.Oversample; subS++ {
			for subF := 0; subF < p.Oversample; subF++ {
				out = append(out, e.solidAngle(airpath(e.point(fp, sp, subF, subS, float64(t)*p.ThickStep))))
			}
		}
	}
	return out
}

// rowSerial makes the run's serial sums in the original's order (rows
// ascending, pixels in order) while the rows finish in any order: a
// finished row waits until every row before it is added, and whichever
// worker completes the run of ready rows adds them. It sums the
// solid-angle terms (one addition per sample point) and, when the first
// pass's values are final (no interpolation switch-off), the image
// statistics' sums (addPixelStats).
type rowSerial struct {
	mu     sync.Mutex
	e      *engine
	img    *Image
	stats  bool        // add the pixel statistics too
	repeat int         // additions per term: layers*oversample^2, or 1 (-oversample_omega)
	rows   [][]float64 // terms of finished rows not yet added
	ready  []bool
	next   int // first row not yet added
	omega  float64
	free   [][]float64 // term slices to reuse
}

func newRowSerial(e *engine, img *Image, stats bool) *rowSerial {
	p := e.p
	repeat := p.ThickSteps * p.Oversample * p.Oversample
	if p.Cfg.OversampleOmega {
		repeat = 1
	}
	return &rowSerial{e: e, img: img, stats: stats, repeat: repeat, rows: make([][]float64, p.SPixels), ready: make([]bool, p.SPixels)}
}

// buffer returns an empty slice for a row's terms.
func (o *rowSerial) buffer() []float64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	if n := len(o.free); n > 0 {
		b := o.free[n-1]
		o.free = o.free[:n-1]
		return b[:0]
	}
	return nil
}

// addRow hands over row sp, its pixels stored in img and its solid-angle
// terms (the slice is the sum's now).
func (o *rowSerial) addRow(sp int, terms []float64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rows[sp], o.ready[sp] = terms, true
	for o.next < len(o.rows) && o.ready[o.next] {
		o.omega = addRepeatedRun(o.omega, o.rows[o.next], o.repeat)
		if o.stats {
			o.e.addPixelStats(&o.img.Stats, o.img, o.next)
		}
		if o.rows[o.next] != nil {
			o.free = append(o.free, o.rows[o.next])
		}
		o.rows[o.next] = nil
		o.next++
	}
}

// done reports that every row is added and returns the solid-angle sum.
func (o *rowSerial) done() float64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.next != len(o.rows) {
		panic("core: serial sums read before every row was added")
	}
	return o.omega
}

// addRepeated returns s with w added k times one addition at a time, in
// O(1) where it can: with s = m*u in a binade of spacing u and w = (q+f)*u
// (q integer, 0 <= f < 1), each rounded addition adds q*u (f < 1/2) or
// (q+1)*u (f > 1/2) as long as the sum stays in the binade. Ties (f = 1/2,
// decided by parity), binade crossings and anything unusual take the loop.
func addRepeated(s, w float64, k int) float64 {
	const expMask = 0x7ff0000000000000
	if e := math.Float64bits(s) & expMask; s > 0 && w > 0 && w < s && e >= 100<<52 && e < 2000<<52 {
		// s in [2^E, 2^(E+1)), spacing u = 2^(E-52); invU = 1/u exactly
		invU := math.Float64frombits((2098 << 52) - e)
		wu := w * invU // exact: a power-of-two scaling
		q := math.Floor(wu)
		if f := wu - q; f != 0.5 {
			d := q
			if f > 0.5 {
				d++
			}
			m := s * invU // an integer in [2^52, 2^53)
			if end := m + float64(k)*d; end < 0x1p53 && float64(k)*d < 0x1p53 {
				return end * math.Float64frombits(e-52<<52) // * u, exact
			}
		}
	}
	for range k {
		s += w
	}
	return s
}

// addRepeatedRun returns s with each w of ws added k times, one addition
// at a time, in order (addRepeated for each w). While s stays in one
// binade of spacing u it holds s/u = m as an integer and adds k*d per
// term, d = w/u rounded to the nearest integer, so the loop carries one
// addition; ties, binade crossings and unusual values take addRepeated.
func addRepeatedRun(s float64, ws []float64, k int) float64 {
	const expMask = 0x7ff0000000000000
	fk := float64(k)
	for i := 0; i < len(ws); {
		e := math.Float64bits(s) & expMask
		if !(s > 0 && e >= 100<<52 && e < 2000<<52) {
			s = addRepeated(s, ws[i], k)
			i++
			continue
		}
		invU := math.Float64frombits((2098 << 52) - e) // 1/u, exact
		m := s * invU                                  // an integer in [2^52, 2^53)
		for ; i < len(ws); i++ {
			w := ws[i]
			if !(w > 0 && w < s) {
				break
			}
			wu := w * invU             // exact: a power-of-two scaling
			q := math.RoundToEven(wu)  // nearest (no data-dependent branch)
			if math.Abs(wu-q) == 0.5 { // a tie: decided by parity
				break
			}
			end := m + fk*q
			if end >= 0x1p53 {
				break
			}
			m = end
		}
		s = m * math.Float64frombits(e-52<<52) // * u, exact
		if i < len(ws) {
			s = addRepeated(s, ws[i], k)
			i++
		}
	}
	return s
}

// curve maps a flat detector point onto the sphere of radius distance
// (geometry.md §7.2).
func (e *engine) curve(x, y, z float64) (float64, float64, float64) {
	p := e.p
	v := Vec{p.Distance * p.Beam[0], p.Distance * p.Beam[1], p.Distance * p.Beam[2]}
	nv := rotateAxis(v, p.Sdet, y/p.Distance)
	r := rotateAxis(nv, p.Fdet, z/p.Distance)
	return r[0], r[1], r[2]
}

// evaluate runs the kernels on every gathered loop against every
// orientation: h, k, l and the square lattice factor.
func (e *engine) evaluate(sc *scratch) {
	p := e.p
	nOrient := p.PhiSteps * len(p.Umats)
	nLoops := len(sc.s) / 3
	if sc.hklDone > 0 { // h, k, l stored by the geometry (one orientation)
		n := sc.hklDone
		sc.flatt = grow(sc.flatt, n)
		if p.Cfg.Shape == Square {
			e.squareLattice(sc, sc.h[:n], sc.k[:n], sc.l[:n], sc.flatt[:n])
		}
		return
	}
	total := nLoops * nOrient
	if cap(sc.h) < total {
		sc.h = make([]float64, total)
		sc.k = make([]float64, total)
		sc.l = make([]float64, total)
		sc.flatt = make([]float64, total)
	}
	hs, ks, ls, fl := sc.h[:total], sc.k[:total], sc.l[:total], sc.flatt[:total]
	e.kern.MillerIndices(sc.s[:3*nLoops], e.orient, hs, ks, ls)
	if i := sc.firstAt; i >= 0 { // the run's first phi loop sees other phi = 0 vectors
		r := i * nOrient
		e.kern.MillerIndices(sc.s[3*i:3*i+3], e.firstOrient, hs[r:r+nOrient], ks[r:r+nOrient], ls[r:r+nOrient])
	}
	if p.Cfg.Shape == Square {
		e.squareLattice(sc, hs, ks, ls, fl)
	}
}

// squareLattice runs the kernel's lattice factor, sign-free where only
// its square is used (the sign shows only in a trace).
func (e *engine) squareLattice(sc *scratch, h, k, l, out []float64) {
	p := e.p
	if e.fast && e.traceF < 0 && !sc.recordLast {
		asm.SquareLatticeMagnitude(h, k, l, p.Na, p.Nb, p.Nc, out)
		return
	}
	e.kern.SquareLattice(h, k, l, p.Na, p.Nb, p.Nc, out)
}

// finish accumulates the evaluations of pixel g (physics.md §9, inner
// loops and final scale).
func (e *engine) finish(g *pixelGeom, mode int, sc *scratch, tr *PixelTrace) pixelResult {
	p := e.p
	c := &p.Cfg
	nOrient := p.PhiSteps * len(p.Umats)
	lo, hi := g.start*nOrient, g.end*nOrient
	hs, ks, ls, fl := sc.h[lo:hi], sc.k[lo:hi], sc.l[lo:hi], sc.flatt[:0]
	if c.Shape == Square {
		fl = sc.flatt[lo:hi]
	}
	nl := g.end - g.start
	perLoop := c.OversampleThick || c.OversamplePolar || c.OversampleOmega
	var factors []loopFactor
	if perLoop { // the fast geometry leaves no per-loop factors (it does not run then)
		factors = sc.loopFactors[g.start:g.end]
	}
	I := p.IBg
	res := pixelResult{}
	interp := mode == interpOn
	var h, k, l, fCell, fLatt float64
	var h0, k0, l0 int
	if c.Shape == Square && !interp && !perLoop {
		if e.fast && c.WaterSize == 0 {
			I += asm.SumSquareTerms(hs, ks, ls, fl, &e.fgrid) // reordered sum
		} else {
			I = e.accumulateSquare(I, hs, ks, ls, fl)
		}
		if n := len(fl) - 1; tr != nil && n >= 0 {
			h, k, l, fLatt = hs[n], ks[n], ls[n], fl[n]
			h0, k0, l0 = cint(math.Ceil(h-0.5)), cint(math.Ceil(k-0.5)), cint(math.Ceil(l-0.5))
			fCell = e.nearestF(h0, k0, l0)
		}
	} else {
		for i := 0; i < nl; i++ {
			var lf *loopFactor
			if perLoop {
				lf = &factors[i]
			}
			for j := 0; j < nOrient; j++ {
				n := i*nOrient + j
				h, k, l = hs[n], ks[n], ls[n]
				h0, k0, l0 = cint(math.Ceil(h-0.5)), cint(math.Ceil(k-0.5)), cint(math.Ceil(l-0.5))
				if c.Shape == Square {
					fLatt = fl[n]
				} else {
					fLatt = e.shapeLattice(h, k, l, h0, k0, l0)
				}
				if fLatt == 0 && c.WaterSize == 0 {
					continue
				}
				if interp {
					g := p.HKL
					if (h-float64(g.HMin)+3) > float64(g.HRange) || h-2 < float64(g.HMin) ||
						(k-float64(g.KMin)+3) > float64(g.KRange) || k-2 < float64(g.KMin) ||
						(l-float64(g.LMin)+3) > float64(g.LRange) || l-2 < float64(g.LMin) {
						if res.oor == nil {
							res.oor = &outOfRange{h, k, l, h0, k0, l0}
						}
						interp = false
					}
				}
				if interp {
					fCell = e.interpolateF(h, k, l)
				} else {
					fCell = e.nearestF(h0, k0, l0)
				}
				I += float64(float64(fCell*fCell)*fLatt) * fLatt
				if c.OversampleThick {
					I *= lf.capture
				}
				if c.OversamplePolar {
					I *= lf.polar
				}
				if c.OversampleOmega {
					I *= lf.omega
				}
			}
		}
	}
	value := e.pixelValue(g, I)
	res.value = float32(value)
	res.value64 = value
	if tr != nil {
		tr.FPixel, tr.SPixel = g.fpixel, g.spixel
		tr.Pix0 = p.Pix0
		tr.PixelPos, tr.Diffracted, tr.Scattering, tr.Stol = g.last.pos, g.last.d, g.last.s, 0.5*magnitude(g.last.s)
		tr.Polar, tr.Omega, tr.Capture, tr.I, tr.Steps, tr.Value = g.polar, g.omega, g.capture, I, p.Steps, res.value
		if nl > 0 && nOrient > 0 {
			tr.Evaluated = true
			tr.H, tr.K, tr.L = h, k, l
			tr.H0, tr.K0, tr.L0 = h0, k0, l0
			tr.FCell, tr.FLatt = fCell, fLatt
			o := e.orient
			if sc.firstAt == g.end-1 {
				o = e.firstOrient
			}
			o = o[9*(nOrient-1):]
			tr.A, tr.B, tr.C = Vec{o[0], o[1], o[2]}, Vec{o[3], o[4], o[5]}, Vec{o[6], o[7], o[8]}
		}
	}
	return res
}

// pixelValue is the pixel's value from its sum I (physics.md §9, final
// scale): r_e^2*fluence*I/steps times the per-pixel factors not applied
// per term.
func (e *engine) pixelValue(g *pixelGeom, I float64) float64 {
	p := e.p
	c := &p.Cfg
	value := float64(float64(reSqr*c.Fluence)*I) / float64(p.Steps)
	if !c.OversampleThick {
		value *= g.capture
	}
	if !c.OversamplePolar {
		value *= g.polar
	}
	if !c.OversampleOmega {
		value *= g.omega
	}
	return value
}

// computePixel computes one pixel on its own.
func (e *engine) computePixel(fpixel, spixel int, mode int, sc *scratch, tr *PixelTrace) pixelResult {
	sc.reset()
	sc.recordLast = tr != nil
	e.appendPoints(fpixel, spixel, sc)
	e.unitPoints(sc)
	g := e.geometry(fpixel, spixel, 0, sc)
	e.evaluate(sc)
	return e.finish(&g, mode, sc, tr)
}

func (sc *scratch) reset() {
	sc.s, sc.loopFactors, sc.pixels = sc.s[:0], sc.loopFactors[:0], sc.pixels[:0]
	sc.firstAt, sc.hklDone, sc.uniformLoops, sc.sumsReady, sc.recordLast = -1, 0, 0, false, false
	sc.px, sc.py, sc.pz = sc.px[:0], sc.py[:0], sc.pz[:0]
}

// gather runs the geometry of the pixels cols of row sp into sc.
func (e *engine) gather(sp int, cols []int, sc *scratch) {
	if c := &e.p.Cfg; e.fast && !c.OversampleThick && !c.OversamplePolar && !c.OversampleOmega {
		e.gatherFast(sp, cols, sc)
		return
	}
	sc.reset()
	for _, fp := range cols {
		e.appendPoints(fp, sp, sc)
	}
	e.unitPoints(sc)
	per := e.p.ThickSteps * e.p.Oversample * e.p.Oversample
	for i, fp := range cols {
		sc.pixels = append(sc.pixels, e.geometry(fp, sp, i*per, sc))
	}
}

// grow returns v resliced to length n, reallocated if too short.
func grow(v []float64, n int) []float64 {
	if cap(v) < n {
		return make([]float64, n, n+n/2)
	}
	return v[:n]
}

// gatherFast is gather for the SIMD paths when no factor is per term
// (no -oversample_thick/polar/omega): it leaves no per-loop factors, only
// the per-pixel ones, and computes the sample points in one pass over the
// batch (scalar locals, stores by index, the kernel's unit vectors). The
// caching rules of physics.md §9 hold: omega at the pixel's first sample
// point, capture at the first point of each layer (the last layer's value
// is kept), polar at the first loop that survives the dmin cut; culled
// loops count in the loop index (first-loop table) but store nothing.
func (e *engine) gatherFast(sp int, cols []int, sc *scratch) {
	if c := &e.p.Cfg; len(e.srcs) == 1 && c.Dmin <= 0 && !c.Curved {
		e.gatherLines(sp, cols, sc)
		return
	}
	sc.reset()
	p := e.p
	c := &p.Cfg
	os, nt := p.Oversample, p.ThickSteps
	per := nt * os * os
	n := len(cols) * per
	sc.dx, sc.dy, sc.dz, sc.r = grow(sc.dx, n), grow(sc.dy, n), grow(sc.dz, n), grow(sc.r, n)
	dx, dy, dz, rr := sc.dx, sc.dy, sc.dz, sc.r
	sub := p.SubpixelSize
	f0, f1, f2 := p.Fdet[0], p.Fdet[1], p.Fdet[2]
	s0, s1, s2 := p.Sdet[0], p.Sdet[1], p.Sdet[2]
	o0, o1, o2 := p.Odet[0], p.Odet[1], p.Odet[2]
	q0, q1, q2 := p.Pix0[0], p.Pix0[1], p.Pix0[2]
	i := 0
	for _, fp := range cols {
		for t := 0; t < nt; t++ {
			od := float64(t) * p.ThickStep
			for subS := 0; subS < os; subS++ {
				sdet := sub*float64(sp*os+subS) + sub/2
				bx, by, bz := sdet*s0+od*o0+q0, sdet*s1+od*o1+q1, sdet*s2+od*o2+q2
				fd := sub*float64(fp*os) + sub/2
				pxs, pys, pzs := dx[i:i+os], dy[i:i+os], dz[i:i+os]
				for subF := range pxs {
					fdet := fd + sub*float64(subF)
					pxs[subF], pys[subF], pzs[subF] = fdet*f0+bx, fdet*f1+by, fdet*f2+bz
				}
				i += os
			}
		}
	}
	if c.Curved {
		for i := range dx {
			dx[i], dy[i], dz[i] = e.curve(dx[i], dy[i], dz[i])
		}
	}
	e.kern.UnitVectors(dx, dy, dz, rr)

	nsrc := len(e.srcs)
	ss := grow(sc.s, 3*n*nsrc)
	incX, incY, incZ, ils := e.srcIncX, e.srcIncY[:len(e.srcIncX)], e.srcIncZ[:len(e.srcIncX)], e.srcInvLambda[:len(e.srcIncX)]
	w := 0 // loops stored
	dmin := c.Dmin
	cull := dmin > 0
	if !cull {
		sc.uniformLoops = per * nsrc // every loop is stored
	}
	noPolar := c.NoPolar
	kahn := c.Polarization
	// without the dmin cut and the first loop, every loop of the batch is
	// stored, in order: one call for the batch
	simple := !cull && (e.firstPixel < sp*p.FPixels || e.firstPixel > sp*p.FPixels+cols[len(cols)-1])
	// one orientation: Miller indices straight from the unit vectors
	hkl := simple && p.PhiSteps*len(p.Umats) == 1
	if hkl {
		nl := n * nsrc
		sc.h, sc.k, sc.l = grow(sc.h, nl), grow(sc.k, nl), grow(sc.l, nl)
		asm.MillerSources(dx, dy, dz, ils, e.srcMillerOff, (*[9]float64)(e.orient), sc.h, sc.k, sc.l)
		sc.hklDone = nl
	} else if simple {
		scatterVectors(ss[:3*n*nsrc], dx, dy, dz, incX, incY, incZ, ils)
	}
	for pi, fp := range cols {
		base := pi * per
		pixIdx := sp*p.FPixels + fp
		isFirst := pixIdx == e.firstPixel
		sc.pixels = append(sc.pixels, pixelGeom{fpixel: fp, spixel: sp, start: w})
		g := &sc.pixels[len(sc.pixels)-1]
		g.omega = e.solidAngle(rr[base])
		g.capture = 1
		if p.Thick != 0 {
			// the last layer's value (computed at its first point)
			t := nt - 1
			q := base + t*os*os
			parallax := dx[q]*o0 + dy[q]*o1 + dz[q]*o2
			tt := float64(t)
			g.capture = libm.Exp(-tt*p.ThickStep*p.Mu/parallax) - libm.Exp(-(tt+1)*p.ThickStep*p.Mu/parallax)
		}
		polar := 0.0
		if noPolar {
			polar = 1
		}
		if !cull && !isFirst && polar == 0 {
			polar = e.srcs[0].polarization(kahn, Vec{dx[base], dy[base], dz[base]})
		}
		if !cull && !isFirst {
			// every loop survives: the common case
			if !simple {
				scatterVectors(ss[3*w:3*(w+per*nsrc)], dx[base:base+per], dy[base:base+per], dz[base:base+per], incX, incY, incZ, ils)
			}
			w += per * nsrc
		} else {
			loop := 0
			for q := base; q < base+per; q++ {
				x, y, z := dx[q], dy[q], dz[q]
				for s := range e.srcs {
					src := &e.srcs[s]
					il := src.invLambda
					sx, sy, sz := (x-src.inc[0])*il, (y-src.inc[1])*il, (z-src.inc[2])*il
					if cull && e.culled(0.5*math.Sqrt(sx*sx+sy*sy+sz*sz)) {
						loop++
						continue
					}
					if polar == 0 {
						polar = src.polarization(kahn, Vec{x, y, z})
					}
					if isFirst && loop == e.firstLoop {
						sc.firstAt = w
					}
					o := ss[3*w : 3*w+3 : 3*w+3]
					o[0], o[1], o[2] = sx, sy, sz
					w++
					loop++
				}
			}
		}
		g.polar = polar
		g.end = w
		if e.traced(fp, sp) {
			// the last sample point and its last scattering vector
			q := base + per - 1
			x, y, z, r := dx[q], dy[q], dz[q], rr[q]
			src := &e.srcs[nsrc-1]
			il := src.invLambda
			g.last = &lastPoint{Vec{x * r, y * r, z * r}, Vec{x, y, z}, Vec{(x - src.inc[0]) * il, (y - src.inc[1]) * il, (z - src.inc[2]) * il}}
		}
	}
	if hkl {
		w = 0 // no scattering vectors stored
	}
	sc.s = ss[:3*w]
}

// lineDirect reports whether gatherLines has the kernel store a line's
// points straight into place (chunks of os points in the pixel's loop
// order), which its vector code does for os a multiple of 4 (or one point
// per pixel); otherwise the line goes to scratch and its chunks are copied.
func lineDirect(os, per int) bool { return os%4 == 0 || per == os }

// linePixels bounds the pixels of one gatherLines block.
const linePixels = 256

// gatherLines is gatherFast for one source, no dmin cut and a flat
// detector: every loop is stored, so the sample points of each run of
// consecutive pixels, layer and sub-pixel row lie on one line along the
// fast axis and one kernel call (asm.ScatterLine) forms their lengths and
// scattering vectors in the pixels' loop order (layer, sub-pixel row,
// sub-pixel column). The per-pixel factors are computed from the points
// they depend on (omega and polar at the first point, capture at the
// first point of the last layer), recomputed here with the kernel's
// lengths.
func (e *engine) gatherLines(sp int, cols []int, sc *scratch) {
	sc.reset()
	p := e.p
	c := &p.Cfg
	os, nt := p.Oversample, p.ThickSteps
	per := nt * os * os
	sc.uniformLoops = per
	n := len(cols) * per
	// one orientation: the kernel stores h, k, l directly (no scattering
	// vectors, no separate Miller pass)
	direct := lineDirect(os, per)
	hkl := p.PhiSteps*len(p.Umats) == 1 && direct
	var ss, hs, ks, ls []float64
	if hkl {
		ss = sc.s[:0]
		hs, ks, ls = grow(sc.h, n), grow(sc.k, n), grow(sc.l, n)
	} else {
		ss = grow(sc.s, 3*n)
	}
	cell := (*[9]float64)(e.orient[:9])
	rr := grow(sc.r, n)
	sub := p.SubpixelSize
	src := &e.srcs[0]
	f, sd, od, q := p.Fdet, p.Sdet, p.Odet, p.Pix0
	// base of the line of layer t, sub-pixel row subS
	base := func(t, subS int) [3]float64 {
		sdet := sub*float64(sp*os+subS) + sub/2
		o := float64(t) * p.ThickStep
		return [3]float64{sdet*sd[0] + o*od[0] + q[0], sdet*sd[1] + o*od[1] + q[1], sdet*sd[2] + o*od[2] + q[2]}
	}
	line := asm.Line{Sub: sub, Dir: f, Pix0: q, Inc: src.inc, InvLambda: src.invLambda}
	kahn := c.Polarization
	bt0, btl, b00 := base(nt-1, 0), base(nt-1, os-1), base(0, 0)
	lam, inc := src.lambda, src.inc
	if cap(sc.pixels) < len(cols) {
		sc.pixels = make([]pixelGeom, len(cols), 2*len(cols))
	}
	pixels := sc.pixels[:len(cols)] // each is reset below
	// blocks of at most linePixels consecutive pixels: the per-pixel pass
	// reads their points while they are still cached
	for a := 0; a < len(cols); {
		b := a + 1
		for b < len(cols) && b-a < linePixels && cols[b] == cols[b-1]+1 {
			b++
		}
		m := (b - a) * os // points per line
		line.K0 = float64(cols[a] * os)
		for t := 0; t < nt; t++ {
			odet := float64(t) * p.ThickStep
			line.Depth = [3]float64{odet * od[0], odet * od[1], odet * od[2]}
			for subS := 0; subS < os; subS++ {
				sdet := float64(sub*float64(sp*os+subS)) + sub/2.0
				line.Slow = [3]float64{sdet * sd[0], sdet * sd[1], sdet * sd[2]}
				off := a*per + (t*os+subS)*os
				if hkl {
					asm.MillerLine(&line, cell, m, os, per, hs[off:], ks[off:], ls[off:], rr[off:])
					continue
				}
				if direct {
					asm.ScatterLine(&line, m, os, per, ss[3*off:], rr[off:])
					continue
				}
				sc.px, sc.py = grow(sc.px, 3*m), grow(sc.py, m)
				ts, tr := sc.px, sc.py
				asm.ScatterLine(&line, m, m, m, ts, tr)
				for i := 0; i < m; i += os {
					o := off + i/os*per
					copy(ss[3*o:3*o+3*os], ts[3*i:3*i+3*os])
					copy(rr[o:o+os], tr[i:i+os])
				}
			}
		}
		// rr holds the original's distances bit for bit: the exact solid
		// angles at the pixels' first points (the printed sum needs them)
		sc.omegas = grow(sc.omegas, b-a)
		asm.SolidAngles(rr[a*per:], per, p.PixelSize*p.PixelSize, p.CloseDist, c.PointPixel, sc.omegas)
		for pi := a; pi < b; pi++ {
			fp := cols[pi]
			// the pixel's first point's fast coordinate
			fd := float64(sub*float64(fp*os)) + sub/2.0
			w := pi * per
			g := &pixels[pi]
			*g = pixelGeom{fpixel: fp, spixel: sp, start: w, end: w + per}
			g.omega, g.omegaExact = sc.omegas[pi-a], true
			g.capture = 1
			if p.Thick != 0 {
				// the last layer's value (computed at its first point)
				t := nt - 1
				rt := rr[w+t*os*os]
				parallax := ((fd*f[0]+bt0[0])*od[0] + (fd*f[1]+bt0[1])*od[1] + (fd*f[2]+bt0[2])*od[2]) / rt
				tt := float64(t)
				g.capture = libm.Exp(-tt*p.ThickStep*p.Mu/parallax) - libm.Exp(-(tt+1)*p.ThickStep*p.Mu/parallax)
			}
			g.polar = 1
			if !c.NoPolar {
				// the first point's unit vector from its scattering vector
				// the first point's unit vector
				x, y, z := fd*f[0]+b00[0], fd*f[1]+b00[1], fd*f[2]+b00[2]
				inv := 1 / rr[w]
				g.polar = src.polarizationXYZ(kahn, x*inv, y*inv, z*inv)
			}
			if sp*p.FPixels+fp == e.firstPixel {
				sc.firstAt = w + e.firstLoop
			}
			if !e.traced(fp, sp) {
				continue
			}
			// the last sample point and its scattering vector (trace)
			l := w + per - 1
			fl := fd + float64(os-1)*sub
			x, y, z := fl*f[0]+btl[0], fl*f[1]+btl[1], fl*f[2]+btl[2]
			pos := Vec{x, y, z}
			if rl := rr[l]; rl != 0 {
				inv := 1 / rl
				x, y, z = x*inv, y*inv, z*inv
			}
			g.last = &lastPoint{pos, Vec{x, y, z}, Vec{(x - inc[0]) / lam, (y - inc[1]) / lam, (z - inc[2]) / lam}}
		}
		a = b
	}
	sc.pixels = pixels
	if hkl {
		sc.h, sc.k, sc.l = hs, ks, ls
		sc.hklDone = n
		sc.s = ss[:0]
	} else {
		sc.s = ss[:3*n]
	}
	sc.r = rr
}

// scatterVectors stores S = (d - inc)*(1/lambda) of every point d (dx,
// dy, dz) and source (incX, incY, incZ, ils) in o, points outer (a small
// function: its loop keeps everything in registers).
func scatterVectors(o, dx, dy, dz, incX, incY, incZ, ils []float64) {
	dy, dz = dy[:len(dx)], dz[:len(dx)]
	if len(ils) == 1 { // one source: the common case, without the inner loop
		ix, iy, iz, il := incX[0], incY[0], incZ[0], ils[0]
		o = o[:3*len(dx)]
		for q, x := range dx {
			v := o[3*q : 3*q+3 : 3*q+3]
			v[0], v[1], v[2] = (x-ix)*il, (dy[q]-iy)*il, (dz[q]-iz)*il
		}
		return
	}
	incY, incZ = incY[:len(incX)], incZ[:len(incX)]
	ils = ils[:len(incX)]
	for q, x := range dx {
		y, z := dy[q], dz[q]
		for s, il := range ils {
			o[0], o[1], o[2] = (x-incX[s])*il, (y-incY[s])*il, (z-incZ[s])*il
			o = o[3:]
		}
	}
}

// batchEvaluations bounds the evaluations gathered before the kernels run.
const batchEvaluations = 1 << 14

// computeRow computes the pixels of row sp in batches of pixels (the
// kernels then see long vectors) and stores them in img; it returns the
// row's first out-of-range pixel (-1 if none). With omegaTerms non-nil it
// appends the row's solid-angle terms there (appendOmegaTerms).
func (e *engine) computeRow(sp int, mode int, sc *scratch, img *Image, opts *Options, traceOut **PixelTrace, omegaTerms *[]float64) (int, *outOfRange) {
	p := e.p
	nOrient := p.PhiSteps * len(p.Umats)
	oorF, firstOOR := -1, (*outOfRange)(nil)
	flush := func() {
		e.evaluate(sc)
		if mode != interpOn {
			e.blockSums(sc)
		}
		for i := range sc.pixels {
			g := &sc.pixels[i]
			var r pixelResult
			if sc.sumsReady && !e.traced(g.fpixel, g.spixel) {
				// the common case: finish's square-shape branch with the
				// block's sum (the same bits as its SumSquareTerms call)
				value := e.pixelValue(g, p.IBg+sc.sums[i])
				r = pixelResult{value: float32(value), value64: value}
			} else {
				var tr *PixelTrace
				if e.traced(g.fpixel, g.spixel) {
					tr = &PixelTrace{}
					*traceOut = tr
				}
				m := mode
				if mode == interpOn && oorF >= 0 {
					m = interpOff // switched off earlier in this row
				}
				r = e.finish(g, m, sc, tr)
			}
			idx := g.spixel*p.FPixels + g.fpixel
			img.Pixels[idx] = r.value
			if img.Values != nil {
				img.Values[idx] = r.value64
			}
			if r.oor != nil && oorF < 0 {
				oorF, firstOOR = g.fpixel, r.oor
			}
			if omegaTerms != nil {
				*omegaTerms = e.appendOmegaTerms(*omegaTerms, g)
			}
		}
		sc.reset()
	}
	// pixels per batch: about batchEvaluations evaluations, one pixel at a
	// time while interpolation may switch off (so that the switch is seen
	// in order)
	perPixel := p.ThickSteps * p.Oversample * p.Oversample * len(p.Sources) * nOrient
	batch := max(1, batchEvaluations/max(1, perPixel))
	if mode == interpOn {
		batch = 1
	}
	cols := sc.cols[:0]
	defer func() { sc.cols = cols[:0] }() // reused by the next row
	for fp := 0; fp < p.FPixels; fp++ {
		if !e.computed(fp, sp) {
			continue
		}
		cols = append(cols, fp)
		if len(cols) == batch || fp == p.FPixels-1 {
			e.gather(sp, cols, sc)
			flush()
			cols = cols[:0]
		}
	}
	if len(cols) > 0 {
		e.gather(sp, cols, sc)
		flush()
	}
	return oorF, firstOOR
}

// blockSums computes, in one kernel call, the square-term sums finish
// would ask asm.SumSquareTerms for, when the batch's pixels hold equal
// consecutive runs of evaluations (fast path, square shape, nearest F, no
// water, no per-term factors; the caller excludes interpolation).
func (e *engine) blockSums(sc *scratch) {
	p := e.p
	c := &p.Cfg
	loops := sc.uniformLoops
	if !e.fast || c.Shape != Square || c.WaterSize != 0 || c.OversampleThick || c.OversamplePolar || c.OversampleOmega || len(sc.pixels) == 0 || loops == 0 {
		return
	}
	first := sc.pixels[0].start
	nOrient := p.PhiSteps * len(p.Umats)
	per := loops * nOrient
	if per == 0 {
		return
	}
	lo, hi := first*nOrient, (first+len(sc.pixels)*loops)*nOrient
	sc.sums = grow(sc.sums, len(sc.pixels))
	asm.SumSquareTermsBlocks(sc.h[lo:hi], sc.k[lo:hi], sc.l[lo:hi], sc.flatt[lo:hi], per, &e.fgrid, sc.sums)
	sc.sumsReady = true
}

// accumulateSquare adds F_cell^2 * F_latt^2 of every evaluation to I in
// order (square shape, nearest-neighbour F, no per-term factors): the
// common case, with the bounds tested on the rounded doubles (equivalent to
// the original's int tests, NaN and huge values included).
func (e *engine) accumulateSquare(I float64, hs, ks, ls, fl []float64) float64 {
	p := e.p
	def := p.Cfg.DefaultF
	skipZero := p.Cfg.WaterSize == 0
	g := p.HKL
	if g == nil || p.Hkls == 0 {
		for _, fLatt := range fl {
			if fLatt == 0 && skipZero {
				continue
			}
			I += float64(float64(def*def)*fLatt) * fLatt
		}
		return I
	}
	hmin, hmax := float64(g.HMin), float64(g.HMax)
	kmin, kmax := float64(g.KMin), float64(g.KMax)
	lmin, lmax := float64(g.LMin), float64(g.LMax)
	sh, sk := e.gridStrideH, e.gridStrideK
	F := g.F
	hs, ks, ls = hs[:len(fl)], ks[:len(fl)], ls[:len(fl)]
	for n, fLatt := range fl {
		if fLatt == 0 && skipZero {
			continue
		}
		h0 := math.Ceil(hs[n] - 0.5)
		k0 := math.Ceil(ks[n] - 0.5)
		l0 := math.Ceil(ls[n] - 0.5)
		fCell := def
		if h0 >= hmin && h0 <= hmax && k0 >= kmin && k0 <= kmax && l0 >= lmin && l0 <= lmax {
			fCell = F[int(h0-hmin)*sh+int(k0-kmin)*sk+int(l0-lmin)]
		}
		I += float64(float64(fCell*fCell)*fLatt) * fLatt
	}
	return I
}

// cint converts like a C double-to-int assignment on x86-64 (out of range
// and NaN give INT_MIN).
func cint(x float64) int {
	if !(x >= -2147483648 && x < 2147483648) {
		return math.MinInt32
	}
	return int(x)
}

func (e *engine) shapeLattice(h, k, l float64, h0, k0, l0 int) float64 {
	p := e.p
	c := &p.Cfg
	dh, dk, dl := h-float64(h0), k-float64(k0), l-float64(l0)
	na, nb, nc := p.Na, p.Nb, p.Nc
	switch c.Shape {
	case Round:
		hrad := float64(float64(float64(float64(dh*dh)*na)*na)+float64(float64(float64(dk*dk)*nb)*nb)) + float64(float64(float64(dl*dl)*nc)*nc)
		return float64(float64(float64(na*nb)*nc)*0.723601254558268) * sinc3(math.Pi*math.Sqrt(hrad*c.Fudge))
	}
	var d Vec
	for i := 0; i < 3; i++ {
		d[i] = float64(float64(dh*p.AStar[i])+float64(dk*p.BStar[i])) + float64(dl*p.CStar[i])
	}
	r := float64(float64(float64(float64(float64(float64(float64(float64(d[0]*d[0])+float64(d[1]*d[1]))+float64(d[2]*d[2]))*na)*na)*nb)*nb)*nc) * nc
	switch c.Shape {
	case Gauss:
		return float64(float64(na*nb)*nc) * libm.Exp(-(r / 0.63 * c.Fudge))
	case Tophat:
		if r*c.Fudge < 0.3969 {
			return float64(na*nb) * nc
		}
		return 0
	}
	return 1
}

func (e *engine) nearestF(h0, k0, l0 int) float64 {
	p := e.p
	g := p.HKL
	if p.Hkls != 0 && g != nil && h0 <= g.HMax && h0 >= g.HMin && k0 <= g.KMax && k0 >= g.KMin && l0 <= g.LMax && l0 >= g.LMin {
		return g.F[(h0-g.HMin)*e.gridStrideH+(k0-g.KMin)*e.gridStrideK+(l0-g.LMin)]
	}
	return p.Cfg.DefaultF
}

func (e *engine) interpolateF(h, k, l float64) float64 {
	g := e.p.HKL
	hf, kf, lf := int(math.Floor(h)), int(math.Floor(k)), int(math.Floor(l))
	var xh, xk, xl [4]float64
	var y [4][4][4]float64
	for i := 0; i < 4; i++ {
		xh[i] = float64(hf - 1 + i)
		xk[i] = float64(kf - 1 + i)
		xl[i] = float64(lf - 1 + i)
	}
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			base := (hf-1+i-g.HMin)*e.gridStrideH + (kf-1+j-g.KMin)*e.gridStrideK
			for m := 0; m < 4; m++ {
				y[i][j][m] = g.F[base+lf-1+m-g.LMin]
			}
		}
	}
	return polin3(&xh, &xk, &xl, &y, h, k, l)
}

// Render computes the float image of the plan. The result does not depend
// on opts.Workers. It returns ctx.Err() if ctx is cancelled.
func Render(ctx context.Context, p *Plan, opts Options) (*Image, *RenderInfo, error) {
	e := newEngine(p, opts.Kernel)
	if opts.Trace != nil {
		e.traceF, e.traceS = opts.TraceF, opts.TraceS
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	img := &Image{FPixels: p.FPixels, SPixels: p.SPixels, Pixels: make([]float32, p.FPixels*p.SPixels)}
	if opts.KeepFloat64 {
		img.Values = make([]float64, len(img.Pixels))
	}
	// first out-of-range evaluation per row (interpolation)
	rowOOR := make([]int, p.SPixels)
	oorAt := make([]*outOfRange, p.SPixels)
	for i := range rowOOR {
		rowOOR[i] = -1
	}
	mode := interpOff
	if p.Interpolate {
		mode = interpOn
	}
	// the serial sums, added as the first pass's rows finish
	serial := newRowSerial(e, img, mode != interpOn)
	var traceOut *PixelTrace
	// first: the first pass over all rows (progress, solid-angle sum)
	runRows := func(rows []int, mode int, first bool) error {
		var next atomic.Int64
		var wg sync.WaitGroup
		var cancelled atomic.Bool
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sc := &scratch{}
				for {
					i := int(next.Add(1) - 1)
					if i >= len(rows) || cancelled.Load() {
						return
					}
					if ctx.Err() != nil {
						cancelled.Store(true)
						return
					}
					sp := rows[i]
					var terms *[]float64
					if first {
						t := serial.buffer()
						terms = &t
					}
					oorF, oor := e.computeRow(sp, mode, sc, img, &opts, &traceOut, terms)
					if oorF >= 0 {
						rowOOR[sp], oorAt[sp] = oorF, oor
					}
					if first {
						serial.addRow(sp, *terms)
					}
					if first && opts.RowDone != nil {
						opts.RowDone(sp, rowOOR[sp], oorAt[sp])
					}
				}
			}()
		}
		wg.Wait()
		return ctx.Err()
	}
	all := make([]int, p.SPixels)
	for i := range all {
		all[i] = i
	}
	if err := runRows(all, mode, true); err != nil {
		return nil, nil, err
	}
	info := &RenderInfo{}
	if mode == interpOn {
		// The original switches interpolation off for the rest of the run at
		// the first out-of-range evaluation: recompute everything after it.
		for sp := 0; sp < p.SPixels; sp++ {
			if rowOOR[sp] < 0 {
				continue
			}
			info.OutOfRange = oorAt[sp]
			info.OutOfRangePixel = sp*p.FPixels + rowOOR[sp]
			sc := &scratch{}
			for fp := 0; fp < p.FPixels; fp++ {
				if !e.computed(fp, sp) {
					continue
				}
				m := interpOn
				if fp > rowOOR[sp] {
					m = interpOff
				}
				var tr *PixelTrace
				if opts.Trace != nil && fp == opts.TraceF && sp == opts.TraceS {
					tr = &PixelTrace{}
					traceOut = tr
				}
				r := e.computePixel(fp, sp, m, sc, tr)
				img.Pixels[sp*p.FPixels+fp] = r.value
				if img.Values != nil {
					img.Values[sp*p.FPixels+fp] = r.value64
				}
			}
			rest := make([]int, 0, p.SPixels-sp-1)
			for r := sp + 1; r < p.SPixels; r++ {
				rest = append(rest, r)
			}
			if err := runRows(rest, interpOff, false); err != nil {
				return nil, nil, err
			}
			break
		}
	}
	if traceOut != nil {
		opts.Trace(traceOut)
	}
	omegaSum := serial.done()
	if !serial.stats {
		for sp := 0; sp < p.SPixels; sp++ {
			e.addPixelStats(&img.Stats, img, sp)
		}
	}
	finishStats(p, img, omegaSum)
	return img, info, nil
}

// RenderInfo reports serial-order events of the run that the console shows.
type RenderInfo struct {
	OutOfRange      *outOfRange // first out-of-range interpolation, nil if none
	OutOfRangePixel int
}

// addPixelStats adds the computed pixels of row sp to the statistics'
// running sums and maximum (rows must come in order: serial sums).
func (e *engine) addPixelStats(st *Stats, img *Image, sp int) {
	p := e.p
	os := p.Oversample
	sub := p.SubpixelSize
	row := img.Pixels[sp*p.FPixels : (sp+1)*p.FPixels]
	for fp, v := range row {
		if !e.computed(fp, sp) {
			continue
		}
		if float64(v) > st.MaxI {
			st.MaxI = float64(v)
			st.MaxIX = float64(sub*float64(fp*os+os-1)) + sub/2.0
			st.MaxIY = float64(sub*float64(sp*os+os-1)) + sub/2.0
		}
		st.Sum += float64(v)
		st.SumSqr += float64(v * v)
		st.N++
	}
}

// finishStats completes the statistics from the running sums
// (addPixelStats): mean, RMS, and the RMSD over the ROI.
func finishStats(p *Plan, img *Image, omegaSum float64) {
	st := &img.Stats
	st.Steps = p.Steps
	st.OmegaSum = omegaSum
	n := st.N
	if n <= 0 {
		n = 1
	}
	st.Mean = st.Sum / float64(n)
	if n <= 1 {
		n = 2
	}
	st.RMS = math.Sqrt(st.SumSqr / float64(n-1))
	var sq float64
	cnt := 0
	for sp := 0; sp < p.SPixels; sp++ {
		for fp := 0; fp < p.FPixels; fp++ {
			if fp < p.ROI[0] || fp > p.ROI[1] || sp < p.ROI[2] || sp > p.ROI[3] {
				continue
			}
			d := float64(img.Pixels[sp*p.FPixels+fp]) - st.Mean
			sq += d * d
			cnt++
		}
	}
	if cnt <= 1 {
		cnt = 2
	}
	st.RMSD = math.Sqrt(sq / float64(cnt-1))
}
