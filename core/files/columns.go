package files

import (
	"bytes"
	"math"
	"strings"

	"github.com/gobragg/gobragg/core/cnum"
)

// fgetsSize is the buffer size of the original's line reader: a line longer
// than fgetsSize-1 bytes is processed as several lines.
const fgetsSize = 10240

// columnDelims are the field separators of read_text_file.
const columnDelims = " \t,;:!"

// numberChars are the characters skipped after each value.
const numberChars = "0123456789-+.EGeg"

// fgetsLines splits data the way repeated fgets(buf, fgetsSize, f) calls do
// and returns each chunk as the C string the program then sees (cut at the
// first NUL byte).
func fgetsLines(data []byte) []string {
	var out []string
	for len(data) > 0 {
		n := len(data)
		if n > fgetsSize-1 {
			n = fgetsSize - 1
		}
		if i := bytes.IndexByte(data[:n], '\n'); i >= 0 {
			n = i + 1
		}
		chunk := data[:n]
		if i := bytes.IndexByte(chunk, 0); i >= 0 {
			chunk = chunk[:i]
		}
		out = append(out, string(chunk))
		data = data[n:]
	}
	return out
}

// strspn / strcspn over a Go string.
func strspn(s, set string) int {
	i := 0
	for i < len(s) && strings.IndexByte(set, s[i]) >= 0 {
		i++
	}
	return i
}

func strcspn(s, set string) int {
	i := 0
	for i < len(s) && strings.IndexByte(set, s[i]) < 0 {
		i++
	}
	return i
}

// ReadColumns is the original's generic column reader read_text_file
// (io.md §5): fgets-sized lines, delimiters " \t,;:!", blank lines skipped,
// NaN for columns missing at the end of a line that ends right after a
// number, and 0 for every remaining column when the line does not (CRLF, no
// final newline, trailing text). It returns nargs columns of length lines,
// lines being the number of counted lines. err is only for a file that
// cannot be opened (the original prints perror("fopen()") and returns 0).
func ReadColumns(path string, nargs int) (cols [][]float64, lines int, err error) {
	data, err := readFile(path)
	if err != nil {
		return nil, 0, err
	}
	chunks := fgetsLines(data)

	// Pass 1: count the non-blank lines.
	var counted []string
	for _, c := range chunks {
		rest := c[strspn(c, columnDelims):]
		if rest == "\n" {
			continue
		}
		counted = append(counted, rest)
	}
	lines = len(counted)

	cols = make([][]float64, nargs)
	for i := range cols {
		cols[i] = make([]float64, lines)
		for j := range cols[i] {
			cols[i][j] = math.NaN()
		}
	}

	// Pass 2: the values.
	for k, tok := range counted {
		for i := 0; i < nargs; i++ {
			cols[i][k] = atofBounded(tok)
			tok = tok[strspn(tok, numberChars):]
			if tok == "\n" {
				break
			}
			tok = tok[strcspn(tok, columnDelims):]
			tok = tok[strspn(tok, columnDelims):]
			if tok == "\n" {
				break
			}
		}
	}
	return cols, lines, nil
}

// atofBounded is cnum.Atof on the text up to the first delimiter or
// newline after the leading white space (a number never extends past one),
// which keeps long lines linear.
func atofBounded(s string) float64 {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isSpace(s[j]) && strings.IndexByte(columnDelims, s[j]) < 0 {
		j++
	}
	return cnum.Atof(s[i:j])
}
