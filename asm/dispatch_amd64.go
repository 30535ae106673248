//go:build amd64 && gc && !purego

package asm

import "github.com/klauspost/cpuid/v2"

var (
	// hasAVX2 reports AVX, AVX2 and FMA3 with OS support for YMM state.
	hasAVX2 = cpuid.CPU.Supports(cpuid.AVX, cpuid.AVX2, cpuid.FMA3)
	// hasAVX512 additionally reports AVX512F with OS support for ZMM state.
	hasAVX512 = hasAVX2 && cpuid.CPU.Supports(cpuid.AVX512F)
)
