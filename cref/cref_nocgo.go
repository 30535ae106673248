//go:build !cgo

package cref

import (
	"errors"

	"github.com/gobragg/gobragg/core"
)

// ErrNoCgo is returned by Run when the package was built without cgo.
var ErrNoCgo = errors.New("cref: built without cgo (CGO_ENABLED=0); the C reference is unavailable")

// Available reports whether the C reference is compiled in.
func Available() bool { return false }

// Run is unavailable without cgo; it always returns ErrNoCgo.
func Run(cfg *core.Config, in *core.Inputs) (*core.Image, error) {
	return nil, ErrNoCgo
}
