package core

import (
	"fmt"
	"github.com/gobragg/gobragg/core/libm"
	"io"
	"math"
	"os"

	"github.com/gobragg/gobragg/core/files"
	"github.com/gobragg/gobragg/core/rng"
)

// buildCrystal makes the cell vectors from -cell and/or -mat and the
// misset (physics.md §1), printing the original's cell report.
func buildCrystal(c *Config, p *Plan, in *Inputs, log, errlog io.Writer) error {
	var aStar, bStar, cStar Vec
	a, b, cc := c.CellA, c.CellB, c.CellC
	alpha, beta, gamma := c.Alpha, c.Beta, c.Gamma
	var vCell float64
	if c.UserCell {
		if b <= 0 {
			b = a
		}
		if cc <= 0 {
			cc = a
		}
		if alpha <= 0 {
			alpha = math.Pi / 2
		}
		if beta <= 0 {
			beta = math.Pi / 2
		}
		if gamma <= 0 {
			gamma = math.Pi / 2
		}
		aavg := (alpha + beta + gamma) / 2
		skew := float64(float64(float64(libm.Sin(aavg)*libm.Sin(aavg-alpha))*libm.Sin(aavg-beta)) * libm.Sin(aavg-gamma))
		if skew < 0 {
			skew = -skew
		}
		vCell = float64(float64(float64(2.0*a)*b)*cc) * math.Sqrt(skew)
		if vCell <= 0 {
			pf(log, "WARNING: impossible unit cell volume: %g\n", vCell)
			vCell = dblMin
		}
		vStar := 1.0 / vCell
		as := float64(float64(b*cc)*libm.Sin(alpha)) * vStar
		bs := float64(float64(cc*a)*libm.Sin(beta)) * vStar
		cs := float64(float64(a*b)*libm.Sin(gamma)) * vStar
		if as <= 0 || bs <= 0 || cs <= 0 {
			pf(log, "WARNING: impossible reciprocal cell lengths: %g %g %g\n", as, bs, cs)
			as, bs, cs = math.Abs(as), math.Abs(bs), math.Abs(cs)
			if as <= 0 {
				as = dblMin
			}
			if bs <= 0 {
				bs = dblMin
			}
			if cs <= 0 {
				cs = dblMin
			}
		}
		sinAS := a * vStar / bs / cs
		sinBS := b * vStar / as / cs
		sinGS := cc * vStar / as / bs
		cosAS := (float64(libm.Cos(beta)*libm.Cos(gamma)) - libm.Cos(alpha)) / float64(libm.Sin(beta)*libm.Sin(gamma))
		cosBS := (float64(libm.Cos(gamma)*libm.Cos(alpha)) - libm.Cos(beta)) / float64(libm.Sin(gamma)*libm.Sin(alpha))
		cosGS := (float64(libm.Cos(alpha)*libm.Cos(beta)) - libm.Cos(gamma)) / float64(libm.Sin(alpha)*libm.Sin(beta))
		if oddball(sinAS, cosAS, sinBS, cosBS, sinGS, cosGS) {
			pf(log, "WARNING: oddball reciprocal cell angles:\n")
			printOddball(log, true, sinAS, cosAS, sinBS, cosBS, sinGS, cosGS, "cos9gamma_star)")
		}
		// clamped as the original clamps them (sin(alpha*) and sin(beta*)
		// only feed angles it never uses)
		sinGS = clamp1(sinGS)
		cosAS, cosBS, cosGS = clampCos(cosAS), clampCos(cosBS), clampCos(cosGS)
		aStar = Vec{as, 0, 0}
		bStar = Vec{float64(bs * cosGS), float64(bs * sinGS), 0}
		cStar = Vec{
			float64(cs * cosBS),
			float64(cs*(cosAS-float64(cosBS*cosGS))) / sinGS,
			float64(cs*vCell) / float64(float64(float64(a*b)*cc)*sinGS),
		}
	}
	in.HasMat = false
	if c.MatFile != "" {
		if _, err := os.Stat(c.MatFile); err == nil {
			m, rows, err := files.ReadMatrix(c.MatFile)
			if err != nil {
				return &ExitError{Status: 9, Msg: fmt.Sprintf("%s: %v", c.MatFile, err)}
			}
			pf(log, "reading %s\n", c.MatFile)
			for r := rows; r < 3; r++ {
				fmt.Fprintf(errlog, "fscanf: %s: row %d of the matrix is not three numbers\n", c.MatFile, r+1)
			}
			in.Mat, in.MatRows, in.HasMat = m, rows, true
			s := 1e-10 / c.Lambda0
			aStar = scale(Vec{m[0], m[3], m[6]}, s)
			bStar = scale(Vec{m[1], m[4], m[7]}, s)
			cStar = scale(Vec{m[2], m[5], m[8]}, s)
		} else {
			return &UsageError{fmt.Sprintf("%s: cannot open matrix file: %v", c.MatFile, err)}
		}
	}
	misset := c.Misset
	if misset[0] == -1 {
		gen := p.Gen
		seed := c.MissetSeed
		u := gen.MosaicRotationUmat(90.0, &seed)
		ang := rng.Umat2Misset(u)
		misset = [4]float64{1, ang[0], ang[1], ang[2]}
		pf(log, "random orientation misset angles: %f %f %f deg\n", misset[1]*RTD, misset[2]*RTD, misset[3]*RTD)
	}
	if misset[0] > 0 {
		aStar = rotate(aStar, misset[1], misset[2], misset[3])
		bStar = rotate(bStar, misset[1], misset[2], misset[3])
		cStar = rotate(cStar, misset[1], misset[2], misset[3])
	}
	aXb := cross(aStar, bStar)
	bXc := cross(bStar, cStar)
	cXa := cross(cStar, aStar)
	vStar := dot(aStar, bXc)
	if c.UserCell {
		bXc = rescale(bXc, a/vCell)
		cXa = rescale(cXa, b/vCell)
		aXb = rescale(aXb, cc/vCell)
		vStar = 1.0 / vCell
	}
	vCell = 1.0 / vStar
	av := scale(bXc, vCell)
	bv := scale(cXa, vCell)
	cv := scale(aXb, vCell)
	aStar = scale(cross(bv, cv), vStar)
	bStar = scale(cross(cv, av), vStar)
	cStar = scale(cross(av, bv), vStar)
	la, lb, lc := magnitude(av), magnitude(bv), magnitude(cv)
	las, lbs, lcs := magnitude(aStar), magnitude(bStar), magnitude(cStar)

	sinA := las * vCell / lb / lc
	sinB := lbs * vCell / la / lc
	sinG := lcs * vCell / la / lb
	cosA := dot(bv, cv) / lb / lc
	cosB := dot(av, cv) / la / lc
	cosG := dot(av, bv) / la / lb
	if oddball(sinA, cosA, sinB, cosB, sinG, cosG) {
		pf(log, "WARNING: oddball cell angles:\n")
		printOddball(log, false, sinA, cosA, sinB, cosB, sinG, cosG, "")
	}
	alpha = libm.Atan2(clamp1(sinA), clampCos(cosA))
	beta = libm.Atan2(clamp1(sinB), clampCos(cosB))
	gamma = libm.Atan2(clamp1(sinG), clampCos(cosG))
	sinAS := la * vStar / lbs / lcs
	sinBS := lb * vStar / las / lcs
	sinGS := lc * vStar / las / lbs
	cosAS := dot(bStar, cStar) / lbs / lcs
	cosBS := dot(aStar, cStar) / las / lcs
	cosGS := dot(aStar, bStar) / las / lbs
	if oddball(sinAS, cosAS, sinBS, cosBS, sinGS, cosGS) {
		pf(log, "WARNING: oddball reciprocal cell angles:\n")
		printOddball(log, true, sinAS, cosAS, sinBS, cosBS, sinGS, cosGS, "cos(gamma_star)")
	}
	alphaS := libm.Atan2(clamp1(sinAS), clampCos(cosAS))
	betaS := libm.Atan2(clamp1(sinBS), clampCos(cosBS))
	gammaS := libm.Atan2(clamp1(sinGS), clampCos(cosGS))

	pf(log, "Unit Cell: %g %g %g %g %g %g\n", la, lb, lc, alpha*RTD, beta*RTD, gamma*RTD)
	pf(log, "Recp Cell: %g %g %g %g %g %g\n", las, lbs, lcs, alphaS*RTD, betaS*RTD, gammaS*RTD)
	pf(log, "volume = %g A^3\n", vCell)
	printCellTable(log, "real-space cell vectors (Angstrom):", "a", "b", "c", av, bv, cv)
	printCellTable(log, "reciprocal-space cell vectors (Angstrom^-1):", "a_star", "b_star", "c_star", aStar, bStar, cStar)

	p.A0 = scale(av, 1e-10)
	p.B0 = scale(bv, 1e-10)
	p.C0 = scale(cv, 1e-10)
	p.AStar, p.BStar, p.CStar = aStar, bStar, cStar
	return nil
}

const dblMin = 2.2250738585072014e-308

func printCellTable(log io.Writer, title, n1, n2, n3 string, a, b, c Vec) {
	pf(log, "%s\n", title)
	pf(log, "     %-10s  %-10s  %-10s\n", n1, n2, n3)
	pf(log, "X: %11.8f %11.8f %11.8f\n", a[0], b[0], c[0])
	pf(log, "Y: %11.8f %11.8f %11.8f\n", a[1], b[1], c[1])
	pf(log, "Z: %11.8f %11.8f %11.8f\n", a[2], b[2], c[2])
}

func oddball(v ...float64) bool {
	for _, x := range v {
		if x > 1.0000001 || x < -1.0000001 {
			return true
		}
	}
	return false
}

func printOddball(log io.Writer, star bool, sa, ca, sb, cb, sg, cg float64, lastLabel string) {
	if star {
		pf(log, "sin(alpha_star) = %.25g\n", sa)
		pf(log, "cos(alpha_star) = %.25g\n", ca)
		pf(log, "sin(beta_star)  = %.25g\n", sb)
		pf(log, "cos(beta_star)  = %.25g\n", cb)
		pf(log, "sin(gamma_star) = %.25g\n", sg)
		pf(log, "%s = %.25g\n", lastLabel, cg)
		return
	}
	pf(log, "sin_alpha = %.25g\n", sa)
	pf(log, "cos_alpha = %.25g\n", ca)
	pf(log, "sin_beta  = %.25g\n", sb)
	pf(log, "cos_beta  = %.25g\n", cb)
	pf(log, "sin_gamma = %.25g\n", sg)
	pf(log, "cos_gamma = %.25g\n", cg)
}

func clamp1(x float64) float64 {
	if x > 1 {
		return 1
	}
	if x < -1 {
		return -1
	}
	return x
}

func clampCos(x float64) float64 {
	if x*x > 1 {
		return 1
	}
	return x
}
