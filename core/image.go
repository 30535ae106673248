package core

import "github.com/gobragg/gobragg/core/files"

// Inputs holds the contents of the input files, read once in the
// original's order and shared by both engines (Go core and cref).
type Inputs struct {
	// HKL is the structure-factor grid from -hkl or the dump file; nil when
	// only -default_F supplies structure factors.
	HKL *files.HKLGrid
	// Mat holds the nine numbers of -mat (rows of the file), MatRows how
	// many rows were read; HasMat is false when no matrix file was opened.
	Mat     [9]float64
	MatRows int
	HasMat  bool
	// SourceCols are the five columns (X Y Z I lambda) of -sourcefile as
	// read (NaN = missing); nil without a source file.
	SourceCols [][]float64
}

// Stats are the closing statistics the original prints (cli.md §7.2).
type Stats struct {
	MaxI, MaxIX, MaxIY float64 // largest pixel and the Fdet, Sdet of its last sub-pixel
	Sum, SumSqr        float64 // over computed pixels (SumSqr of float32 squares)
	N                  int     // computed pixels
	Mean, RMS, RMSD    float64
	OmegaSum           float64 // sum of the pixel solid angle per (layer, sub-pixel)
	Steps              int     // sources*domains*phisteps*oversample^2
}

// Image is the float image of a run and its statistics.
type Image struct {
	FPixels, SPixels int
	Pixels           []float32 // row-major, fast index fastest
	Values           []float64 // the pixels before the float32 store (only on request)
	Stats            Stats
}
