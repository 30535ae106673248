// Package files reads and writes every file format of nanoBragg byte for byte
// (see the io.md specification): the HKL structure-factor text, the binary
// Fdump cache, the MOSFLM orientation matrix, the generic column reader,
// SMV headers used as input, and the float, SMV and PGM image outputs.
//
// All C-compatible number conversions go through package cnum.
package files

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/gobragg/gobragg/core/cnum"
)

// ExitError is a fatal condition for which the original program exits with
// Status (always 9). Anything the original prints on stdout has already been
// written to the log writer by the function that returns it; Msg is a
// one-line description suitable for stderr.
type ExitError struct {
	Status int
	Msg    string
}

func (e *ExitError) Error() string { return e.Msg }

func exitErr(format string, args ...any) *ExitError {
	return &ExitError{Status: 9, Msg: cnum.Sprintf(format, args...)}
}

// nativeLittle reports whether the host stores integers little-endian.
var nativeLittle = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// ByteOrderName is the value of the SMV BYTE_ORDER key for this host
// (get_byte_order() of the original).
func ByteOrderName() string {
	if nativeLittle {
		return "little_endian"
	}
	return "big_endian"
}

// cInt converts a double to int the way x86-64 cvttsd2si does for a 32-bit
// destination: truncation toward zero, and INT_MIN for NaN and values that do
// not fit.
func cInt(x float64) int {
	if math.IsNaN(x) || x >= 2147483648.0 || x <= -2147483649.0 {
		return math.MinInt32
	}
	return int(x)
}

// isSpace is C isspace in the "C" locale.
func isSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// scanner emulates glibc fscanf over an in-memory file for the two
// conversions the original uses: %lg and %d. As in glibc, a conversion
// first collects the longest run of characters that could belong to a
// number (keeping the characters it consumed even when the conversion then
// fails, with a single character of push-back) and converts that text with
// strtod / strtol. This differs from a plain strtod prefix: "1.5e 2" reads
// 1.5 and 2 (the dangling "e" is consumed), "0x 5" fails after consuming
// "0x", "-x" fails after consuming "-".
type scanner struct {
	s   string
	pos int
}

func (sc *scanner) skipSpace() {
	for sc.pos < len(sc.s) && isSpace(sc.s[sc.pos]) {
		sc.pos++
	}
}

// peek returns the current byte, or -1 at end of file.
func (sc *scanner) peek() int {
	if sc.pos < len(sc.s) {
		return int(sc.s[sc.pos])
	}
	return -1
}

func lower(c int) int {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func isDigitC(c int) bool { return c >= '0' && c <= '9' }
func isXDigitC(c int) bool {
	return isDigitC(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// lg emulates one %lg conversion.
func (sc *scanner) lg() (float64, bool) {
	sc.skipSpace()
	// the common plain decimal, ended by white space or the end of the
	// file: the text the general scan below would collect and convert
	if v, end, _, ok := plainNumber(sc.s, sc.pos); ok && lgFast && (end == len(sc.s) || isSpace(sc.s[end])) {
		sc.pos = end
		return v, true
	}
	start := sc.pos
	if sc.pos >= len(sc.s) {
		return 0, false
	}
	gotSign := 0
	if c := sc.peek(); c == '-' || c == '+' {
		gotSign = 1
		sc.pos++
		if sc.pos >= len(sc.s) {
			return 0, false
		}
	}
	// match consumes the letters of word case-insensitively; a mismatching
	// character is consumed too (glibc reports the error without pushing it
	// back).
	match := func(word string) bool {
		for i := 0; i < len(word); i++ {
			c := sc.peek()
			if c < 0 {
				return false
			}
			sc.pos++
			if lower(c) != int(word[i]) {
				return false
			}
		}
		return true
	}
	switch lower(sc.peek()) {
	case 'n':
		if !match("nan") {
			return 0, false
		}
		return sc.convert(start)
	case 'i':
		if !match("inf") {
			return 0, false
		}
		if lower(sc.peek()) == 'i' {
			if !match("inity") {
				return 0, false
			}
		}
		return sc.convert(start)
	}
	hex := false
	gotDigit, gotDot, gotE := false, false, false
	exp := 'e'
	if sc.peek() == '0' {
		sc.pos++
		if lower(sc.peek()) == 'x' {
			sc.pos++
			hex = true
			exp = 'p'
		} else {
			gotDigit = true
		}
	}
	for {
		c := sc.peek()
		if c < 0 {
			break
		}
		switch {
		case isDigitC(c):
			gotDigit = true
		case !gotE && hex && isXDigitC(c):
			gotDigit = true
		case gotE && lower(int(sc.s[sc.pos-1])) == int(exp) && (c == '-' || c == '+'):
		case gotDigit && !gotE && lower(c) == int(exp):
			gotE, gotDot = true, true
		case !gotDot && c == '.':
			gotDot = true
		default:
			c = -1
		}
		if c < 0 {
			break
		}
		sc.pos++
	}
	n := sc.pos - start
	if n == gotSign || (hex && n == 2+gotSign) {
		return 0, false
	}
	return sc.convert(start)
}

// convert applies strtod to the collected text s[start:pos].
func (sc *scanner) convert(start int) (float64, bool) {
	if v, ok := fastDecimal(sc.s[start:sc.pos]); ok {
		return v, true
	}
	v, n := cnum.Strtod(sc.s[start:sc.pos])
	if n == 0 {
		return 0, false
	}
	return v, true
}

// pow10 holds the powers of ten that are exact doubles.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// lgFast enables the plain-decimal paths of lg and scanPlainHKL (tests
// compare them with the general scan).
var lgFast = true

// plainNumber reads the plain decimal [sign]digits[.digits] (at most 15
// digits) at s[i:] and returns its value, the index after it and whether
// it has a point; ok is false for anything else (no digits, too many).
// The value is what strtod returns for that text: the digits form an
// integer m < 10^15 (exact in a double), and m / 10^f with 10^f exact is
// one correctly rounded division.
func plainNumber(s string, i int) (v float64, end int, dot bool, ok bool) {
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var m uint64
	digits, frac := 0, -1
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			m = m*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		} else if c == '.' && frac < 0 {
			frac = 0
		} else {
			break
		}
	}
	if digits == 0 || digits > 15 {
		return 0, i, false, false
	}
	v = float64(m)
	if frac > 0 {
		v /= pow10[frac]
	}
	if neg {
		v = -v
	}
	return v, i, frac >= 0, true
}

// fastDecimal converts s when all of it is a plain decimal (plainNumber),
// as strtod does; it reports false for anything else.
func fastDecimal(s string) (float64, bool) {
	v, end, _, ok := plainNumber(s, 0)
	return v, ok && end == len(s)
}

// d emulates one %d conversion (glibc converts with strtol and stores the
// long into an int).
func (sc *scanner) d() (int, bool) {
	sc.skipSpace()
	start := sc.pos
	if c := sc.peek(); c == '-' || c == '+' {
		sc.pos++
	}
	digits := sc.pos
	for sc.pos < len(sc.s) && isDigitC(int(sc.s[sc.pos])) {
		sc.pos++
	}
	if sc.pos == digits {
		return 0, false
	}
	v, _ := cnum.Strtol(sc.s[start:sc.pos])
	return int(int32(v)), true
}

// readFile returns the contents of path. Only a failure to open is an
// error: like fopen, opening a directory succeeds, and a read failure then
// just looks like an empty (or truncated) file to the C stdio readers.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, _ := io.ReadAll(f)
	return data, nil
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory that is renamed over path, so no partial file is ever left
// behind (the temporary file is removed on any error). A new file gets the
// permissions fopen would give it (0666 minus the umask); an existing
// regular file keeps its permissions.
func WriteFileAtomic(path string, data []byte) error {
	return WriteAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteAtomic is WriteFileAtomic for content produced by write (through a
// buffer), so large images need not be encoded in memory first.
func WriteAtomic(path string, write func(io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	var f *os.File
	var tmp string
	for range 100 {
		var rnd [6]byte
		if _, err := rand.Read(rnd[:]); err != nil {
			return err
		}
		tmp = filepath.Join(dir, "."+base+".tmp"+hex.EncodeToString(rnd[:]))
		var err error
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) {
			return &os.PathError{Op: "open", Path: path, Err: unwrapPathErr(err)}
		}
		f = nil
	}
	if f == nil {
		return &os.PathError{Op: "open", Path: path, Err: os.ErrExist}
	}
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		if err := f.Chmod(st.Mode().Perm()); err != nil {
			return fail(err)
		}
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
