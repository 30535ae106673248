/*
 * cref.c - C reference implementation of the nanoBragg float image, written
 * for gobragg from its specification (physics.md, geometry.md, cli.md,
 * noise-rng.md, c-quirks.md). Scalar double arithmetic, evaluation order as
 * the specification states it; float where the specification says float.
 *
 * Build with -O2 -ffp-contract=off -fno-fast-math -std=c99 (see cref.go).
 */
/* The build must not contract a*b+c into fused multiply-adds (cgo does not
 * accept -ffp-contract=off in #cgo CFLAGS, so it is requested here). */
#pragma STDC FP_CONTRACT OFF
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <math.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "cref.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#ifndef M_1_PI
#define M_1_PI 0.31830988618379067154
#endif

enum { CV_CUSTOM = 0, CV_ADXV, CV_MOSFLM, CV_XDS, CV_DIALS, CV_DENZO };
enum { PV_BEAM = 0, PV_SAMPLE = 1 };
enum { SH_SQUARE = 0, SH_ROUND, SH_GAUSS, SH_TOPHAT };

static const double k_RTD = 180.0 * M_1_PI;
static const double k_re_sqr = 7.94079248018965e-30;
static const double k_avogadro = 6.02214179e23;
static const double k_source_distance = 10.0;
static const double k_water_F = 2.57;
static const double k_water_MW = 18.0;

/* ------------------------------------------------------------------ */
/* vector helpers (geometry.md 1.2); vectors are plain double[3]       */

static double vdot(const double *x, const double *y)
{
	return x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
}

static void vcross(const double *x, const double *y, double *out)
{
	double r0 = x[1] * y[2] - x[2] * y[1];
	double r1 = x[2] * y[0] - x[0] * y[2];
	double r2 = x[0] * y[1] - x[1] * y[0];
	out[0] = r0;
	out[1] = r1;
	out[2] = r2;
}

static double vmag(const double *v)
{
	return sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}

/* returns the length before normalising; zero vector stays zero */
static double vunit(const double *v, double *out)
{
	double m = vmag(v);
	if (m != 0.0) {
		out[0] = v[0] / m;
		out[1] = v[1] / m;
		out[2] = v[2] / m;
	} else {
		out[0] = 0.0;
		out[1] = 0.0;
		out[2] = 0.0;
	}
	return m;
}

static void vscale(const double *v, double *out, double s)
{
	out[0] = s * v[0];
	out[1] = s * v[1];
	out[2] = s * v[2];
}

static void vrescale(const double *v, double *out, double len)
{
	double m = vmag(v);
	if (m <= 0.0)
		m = 1.0;
	double f = len / m;
	out[0] = f * v[0];
	out[1] = f * v[1];
	out[2] = f * v[2];
}

static void vcopy(const double *v, double *out)
{
	out[0] = v[0];
	out[1] = v[1];
	out[2] = v[2];
}

/* rotation about lab x, then y, then z; each skipped when its angle is 0 */
static void vrotate(const double *v, double *out, double px, double py, double pz)
{
	double x = v[0], y = v[1], z = v[2];
	if (px != 0.0) {
		double c = cos(px), s = sin(px);
		double ny = y * c - z * s;
		double nz = y * s + z * c;
		y = ny;
		z = nz;
	}
	if (py != 0.0) {
		double c = cos(py), s = sin(py);
		double nx = x * c + y * 0.0 + z * s;
		double nz = x * (-s) + y * 0.0 + z * c;
		x = nx;
		z = nz;
	}
	if (pz != 0.0) {
		double c = cos(pz), s = sin(pz);
		double nx = x * c - y * s;
		double ny = x * s + y * c;
		x = nx;
		y = ny;
	}
	out[0] = x;
	out[1] = y;
	out[2] = z;
}

/* Rodrigues rotation about the (not normalised) axis u */
static void vrotate_axis(const double *v, double *out, const double *u, double phi)
{
	double c = cos(phi), s = sin(phi);
	double d = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) * (1.0 - c);
	double r0 = u[0] * d + v[0] * c + (-u[2] * v[1] + u[1] * v[2]) * s;
	double r1 = u[1] * d + v[1] * c + (u[2] * v[0] - u[0] * v[2]) * s;
	double r2 = u[2] * d + v[2] * c + (-u[1] * v[0] + u[0] * v[1]) * s;
	out[0] = r0;
	out[1] = r1;
	out[2] = r2;
}

static void vrotate_umat(const double *v, double *out, const double *U)
{
	double r0 = U[0] * v[0] + U[1] * v[1] + U[2] * v[2];
	double r1 = U[3] * v[0] + U[4] * v[1] + U[5] * v[2];
	double r2 = U[6] * v[0] + U[7] * v[1] + U[8] * v[2];
	out[0] = r0;
	out[1] = r1;
	out[2] = r2;
}

/* ------------------------------------------------------------------ */
/* random numbers (noise-rng.md 2, 8)                                  */

#define R_IA 16807
#define R_IM 2147483647
#define R_IQ 127773
#define R_IR 2836
#define R_NTAB 32
#define R_NDIV (1 + (R_IM - 1) / R_NTAB)

static long long rng_iy = 0;
static long long rng_iv[R_NTAB];

void cref_ran1_reset(void)
{
	rng_iy = 0;
	memset(rng_iv, 0, sizeof rng_iv);
}

static long long schrage(long long x)
{
	long long k = x / R_IQ;
	x = R_IA * (x - k * R_IQ) - R_IR * k;
	if (x < 0)
		x += R_IM;
	return x;
}

float cref_ran1(long long *idum)
{
	const double am = 1.0 / R_IM;
	const double rnmx = 1.0 - 1.2e-7;
	if (*idum <= 0 || rng_iy == 0) {
		if (-(*idum) < 1)
			*idum = 1;
		else
			*idum = -(*idum);
		for (int j = R_NTAB + 7; j >= 0; j--) {
			*idum = schrage(*idum);
			if (j < R_NTAB)
				rng_iv[j] = *idum;
		}
		rng_iy = rng_iv[0];
	}
	*idum = schrage(*idum);
	int j = (int)(rng_iy / R_NDIV);
	rng_iy = rng_iv[j];
	rng_iv[j] = *idum;
	float temp = (float)(am * (double)rng_iy);
	if ((double)temp > rnmx)
		return (float)rnmx;
	return temp;
}

void cref_mosaic_umat(double spread, double U[9], long long *seed)
{
	float mosaicity = (float)spread;
	double r1 = 2.0 * cref_ran1(seed) - 1.0;
	double r2 = 2.0 * cref_ran1(seed) - 1.0;
	double r3 = 2.0 * cref_ran1(seed) - 1.0;
	double xyrad = sqrt(1.0 - r2 * r2);
	float base = (float)(1.0 - r3 * r3);
	float expo = (float)(1.0 / 3.0);
	float frot = mosaicity * powf(base, expo);
	double rot = (double)frot;
	double v1 = xyrad * sin(M_PI * r1);
	double v2 = xyrad * cos(M_PI * r1);
	double v3 = r2;
	double c = cos(rot);
	double t = 1.0 - c;
	double s = sin(rot);
	U[0] = c + t * (v1 * v1);
	U[1] = (t * v1) * v2 - s * v3;
	U[2] = (t * v1) * v3 + s * v2;
	U[3] = (t * v1) * v2 + s * v3;
	U[4] = c + t * (v2 * v2);
	U[5] = (t * v2) * v3 - s * v1;
	U[6] = (t * v1) * v3 - s * v2;
	U[7] = (t * v2) * v3 + s * v1;
	U[8] = c + t * (v3 * v3);
}

void cref_umat2misset(const double Uin[9], double ang[3])
{
	double U[9];
	memcpy(U, Uin, sizeof U);
	for (int pass = 0; pass < 2; pass++) {
		for (int r = 0; r < 3; r++) {
			double *row = U + 3 * r;
			double len = sqrt(row[0] * row[0] + row[1] * row[1] + row[2] * row[2]);
			if (len > 0.0) {
				row[0] /= len;
				row[1] /= len;
				row[2] /= len;
			}
		}
	}
	double uxx = U[0], uxy = U[1];
	double uyx = U[3], uyy = U[4];
	double uzx = U[6], uzy = U[7], uzz = U[8];
	if (uzx * uzx < 1.0) {
		ang[0] = atan2(uzy, uzz);
		ang[1] = atan2(-uzx, sqrt(uzy * uzy + uzz * uzz));
		ang[2] = atan2(uyx, uxx);
	} else {
		ang[0] = M_PI;
		ang[1] = M_PI / 2.0;
		ang[2] = atan2(uxy, -uyy);
	}
}

/* ------------------------------------------------------------------ */
/* physics helpers                                                     */

static double sincg(double x, double N)
{
	if (x == 0.0)
		return N;
	return sin(x * N) / sin(x);
}

static double sinc3(double x)
{
	if (x == 0.0)
		return 1.0;
	return 3.0 * (sin(x) / x - cos(x)) / (x * x);
}

/* 4-point Lagrange polynomial, terms summed left to right */
static double polint(const double *xa, const double *ya, double x)
{
	double t0 = (x - xa[1]) * (x - xa[2]) * (x - xa[3]) * ya[0] /
		    ((xa[0] - xa[1]) * (xa[0] - xa[2]) * (xa[0] - xa[3]));
	double t1 = (x - xa[0]) * (x - xa[2]) * (x - xa[3]) * ya[1] /
		    ((xa[1] - xa[0]) * (xa[1] - xa[2]) * (xa[1] - xa[3]));
	double t2 = (x - xa[0]) * (x - xa[1]) * (x - xa[3]) * ya[2] /
		    ((xa[2] - xa[0]) * (xa[2] - xa[1]) * (xa[2] - xa[3]));
	double t3 = (x - xa[0]) * (x - xa[1]) * (x - xa[2]) * ya[3] /
		    ((xa[3] - xa[0]) * (xa[3] - xa[1]) * (xa[3] - xa[2]));
	return t0 + t1 + t2 + t3;
}

static double polin3(const double *hn, const double *kn, const double *ln,
		     double Y[4][4][4], double h, double k, double l)
{
	double Yk[4];
	for (int i = 0; i < 4; i++) {
		double Yl[4];
		for (int j = 0; j < 4; j++)
			Yl[j] = polint(ln, Y[i][j], l);
		Yk[i] = polint(kn, Yl, k);
	}
	return polint(hn, Yk, h);
}

static double polarization_factor(double kahn, double *inc, double *dif, double *axis)
{
	vunit(inc, inc);
	vunit(dif, dif);
	vunit(axis, axis);
	double c2 = vdot(inc, dif);
	double c2sq = c2 * c2;
	double s2sq = 1.0 - c2sq;
	double psi = 0.0;
	if (kahn != 0.0) {
		double B[3], E[3];
		vcross(axis, inc, B);
		vunit(B, B);
		vcross(inc, B, E);
		vunit(E, E);
		psi = -atan2(vdot(B, dif), vdot(E, dif));
	}
	return 0.5 * (1.0 + c2sq - kahn * cos(2.0 * psi) * s2sq);
}

/* step/range/count table of physics.md 5.1 */
/* alloc_sources allocates the n-source position and wavelength arrays;
 * 0 if any allocation failed (the caller frees what was allocated). */
static int alloc_sources(long long n, double **x, double **y, double **z, double **lambda)
{
	*x = malloc(sizeof(double) * n);
	*y = malloc(sizeof(double) * n);
	*z = malloc(sizeof(double) * n);
	*lambda = malloc(sizeof(double) * n);
	return *x && *y && *z && *lambda;
}

static void resolve_sampling(double *range, double *step, int *count)
{
	if (*count <= 0) {
		if (*range < 0.0) {
			if (*step <= 0.0) {
				*count = 1;
				*range = 0.0;
				*step = 0.0;
			} else {
				*range = *step;
				*count = 2;
			}
		} else {
			if (*step <= 0.0) {
				*step = *range;
				*count = 2;
			} else {
				*count = (int)ceil(*range / *step);
			}
		}
	} else {
		if (*range < 0.0) {
			if (*step <= 0.0) {
				*range = 1.0;
				*step = *range / *count;
			} else {
				*range = *step;
				*count = 2;
			}
		} else {
			if (*step <= 0.0) {
				if (*count <= 1)
					*count = 2;
				*step = *range / (*count - 1);
			}
		}
	}
	if (*range <= 0.0 || *step <= 0.0 || *count <= 0) {
		*count = 1;
		*range = 0.0;
		*step = 0.0;
	}
}

static int resolve_pixels(const cref_config *cfg, double *dsf, double *dss, int *fp, int *sp)
{
	double detsize_f = cfg->detsize_f, detsize_s = cfg->detsize_s;
	if (cfg->fpixels != 0)
		detsize_f = cfg->pixel_size * cfg->fpixels;
	if (cfg->spixels != 0)
		detsize_s = cfg->pixel_size * cfg->spixels;
	double f = ceil(detsize_f / cfg->pixel_size - 0.5);
	double s = ceil(detsize_s / cfg->pixel_size - 0.5);
	if (!(f >= 1.0 && s >= 1.0 && f * s <= 1e9))
		return -1;
	*dsf = detsize_f;
	*dss = detsize_s;
	*fp = (int)f;
	*sp = (int)s;
	return 0;
}

int cref_image_size(const cref_config *cfg, int *fpixels, int *spixels)
{
	double a, b;
	return resolve_pixels(cfg, &a, &b, fpixels, spixels);
}

/* ------------------------------------------------------------------ */

int cref_run(const cref_config *cfg, const cref_inputs *in, float *image, cref_stats *st)
{
	return cref_run_ex(cfg, in, image, NULL, NULL, st);
}

int cref_run_ex(const cref_config *cfg, const cref_inputs *in, float *image, double *values,
		cref_trace *trace, cref_stats *st)
{
	int rc = 0;
	double *src_X = NULL, *src_Y = NULL, *src_Z = NULL, *src_lambda = NULL;
	double *umats = NULL;

	cref_ran1_reset();
	memset(st, 0, sizeof *st);

	/* ---------------- post-parse bookkeeping (physics.md 4, 2) */
	double lambda0 = cfg->lambda0;
	double fluence = cfg->fluence;
	double beamsize = cfg->beamsize;
	double sample_x = cfg->sample_x, sample_y = cfg->sample_y, sample_z = cfg->sample_z;
	if (cfg->flux != 0.0 && cfg->exposure > 0.0 && beamsize >= 0.0)
		fluence = cfg->flux * cfg->exposure / beamsize / beamsize;
	if (beamsize >= 0.0 && beamsize < sample_y)
		sample_y = beamsize;
	if (beamsize >= 0.0 && beamsize < sample_z)
		sample_z = beamsize;

	/* ---------------- detector size (geometry.md 2) */
	double pixel_size = cfg->pixel_size;
	double detsize_f, detsize_s;
	int fpixels, spixels;
	if (resolve_pixels(cfg, &detsize_f, &detsize_s, &fpixels, &spixels) != 0)
		return -1;
	st->fpixels = fpixels;
	st->spixels = spixels;

	/* ---------------- thickness (physics.md 8.2) */
	double thick = cfg->detector_thick;
	double mu = cfg->detector_mu;
	int thicksteps = cfg->detector_thicksteps;
	double thickstep = -1.0;
	if (thicksteps <= 0) {
		if (thick > 0.0) {
			thicksteps = 2;
			thickstep = thick / 2.0;
		} else if (thick < 0.0) {
			thicksteps = 1;
			thick = 0.0;
			thickstep = 0.0;
		}
	} else {
		if (thick > 0.0) {
			if (thicksteps <= 1)
				thicksteps = 2;
			thickstep = thick / (thicksteps - 1);
		} else if (thick < 0.0) {
			thick = 0.5e-6;
			thickstep = thick / thicksteps;
		}
	}
	if (thick <= 0.0 || thickstep <= 0.0 || thicksteps <= 0) {
		thicksteps = 1;
		thick = 0.0;
		thickstep = 0.0;
	}
	if (thick > 0.0 && mu < 0.0)
		mu = 1.0 / thick;

	/* ---------------- mosaic domain count (physics.md 7.1) */
	double mosaic_spread = cfg->mosaic_spread;
	int mosaic_domains = cfg->mosaic_domains;
	if (mosaic_domains <= 0) {
		if (mosaic_spread < 0.0) {
			mosaic_domains = 1;
			mosaic_spread = 0.0;
		} else if (mosaic_spread == 0.0) {
			mosaic_domains = 1;
		} else {
			mosaic_domains = 10;
		}
	} else {
		if (mosaic_spread < 0.0) {
			mosaic_spread = 0.0;
			mosaic_domains = 1;
		} else if (mosaic_spread == 0.0) {
			mosaic_domains = 1;
		}
	}

	/* ---------------- beam centres and conventions (geometry.md 3, 4) */
	double beam[3], fdet[3], sdet[3], odet[3], polar_vec[3], spindle[3], tt_axis[3];
	vcopy(cfg->beam_vector, beam);
	vcopy(cfg->fdet_vector, fdet);
	vcopy(cfg->sdet_vector, sdet);
	vcopy(cfg->odet_vector, odet);
	vcopy(cfg->polar_vector, polar_vec);
	vcopy(cfg->spindle_vector, spindle);
	vcopy(cfg->twotheta_axis, tt_axis);
	int pivot = cfg->pivot;
	double Xbeam = cfg->Xbeam, Ybeam = cfg->Ybeam;
	double Xclose = cfg->Xclose, Yclose = cfg->Yclose;
	double Fclose = NAN, Sclose = NAN, Fbeam = NAN, Sbeam = NAN;
	if (!isnan(cfg->ORGX))
		Fclose = (cfg->ORGX - 0.5) * pixel_size;
	if (!isnan(cfg->ORGY))
		Sclose = (cfg->ORGY - 0.5) * pixel_size;
	if (isnan(Fclose))
		Fclose = detsize_f / 2.0;
	if (isnan(Sclose))
		Sclose = detsize_s / 2.0;
	if (isnan(Xclose))
		Xclose = Fclose;
	if (isnan(Yclose))
		Yclose = Sclose;
	if (isnan(Fbeam))
		Fbeam = Fclose;
	if (isnan(Sbeam))
		Sbeam = Sclose;

	static const double v100[3] = {1, 0, 0}, v010[3] = {0, 1, 0}, v001[3] = {0, 0, 1};
	static const double v0m10[3] = {0, -1, 0}, v00m1[3] = {0, 0, -1}, vm100[3] = {-1, 0, 0};
	switch (cfg->convention) {
	case CV_MOSFLM:
	case CV_DENZO:
		vcopy(v100, beam);
		vcopy(v001, fdet);
		vcopy(v0m10, sdet);
		vcopy(v100, odet);
		vcopy(v00m1, tt_axis);
		vcopy(v001, polar_vec);
		vcopy(v001, spindle);
		if (isnan(Xbeam))
			Xbeam = (detsize_s + pixel_size) / 2.0;
		if (isnan(Ybeam))
			Ybeam = (detsize_f + pixel_size) / 2.0;
		if (cfg->convention == CV_MOSFLM) {
			Fbeam = Ybeam + 0.5 * pixel_size;
			Sbeam = Xbeam + 0.5 * pixel_size;
		} else {
			Fbeam = Ybeam;
			Sbeam = Xbeam;
		}
		pivot = PV_BEAM;
		break;
	case CV_ADXV:
		vcopy(v001, beam);
		vcopy(v100, fdet);
		vcopy(v0m10, sdet);
		vcopy(v001, odet);
		vcopy(vm100, tt_axis);
		vcopy(v100, polar_vec);
		vcopy(v100, spindle);
		if (isnan(Xbeam))
			Xbeam = (detsize_f + pixel_size) / 2.0;
		if (isnan(Ybeam))
			Ybeam = (detsize_s - pixel_size) / 2.0;
		Fbeam = Xbeam;
		Sbeam = detsize_s - Ybeam;
		pivot = PV_BEAM;
		break;
	case CV_XDS:
	case CV_DIALS:
		vcopy(v001, beam);
		vcopy(v100, fdet);
		vcopy(v010, sdet);
		vcopy(v001, odet);
		if (cfg->convention == CV_XDS) {
			vcopy(v100, tt_axis);
			vcopy(v100, polar_vec);
			vcopy(v100, spindle);
		} else {
			vcopy(v010, tt_axis);
			vcopy(v010, polar_vec);
			vcopy(v010, spindle);
		}
		if (isnan(Xbeam))
			Xbeam = Xclose;
		if (isnan(Ybeam))
			Ybeam = Yclose;
		Fbeam = Xbeam;
		Sbeam = Ybeam;
		pivot = PV_SAMPLE;
		break;
	default: /* CUSTOM */
		if (isnan(Xbeam))
			Xbeam = Xclose;
		if (isnan(Ybeam))
			Ybeam = Yclose;
		Fbeam = Xbeam;
		Sbeam = Ybeam;
		Fclose = Xbeam;
		Sclose = Ybeam;
		break;
	}

	/* normalisation (geometry.md 3.2) */
	vunit(beam, beam);
	vunit(fdet, fdet);
	vunit(sdet, sdet);
	if (vunit(odet, odet) != 1.0) {
		double t[3];
		vcross(fdet, sdet, t);
		vunit(t, odet);
	}
	vunit(polar_vec, polar_vec);
	vunit(spindle, spindle);
	double vert[3];
	vcross(beam, polar_vec, vert);
	vunit(vert, vert);

	/* distance bookkeeping (geometry.md 6.1) */
	double distance = cfg->distance;
	double close_distance = cfg->close_distance;
	double rotx = cfg->detector_rotx, roty = cfg->detector_roty, rotz = cfg->detector_rotz;
	double twotheta = cfg->detector_twotheta;
	double tmp[3];
	vrotate(odet, tmp, rotx, roty, rotz);
	double ratio = vdot(beam, tmp);
	if (ratio == 0.0)
		ratio = DBL_MIN;
	if (isnan(close_distance))
		close_distance = fabs(ratio * distance);
	distance = close_distance / ratio;

	double pix0[3];
	if (pivot == PV_SAMPLE) {
		for (int i = 0; i < 3; i++)
			pix0[i] = -Fclose * fdet[i] - Sclose * sdet[i] + close_distance * odet[i];
		vrotate(pix0, pix0, rotx, roty, rotz);
		vrotate_axis(pix0, pix0, tt_axis, twotheta);
	}
	vrotate(fdet, fdet, rotx, roty, rotz);
	vrotate_axis(fdet, fdet, tt_axis, twotheta);
	vrotate(sdet, sdet, rotx, roty, rotz);
	vrotate_axis(sdet, sdet, tt_axis, twotheta);
	vrotate(odet, odet, rotx, roty, rotz);
	vrotate_axis(odet, odet, tt_axis, twotheta);
	if (pivot == PV_BEAM) {
		for (int i = 0; i < 3; i++)
			pix0[i] = -Fbeam * fdet[i] - Sbeam * sdet[i] + distance * beam[i];
	}
	/* recomputed values (geometry.md 6.5) */
	Fclose = -vdot(pix0, fdet);
	Sclose = -vdot(pix0, sdet);
	close_distance = vdot(pix0, odet);
	{
		double w[3];
		for (int i = 0; i < 3; i++)
			w[i] = close_distance / ratio * beam[i] - pix0[i];
		Fbeam = vdot(fdet, w);
		Sbeam = vdot(sdet, w);
	}
	distance = close_distance / ratio;
	(void)Fclose;
	(void)Sclose;
	(void)Fbeam;
	(void)Sbeam;

	/* automatic interpolation choice (physics.md 3.5) */
	int interpolate = cfg->interpolate;
	double Na = cfg->Na, Nb = cfg->Nb, Nc = cfg->Nc;
	if (interpolate == 2)
		interpolate = (Na <= 2 || Nb <= 2 || Nc <= 2) ? 1 : 0;

	/* ---------------- unit cell (physics.md 1) */
	double a_star[3] = {0, 0, 0}, b_star[3] = {0, 0, 0}, c_star[3] = {0, 0, 0};
	double acell = cfg->cell_a, bcell = cfg->cell_b, ccell = cfg->cell_c;
	double alpha = cfg->alpha, beta = cfg->beta, gamma = cfg->gamma;
	double V_cell = 0.0;
	if (cfg->user_cell) {
		if (bcell <= 0.0)
			bcell = acell;
		if (ccell <= 0.0)
			ccell = acell;
		if (alpha <= 0.0)
			alpha = M_PI / 2.0;
		if (beta <= 0.0)
			beta = M_PI / 2.0;
		if (gamma <= 0.0)
			gamma = M_PI / 2.0;
		double s = (alpha + beta + gamma) / 2.0;
		double skew = sin(s) * sin(s - alpha) * sin(s - beta) * sin(s - gamma);
		if (skew < 0.0)
			skew = -skew;
		V_cell = 2.0 * acell * bcell * ccell * sqrt(skew);
		if (V_cell <= 0.0)
			V_cell = DBL_MIN;
		double V_star = 1.0 / V_cell;
		double as_l = bcell * ccell * sin(alpha) * V_star;
		double bs_l = ccell * acell * sin(beta) * V_star;
		double cs_l = acell * bcell * sin(gamma) * V_star;
		if (as_l <= 0.0) {
			as_l = fabs(as_l);
			if (as_l == 0.0)
				as_l = DBL_MIN;
		}
		if (bs_l <= 0.0) {
			bs_l = fabs(bs_l);
			if (bs_l == 0.0)
				bs_l = DBL_MIN;
		}
		if (cs_l <= 0.0) {
			cs_l = fabs(cs_l);
			if (cs_l == 0.0)
				cs_l = DBL_MIN;
		}
		double sin_as = acell * V_star / bs_l / cs_l;
		double sin_bs = bcell * V_star / as_l / cs_l;
		double sin_gs = ccell * V_star / as_l / bs_l;
		double cos_as = (cos(beta) * cos(gamma) - cos(alpha)) / (sin(beta) * sin(gamma));
		double cos_bs = (cos(gamma) * cos(alpha) - cos(beta)) / (sin(gamma) * sin(alpha));
		double cos_gs = (cos(alpha) * cos(beta) - cos(gamma)) / (sin(alpha) * sin(beta));
		if (sin_as > 1.0)
			sin_as = 1.0;
		if (sin_as < -1.0)
			sin_as = -1.0;
		if (sin_bs > 1.0)
			sin_bs = 1.0;
		if (sin_bs < -1.0)
			sin_bs = -1.0;
		if (sin_gs > 1.0)
			sin_gs = 1.0;
		if (sin_gs < -1.0)
			sin_gs = -1.0;
		if (cos_as * cos_as > 1.0)
			cos_as = 1.0;
		if (cos_bs * cos_bs > 1.0)
			cos_bs = 1.0;
		if (cos_gs * cos_gs > 1.0)
			cos_gs = 1.0;
		a_star[0] = as_l;
		a_star[1] = 0.0;
		a_star[2] = 0.0;
		b_star[0] = bs_l * cos_gs;
		b_star[1] = bs_l * sin_gs;
		b_star[2] = 0.0;
		c_star[0] = cs_l * cos_bs;
		c_star[1] = cs_l * (cos_as - cos_bs * cos_gs) / sin_gs;
		c_star[2] = cs_l * V_cell / (acell * bcell * ccell * sin_gs);
	}
	if (in->has_mat) {
		double sc = 1e-10 / lambda0;
		a_star[0] = in->mat[0];
		b_star[0] = in->mat[1];
		c_star[0] = in->mat[2];
		a_star[1] = in->mat[3];
		b_star[1] = in->mat[4];
		c_star[1] = in->mat[5];
		a_star[2] = in->mat[6];
		b_star[2] = in->mat[7];
		c_star[2] = in->mat[8];
		vscale(a_star, a_star, sc);
		vscale(b_star, b_star, sc);
		vscale(c_star, c_star, sc);
	}
	double misset[4];
	memcpy(misset, cfg->misset, sizeof misset);
	if (misset[0] == -1.0) {
		long long ms = cfg->misset_seed;
		double U[9];
		cref_mosaic_umat(90.0, U, &ms);
		cref_umat2misset(U, misset + 1);
		misset[0] = 1.0;
	}
	if (misset[0] > 0.0) {
		vrotate(a_star, a_star, misset[1], misset[2], misset[3]);
		vrotate(b_star, b_star, misset[1], misset[2], misset[3]);
		vrotate(c_star, c_star, misset[1], misset[2], misset[3]);
	}
	double axb[3], bxc[3], cxa[3];
	vcross(a_star, b_star, axb);
	vcross(b_star, c_star, bxc);
	vcross(c_star, a_star, cxa);
	double V_star = vdot(a_star, bxc);
	if (cfg->user_cell) {
		vrescale(bxc, bxc, acell / V_cell);
		vrescale(cxa, cxa, bcell / V_cell);
		vrescale(axb, axb, ccell / V_cell);
		V_star = 1.0 / V_cell;
	}
	double V = 1.0 / V_star;
	double a0[3], b0[3], c0[3];
	vscale(bxc, a0, V);
	vscale(cxa, b0, V);
	vscale(axb, c0, V);
	{
		double t[3];
		vcross(b0, c0, t);
		vscale(t, a_star, V_star);
		vcross(c0, a0, t);
		vscale(t, b_star, V_star);
		vcross(a0, b0, t);
		vscale(t, c_star, V_star);
	}
	vscale(a0, a0, 1e-10);
	vscale(b0, b0, 1e-10);
	vscale(c0, c0, 1e-10);

	/* ---------------- crystal size (physics.md 2) */
	if (sample_x > 0.0)
		Na = ceil(sample_x / vmag(a0));
	if (sample_y > 0.0)
		Nb = ceil(sample_y / vmag(b0));
	if (sample_z > 0.0)
		Nc = ceil(sample_z / vmag(c0));
	if (Na <= 1.0)
		Na = 1.0;
	if (Nb <= 1.0)
		Nb = 1.0;
	if (Nc <= 1.0)
		Nc = 1.0;

	/* ---------------- oversampling (physics.md 8.1) */
	int oversample = cfg->oversample;
	{
		double xa = vmag(a0) * Na, xb = vmag(b0) * Nb, xc = vmag(c0) * Nc;
		double xmax = xa;
		if (xb > xmax)
			xmax = xb;
		if (xc > xmax)
			xmax = xc;
		double rps = lambda0 * distance / pixel_size;
		int rec = (int)ceil(3.0 * xmax / rps);
		if (rec <= 0)
			rec = 1;
		if (oversample <= 0)
			oversample = rec;
	}

	/* ---------------- structure factors (physics.md 3) */
	long long hkls = in->F ? in->hkls : 0;
	if (hkls == 0)
		interpolate = 0;
	const double *Fhkl = in->F;
	int h_min = in->h_min, h_max = in->h_max, k_min = in->k_min, k_max = in->k_max;
	int l_min = in->l_min, l_max = in->l_max;
	int h_range = in->h_range, k_range = in->k_range, l_range = in->l_range;
	double default_F = cfg->default_F;
#define FHKL(h, k, l) Fhkl[(((long)(h)) * (k_range + 1) + (k)) * (long)(l_range + 1) + (l)]

	/* ---------------- phi (physics.md 6.1) */
	double phi0 = cfg->phi0, osc = cfg->osc, phistep = cfg->phistep;
	int phisteps = cfg->phisteps;
	if (phisteps < 0) {
		if (osc < 0.0) {
			if (phistep <= 0.0) {
				phisteps = 1;
				osc = 0.0;
				phistep = 0.0;
			} else {
				osc = phistep;
				phisteps = 2;
			}
		} else {
			if (phistep <= 0.0) {
				phisteps = 2;
				phistep = osc / 2.0;
			} else {
				phisteps = (int)ceil(osc / phistep);
			}
		}
	} else {
		if (phisteps == 0)
			phisteps = 1;
		if (osc < 0.0) {
			if (phistep <= 0.0) {
				osc = 1.0 / k_RTD;
				phistep = osc / phisteps;
			} else {
				osc = phistep;
				phisteps = 2;
			}
		} else if (phistep < 0.0) {
			phistep = osc / phisteps;
		}
	}

	/* ---------------- sources (physics.md 5) */
	int sources = 0;
	if (in->n_sources > 0 && in->src[0]) {
		int n = in->n_sources;
		if (!alloc_sources(n, &src_X, &src_Y, &src_Z, &src_lambda)) {
			rc = -2;
			goto done;
		}
		for (int i = 0; i < n; i++) {
			double x = in->src[0][i], y = in->src[1][i], z = in->src[2][i];
			double lam = in->src[4][i];
			if (isnan(x))
				x = -k_source_distance * beam[0];
			if (isnan(y))
				y = -k_source_distance * beam[1];
			if (isnan(z))
				z = -k_source_distance * beam[2];
			if (isnan(lam))
				lam = lambda0;
			src_X[i] = x;
			src_Y[i] = y;
			src_Z[i] = z;
			src_lambda[i] = lam;
		}
		sources = n;
	} else {
		double hdivrange = cfg->hdivrange, hdivstep = cfg->hdivstep;
		double vdivrange = cfg->vdivrange, vdivstep = cfg->vdivstep;
		double dispersion = cfg->dispersion, dispstep = -1.0;
		int hdivsteps = cfg->hdivsteps, vdivsteps = cfg->vdivsteps, dispsteps = cfg->dispsteps;
		resolve_sampling(&hdivrange, &hdivstep, &hdivsteps);
		resolve_sampling(&vdivrange, &vdivstep, &vdivsteps);
		resolve_sampling(&dispersion, &dispstep, &dispsteps);
		long long cap = (long long)hdivsteps * vdivsteps * dispsteps;
		if (cap <= 0 || cap > 100000000LL) {
			rc = -3;
			goto done;
		}
		if (!alloc_sources(cap, &src_X, &src_Y, &src_Z, &src_lambda)) {
			rc = -2;
			goto done;
		}
		for (int hi = 0; hi < hdivsteps; hi++) {
			for (int vi = 0; vi < vdivsteps; vi++) {
				double hdiv = hdivstep * hi - hdivrange / 2.0;
				double vdiv = vdivstep * vi - vdivrange / 2.0;
				double test = (hdiv * hdiv - hdivstep * hdivstep / 4.0 * (1 - hdivsteps % 2)) / hdivrange / hdivrange +
					      (vdiv * vdiv - vdivstep * vdivstep / 4.0 * (1 - vdivsteps % 2)) / vdivrange / vdivrange;
				if (cfg->round_div && 4.0 * test > 1.1)
					continue;
				double v[3];
				for (int i = 0; i < 3; i++)
					v[i] = -k_source_distance * beam[i];
				vrotate_axis(v, v, polar_vec, vdiv);
				vrotate_axis(v, v, vert, hdiv);
				for (int m = 0; m < dispsteps; m++) {
					src_X[sources] = v[0];
					src_Y[sources] = v[1];
					src_Z[sources] = v[2];
					src_lambda[sources] = lambda0 * (1.0 + dispstep * m - dispersion / 2.0);
					sources++;
				}
			}
		}
	}
	for (int i = 0; i < sources; i++) {
		double v[3] = {src_X[i], src_Y[i], src_Z[i]};
		vunit(v, v);
		src_X[i] = v[0];
		src_Y[i] = v[1];
		src_Z[i] = v[2];
	}

	/* ---------------- mosaic domains (physics.md 7.2) */
	umats = malloc(sizeof(double) * 9 * (size_t)mosaic_domains);
	if (!umats) {
		rc = -2;
		goto done;
	}
	{
		long long ms = cfg->mosaic_seed;
		for (int m = 0; m < mosaic_domains; m++)
			cref_mosaic_umat(mosaic_spread, umats + 9 * m, &ms);
		static const double ident[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
		memcpy(umats, ident, sizeof ident);
	}

	/* ---------------- steps, ROI */
	long long steps = (long long)(int)((unsigned)sources * (unsigned)mosaic_domains * (unsigned)phisteps *
					   (unsigned)oversample * (unsigned)oversample);
	st->steps = steps;
	int roi_xmin = cfg->roi[0], roi_xmax = cfg->roi[1], roi_ymin = cfg->roi[2], roi_ymax = cfg->roi[3];
	if (roi_xmin < 0)
		roi_xmin = 0;
	if (roi_xmax < 0)
		roi_xmax = fpixels;
	if (roi_ymin < 0)
		roi_ymin = 0;
	if (roi_ymax < 0)
		roi_ymax = spixels;

	/* ---------------- pixel loop (physics.md 9) */
	double I_bg = k_water_F * k_water_F * k_re_sqr * fluence * cfg->water_size * cfg->water_size *
		      cfg->water_size * 1e6 * k_avogadro / k_water_MW;
	double subpixel_size = pixel_size / oversample;
	double ap[3], bp[3], cp[3];
	vcopy(a0, ap);
	vcopy(b0, bp);
	vcopy(c0, cp);
	double polarization = cfg->polarization;
	int nopolar = cfg->nopolar;
	int shape = cfg->shape;
	double fudge = cfg->fudge;
	double dmin = cfg->dmin;
	double water_size = cfg->water_size;
	int ovs_thick = cfg->oversample_thick, ovs_polar = cfg->oversample_polar, ovs_omega = cfg->oversample_omega;

	double max_I = 0.0, max_I_x = 0.0, max_I_y = 0.0, sum = 0.0, sumsqr = 0.0, omega_sum = 0.0;
	long long sumn = 0;

	for (int spixel = 0; spixel < spixels; spixel++) {
		for (int fpixel = 0; fpixel < fpixels; fpixel++) {
			if (fpixel < roi_xmin || fpixel > roi_xmax || spixel < roi_ymin || spixel > roi_ymax)
				continue;
			long long idx = (long long)spixel * fpixels + fpixel;
			if (in->mask) {
				if (idx >= in->mask_len || in->mask[idx] == 0)
					continue;
			}
			double I = I_bg;
			double polar = nopolar ? 1.0 : 0.0;
			double omega_pixel = 0.0;
			double capture = 0.0;
			double Fdet = 0.0, Sdet = 0.0;
			/* Declared per pixel rather than per loop so that, at the end
			 * of the pixel, they hold the last values (for the trace). */
			double pos[3] = {0, 0, 0}, dif[3] = {0, 0, 0}, S[3] = {0, 0, 0}, stol = 0.0;
			double a[3] = {0, 0, 0}, b[3] = {0, 0, 0}, c[3] = {0, 0, 0};
			double h = 0.0, k = 0.0, l = 0.0, F_cell = 0.0, F_latt = 0.0;
			int h0 = 0, k0 = 0, l0 = 0;
			long long kept_loops = 0;
			for (int t = 0; t < thicksteps; t++) {
				double Odet = t * thickstep;
				capture = (thick == 0.0) ? 1.0 : 0.0;
				for (int subS = 0; subS < oversample; subS++) {
					for (int subF = 0; subF < oversample; subF++) {
						Fdet = subpixel_size * (fpixel * oversample + subF) + subpixel_size / 2.0;
						Sdet = subpixel_size * (spixel * oversample + subS) + subpixel_size / 2.0;
						for (int i = 0; i < 3; i++)
							pos[i] = Fdet * fdet[i] + Sdet * sdet[i] + Odet * odet[i] + pix0[i];
						if (cfg->curved_detector) {
							double q[3];
							vscale(beam, q, distance);
							vrotate_axis(q, q, sdet, pos[1] / distance);
							vrotate_axis(q, pos, fdet, pos[2] / distance);
						}
						double airpath = vunit(pos, dif);
						if (omega_pixel == 0.0 || ovs_omega) {
							if (cfg->point_pixel)
								omega_pixel = 1.0 / airpath / airpath;
							else
								omega_pixel = pixel_size * pixel_size / airpath / airpath *
									      close_distance / airpath;
						}
						omega_sum += omega_pixel;
						if (capture == 0.0 || ovs_thick) {
							double rho = vdot(dif, odet);
							capture = exp(-t * thickstep * mu / rho) -
								  exp(-(t + 1) * thickstep * mu / rho);
						}
						for (int src = 0; src < sources; src++) {
							double inc[3] = {-src_X[src], -src_Y[src], -src_Z[src]};
							double lambda = src_lambda[src];
							for (int i = 0; i < 3; i++)
								S[i] = (dif[i] - inc[i]) / lambda;
							stol = 0.5 * vmag(S);
							if (dmin > 0.0 && stol > 0.0 && dmin > 0.5 / stol)
								continue;
							kept_loops++;
							if (polar == 0.0 || ovs_polar)
								polar = polarization_factor(polarization, inc, dif, polar_vec);
							for (int p = 0; p < phisteps; p++) {
								double phi = phi0 + phistep * p;
								if (phi != 0.0) {
									vrotate_axis(a0, ap, spindle, phi);
									vrotate_axis(b0, bp, spindle, phi);
									vrotate_axis(c0, cp, spindle, phi);
								}
								for (int m = 0; m < mosaic_domains; m++) {
									if (mosaic_spread > 0.0) {
										vrotate_umat(ap, a, umats + 9 * m);
										vrotate_umat(bp, b, umats + 9 * m);
										vrotate_umat(cp, c, umats + 9 * m);
									} else {
										vcopy(ap, a);
										vcopy(bp, b);
										vcopy(cp, c);
									}
									h = vdot(a, S);
									k = vdot(b, S);
									l = vdot(c, S);
									h0 = (int)ceil(h - 0.5);
									k0 = (int)ceil(k - 0.5);
									l0 = (int)ceil(l - 0.5);
									F_latt = 1.0;
									if (shape == SH_SQUARE) {
										if (Na > 1)
											F_latt *= sincg(M_PI * h, Na);
										if (Nb > 1)
											F_latt *= sincg(M_PI * k, Nb);
										if (Nc > 1)
											F_latt *= sincg(M_PI * l, Nc);
									} else {
										double dh = h - h0, dk = k - k0, dl = l - l0;
										double delta[3];
										for (int i = 0; i < 3; i++)
											delta[i] = dh * a_star[i] + dk * b_star[i] + dl * c_star[i];
										double rad_star_sqr = vdot(delta, delta) * Na * Na * Nb * Nb * Nc * Nc;
										if (shape == SH_ROUND) {
											double hrad_sqr = dh * dh * Na * Na + dk * dk * Nb * Nb + dl * dl * Nc * Nc;
											F_latt = Na * Nb * Nc * 0.723601254558268 *
												 sinc3(M_PI * sqrt(hrad_sqr * fudge));
										} else if (shape == SH_GAUSS) {
											F_latt = Na * Nb * Nc * exp(-(rad_star_sqr / 0.63 * fudge));
										} else {
											if (rad_star_sqr * fudge < 0.3969)
												F_latt = Na * Nb * Nc;
											else
												F_latt = 0.0;
										}
									}
									if (F_latt == 0.0 && water_size == 0.0)
										continue;
									F_cell = default_F;
									if (interpolate) {
										int hf = (int)floor(h), kf = (int)floor(k), lf = (int)floor(l);
										if (h - h_min + 3 > h_range || h - 2 < h_min ||
										    k - k_min + 3 > k_range || k - 2 < k_min ||
										    l - l_min + 3 > l_range || l - 2 < l_min) {
											F_cell = default_F;
											interpolate = 0;
										} else {
											double hn[4], kn[4], ln[4];
											double Y[4][4][4];
											for (int i = 0; i < 4; i++) {
												hn[i] = hf - 1 + i;
												kn[i] = kf - 1 + i;
												ln[i] = lf - 1 + i;
											}
											for (int i = 0; i < 4; i++)
												for (int j = 0; j < 4; j++)
													for (int q = 0; q < 4; q++)
														Y[i][j][q] = FHKL(hf - 1 + i - h_min,
																  kf - 1 + j - k_min,
																  lf - 1 + q - l_min);
											F_cell = polin3(hn, kn, ln, Y, h, k, l);
										}
									}
									if (!interpolate) {
										if (hkls && h0 >= h_min && h0 <= h_max && k0 >= k_min &&
										    k0 <= k_max && l0 >= l_min && l0 <= l_max)
											F_cell = FHKL(h0 - h_min, k0 - k_min, l0 - l_min);
										else
											F_cell = default_F;
									}
									I = I + F_cell * F_cell * F_latt * F_latt;
									if (ovs_thick)
										I = I * capture;
									if (ovs_polar)
										I = I * polar;
									if (ovs_omega)
										I = I * omega_pixel;
								}
							}
						}
					}
				}
			}
			double value = k_re_sqr * fluence * I / (double)(int)steps;
			if (!ovs_thick)
				value = value * capture;
			if (!ovs_polar)
				value = value * polar;
			if (!ovs_omega)
				value = value * omega_pixel;
			float fv = (float)value;
			image[idx] = fv;
			if (values)
				values[idx] = value;
			if (trace && fpixel == trace->fpixel && spixel == trace->spixel) {
				trace->found = 1;
				vcopy(pix0, trace->pix0);
				vcopy(pos, trace->pixel_pos);
				vcopy(dif, trace->diffracted);
				vcopy(S, trace->scattering);
				trace->stol = stol;
				trace->evaluated = kept_loops > 0 && phisteps > 0 && mosaic_domains > 0;
				if (trace->evaluated) {
					trace->h = h;
					trace->k = k;
					trace->l = l;
					trace->h0 = h0;
					trace->k0 = k0;
					trace->l0 = l0;
					trace->F_cell = F_cell;
					trace->F_latt = F_latt;
					vcopy(a, trace->a);
					vcopy(b, trace->b);
					vcopy(c, trace->c);
				}
				trace->polar = polar;
				trace->omega = omega_pixel;
				trace->capture = capture;
				trace->I = I;
				trace->steps = (int)steps;
				trace->value = fv;
				if (trace->stop)
					goto done;
			}
			if ((double)fv > max_I) {
				max_I = fv;
				max_I_x = Fdet;
				max_I_y = Sdet;
			}
			sum += fv;
			float sq = fv * fv;
			sumsqr += sq;
			sumn++;
		}
	}
	st->max_I = max_I;
	st->max_I_x = max_I_x;
	st->max_I_y = max_I_y;
	st->sum = sum;
	st->sumsqr = sumsqr;
	st->n = sumn;
	st->omega_sum = omega_sum;
	{
		long long n1 = sumn;
		if (n1 <= 0)
			n1 = 1;
		double avg = sum / n1;
		long long n2 = sumn;
		if (n2 <= 1)
			n2 = 2;
		st->mean = avg;
		st->rms = sqrt(sumsqr / (n2 - 1));
		double rmsd = 0.0;
		long long n = 0;
		for (int spixel = 0; spixel < spixels; spixel++) {
			for (int fpixel = 0; fpixel < fpixels; fpixel++) {
				if (fpixel < roi_xmin || fpixel > roi_xmax || spixel < roi_ymin || spixel > roi_ymax)
					continue;
				double d = image[(long long)spixel * fpixels + fpixel] - avg;
				rmsd += d * d;
				n++;
			}
		}
		if (n <= 1)
			n = 2;
		st->rmsd = sqrt(rmsd / (n - 1));
	}

done:
	free(src_X);
	free(src_Y);
	free(src_Z);
	free(src_lambda);
	free(umats);
	return rc;
}
