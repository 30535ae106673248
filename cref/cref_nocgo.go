//go:build !cgo

package cref

import "github.com/gobragg/gobragg/core"

// Available reports whether the C reference is compiled in.
func Available() bool { return false }

// Run is unavailable without cgo; it always returns ErrNoCgo.
func Run(cfg *core.Config, in *core.Inputs) (*core.Image, error) {
	return nil, ErrNoCgo
}

// RunOpts is unavailable without cgo; it always returns ErrNoCgo.
func RunOpts(cfg *core.Config, in *core.Inputs, opt Options) (*core.Image, error) {
	return nil, ErrNoCgo
}

// TracePixel is unavailable without cgo; it always returns ErrNoCgo.
func TracePixel(cfg *core.Config, in *core.Inputs, fpixel, spixel int) (*core.PixelTrace, error) {
	return nil, ErrNoCgo
}
