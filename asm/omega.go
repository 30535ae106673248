package asm

// SolidAngles sets out[i], i < len(out), to the pixel solid angle seen at
// distance x = r[i*stride] in the original's operations:
// (((area/x)/x)*close)/x, or (1/x)/x for point pixels (area = pixel
// size squared, close the close distance). Every path gives these bits:
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

func solidAnglesGeneric(r []float64, stride int, area, close float64, point bool, out []float64) {
	for i := range out {
		x := r[i*stride]
		if point {
			out[i] = 1.0 / x / x
		} else {
			out[i] = float64(float64(float64(area/x)/x)*close) / x
		}
	}
}
