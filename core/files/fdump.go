package files

import (
	"encoding/binary"
	"errors"
	"math"
	"unsafe"

	"github.com/gobragg/gobragg/core/cnum"
)

// EncodeFdump returns the bytes of the binary F cache (io.md §3.1): the text
// header "%d %d %d %d %d %d\n\f" followed by the whole grid, padding slots
// included, as native-order float64 with l fastest.
func EncodeFdump(g *HKLGrid) []byte {
	hdr := cnum.Sprintf("%d %d %d %d %d %d\n\f", g.HMin, g.HMax, g.KMin, g.KMax, g.LMin, g.LMax)
	out := make([]byte, len(hdr), len(hdr)+8*len(g.F))
	copy(out, hdr)
	for _, v := range g.F {
		out = binary.NativeEndian.AppendUint64(out, math.Float64bits(v))
	}
	return out
}

// WriteFdump writes the binary F cache (io.md §3) to path. It writes through
// WriteFileAtomic, so a failure leaves no partial file; the caller prints
// "WARNING: unable to open dump file: <name>" on error.
func WriteFdump(path string, g *HKLGrid) error {
	return WriteFileAtomic(path, EncodeFdump(g))
}

// ReadFdump parses a binary F cache the way the original does (io.md §3.3):
// fscanf("%d%d%d%d%d%d\n\f") — whose two white-space directives swallow every
// white-space byte after the sixth number, including leading bytes of the
// float data that happen to be white space — then fread of each l-row.
// Rows that are missing stay zero and a partly present final double keeps
// the bytes that were there (as fread leaves them). Count is set to
// HRange*KRange*LRange, EmptyRows to the number of rows for which fread
// returned 0 (less than one whole double left).
// A missing file, a header that does not convert, or an impossible range is
// an error.
func ReadFdump(path string) (*HKLGrid, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return parseFdump(data, path)
}

func parseFdump(data []byte, path string) (*HKLGrid, error) {
	// data is never modified, so it can be viewed as a string without a copy.
	var text string
	if len(data) > 0 {
		text = unsafe.String(&data[0], len(data))
	}
	sc := &scanner{s: text}
	var b [6]int
	for i := range b {
		var ok bool
		if b[i], ok = sc.d(); !ok {
			return nil, errors.New(path + ": not an Fdump file (header does not hold six integers)")
		}
	}
	// "\n\f" in the format: white-space directives, each skipping all
	// white space (possibly the first bytes of the float data).
	sc.skipSpace()
	return finishFdump(data, sc.pos, b, path)
}

func finishFdump(data []byte, pos int, b [6]int, path string) (*HKLGrid, error) {
	g, why := newGrid(b[0], b[1], b[2], b[3], b[4], b[5])
	if g == nil {
		return nil, errors.New(path + ": " + why)
	}
	g.Count = g.HRange * g.KRange * g.LRange
	rest := data[pos:]
	rowBytes := 8 * (g.LRange + 1)
	rows := (g.HRange + 1) * (g.KRange + 1)
	buf := make([]byte, 8*len(g.F))
	n := copy(buf, rest)
	// fread returns 0 (and the original prints "fscanf: ...") for a row
	// with less than one complete double available.
	for r := rows - 1; r >= 0 && n-r*rowBytes < 8; r-- {
		g.EmptyRows++
	}
	for i := range g.F {
		g.F[i] = math.Float64frombits(binary.NativeEndian.Uint64(buf[8*i:]))
	}
	return g, nil
}
