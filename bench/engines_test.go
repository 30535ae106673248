package bench

import "github.com/gobragg/gobragg/core"

func engines() []engine {
	return []engine{
		goEngine("go-exact", core.ExactKernel{}),
		goEngine("go-simd", core.SIMDKernel{}),
	}
}
