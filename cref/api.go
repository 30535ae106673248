package cref

import "errors"

// ErrNoCgo is returned by Run, RunOpts and TracePixel when the package was
// built without cgo (CGO_ENABLED=0).
var ErrNoCgo = errors.New("cref: built without cgo (CGO_ENABLED=0); the C reference is unavailable")

// Options select the optional outputs of RunOpts (never what is computed).
type Options struct {
	// KeepFloat64 also returns every computed pixel as the double it had
	// before its float32 store (core.Image.Values), for differential tests.
	KeepFloat64 bool
}
