// Package rng reproduces the random-number machinery of the original
// nanoBragg bit for bit (spec: noise-rng.md, physics.md §7): the Numerical
// Recipes style uniform generator with its shared shuffle table, the
// Gaussian and Poisson deviates built on it, log-gamma, the random rotation
// used for mosaic domains and random misset, and the Poisson noise image.
//
// All float32 intermediates that the C rounds are rounded here with explicit
// conversions, and every product that feeds a sum is wrapped in an explicit
// conversion so that the Go compiler cannot fuse it into an FMA.
package rng

import (
	"math"

	"github.com/gobragg/gobragg/core/libm"
)

// Constants of the uniform generator (noise-rng.md §2.1).
const (
	ia   = 16807
	im   = 2147483647
	am   = 1.0 / float64(im)
	iq   = 127773
	ir   = 2836
	ntab = 32
	ndiv = 1 + (im-1)/ntab
	eps  = 1.2e-7
	rnmx = 1.0 - eps
)

// Generator holds the process-wide static state the original shares between
// all callers: ran1's shuffle table iv[32] and iy, gaussdev's spare
// (iset/gset), poidev's cache. Use one Generator per simulated run; it is not
// safe for concurrent use.
type Generator struct {
	iv [ntab]int64
	iy int64

	iset int
	gset float32

	sq, alxm, g, oldm float32
}

// New returns a Generator in the state of a freshly started process.
func New() *Generator {
	return &Generator{oldm: -1.0}
}

// step is one Schrage step of the Park–Miller generator.
func step(x int64) int64 {
	k := x / iq
	x = ia*(x-k*iq) - ir*k
	if x < 0 {
		x += im
	}
	return x
}

// Ran1 returns a uniform deviate in (0, 0.99999988] and advances *idum.
// A word <= 0 (or an unbuilt table) re-initialises the shared table.
func (g *Generator) Ran1(idum *int64) float32 {
	if *idum <= 0 || g.iy == 0 {
		if -*idum < 1 {
			*idum = 1
		} else {
			*idum = -*idum
		}
		for j := ntab + 7; j >= 0; j-- {
			*idum = step(*idum)
			if j < ntab {
				g.iv[j] = *idum
			}
		}
		g.iy = g.iv[0]
	}
	*idum = step(*idum)
	j := g.iy / ndiv
	g.iy = g.iv[j]
	g.iv[j] = *idum
	temp := float32(am * float64(g.iy))
	if float64(temp) > rnmx {
		return float32(rnmx)
	}
	return temp
}

// GaussDev returns a normal deviate (polar Box–Muller with one shared spare).
func (g *Generator) GaussDev(idum *int64) float32 {
	if g.iset != 0 {
		g.iset = 0
		return g.gset
	}
	var v1, v2, rsq float32
	for {
		v1 = float32(float64(2.0*float64(g.Ran1(idum))) - 1.0)
		v2 = float32(float64(2.0*float64(g.Ran1(idum))) - 1.0)
		rsq = float32(v1*v1) + float32(v2*v2)
		if !(rsq >= 1.0 || rsq == 0) {
			break
		}
	}
	fac := float32(math.Sqrt(float64(-2.0*math.Log(float64(rsq))) / float64(rsq)))
	g.gset = float32(v1 * fac)
	g.iset = 1
	return float32(v2 * fac)
}

// gammlnCof are the Lanczos series coefficients (noise-rng.md §4).
var gammlnCof = [6]float64{
	76.18009172947146, -86.50532032941677, 24.01409824083091,
	-1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5,
}

// GammLn returns ln Γ(xx) for xx > 0 (float argument and result, double inside).
func GammLn(xx float32) float32 {
	x := float64(xx)
	y := x
	tmp := x + 5.5
	tmp -= float64((x + 0.5) * math.Log(tmp))
	ser := 1.000000000190015
	for _, c := range gammlnCof {
		y += 1
		ser += c / y
	}
	return float32(-tmp + math.Log(float64(2.5066282746310005*ser)/x))
}

// PoiDev returns a Poisson deviate with mean xm (Gaussian, unrounded, above 1e6).
func (g *Generator) PoiDev(xm float32, idum *int64) float32 {
	if xm > 1.0e6 {
		gd := g.GaussDev(idum)
		return float32(float64(xm) + float64(math.Sqrt(float64(xm))*float64(gd)))
	}
	if xm < 12.0 {
		if xm != g.oldm {
			g.oldm = xm
			g.g = float32(libm.Exp(-float64(xm)))
		}
		em := float32(-1)
		t := float32(1.0)
		for {
			em += 1
			t = float32(t * g.Ran1(idum))
			if !(t > g.g) {
				break
			}
		}
		return em
	}
	if xm != g.oldm {
		g.oldm = xm
		g.sq = float32(math.Sqrt(2.0 * float64(xm)))
		g.alxm = float32(math.Log(float64(xm)))
		g.g = float32(xm*g.alxm) - GammLn(float32(float64(xm)+1.0))
	}
	var em, t, y float32
	for {
		for {
			y = float32(math.Tan(math.Pi * float64(g.Ran1(idum))))
			em = float32(g.sq*y) + xm
			if !(em < 0.0) {
				break
			}
		}
		em = float32(math.Floor(float64(em)))
		e := float32(float32(em*g.alxm)-GammLn(float32(float64(em)+1.0))) - g.g
		t = float32(float64(0.9*(1.0+float64(float32(y*y)))) * libm.Exp(float64(e)))
		if !(g.Ran1(idum) > t) {
			break
		}
	}
	return em
}

// MosaicRotationUmat: the spec's mosaic_rotation_umat; row-major 3x3.
// It draws three uniforms from *idum and returns a right-handed rotation by
// mosaicity·(1−r3²)^(1/3) radians about a random axis (noise-rng.md §8.1).
func (g *Generator) MosaicRotationUmat(mosaicity float32, idum *int64) [9]float64 {
	r1 := float64(2.0*float64(g.Ran1(idum))) - 1.0
	r2 := float64(2.0*float64(g.Ran1(idum))) - 1.0
	r3 := float64(2.0*float64(g.Ran1(idum))) - 1.0

	xyrad := math.Sqrt(1.0 - float64(r2*r2))
	base := float32(1.0 - float64(r3*r3))
	rot := float64(float32(mosaicity * Powf(base, float32(1.0/3.0))))

	v1 := float64(xyrad * libm.Sin(float64(math.Pi*r1)))
	v2 := float64(xyrad * libm.Cos(float64(math.Pi*r1)))
	v3 := r2

	c := libm.Cos(rot)
	t := 1.0 - c
	s := libm.Sin(rot)

	tv1 := float64(t * v1)
	tv2 := float64(t * v2)
	var u [9]float64
	u[0] = c + float64(t*float64(v1*v1))
	u[1] = float64(tv1*v2) - float64(s*v3)
	u[2] = float64(tv1*v3) + float64(s*v2)
	u[3] = float64(tv1*v2) + float64(s*v3)
	u[4] = c + float64(t*float64(v2*v2))
	u[5] = float64(tv2*v3) - float64(s*v1)
	u[6] = float64(tv1*v3) - float64(s*v2)
	u[7] = float64(tv2*v3) + float64(s*v1)
	u[8] = c + float64(t*float64(v3*v3))
	return u
}

// Umat2Misset: the spec's umat2misset, returns rotx, roty, rotz in radians.
// Rows are normalised twice (zero rows are left alone; the original's repairs
// only concern degenerate matrices, never a rotation matrix), then the angles
// satisfy U ≈ Rz·Ry·Rx.
func Umat2Misset(u [9]float64) [3]float64 {
	for pass := 0; pass < 2; pass++ {
		for r := 0; r < 3; r++ {
			x, y, z := u[3*r], u[3*r+1], u[3*r+2]
			l := math.Sqrt(float64(float64(x*x)+float64(y*y)) + float64(z*z))
			if l > 0 {
				u[3*r] = x / l
				u[3*r+1] = y / l
				u[3*r+2] = z / l
			}
		}
	}
	uxx, uxy := u[0], u[1]
	uyx, uyy := u[3], u[4]
	uzx, uzy, uzz := u[6], u[7], u[8]
	if float64(uzx*uzx) < 1.0 {
		return [3]float64{
			libm.Atan2(uzy, uzz),
			libm.Atan2(-uzx, math.Sqrt(float64(uzy*uzy)+float64(uzz*uzz))),
			libm.Atan2(uyx, uxx),
		}
	}
	return [3]float64{math.Pi, math.Pi / 2, libm.Atan2(uxy, -uyy)}
}

// Noise computes the noise image exactly as noise-rng.md §9/§10 and io.md §11 describe:
// for pixels inside the inclusive ROI (fast xmin..xmax, slow ymin..ymax) in row-major order,
// n = PoiDev(pixel); sum += n; t = n + adc; clamp >65535 to 65535 counting overloads; store (uint16)(int32 t) (truncation, wraps for negative via 32-bit int, NaN -> 0).
// Pixels outside the ROI are 0. roi is {xmin, xmax, ymin, ymax}; pixels has
// fpixels*spixels values, fast index first.
func (g *Generator) Noise(pixels []float32, fpixels, spixels int, roi [4]int, adc float64, seed *int64) (data []uint16, sum float64, overloads int) {
	data = make([]uint16, fpixels*spixels)
	for s := 0; s < spixels; s++ {
		if s < roi[2] || s > roi[3] {
			continue
		}
		for f := 0; f < fpixels; f++ {
			if f < roi[0] || f > roi[1] {
				continue
			}
			i := s*fpixels + f
			n := g.PoiDev(pixels[i], seed)
			sum += float64(n)
			t := float64(n) + adc
			if t > 65535.0 {
				t = 65535.0
				overloads++
			}
			data[i] = toUint16(t)
		}
	}
	return data, sum, overloads
}

// toUint16 mimics x86-64 (unsigned short)t for t <= 65535: a truncating
// conversion to a 32-bit integer (0x80000000 for NaN or out of range), low 16 bits kept.
func toUint16(t float64) uint16 {
	if t != t || t <= -2147483649.0 || t >= 2147483648.0 {
		return 0
	}
	return uint16(uint32(int32(t)))
}
