//go:build cgo

package cref

/*
#include "cref.h"
*/
import "C"

import "unsafe"

// Test hooks into the C random-number code (callers hold runMu).

func resetRan1() { C.cref_ran1_reset() }

func ran1(w *int64) float32 {
	cw := C.longlong(*w)
	r := C.cref_ran1(&cw)
	*w = int64(cw)
	return float32(r)
}

func mosaicUmat(spread float64, w *int64) [9]float64 {
	var u [9]float64
	cw := C.longlong(*w)
	C.cref_mosaic_umat(C.double(spread), (*C.double)(unsafe.Pointer(&u[0])), &cw)
	*w = int64(cw)
	return u
}

func umat2misset(u [9]float64) [3]float64 {
	var a [3]float64
	C.cref_umat2misset((*C.double)(unsafe.Pointer(&u[0])), (*C.double)(unsafe.Pointer(&a[0])))
	return a
}
