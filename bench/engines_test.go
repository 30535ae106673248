package bench

import (
	"github.com/gobragg/gobragg/core"
	"github.com/gobragg/gobragg/cref"
)

// engines are the implementations compared in one run (benchstat pivots
// on /impl): the Go core on its exact and SIMD paths, and the C reference
// (single-threaded scalar C, the stand-in for the original in-process).
func engines() []engine {
	e := []engine{
		goEngine("go-exact", core.ExactKernel{}),
		goEngine("go-simd", core.SIMDKernel{}),
	}
	if cref.Available() {
		e = append(e, engine{"cref", func(rc *runCase) (*core.Image, error) { return cref.Run(rc.cfg, rc.in) }})
	}
	return e
}
