package core

import "io"

var shapeNames = [...]string{Square: "parallelpiped", Round: "ellipsoidal", Gauss: "gaussian", Tophat: "tophat-spot"}

// printSummary prints the block the original prints before the pixel loop
// (cli.md §7.1 items 27-28).
func printSummary(log io.Writer, p *Plan) {
	c := &p.Cfg
	pf(log, "  %d initialized hkls (all others =%g)\n", p.Hkls, c.DefaultF)
	pf(log, "  %s xtal: %.0fx%.0fx%.0f cells\n", shapeNames[c.Shape], p.Na, p.Nb, p.Nc)
	pf(log, "  wave=%g meters +/- %g%% in %d steps\n", c.Lambda0, p.Dispersion*100, p.DispSteps)
	if c.NoPolar {
		pf(log, "  polarization effect disabled\n")
	} else {
		pf(log, "  Kahn polarization factor: %f\n", c.Polarization)
	}
	if c.Curved {
		pf(log, "  curved detector: all pixels same distance from origin\n")
	}
	if c.PointPixel {
		pf(log, "  pixel obliquity effect disabled\n")
	}
	pf(log, "  incident fluence: %lg photons/m^2\n", p.Fluence)
	pf(log, "  distance=%lg detsize=%lgx%lg  pixel=%lg meters (%dx%d pixels)\n", p.Distance, p.DetsizeF, p.DetsizeS, p.PixelSize, p.FPixels, p.SPixels)
	pf(log, "  sensor is %lg m thick in %d layers with mu= %lg\n", p.Thick, p.ThickSteps, p.Mu)
	pf(log, "  Xbeam=%lg Ybeam=%lg\n", p.Xbeam, p.Ybeam)
	pf(log, "  Fbeam=%lg Sbeam=%lg\n", p.Fbeam, p.Sbeam)
	pf(log, "  Xclose=%lg Yclose=%lg\n", p.Xclose, p.Yclose)
	pf(log, "  Fclose=%lg Sclose=%lg\n", p.Fclose, p.Sclose)
	pf(log, "  DIRECTION_OF_DETECTOR_X-AXIS= %g %g %g\n", p.Fdet[0], p.Fdet[1], p.Fdet[2])
	pf(log, "  DIRECTION_OF_DETECTOR_Y-AXIS= %g %g %g\n", p.Sdet[0], p.Sdet[1], p.Sdet[2])
	pf(log, "  DIRECTION_OF_DETECTOR_Z-AXIS= %g %g %g\n", p.Odet[0], p.Odet[1], p.Odet[2])
	pf(log, "  INCIDENT_BEAM_DIRECTION= %g %g %g\n", p.Beam[0], p.Beam[1], p.Beam[2])
	pf(log, "  spindle ROTATION_AXIS= %g %g %g\n", p.Spindle[0], p.Spindle[1], p.Spindle[2])
	n := cross(p.Beam, p.PolarAxis)
	pf(log, "  POLARIZATION_PLANE_NORMAL= %g %g %g\n", n[0], n[1], n[2])
	pf(log, "  dials origin= %g %g %g\n", p.DialsOrigin[0], p.DialsOrigin[1], p.DialsOrigin[2])
	pf(log, "  roi: %d < x < %d && %d < y < %d\n", p.ROI[0], p.ROI[1], p.ROI[2], p.ROI[3])
	pf(log, "  hdivrange=%g hdivstep=%g  radians\n", p.HDivRange, p.HDivStep)
	pf(log, "  vdivrange=%g vdivstep=%g  radians\n", p.VDivRange, p.VDivStep)
	pf(log, "  %d divergence steps\n", p.DivSteps)
	pf(log, "  %d sources\n", len(p.Sources))
	pf(log, "  %d mosaic domains over mosaic spread of %g degrees\n", len(p.Umats), p.MosaicSpread*RTD)
	pf(log, "  %d phi steps from %g to %g degrees\n", p.PhiSteps, p.Phi0*RTD, (p.Phi0+p.Osc)*RTD)
	pf(log, "  %dx%d pixel oversample steps", p.Oversample, p.Oversample)
	if c.OversampleThick {
		pf(log, " +thick")
	}
	if c.OversamplePolar {
		pf(log, " +polar")
	}
	if c.OversampleOmega {
		pf(log, " +omega")
	}
	pf(log, "\n")
	if p.Mask != nil {
		pf(log, "  skipping zero-flagged pixels in %s\n", c.MaskFile)
	}
	if c.CalcNoise {
		pf(log, "\n  noise image paramters:\n")
		pf(log, "  seed: %ld\n", c.Seed)
		pf(log, "  water droplet size: %g m\n", c.WaterSize)
	}
}

// usageLabels are the option labels of the original's usage text, padded
// as it pads them; the descriptions are ours.
var usageLines = [][2]string{
	{"-mat filename.mat", "MOSFLM-style A matrix file holding the three reciprocal cell vectors"},
	{"-hkl filename.hkl", "text file of h k l F for the P1 cell"},
	{"-misset 10 20 30 ", "instead of a matrix: rotations of the crystal about x, y, z (degrees)"},
	{"-misset random   ", "instead of a matrix: a random orientation (seeded by -misset_seed)"},
	{"-cell a b c al be ga", "instead of a matrix: unit cell (Angstrom and degrees)"},
	{"-default_F       ", "F of every reflection not in the hkl file (default: 0)"},
	{"-distance        ", "sample to direct-beam spot distance in mm"},
	{"-detsize         ", "detector edge in mm (also -detsize_f -detsize_s)"},
	{"-detpixels       ", "detector edge in pixels (also -detpixels_x -detpixels_y)"},
	{"-pixel           ", "pixel edge in mm"},
	{"-img header.img  ", "take detector and beam values from an SMV header"},
	{"-mask mask.img   ", "SMV image whose zero pixels are not computed"},
	{"-detector_absorb ", "sensor attenuation depth in um (default: the sensor thickness)"},
	{"-detector_thick  ", "sensor thickness in um"},
	{"-detector_thicksteps", "number of sensor layers"},
	{"-Xbeam           ", "direct-beam position in mm (meaning depends on the convention)"},
	{"-Ybeam           ", "direct-beam position in mm (meaning depends on the convention)"},
	{"-mosflm          ", "MOSFLM axis and beam-centre convention (default)"},
	{"-xds             ", "XDS axis convention, pivoting about the sample"},
	{"-ORGX  -ORGY     ", "XDS origin of the detector in pixels"},
	{"-twotheta        ", "rotation of the detector about the two-theta axis (degrees)"},
	{"-N               ", "unit cells along every axis (also -Na -Nb -Nc)"},
	{"-xtalsize        ", "instead of -N: crystal size in mm"},
	{"-square_xtal     ", "parallelepiped crystal shape (default)"},
	{"-round_xtal      ", "ellipsoidal crystal shape"},
	{"-gauss_xtal      ", "Gaussian spots"},
	{"-tophat_spots    ", "flat-top spots"},
	{"-oversample      ", "sub-pixels per pixel edge (default: from crystal size)"},
	{"-oversample_thick ", "recompute the sensor capture fraction for every sub-pixel"},
	{"-oversample_polar ", "recompute the polarisation factor for every sub-pixel"},
	{"-oversample_omega ", "recompute the pixel solid angle for every sub-pixel"},
	{"-lambda          ", "wavelength in Angstrom (or -energy in eV)"},
	{"-mosaic          ", "mosaic spread in degrees"},
	{"-mosaic_domains  ", "number of mosaic domains"},
	{"-dispersion      ", "spectral width delta-lambda/lambda in percent"},
	{"-dispsteps       ", "number of wavelengths across the spectral width"},
	{"-hdivrange       ", "horizontal beam divergence in mrad"},
	{"-vdivrange       ", "vertical beam divergence in mrad"},
	{"-hdivstep        ", "horizontal divergence step in mrad"},
	{"-vdivstep        ", "vertical divergence step in mrad"},
	{"-square_div      ", "keep the corners of the divergence grid"},
	{"-phi             ", "spindle start angle in degrees"},
	{"-osc             ", "spindle oscillation range in degrees"},
	{"-phisteps        ", "number of spindle steps"},
	{"-water           ", "water background: droplet size in um"},
	{"-floatfile       ", "raw float32 output image"},
	{"-intfile         ", "noiseless SMV output image"},
	{"-scale           ", "scale of the SMV image (default: max pixel to 55000)"},
	{"-adc             ", "offset added to SMV pixels (default: %g)"},
	{"-polar           ", "Kahn polarisation factor (default: %g)"},
	{"-noisefile       ", "SMV output image with Poisson noise"},
	{"-pgmfile         ", "8-bit PGM preview image"},
	{"-pgmscale        ", "scale of the PGM image (default: auto)"},
	{"-nopgm           ", "do not write the PGM image"},
	{"-roi             ", "render only xmin xmax ymin ymax (pixels, inclusive)"},
	{"-printout        ", "print intermediate values of pixels"},
	{"-seed            ", "seed of the noise image (default: the clock)"},
	{"-mosaic_seed     ", "seed of the mosaic domains (default: 12345678)"},
	{"-misset_seed     ", "seed of -misset random (default: the clock)"},
	{"-fluence         ", "integrated beam intensity (photons/m^2)"},
	{"-flux            ", "instead of -fluence: photons/s (with -beamsize and -exposure)"},
	{"-beamsize        ", "beam size for -flux (default: %g mm)"},
	{"-exposure        ", "exposure time for -flux (default: %g s)"},
	{"-nonoise         ", "do not write the noise image"},
	{"-noprogress      ", "no progress meter"},
	{"-nopolar         ", "no polarisation factor"},
	{"-nointerpolate   ", "nearest structure factor only"},
	{"-interpolate     ", "tricubic interpolation of structure factors (default: on below 3 cells)"},
	{"-point_pixel     ", "solid angle 1/R^2 (no obliquity)"},
	{"-curved_det      ", "every pixel at the same distance from the sample"},
	{"-fdet_vector     ", "fast detector axis (default: %g %g %g)"},
	{"-sdet_vector     ", "slow detector axis (default: %g %g %g)"},
	{"-odet_vector     ", "detector normal (default: %g %g %g)"},
	{"-beam_vector     ", "beam direction (default: %g %g %g)"},
	{"-polar_vector    ", "polarisation E-vector (default: %g %g %g)"},
	{"-spindle_axis    ", "spindle rotation axis (default: %g %g %g)"},
	{"-pix0_vector     ", "accepted for compatibility; the detector origin always comes from the beam centre"},
}

func printUsage(log io.Writer, c *Config, fdet, sdet, odet, beam, polar, spindle Vec) {
	pf(log, "usage: nanoBragg -mat auto.mat -hkl Fs.hkl\n")
	pf(log, "options:\n")
	for _, l := range usageLines {
		var args []any
		switch l[0] {
		case "-adc             ":
			args = []any{c.Adc}
		case "-polar           ":
			args = []any{1.0} // the original prints an unused variable that is always 1
		case "-beamsize        ":
			args = []any{c.Beamsize * 1000}
		case "-exposure        ":
			args = []any{c.Exposure}
		case "-fdet_vector     ":
			args = []any{fdet[0], fdet[1], fdet[2]}
		case "-sdet_vector     ":
			args = []any{sdet[0], sdet[1], sdet[2]}
		case "-odet_vector     ":
			args = []any{odet[0], odet[1], odet[2]}
		case "-beam_vector     ":
			args = []any{beam[0], beam[1], beam[2]}
		case "-polar_vector    ":
			args = []any{polar[0], polar[1], polar[2]}
		case "-spindle_axis    ":
			args = []any{spindle[0], spindle[1], spindle[2]}
		}
		pf(log, "\t"+l[0]+"\t"+l[1]+"\n", args...)
	}
}
