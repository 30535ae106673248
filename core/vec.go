package core

import (
	"math"

	"github.com/gobragg/gobragg/core/libm"
)

// Vec is a lab-frame 3-vector. The helpers below reproduce the original's
// vector arithmetic operation for operation (geometry.md §1.2); products
// are converted explicitly so the compiler never fuses them into FMAs.
type Vec [3]float64

func dot(x, y Vec) float64 {
	return float64(x[0]*y[0]) + float64(x[1]*y[1]) + float64(x[2]*y[2])
}

func cross(x, y Vec) Vec {
	return Vec{
		float64(x[1]*y[2]) - float64(x[2]*y[1]),
		float64(x[2]*y[0]) - float64(x[0]*y[2]),
		float64(x[0]*y[1]) - float64(x[1]*y[0]),
	}
}

func magnitude(v Vec) float64 { return math.Sqrt(dot(v, v)) }

// unitize returns v/|v| (zero vector if |v| == 0) and |v|.
func unitize(v Vec) (Vec, float64) {
	m := magnitude(v)
	if m != 0 {
		return Vec{v[0] / m, v[1] / m, v[2] / m}, m
	}
	return Vec{}, m
}

func scale(v Vec, s float64) Vec { return Vec{s * v[0], s * v[1], s * v[2]} }

// rescale returns v with magnitude L: (L/|v|)·v (|v| <= 0 counts as 1).
func rescale(v Vec, L float64) Vec {
	m := magnitude(v)
	if m <= 0 {
		m = 1
	}
	f := L / m
	return Vec{f * v[0], f * v[1], f * v[2]}
}

// rotate turns v about lab x, then y, then z (each skipped when its angle is 0).
func rotate(v Vec, phix, phiy, phiz float64) Vec {
	x, y, z := v[0], v[1], v[2]
	if phix != 0 {
		c, s := libm.Cos(phix), libm.Sin(phix)
		ny := float64(y*c) + float64(z*-s)
		nz := float64(y*s) + float64(z*c)
		y, z = ny, nz
	}
	if phiy != 0 {
		c, s := libm.Cos(phiy), libm.Sin(phiy)
		nx := float64(x*c) + float64(y*0) + float64(z*s)
		nz := float64(x*-s) + float64(y*0) + float64(z*c)
		x, z = nx, nz
	}
	if phiz != 0 {
		c, s := libm.Cos(phiz), libm.Sin(phiz)
		nx := float64(x*c) + float64(y*-s)
		ny := float64(x*s) + float64(y*c)
		x, y = nx, ny
	}
	return Vec{x, y, z}
}

// rotateAxis is the Rodrigues rotation of v by phi about axis (not normalised).
func rotateAxis(v, axis Vec, phi float64) Vec {
	s, c := libm.Sin(phi), libm.Cos(phi)
	d := (float64(axis[0]*v[0]) + float64(axis[1]*v[1]) + float64(axis[2]*v[2])) * (1.0 - c)
	return Vec{
		float64(axis[0]*d) + float64(v[0]*c) + float64((float64(-axis[2]*v[1])+float64(axis[1]*v[2]))*s),
		float64(axis[1]*d) + float64(v[1]*c) + float64((float64(axis[2]*v[0])-float64(axis[0]*v[2]))*s),
		float64(axis[2]*d) + float64(v[2]*c) + float64((float64(-axis[1]*v[0])+float64(axis[0]*v[1]))*s),
	}
}

// rotateUmat is U·v with U row-major.
func rotateUmat(v Vec, u *[9]float64) Vec {
	return Vec{
		float64(u[0]*v[0]) + float64(u[1]*v[1]) + float64(u[2]*v[2]),
		float64(u[3]*v[0]) + float64(u[4]*v[1]) + float64(u[5]*v[2]),
		float64(u[6]*v[0]) + float64(u[7]*v[1]) + float64(u[8]*v[2]),
	}
}

// polarizationFactor is the Kahn polarisation factor (physics.md §11). Like
// the original it normalises its three vectors first; the normalised
// diffracted vector and axis are returned, since the original keeps them
// (c-quirks Q41). Values in and out keep the caller's vectors in registers.
//
//go:noinline
func polarizationFactor(kahn float64, incident, diffracted, axis Vec) (float64, Vec, Vec) {
	incident, _ = unitize(incident)
	diffracted, _ = unitize(diffracted)
	axis, _ = unitize(axis)
	c2 := dot(incident, diffracted)
	c2sq := c2 * c2
	s2sq := 1 - c2sq
	psi := 0.0
	if kahn != 0 {
		bIn, _ := unitize(cross(axis, incident))
		eIn, _ := unitize(cross(incident, bIn))
		eOut := dot(diffracted, eIn)
		bOut := dot(diffracted, bIn)
		psi = -libm.Atan2(bOut, eOut)
	}
	return 0.5 * ((1.0 + c2sq) - float64(float64(kahn*libm.Cos(2*psi))*s2sq)), diffracted, axis
}

func sinc3(x float64) float64 {
	if x == 0 {
		return 1
	}
	return 3.0 * (libm.Sin(x)/x - libm.Cos(x)) / (x * x)
}

// polint is the 4-point Lagrange interpolation in the original's term order.
func polint(xa, ya *[4]float64, x float64) float64 {
	t0 := float64(float64(float64(float64((x-xa[1])*(x-xa[2]))*(x-xa[3]))*ya[0]) / float64(float64((xa[0]-xa[1])*(xa[0]-xa[2]))*(xa[0]-xa[3])))
	t1 := float64(float64(float64(float64((x-xa[0])*(x-xa[2]))*(x-xa[3]))*ya[1]) / float64(float64((xa[1]-xa[0])*(xa[1]-xa[2]))*(xa[1]-xa[3])))
	t2 := float64(float64(float64(float64((x-xa[0])*(x-xa[1]))*(x-xa[3]))*ya[2]) / float64(float64((xa[2]-xa[0])*(xa[2]-xa[1]))*(xa[2]-xa[3])))
	t3 := float64(float64(float64(float64((x-xa[0])*(x-xa[1]))*(x-xa[2]))*ya[3]) / float64(float64((xa[3]-xa[0])*(xa[3]-xa[1]))*(xa[3]-xa[2])))
	return t0 + t1 + t2 + t3
}

// polin3 interpolates y[i][j][m] on the nodes xh, xk, xl at (h, k, l):
// l first, then k, then h.
func polin3(xh, xk, xl *[4]float64, y *[4][4][4]float64, h, k, l float64) float64 {
	var yk [4]float64
	for i := 0; i < 4; i++ {
		var yl [4]float64
		for j := 0; j < 4; j++ {
			yl[j] = polint(xl, &y[i][j], l)
		}
		yk[i] = polint(xk, &yl, k)
	}
	return polint(xh, &yk, h)
}
