package asm

// SolidAngles sets out[i], i < len(out), to SolidAngle(r[i*stride], area,
// close, point) (area = pixel size squared, close the close distance). Every path gives these bits:
// the assembly runs the same IEEE divisions four at a time. r must hold
// (len(out)-1)*stride+1 elements, stride >= 1.
func SolidAngles(r []float64, stride int, area, close float64, point bool, out []float64) {
	if len(out) == 0 {
		return
	}
	if stride < 1 {
		panic("asm: SolidAngles: need stride >= 1")
	}
	_ = r[(len(out)-1)*stride]
	solidAngles(r, stride, area, close, point, out)
}

// SolidAngle is the pixel solid angle at distance x, the original's
// operations: (((area/x)/x)*close)/x, or (1/x)/x for point pixels.
func SolidAngle(x, area, close float64, point bool) float64 {
	if point {
		return 1.0 / x / x
	}
	return float64(float64(float64(area/x)/x)*close) / x
}

func solidAnglesGeneric(r []float64, stride int, area, close float64, point bool, out []float64) {
	for i := range out {
		out[i] = SolidAngle(r[i*stride], area, close, point)
	}
}
