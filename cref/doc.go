// Package cref is a C reference implementation of the nanoBragg float
// image, written by the gobragg authors from the specification in
// /work/shared/spec (not derived from the original nanoBragg.c), linked
// through cgo. It takes the same raw core.Config and core.Inputs as the Go
// engine, performs all derived setup itself in the original's order, runs
// the pixel loop serially and returns the float image and its statistics.
//
// It exists to cross-check the Go engine: both are literal transcriptions of
// the specification in different languages. RunOpts can also return every
// pixel's double before its float32 store (core.Image.Values) and
// TracePixel the intermediate values of one pixel (core.PixelTrace); the
// differential tests (diff_test.go) compare both engines in process.
// Without cgo (CGO_ENABLED=0) Run, RunOpts and TracePixel return ErrNoCgo
// and Available reports false.
package cref
