package core

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// warnHKLLayout reports, on errlog, HKL files the original reads but
// misreads: lines that do not hold exactly four numbers (it reads a stream
// of h k l F groups, so every later record shifts) and indices written with
// a decimal point (they stop its second pass). The file is still read as the
// original reads it.
func warnHKLLayout(path string, errlog io.Writer) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	line := 0
	for len(data) > 0 {
		line++
		text := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			text, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(text) > 1<<20 {
			return // past the line length the check reads
		}
		fields := layoutFields(text)
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 4 {
			fmt.Fprintf(errlog, "gobragg: warning: %s line %d has %d columns, not h k l F: the file is read as a stream of four numbers, as the original reads it\n", path, line, len(fields))
			return
		}
		for _, idx := range fields[:3] {
			if hasRealMark(idx) {
				fmt.Fprintf(errlog, "gobragg: warning: %s line %d writes an index as %q: the original stops reading F values there\n", path, line, idx)
				return
			}
		}
	}
}

// hasRealMark reports whether an index field holds '.', 'e' or 'E'.
func hasRealMark(f []byte) bool {
	for _, c := range f {
		if c == '.' || c == 'e' || c == 'E' {
			return true
		}
	}
	return false
}

// layoutFields splits a line into white-space separated fields as
// strings.Fields does, without allocating for plain ASCII lines of up to
// five fields (the common case; more fields only need their count).
func layoutFields(text []byte) [][]byte {
	for _, c := range text {
		if c >= 0x80 {
			return bytes.Fields(text) // Unicode white space
		}
	}
	var buf [5][]byte
	fields := buf[:0]
	n := 0
	for i := 0; i < len(text); {
		for i < len(text) && asciiSpace(text[i]) {
			i++
		}
		if i == len(text) {
			break
		}
		j := i
		for j < len(text) && !asciiSpace(text[j]) {
			j++
		}
		if n < len(buf) {
			fields = append(fields, text[i:j])
		}
		n++
		i = j
	}
	if n > len(buf) {
		return make([][]byte, n) // only the count is used
	}
	return fields
}

// asciiSpace is the ASCII white space strings.Fields splits on.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
