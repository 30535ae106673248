package files

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobragg/gobragg/core/cnum"
	"github.com/stretchr/testify/require"
)

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

// ---------------------------------------------------------------- HKL

func TestReadHKLBasic(t *testing.T) {
	p := writeTemp(t, "a.hkl", "-1 0 0 1.5\n 1 1 1 2\n0 0 1 3e0\n")
	var log bytes.Buffer
	g, err := ReadHKL(p, 0, &log)
	require.NoError(t, err)
	require.Equal(t, "counting entries in "+p+"\nre-reading "+p+"\n", log.String())
	require.Equal(t, 3, g.Count)
	require.Equal(t, []int{-1, 1, 0, 1, 0, 1}, []int{g.HMin, g.HMax, g.KMin, g.KMax, g.LMin, g.LMax})
	require.Equal(t, []int{3, 2, 2}, []int{g.HRange, g.KRange, g.LRange})
	require.Len(t, g.F, 4*3*3)
	require.Equal(t, 1.5, g.At(-1, 0, 0))
	require.Equal(t, 2.0, g.At(1, 1, 1))
	require.Equal(t, 3.0, g.At(0, 0, 1))
	require.Equal(t, 0.0, g.At(0, 1, 1))
}

func TestReadHKLFiveColumnsShift(t *testing.T) {
	p := writeTemp(t, "five.hkl", "1 2 3 4 5\n6 7 8 9 10\n")
	var log bytes.Buffer
	g, err := ReadHKL(p, 0, &log)
	require.NoError(t, err)
	// records (1,2,3,4) and (5,6,7,8); "9 10" is an incomplete record.
	require.Equal(t, 2, g.Count)
	require.Equal(t, []int{1, 5, 2, 6, 3, 7}, []int{g.HMin, g.HMax, g.KMin, g.KMax, g.LMin, g.LMax})
	require.Equal(t, 4.0, g.At(1, 2, 3))
	require.Equal(t, 8.0, g.At(5, 6, 7))
	require.NotContains(t, log.String(), "WARNING")
}

func TestReadHKLDecimalIndexStopsPass2(t *testing.T) {
	p := writeTemp(t, "dec.hkl", "0 0 0 3\n1.0 0 0 5\n0 1 0 7\n")
	var log bytes.Buffer
	g, err := ReadHKL(p, 0, &log)
	require.NoError(t, err)
	require.Equal(t, 3, g.Count)
	require.Equal(t, []int{0, 1, 0, 1, 0, 0}, []int{g.HMin, g.HMax, g.KMin, g.KMax, g.LMin, g.LMax})
	require.Equal(t, 3.0, g.At(0, 0, 0)) // loaded before the "1.0" record
	require.Equal(t, 0.0, g.At(1, 0, 0)) // pass 2 stopped here
	require.Equal(t, 0.0, g.At(0, 1, 0))
	require.NotContains(t, log.String(), "WARNING") // 1.0 is an integer for pass 1
}

func TestReadHKLDuplicatesLastWins(t *testing.T) {
	p := writeTemp(t, "dup.hkl", "0 0 0 1\n0 0 0 2\n")
	g, err := ReadHKL(p, 0, &bytes.Buffer{})
	require.NoError(t, err)
	require.Equal(t, 2, g.Count)
	require.Equal(t, 2.0, g.At(0, 0, 0))
}

func TestReadHKLCommentLine(t *testing.T) {
	p := writeTemp(t, "c.hkl", "# h k l F\n0 0 0 1\n")
	var log bytes.Buffer
	g, err := ReadHKL(p, 0, &log)
	require.Nil(t, g)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, 9, ee.Status)
	require.Equal(t, "counting entries in "+p+"\n"+
		"h: 1000000000 - -1000000000\n"+
		"k: 1000000000 - -1000000000\n"+
		"l: 1000000000 - -1000000000\n"+
		"ERROR: not enough HKL indices in "+p+"\n", log.String())
}

func TestReadHKLNonIntegerWarning(t *testing.T) {
	p := writeTemp(t, "w.hkl", "0 0 0 1\n1 2.5 -0.7 3\n")
	var log bytes.Buffer
	g, err := ReadHKL(p, 0, &log)
	require.NoError(t, err)
	require.Equal(t, "counting entries in "+p+"\n"+
		"WARNING: non-integer value for k (2.5) at line 1\n"+
		"WARNING: non-integer value for l (-0.7) at line 1\n"+
		"re-reading "+p+"\n", log.String())
	// k_max = (int)2.5 = 2, l_min = (int)-0.7 = 0 (truncation toward zero)
	require.Equal(t, []int{0, 1, 0, 2, 0, 0}, []int{g.HMin, g.HMax, g.KMin, g.KMax, g.LMin, g.LMax})
	// pass 2: "2.5" reads 2, then "%d" fails on ".5": record 2 not stored
	require.Equal(t, 1.0, g.At(0, 0, 0))
	require.Equal(t, 0.0, g.At(1, 2, 0))
}

func TestReadHKLDefaultF(t *testing.T) {
	p := writeTemp(t, "d.hkl", "0 0 0 1\n1 1 1 2\n")
	var log bytes.Buffer
	g, err := ReadHKL(p, 7, &log)
	require.NoError(t, err)
	require.Equal(t, "counting entries in "+p+"\n"+
		"initializing to default_F = 7:\n"+
		"done initializing:\n"+
		"re-reading "+p+"\n", log.String())
	require.Equal(t, 1.0, g.At(0, 0, 0))
	require.Equal(t, 2.0, g.At(1, 1, 1))
	require.Equal(t, 7.0, g.At(0, 1, 0))
	require.Equal(t, 7.0, g.At(1, 0, 1))
	// padding slots stay zero
	require.Equal(t, 0.0, g.At(2, 0, 0))
	require.Equal(t, 0.0, g.At(0, 2, 0))
	require.Equal(t, 0.0, g.At(0, 0, 2))
}

func TestReadHKLUnopenable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing.hkl")
	var log bytes.Buffer
	_, err := ReadHKL(p, 0, &log)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, 9, ee.Status)
	require.Equal(t, "ERROR: unable to open "+p+".", log.String())
}

func TestReadHKLHugeIndex(t *testing.T) {
	// (int)4294967297.0 is INT_MIN on x86-64: h_max becomes -2147483648 and
	// the 32-bit range is negative, as in the original.
	p := writeTemp(t, "o.hkl", "0 0 0 1\n4294967297 0 0 2\n")
	var log bytes.Buffer
	_, err := ReadHKL(p, 0, &log)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	require.Contains(t, log.String(), "h: 0 - -2147483648\nk: 0 - 0\nl: 0 - 0\nERROR: not enough HKL indices in ")

	// here the 32-bit range wraps to a positive value: the original would
	// allocate a huge grid and crash; the replacement refuses the file.
	p = writeTemp(t, "o2.hkl", "2 0 0 1\n4294967296 0 0 2\n")
	log.Reset()
	_, err = ReadHKL(p, 0, &log)
	require.ErrorAs(t, err, &ee)
	require.Equal(t, 9, ee.Status)
	require.NotContains(t, log.String(), "re-reading")
}

// ---------------------------------------------------------------- Fdump

func TestFdumpExample302(t *testing.T) {
	p := writeTemp(t, "e.hkl", "-1 0 0 1\n1 1 1 2\n")
	g, err := ReadHKL(p, 0, &bytes.Buffer{})
	require.NoError(t, err)
	b := EncodeFdump(g)
	require.Len(t, b, 302)
	require.Equal(t, "-1 1 0 1 0 1\n\f", string(b[:14]))
	// l fastest, including the padding slots: (h=-1,k=0,l=0) first, (1,1,1) at
	// ((2*3)+1)*3+1 = 22.
	require.Equal(t, 1.0, math.Float64frombits(binary.NativeEndian.Uint64(b[14:])))
	require.Equal(t, 2.0, math.Float64frombits(binary.NativeEndian.Uint64(b[14+8*22:])))

	dump := filepath.Join(t.TempDir(), "Fdump.bin")
	require.NoError(t, WriteFdump(dump, g))
	onDisk, err := os.ReadFile(dump)
	require.NoError(t, err)
	require.Equal(t, b, onDisk)

	r, err := ReadFdump(dump)
	require.NoError(t, err)
	require.Equal(t, g.F, r.F)
	require.Equal(t, 3*2*2, r.Count)
	require.Equal(t, 0, r.EmptyRows)
	require.Equal(t, []int{-1, 1, 0, 1, 0, 1}, []int{r.HMin, r.HMax, r.KMin, r.KMax, r.LMin, r.LMax})
}

func TestFdumpRoundTripDefaultF(t *testing.T) {
	p := writeTemp(t, "r.hkl", "-3 -2 4 1.25\n2 5 -1 -7.5\n0 0 0 1e300\n")
	g, err := ReadHKL(p, 3.5, &bytes.Buffer{})
	require.NoError(t, err)
	dump := filepath.Join(t.TempDir(), "d.bin")
	require.NoError(t, WriteFdump(dump, g))
	r, err := ReadFdump(dump)
	require.NoError(t, err)
	require.Equal(t, g.F, r.F)
	require.Equal(t, g.HRange*g.KRange*g.LRange, r.Count)
	require.Equal(t, 3.5, r.At(0, 1, 0))
	require.Equal(t, -7.5, r.At(2, 5, -1))
}

func TestFdumpWhitespaceSwallow(t *testing.T) {
	v := 100.00000000000045
	var first [8]byte
	binary.NativeEndian.PutUint64(first[:], math.Float64bits(v))
	if first[0] != 0x20 {
		t.Skip("big-endian host: the first byte of the value is not 0x20")
	}
	g, _ := newGrid(0, 1, 0, 0, 0, 0) // 3*2*2 = 12 doubles
	for i := range g.F {
		g.F[i] = float64(i + 1)
	}
	g.F[0] = v
	b := EncodeFdump(g)
	dump := filepath.Join(t.TempDir(), "ws.bin")
	require.NoError(t, os.WriteFile(dump, b, 0o644))
	r, err := ReadFdump(dump)
	require.NoError(t, err)
	hdr := len("0 1 0 0 0 0\n\f")
	// the 0x20 byte is swallowed with "\n\f": everything is read one byte late
	want := make([]byte, 8*len(g.F))
	copy(want, b[hdr+1:])
	for i := range r.F {
		require.Equal(t, math.Float64frombits(binary.NativeEndian.Uint64(want[8*i:])), r.F[i], "entry %d", i)
	}
	require.NotEqual(t, v, r.F[0])
	require.Equal(t, 0, r.EmptyRows) // last row still has 15 of its 16 bytes
}

func TestFdumpShortAndGarbage(t *testing.T) {
	dir := t.TempDir()
	// header says 2*2*2 = 8 doubles, only 2.5 present: rows of 2 doubles.
	data := []byte("0 1 0 1 0 1\n\f")
	var vals []byte
	vals = binary.NativeEndian.AppendUint64(vals, math.Float64bits(1.5))
	vals = binary.NativeEndian.AppendUint64(vals, math.Float64bits(2.5))
	vals = append(vals, 0x11, 0x22, 0x33, 0x44)
	p := filepath.Join(dir, "short.bin")
	require.NoError(t, os.WriteFile(p, append(data, vals...), 0o644))
	r, err := ReadFdump(p)
	require.NoError(t, err)
	require.Len(t, r.F, 27)
	require.Equal(t, 1.5, r.F[0])
	require.Equal(t, 2.5, r.F[1])
	// row 0 has 3 doubles (l 0..2): the partial third keeps the bytes present
	var partial [8]byte
	copy(partial[:], []byte{0x11, 0x22, 0x33, 0x44})
	require.Equal(t, math.Float64frombits(binary.NativeEndian.Uint64(partial[:])), r.F[2])
	for _, x := range r.F[3:] {
		require.Equal(t, 0.0, x)
	}
	require.Equal(t, 8, r.EmptyRows) // 9 rows, the first read something
	require.Equal(t, 8, r.Count)

	g := filepath.Join(dir, "garbage.bin")
	require.NoError(t, os.WriteFile(g, []byte("hello"), 0o644))
	_, err = ReadFdump(g)
	require.Error(t, err)
	_, err = ReadFdump(filepath.Join(dir, "nope.bin"))
	require.Error(t, err)
}

// ---------------------------------------------------------------- matrix

func TestReadMatrix(t *testing.T) {
	p := writeTemp(t, "A.mat", " -0.0116  0.0084 -0.0011\n0.0035 0.0041 0.0119\n 0.0072 0.0101 -0.0043\n"+
		"     0.000     0.000     0.000\n  -0.5 0.4 0.7\n 78.0 78.0 38.0 90 90 90\n")
	m, rows, err := ReadMatrix(p)
	require.NoError(t, err)
	require.Equal(t, 3, rows)
	require.Equal(t, [9]float64{-0.0116, 0.0084, -0.0011, 0.0035, 0.0041, 0.0119, 0.0072, 0.0101, -0.0043}, m)

	p = writeTemp(t, "B.mat", "1 2 3 4 5 6 7 8\n")
	m, rows, err = ReadMatrix(p)
	require.NoError(t, err)
	require.Equal(t, 2, rows)
	require.Equal(t, [9]float64{1, 2, 3, 4, 5, 6, 7, 8, 0}, m)

	p = writeTemp(t, "C.mat", "1 2 x 4 5 6 7 8 9\n")
	m, rows, err = ReadMatrix(p)
	require.NoError(t, err)
	require.Equal(t, 0, rows)
	require.Equal(t, [9]float64{1, 2}, m)

	// measured with glibc fscanf: a failure is not always sticky
	for _, c := range []struct {
		in   string
		rows int
		m    [9]float64
	}{
		{"1 2 . 4 5 6 7 8 9\n", 2, [9]float64{1, 2, 0, 4, 5, 6, 7, 8, 9}},
		{"1 2 0x 5 6 7 8 9 10 11\n", 2, [9]float64{1, 2, 0, 5, 6, 7, 8, 9, 10}},
		{"1 2 3 4 - 5 6 7 8 9\n", 2, [9]float64{1, 2, 3, 4, 0, 0, 5, 6, 7}},
	} {
		p = writeTemp(t, "D.mat", c.in)
		m, rows, err = ReadMatrix(p)
		require.NoError(t, err)
		require.Equal(t, c.rows, rows, c.in)
		require.Equal(t, c.m, m, c.in)
	}

	_, _, err = ReadMatrix(filepath.Join(t.TempDir(), "none.mat"))
	require.Error(t, err)
}

// ---------------------------------------------------------------- columns

func requireRow(t *testing.T, cols [][]float64, row int, want ...float64) {
	t.Helper()
	require.Len(t, cols, len(want))
	for i, w := range want {
		got := cols[i][row]
		if math.IsNaN(w) {
			require.True(t, math.IsNaN(got), "column %d: want NaN, got %v", i, got)
		} else {
			require.Equal(t, w, got, "column %d", i)
		}
	}
}

func TestReadColumns(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name, text string
		nargs      int
		want       [][]float64
	}{
		{"delims", "-10,0;0:1!1e-10\n", 5, [][]float64{{-10, 0, 0, 1, 1e-10}}},
		{"missing", "-10 0 0\n", 5, [][]float64{{-10, 0, 0, nan, nan}}},
		{"nan", "1 nan 2\nnan 5\n", 3, [][]float64{{1, nan, 2}, {nan, 5, nan}}},
		{"nan last", "1 nan\n", 3, [][]float64{{1, nan, 0}}},
		{"comment", "# comment\n", 2, [][]float64{{0, 0}}},
		{"crlf", "1 2\r\n", 3, [][]float64{{1, 2, 0}}},
		{"no final newline", "-10 0 0", 5, [][]float64{{-10, 0, 0, 0, 0}}},
		{"letters", "-10abc 5\n", 3, [][]float64{{-10, 5, nan}}},
		{"text", "abc 5\n", 2, [][]float64{{0, 5}}},
		{"blank lines", "\n  \t\n1 2\n,;\n3\n", 2, [][]float64{{1, 2}, {3, nan}}},
		{"spaces crlf counted", "   \r\n1\n", 2, [][]float64{{0, 0}, {1, nan}}},
		{"trailing delims", "1 2  \n", 3, [][]float64{{1, 2, nan}}},
		{"empty last line counted", "1\n  ", 2, [][]float64{{1, nan}, {0, 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeTemp(t, "c.txt", c.text)
			cols, lines, err := ReadColumns(p, c.nargs)
			require.NoError(t, err)
			require.Equal(t, len(c.want), lines)
			for r, w := range c.want {
				requireRow(t, cols, r, w...)
			}
		})
	}
}

func TestReadColumnsLongLine(t *testing.T) {
	// 10239 bytes fit one fgets call; the rest is a new "line".
	text := "1" + strings.Repeat(" ", 10238) + "2\n"
	p := writeTemp(t, "long.txt", text)
	cols, lines, err := ReadColumns(p, 2)
	require.NoError(t, err)
	require.Equal(t, 2, lines)
	requireRow(t, cols, 0, 1, 0) // no newline in the first chunk
	requireRow(t, cols, 1, 2, math.NaN())
}

func TestReadColumnsUnopenable(t *testing.T) {
	cols, lines, err := ReadColumns(filepath.Join(t.TempDir(), "x"), 2)
	require.Error(t, err)
	require.Nil(t, cols)
	require.Equal(t, 0, lines)
	p := writeTemp(t, "empty.txt", "")
	cols, lines, err = ReadColumns(p, 2)
	require.NoError(t, err)
	require.Equal(t, 0, lines)
	require.Len(t, cols, 2)
}

// ---------------------------------------------------------------- SMV

// example16 computes the header of io.md §10.1's example (16x16 pixels,
// 0.1 mm, 100 mm, 1 A, MOSFLM defaults) with the original's expressions.
func example16() *SMVHeader {
	pixel := 0.0001
	distance := 0.1
	detsizeF, detsizeS := 16*pixel, 16*pixel
	Xbeam := (detsizeS + pixel) / 2
	Ybeam := (detsizeF + pixel) / 2
	Fbeam := Ybeam + 0.5*pixel
	Sbeam := Xbeam + 0.5*pixel
	return &SMVHeader{
		FPixels: 16, SPixels: 16,
		PixelSizeMM: pixel * 1000.0, DistanceMM: distance * 1000.0, WavelengthA: 1e-10 * 1e10,
		BeamCenterXMM: Xbeam * 1000.0, BeamCenterYMM: Ybeam * 1000,
		ADXVCenterXMM: Fbeam * 1000.0, ADXVCenterYMM: (detsizeS - Sbeam) * 1000,
		MOSFLMCenterXMM: (Sbeam - 0.5*pixel) * 1000.0, MOSFLMCenterYMM: (Fbeam - 0.5*pixel) * 1000,
		DenzoXBeamMM: (Sbeam - 0.0*pixel) * 1000.0, DenzoYBeamMM: (Fbeam - 0.0*pixel) * 1000,
		DialsOrigin: [3]float64{-Sbeam * 1000, Fbeam * 1000, -distance * 1000},
		XDSOrgX:     Fbeam/pixel + 0.5, XDSOrgY: Sbeam/pixel + 0.5,
		CloseDistanceMM: distance * 1000.0,
	}
}

func TestFormatSMVHeaderExample16(t *testing.T) {
	b := FormatSMVHeader(example16())
	require.Len(t, b, 512)
	s := string(b)
	want := "{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=" + ByteOrderName() + ";\nTYPE=unsigned_short;\n" +
		"SIZE1=16;\nSIZE2=16;\nPIXEL_SIZE=0.1;\nDISTANCE=100;\nWAVELENGTH=1;\n" +
		"BEAM_CENTER_X=0.85;\nBEAM_CENTER_Y=0.85;\nADXV_CENTER_X=0.9;\nADXV_CENTER_Y=0.7;\n" +
		"MOSFLM_CENTER_X=0.85;\nMOSFLM_CENTER_Y=0.85;\nDENZO_X_BEAM=0.9;\nDENZO_Y_BEAM=0.9;\n" +
		"DIALS_ORIGIN=-0.9,0.9,-100\nXDS_ORGX=9.5;\nXDS_ORGY=9.5;\nCLOSE_DISTANCE=100;\n" +
		"PHI=0;\nOSC_START=0;\nOSC_RANGE=0;\nTWOTHETA=0;\nDETECTOR_SN=000;\nBEAMLINE=fake;\n}\f"
	require.True(t, strings.HasPrefix(s, want), "got %q", s)
	require.Equal(t, strings.Repeat(" ", 512-len(want)), s[len(want):])
	if nativeLittle {
		require.Contains(t, s, "BYTE_ORDER=little_endian;")
	}
}

func TestFormatSMVHeaderOverlong(t *testing.T) {
	h := example16()
	x := -1.23456789e-123
	h.PixelSizeMM, h.DistanceMM, h.WavelengthA, h.BeamCenterXMM, h.BeamCenterYMM = x, x, x, x, x
	h.ADXVCenterXMM, h.ADXVCenterYMM, h.MOSFLMCenterXMM, h.MOSFLMCenterYMM = x, x, x, x
	h.DenzoXBeamMM, h.DenzoYBeamMM, h.DialsOrigin = x, x, [3]float64{x, x, x}
	h.XDSOrgX, h.XDSOrgY, h.CloseDistanceMM, h.PhiDeg, h.OscStartDeg, h.OscRangeDeg, h.TwoThetaDeg = x, x, x, x, x, x, x
	b := FormatSMVHeader(h)
	require.Greater(t, len(b), 512)
	require.True(t, bytes.HasSuffix(b, []byte("BEAMLINE=fake;\n}\f")))
	require.Contains(t, string(b), "PIXEL_SIZE=-1.23457e-123;")
	data := []uint16{1, 2, 3}
	enc := EncodeSMV(h, data)
	require.Len(t, enc, len(b)+6)
}

func TestSMVRoundTrip(t *testing.T) {
	h := example16()
	h.CloseDistanceMM = 99.5
	h.PhiDeg, h.OscStartDeg, h.OscRangeDeg = 10, 10, 0.25
	data := make([]uint16, 16*16)
	for i := range data {
		data[i] = uint16(i*257 + 3)
	}
	p := filepath.Join(t.TempDir(), "x.img")
	require.NoError(t, WriteFileAtomic(p, EncodeSMV(h, data)))
	st, err := os.Stat(p)
	require.NoError(t, err)
	require.EqualValues(t, 512+2*256, st.Size())

	fr, err := ReadSMV(p)
	require.NoError(t, err)
	require.Equal(t, 512, fr.HeaderSize)
	require.Equal(t, 16, fr.Width)
	require.Equal(t, 16, fr.Height)
	require.Equal(t, data, fr.Data)
	get := func(k string) float64 {
		v, ok := fr.ValueOf(k)
		require.True(t, ok, k)
		return v
	}
	require.Equal(t, 99.5, get("DISTANCE")) // last occurrence is CLOSE_DISTANCE's
	require.Equal(t, 99.5, get("CLOSE_DISTANCE"))
	require.Equal(t, 0.1, get("PIXEL_SIZE"))
	require.Equal(t, 1.0, get("WAVELENGTH"))
	require.Equal(t, 0.85, get("BEAM_CENTER_Y"))
	require.Equal(t, 9.5, get("ORGX"))
	require.Equal(t, 0.25, get("OSC_RANGE"))
	require.Equal(t, 10.0, get("PHI")) // last key containing PHI: PHI= itself here
	require.Equal(t, 0.0, get("TWOTHETA"))
	v, ok := fr.ValueOf("NOT_A_KEY")
	require.False(t, ok)
	require.True(t, math.IsNaN(v))
	v, ok = fr.ValueOf("BEAMLINE")
	require.True(t, ok)
	require.Equal(t, 0.0, v) // atof("fake")
}

func TestReadSMVErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadSMV(filepath.Join(dir, "none.img"))
	require.ErrorIs(t, err, os.ErrNotExist)

	short := filepath.Join(dir, "short.img")
	require.NoError(t, os.WriteFile(short, []byte("{\nHEADER_BYTES=512;\n}"), 0o644))
	_, err = ReadSMV(short)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	require.True(t, strings.HasPrefix(ee.Msg, "SMV file header"))

	notADSC := filepath.Join(dir, "n.img")
	require.NoError(t, os.WriteFile(notADSC, bytes.Repeat([]byte("x"), 600), 0o644))
	_, err = ReadSMV(notADSC)
	var ne *NotADSCError
	require.ErrorAs(t, err, &ne)
	require.Equal(t, "ERROR: "+notADSC+" does not look like an ADSC frame!", ne.Error())

	// only 12 bytes are compared; missing sizes are rejected
	odd := filepath.Join(dir, "odd.img")
	hdr := []byte("{\nHEADER_BYTES=512;\n}")
	hdr = append(hdr, make([]byte, 512)...)
	require.NoError(t, os.WriteFile(odd, hdr, 0o644))
	_, err = ReadSMV(odd)
	require.Error(t, err)

	// DETECTOR_DIMENSIONS when SIZE1 is 0; data shorter than the header
	// announces is refused (the original would zero-fill it)
	dd := filepath.Join(dir, "dd.img")
	h := []byte("{\nHEADER_BYTES=512;\nSIZE1=0;\nSIZE2=7;\nDETECTOR_DIMENSIONS=4;\n}\f")
	h = append(h, bytes.Repeat([]byte(" "), 512-len(h))...)
	h = append(h, 1, 0, 2, 0)
	require.NoError(t, os.WriteFile(dd, h, 0o644))
	_, err = ReadSMV(dd)
	require.ErrorContains(t, err, "needs 544")
	h = append(h, make([]byte, 28)...)
	require.NoError(t, os.WriteFile(dd, h, 0o644))
	fr, err := ReadSMV(dd)
	require.NoError(t, err)
	require.Equal(t, 4, fr.Width)
	require.Equal(t, 4, fr.Height)
	require.Len(t, fr.Data, 16)
	if nativeLittle {
		require.Equal(t, uint16(1), fr.Data[0])
		require.Equal(t, uint16(2), fr.Data[1])
	}
	require.Equal(t, uint16(0), fr.Data[15])
}

func TestReadSMVOtherHeaderSize(t *testing.T) {
	// HEADER_BYTES=1024: the header is re-read with 1024 bytes and the
	// pixels start there.
	h := []byte("{\nHEADER_BYTES=1024;\nSIZE1=2;\nSIZE2=1;\n")
	h = append(h, bytes.Repeat([]byte(" "), 600-len(h))...)
	h = append(h, []byte("DISTANCE=250;\n}\f")...)
	h = append(h, bytes.Repeat([]byte(" "), 1024-len(h))...)
	h = binary.NativeEndian.AppendUint16(h, 7)
	h = binary.NativeEndian.AppendUint16(h, 9)
	p := writeTemp(t, "big.img", string(h))
	fr, err := ReadSMV(p)
	require.NoError(t, err)
	require.Equal(t, 1024, fr.HeaderSize)
	require.Equal(t, []uint16{7, 9}, fr.Data)
	d, ok := fr.ValueOf("DISTANCE")
	require.True(t, ok)
	require.Equal(t, 250.0, d)
}

// ---------------------------------------------------------------- PGM, float

func TestEncodePGMAndFloat(t *testing.T) {
	data := []byte{0, 1, 2, 253, 254, 255}
	b := EncodePGM(3, 2, 0.5, data)
	require.Equal(t, "P5\n3 2\n# pixels scaled by 0.5\n255\n", string(b[:len(b)-6]))
	require.Equal(t, data, b[len(b)-6:])
	b = EncodePGM(1, 1, 1234567.0, []byte{9})
	require.Equal(t, "P5\n1 1\n# pixels scaled by 1.23457e+06\n255\n\x09", string(b))

	f := EncodeFloat([]float32{1.5, float32(math.Inf(1))})
	require.Len(t, f, 8)
	require.Equal(t, float32(1.5), math.Float32frombits(binary.NativeEndian.Uint32(f)))
	require.True(t, math.IsInf(float64(math.Float32frombits(binary.NativeEndian.Uint32(f[4:]))), 1))
}

// ---------------------------------------------------------------- atomic write

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nodir", "out.img")
	require.Error(t, WriteFileAtomic(missing, []byte("abc")))
	_, err := os.Stat(filepath.Join(dir, "nodir"))
	require.ErrorIs(t, err, os.ErrNotExist)
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, ents)

	p := filepath.Join(dir, "out.img")
	require.NoError(t, WriteFileAtomic(p, []byte("first")))
	require.NoError(t, os.Chmod(p, 0o640))
	require.NoError(t, WriteFileAtomic(p, []byte("second")))
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, "second", string(got))
	st, err := os.Stat(p)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o640), st.Mode().Perm())
	ents, err = os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, ents, 1, "no temporary file left behind")

	// a directory in the way: error, nothing left
	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	require.Error(t, WriteFileAtomic(sub, []byte("x")))
	ents, err = os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, ents, 2)
}

// ---------------------------------------------------------------- golden

const goldenDir = "../../../shared/golden"

func golden(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(goldenDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("golden data not available (%s): %v", p, err)
	}
	return p
}

func TestGoldenP1HKL(t *testing.T) {
	p := golden(t, "inputs/P1.hkl")
	var log bytes.Buffer
	g, err := ReadHKL(p, 0, &log)
	require.NoError(t, err)
	require.Equal(t, 29791, g.Count)
	require.Equal(t, []int{-15, 15, -15, 15, -15, 15}, []int{g.HMin, g.HMax, g.KMin, g.KMax, g.LMin, g.LMax})
	require.Equal(t, "counting entries in "+p+"\nre-reading "+p+"\n", log.String())
	b := EncodeFdump(g)
	require.Equal(t, len("-15 15 -15 15 -15 15\n\f")+8*32*32*32, len(b))
}

func TestGoldenMask(t *testing.T) {
	p := golden(t, "inputs/mask.img")
	fr, err := ReadSMV(p)
	require.NoError(t, err)
	require.Equal(t, 128, fr.Width)
	require.Equal(t, 128, fr.Height)
	require.Equal(t, 512, fr.HeaderSize)
	ps, ok := fr.ValueOf("PIXEL_SIZE")
	require.True(t, ok)
	require.Equal(t, 0.2, ps)
	zeros := 0
	for _, v := range fr.Data {
		if v == 0 {
			zeros++
		}
	}
	require.Greater(t, zeros, 0)
	require.Less(t, zeros, len(fr.Data))
}

func TestGoldenG11Header(t *testing.T) {
	p := golden(t, "g11_water_roi_noise_int/int.img")
	raw, err := os.ReadFile(p)
	require.NoError(t, err)
	fr, err := ReadSMV(p)
	require.NoError(t, err)
	require.Equal(t, 128, fr.Width)
	require.Equal(t, 128, fr.Height)
	h := &SMVHeader{
		FPixels: 128, SPixels: 128,
		PixelSizeMM: 0.4, DistanceMM: 100, WavelengthA: 1,
		BeamCenterXMM: 25.8, BeamCenterYMM: 25.8,
		ADXVCenterXMM: 26, ADXVCenterYMM: 25.2,
		MOSFLMCenterXMM: 25.8, MOSFLMCenterYMM: 25.8,
		DenzoXBeamMM: 26, DenzoYBeamMM: 26,
		DialsOrigin: [3]float64{-26, 26, -100},
		XDSOrgX:     65.5, XDSOrgY: 65.5, CloseDistanceMM: 100,
	}
	if !nativeLittle {
		t.Skip("golden files are little-endian")
	}
	require.Equal(t, string(raw[:512]), string(FormatSMVHeader(h)))
	require.Equal(t, raw, EncodeSMV(h, fr.Data))

	noise := golden(t, "g11_water_roi_noise_int/noise.img")
	nraw, err := os.ReadFile(noise)
	require.NoError(t, err)
	require.Equal(t, string(nraw[:512]), string(FormatSMVHeader(h)))
}

func TestGoldenPGMHeader(t *testing.T) {
	p := golden(t, "g11_water_roi_noise_int/image.pgm")
	raw, err := os.ReadFile(p)
	require.NoError(t, err)
	hdr := "P5\n128 128\n# pixels scaled by 0.02\n255\n"
	require.Equal(t, hdr, string(raw[:len(hdr)]))
	require.Equal(t, raw, EncodePGM(128, 128, 0.02, raw[len(hdr):]))
}

func TestDirectoryOpensLikeFopen(t *testing.T) {
	// fopen(dir, "r") succeeds; reads then fail, which looks like an empty file.
	dir := t.TempDir()
	var log bytes.Buffer
	_, err := ReadHKL(dir, 0, &log)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	require.Contains(t, log.String(), "ERROR: not enough HKL indices in "+dir+"\n")
	_, rows, err := ReadMatrix(dir)
	require.NoError(t, err)
	require.Equal(t, 0, rows)
	_, lines, err := ReadColumns(dir, 2)
	require.NoError(t, err)
	require.Equal(t, 0, lines)
}

// TestFastDecimal: the plain-decimal fast path agrees with the general
// strtod emulation bit for bit, and declines what it does not handle.
func TestFastDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	cases := []string{"0", "-0", "+0", "5.", ".5", "-.5", "123456789012345", "1234567890123456", "0.000000000000001",
		"99999999999999.9", "1e5", ".", "-", "", "1.2.3", "12a", "0x10", "nan", "3.14159265358979"}
	for range 20000 {
		n := 1 + rng.IntN(15)
		b := []byte{}
		if rng.IntN(3) == 0 {
			b = append(b, "-+"[rng.IntN(2)])
		}
		dot := rng.IntN(n + 2)
		for j := 0; j < n; j++ {
			if j == dot {
				b = append(b, '.')
			}
			b = append(b, byte('0'+rng.IntN(10)))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		got, ok := fastDecimal(s)
		if !ok {
			continue
		}
		want, n := cnum.Strtod(s)
		if n != len(s) || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("fastDecimal(%q) = %v, strtod %v (%d of %d characters)", s, got, want, n, len(s))
		}
	}
	for _, s := range []string{"1234567890123456", "1e5", ".", "-", "", "1.2.3", "0x10", "nan"} {
		if _, ok := fastDecimal(s); ok {
			t.Fatalf("fastDecimal(%q) accepted", s)
		}
	}
}

// TestScannerFastPath: %lg and %d reads over random streams of numbers,
// partial numbers and junk give the same values, successes and positions
// with and without the plain-decimal fast path.
func TestScannerFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	pieces := []string{"0", "7", "-3", "+2", "12.5", ".5", "5.", "-0", "1e3", "1.5e", "1.5e 2", "0x1p3", "0x", "-x", "nan",
		"inf", "12a", "3.4.5", "123456789012345678", "-.", ".", "\t", "\n", "  ", "\r\n", "9.99999999999999", "e5"}
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(3) > 0 {
				b.WriteByte(" \t\n"[rng.IntN(3)])
			}
		}
		text := b.String()
		read := func(fast bool) []string {
			lgFast = fast
			defer func() { lgFast = true }()
			sc := &scanner{s: text}
			var out []string
			for range 40 {
				if rng.IntN(2) == 0 {
					v, ok := sc.lg()
					out = append(out, fmt.Sprintf("lg %x %v %d", math.Float64bits(v), ok, sc.pos))
				} else {
					v, ok := sc.d()
					out = append(out, fmt.Sprintf("d %d %v %d", v, ok, sc.pos))
				}
			}
			return out
		}
		seed := rng.Uint64()
		rng = rand.New(rand.NewPCG(seed, 1))
		slow := read(false)
		rng = rand.New(rand.NewPCG(seed, 1))
		fast := read(true)
		require.Equal(t, slow, fast, "%q", text)
	}
}

// TestReadHKLOnePass: reading with the plain-decimal path (one pass over
// plain files) gives the same grid, log and error as the two general
// passes, on plain files and on files with the original's quirks.
func TestReadHKLOnePass(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	dir := t.TempDir()
	junk := []string{"1.0", "2e0", "nan", "x", "0x3", "-", "3000000000", "7.", "1.5e 2", "-0", "+3", "1234567890123456", "12345678901234.5", "\r\n", "2147483647", "-2147483648"}
	for i := range 400 {
		var b strings.Builder
		for range 1 + rng.IntN(40) {
			fmt.Fprintf(&b, "%d %d %d %.3f\n", rng.IntN(9)-4, rng.IntN(9)-4, rng.IntN(9)-4, rng.Float64()*100)
			if i%2 == 1 && rng.IntN(15) == 0 {
				b.WriteString(junk[rng.IntN(len(junk))] + " ")
			}
		}
		if rng.IntN(4) == 0 {
			b.WriteString("1 2") // a partial last record
		}
		path := filepath.Join(dir, "t.hkl")
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
		read := func(fast bool) (*HKLGrid, string, string) {
			lgFast = fast
			defer func() { lgFast = true }()
			var log bytes.Buffer
			g, err := ReadHKL(path, 0, &log)
			return g, log.String(), fmt.Sprint(err)
		}
		g1, log1, err1 := read(true)
		g2, log2, err2 := read(false)
		require.Equal(t, err2, err1, b.String())
		require.Equal(t, log2, log1, b.String())
		require.Equal(t, g2, g1, b.String())
	}
}
