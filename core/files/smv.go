package files

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/gobragg/gobragg/core/cnum"
)

// smvMagic is the prefix an SMV input file must start with (only the first
// 12 bytes of the expected header are compared).
const smvMagic = "{\nHEADER_BYT"

// maxSMVBytes bounds the pixel buffer a header may ask for.
const maxSMVBytes = 1 << 34

// SMVFrame is an SMV file read with ReadSMV (io.md §8.1).
type SMVFrame struct {
	Header        string // header text up to its first NUL byte
	HeaderSize    int    // (int)HEADER_BYTES
	Width, Height int    // SIZE1, SIZE2 (or DETECTOR_DIMENSIONS)
	Data          []uint16
}

// NotADSCError reports a file that fails the 12-byte prefix test. The
// original prints Error() on stdout and ignores the file.
type NotADSCError struct{ Path string }

func (e *NotADSCError) Error() string {
	return "ERROR: " + e.Path + " does not look like an ADSC frame!"
}

// ValueOf returns the value of a header key the way the original's ValueOf
// does (io.md §8.2): the last occurrence of key as a plain substring, then
// atof of the text after the first '=' that follows it (0 when there is no
// '='). An absent key gives NaN and false.
func (f *SMVFrame) ValueOf(key string) (float64, bool) {
	return headerValue(f.Header, key)
}

func headerValue(header, key string) (float64, bool) {
	i := strings.LastIndex(header, key)
	if i < 0 {
		return math.NaN(), false
	}
	rest := header[i:]
	eq := strings.IndexByte(rest, '=')
	if eq < 0 {
		return 0, true
	}
	return cnum.Atof(rest[eq+1:]), true
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// ReadSMV reads an SMV file as the original's GetFrame does (io.md §8.1).
// Errors: os errors for a file that cannot be opened (the original prints
// perror(<file>) and ignores it); *NotADSCError for a file failing the
// prefix test (also ignored); *ExitError for a file shorter than 512 bytes
// ("SMV file header") or a data read returning nothing ("SMV file fread").
// Headers the original cannot handle in a defined way (HEADER_BYTES or the
// size keys absent or nonsensical) are plain errors.
// The pixel data are taken in host byte order (BYTE_ORDER is not applied).
func ReadSMV(path string) (*SMVFrame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	first := make([]byte, 512)
	if _, err := io.ReadFull(f, first); err != nil {
		return nil, &ExitError{Status: 9, Msg: "SMV file header: " + errText(err)}
	}
	if string(first[:len(smvMagic)]) != smvMagic {
		return nil, &NotADSCError{Path: path}
	}
	header := cString(first)
	hb, ok := headerValue(header, "HEADER_BYTES")
	if !ok {
		return nil, errors.New(path + ": SMV header has no HEADER_BYTES")
	}
	hsize := cInt(hb)
	if hsize <= 0 || hsize > maxSMVBytes {
		return nil, errors.New(path + ": SMV header has an impossible HEADER_BYTES")
	}
	if hsize != 512 {
		buf := make([]byte, hsize)
		n, err := f.ReadAt(buf, 0)
		if n == 0 && err != nil {
			return nil, errors.New(path + ": cannot re-read SMV header: " + errText(err))
		}
		header = cString(buf[:n])
	}

	size := func(key string) (int, error) {
		v, ok := headerValue(header, key)
		if !ok {
			return 0, errors.New(path + ": SMV header has no " + key)
		}
		n := cInt(v)
		if n < 0 {
			return 0, errors.New(path + ": SMV header has a negative " + key)
		}
		return n, nil
	}
	w, err := size("SIZE1")
	if err != nil {
		return nil, err
	}
	h, err := size("SIZE2")
	if err != nil {
		return nil, err
	}
	if w == 0 {
		if w, err = size("DETECTOR_DIMENSIONS"); err != nil {
			return nil, err
		}
		h = w
	}
	total := 2*int64(w)*int64(h) + int64(hsize)
	if total > maxSMVBytes {
		return nil, errors.New(path + ": SMV image too large")
	}
	buf := make([]byte, total)
	n, rerr := f.ReadAt(buf, 0)
	if n == 0 {
		if rerr == nil {
			rerr = io.EOF
		}
		return nil, &ExitError{Status: 9, Msg: "SMV file fread: " + errText(rerr)}
	}
	if int64(n) < total {
		// The original zero-fills what is missing; a header that promises
		// more than the file holds is refused instead (no silent zeros).
		return nil, fmt.Errorf("%s: file holds %d bytes but its header (HEADER_BYTES=%d, %dx%d pixels) needs %d", path, n, hsize, w, h, total)
	}
	fr := &SMVFrame{Header: header, HeaderSize: hsize, Width: w, Height: h, Data: make([]uint16, w*h)}
	off := 2 * (hsize / 2)
	for i := range fr.Data {
		fr.Data[i] = binary.NativeEndian.Uint16(buf[off+2*i:])
	}
	return fr, nil
}

func errText(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of file"
	}
	return err.Error()
}

// SMVHeader holds the values printed in an SMV output header (io.md §10.1),
// already converted to the header's units by the caller.
type SMVHeader struct {
	FPixels, SPixels                                                    int
	PixelSizeMM, DistanceMM, WavelengthA, BeamCenterXMM, BeamCenterYMM  float64
	ADXVCenterXMM, ADXVCenterYMM, MOSFLMCenterXMM, MOSFLMCenterYMM      float64
	DenzoXBeamMM, DenzoYBeamMM                                          float64
	DialsOrigin                                                         [3]float64
	XDSOrgX, XDSOrgY, CloseDistanceMM, PhiDeg, OscStartDeg, OscRangeDeg float64
	TwoThetaDeg                                                         float64
}

// FormatSMVHeader returns the SMV header text exactly as the original writes
// it: the key lines, "}\f", then spaces up to byte 512. A header whose text
// is already longer than 512 bytes is not padded (and not truncated).
func FormatSMVHeader(h *SMVHeader) []byte {
	var b strings.Builder
	p := func(format string, args ...any) { b.WriteString(cnum.Sprintf(format, args...)) }
	p("{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=%s;\nTYPE=unsigned_short;\n", ByteOrderName())
	p("SIZE1=%d;\nSIZE2=%d;\n", h.FPixels, h.SPixels)
	p("PIXEL_SIZE=%g;\n", h.PixelSizeMM)
	p("DISTANCE=%g;\n", h.DistanceMM)
	p("WAVELENGTH=%g;\n", h.WavelengthA)
	p("BEAM_CENTER_X=%g;\nBEAM_CENTER_Y=%g;\n", h.BeamCenterXMM, h.BeamCenterYMM)
	p("ADXV_CENTER_X=%g;\nADXV_CENTER_Y=%g;\n", h.ADXVCenterXMM, h.ADXVCenterYMM)
	p("MOSFLM_CENTER_X=%g;\nMOSFLM_CENTER_Y=%g;\n", h.MOSFLMCenterXMM, h.MOSFLMCenterYMM)
	p("DENZO_X_BEAM=%g;\nDENZO_Y_BEAM=%g;\n", h.DenzoXBeamMM, h.DenzoYBeamMM)
	p("DIALS_ORIGIN=%g,%g,%g\n", h.DialsOrigin[0], h.DialsOrigin[1], h.DialsOrigin[2])
	p("XDS_ORGX=%g;\nXDS_ORGY=%g;\n", h.XDSOrgX, h.XDSOrgY)
	p("CLOSE_DISTANCE=%g;\n", h.CloseDistanceMM)
	p("PHI=%g;\nOSC_START=%g;\nOSC_RANGE=%g;\n", h.PhiDeg, h.OscStartDeg, h.OscRangeDeg)
	p("TWOTHETA=%g;\n", h.TwoThetaDeg)
	b.WriteString("DETECTOR_SN=000;\nBEAMLINE=fake;\n}\f")
	for b.Len() < 512 {
		b.WriteByte(' ')
	}
	return []byte(b.String())
}

// EncodeSMV returns a complete SMV file: FormatSMVHeader followed by the
// pixels as native-order uint16.
func EncodeSMV(h *SMVHeader, data []uint16) []byte {
	hdr := FormatSMVHeader(h)
	out := make([]byte, len(hdr), len(hdr)+2*len(data))
	copy(out, hdr)
	for _, v := range data {
		out = binary.NativeEndian.AppendUint16(out, v)
	}
	return out
}

// EncodePGM returns a binary PGM file as the original writes it:
// "P5\n<f> <s>\n# pixels scaled by <scale %lg>\n255\n" followed by data.
func EncodePGM(fpixels, spixels int, scale float64, data []byte) []byte {
	hdr := cnum.Sprintf("P5\n%d %d\n# pixels scaled by %lg\n255\n", fpixels, spixels, scale)
	out := make([]byte, 0, len(hdr)+len(data))
	out = append(out, hdr...)
	return append(out, data...)
}

// EncodeFloat returns the raw float image: native-order float32, no header.
func EncodeFloat(pixels []float32) []byte {
	out := make([]byte, 0, 4*len(pixels))
	for _, v := range pixels {
		out = binary.NativeEndian.AppendUint32(out, math.Float32bits(v))
	}
	return out
}

// WriteSMVTo writes header and data (host byte order) to w.
func WriteSMVTo(w io.Writer, h *SMVHeader, data []uint16) error {
	if _, err := w.Write(FormatSMVHeader(h)); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<15)
	for len(data) > 0 {
		n := min(len(data), cap(buf)/2)
		buf = buf[:2*n]
		for i, v := range data[:n] {
			binary.NativeEndian.PutUint16(buf[2*i:], v)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// WriteFloatTo writes raw float32 pixels (host byte order) to w.
func WriteFloatTo(w io.Writer, pixels []float32) error {
	buf := make([]byte, 0, 1<<15)
	for len(pixels) > 0 {
		n := min(len(pixels), cap(buf)/4)
		buf = buf[:4*n]
		for i, v := range pixels[:n] {
			binary.NativeEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		pixels = pixels[n:]
	}
	return nil
}

// WritePGMTo writes the PGM header and bytes to w.
func WritePGMTo(w io.Writer, fpixels, spixels int, scale float64, data []byte) error {
	if _, err := w.Write(EncodePGM(fpixels, spixels, scale, nil)); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}
