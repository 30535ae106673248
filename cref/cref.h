/*
 * cref.h - plain C reference of the nanoBragg physics, written from the
 * gobragg specification (/work/shared/spec). Part of package cref.
 *
 * The configuration holds raw option values with the original's sentinels
 * (see core.Config); cref_run performs every derived setup step itself.
 */
#ifndef GOBRAGG_CREF_H
#define GOBRAGG_CREF_H

typedef struct {
	/* crystal */
	double cell_a, cell_b, cell_c, alpha, beta, gamma; /* A, rad */
	int user_cell;
	double misset[4];      /* [0]: 0 none, 1 angles, -1 random */
	long long misset_seed; /* ran1 word */
	double Na, Nb, Nc;
	double sample_x, sample_y, sample_z; /* m */
	double default_F;
	int shape; /* 0 square, 1 round, 2 gauss, 3 tophat */
	double fudge;
	int interpolate; /* 0, 1, 2 auto */
	double mosaic_spread;
	int mosaic_domains;
	long long mosaic_seed;

	/* beam */
	double lambda0, dispersion;
	int dispsteps;
	double hdivrange, vdivrange, hdivstep, vdivstep;
	int hdivsteps, vdivsteps;
	int round_div;
	double fluence, flux, exposure, beamsize;
	double polarization;
	int nopolar;

	/* detector */
	int convention; /* 0 custom 1 adxv 2 mosflm 3 xds 4 dials 5 denzo */
	int pivot;      /* 0 beam 1 sample */
	double beam_vector[3], polar_vector[3], spindle_vector[3], twotheta_axis[3];
	double fdet_vector[3], sdet_vector[3], odet_vector[3];
	double pixel_size, detsize_f, detsize_s;
	int fpixels, spixels;
	double distance, close_distance; /* close: NaN unset */
	double Xbeam, Ybeam, Xclose, Yclose, ORGX, ORGY; /* NaN unset */
	double detector_rotx, detector_roty, detector_rotz, detector_twotheta;
	double detector_thick, detector_mu;
	int detector_thicksteps;
	int curved_detector, point_pixel;
	int oversample;
	int oversample_thick, oversample_polar, oversample_omega;
	int roi[4];

	/* spindle, resolution, background */
	double phi0, osc, phistep;
	int phisteps;
	double dmin;
	double water_size;
} cref_config;

typedef struct {
	/* structure factors (F == 0: none) */
	const double *F;
	int h_min, h_max, k_min, k_max, l_min, l_max;
	int h_range, k_range, l_range;
	long long hkls;
	/* matrix */
	int has_mat;
	double mat[9];
	/* source file columns X Y Z I lambda, NaN = missing (cols[0] == 0: none) */
	int n_sources;
	const double *src[5];
	/* mask (0: none), mask_len values */
	const unsigned short *mask;
	long long mask_len;
} cref_inputs;

typedef struct {
	double max_I, max_I_x, max_I_y;
	double sum, sumsqr;
	long long n;
	double mean, rms, rmsd;
	double omega_sum;
	long long steps;
	int fpixels, spixels;
} cref_stats;

/* Resolves the detector size only (so the caller can size the image). */
int cref_image_size(const cref_config *cfg, int *fpixels, int *spixels);

/* Intermediate values of one pixel (what the Go engine's core.PixelTrace
 * holds): fpixel/spixel select the pixel (inputs); found is set when that
 * pixel was computed. When stop is non-zero cref_run returns right after
 * the traced pixel (the image and statistics are then incomplete). */
typedef struct {
	int fpixel, spixel; /* in */
	int stop;           /* in */
	int found;          /* out */
	int evaluated;
	double pix0[3], pixel_pos[3], diffracted[3], scattering[3];
	double stol;
	double h, k, l;
	int h0, k0, l0;
	double F_cell, F_latt;
	double a[3], b[3], c[3]; /* m */
	double polar, omega, capture;
	double I;
	long long steps;
	float value;
} cref_trace;

/* Runs the simulation into image (fpixels*spixels floats, zeroed by the
 * caller). Returns 0 on success, a negative code on bad input. */
int cref_run(const cref_config *cfg, const cref_inputs *in, float *image, cref_stats *st);

/* As cref_run; values (NULL: none) receives every computed pixel as the
 * double it had before its float store, trace (NULL: none) the
 * intermediate values of one pixel. */
int cref_run_ex(const cref_config *cfg, const cref_inputs *in, float *image, double *values,
		cref_trace *trace, cref_stats *st);

/* Test hooks. */
float cref_ran1(long long *idum);
void cref_ran1_reset(void);
void cref_mosaic_umat(double spread, double U[9], long long *seed);
void cref_umat2misset(const double U[9], double angles[3]);

#endif
