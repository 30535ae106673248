package asm

import (
	"fmt"
	"os"
)

const (
	pathGeneric = iota
	pathAVX2
	pathAVX512
)

var pathNames = [...]string{pathGeneric: "generic", pathAVX2: "avx2", pathAVX512: "avx512"}

// path is the implementation in use. It is set at init and by SetPath; it is
// not synchronised, so SetPath must not race with kernel calls.
var path = pathGeneric

func init() {
	path = bestPath()
	if env := os.Getenv("GOBRAGG_SIMD"); env != "" {
		if err := SetPath(env); err != nil {
			fmt.Fprintf(os.Stderr, "gobragg/asm: ignoring GOBRAGG_SIMD: %v\n", err)
		}
	}
}

// bestPath returns the fastest path the CPU supports.
func bestPath() int {
	switch {
	case hasAVX512:
		return pathAVX512
	case hasAVX2:
		return pathAVX2
	}
	return pathGeneric
}

// Path names the implementation in use: "generic", "avx2" or "avx512".
func Path() string { return pathNames[path] }

// Paths lists the implementations this CPU and build can run, generic first.
func Paths() []string {
	p := []string{"generic"}
	if hasAVX2 {
		p = append(p, "avx2")
	}
	if hasAVX512 {
		p = append(p, "avx512")
	}
	return p
}

// SetPath forces an implementation ("generic", "avx2" or "avx512"). It
// returns an error, and leaves the path unchanged, if the name is unknown or
// the CPU (or build) cannot run it. It must not be called concurrently with
// the kernels.
func SetPath(name string) error {
	switch name {
	case "generic":
		path = pathGeneric
	case "avx2":
		if !hasAVX2 {
			return fmt.Errorf("asm: path avx2 not supported on this CPU/build")
		}
		path = pathAVX2
	case "avx512":
		if !hasAVX512 {
			return fmt.Errorf("asm: path avx512 not supported on this CPU/build")
		}
		path = pathAVX512
	default:
		return fmt.Errorf("asm: unknown path %q (want generic, avx2 or avx512)", name)
	}
	return nil
}
