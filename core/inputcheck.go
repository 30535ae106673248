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
		fields, realIndex := lineLayout(text)
		if fields == 0 {
			continue
		}
		if fields != 4 {
			fmt.Fprintf(errlog, "gobragg: warning: %s line %d has %d columns, not h k l F: the file is read as a stream of four numbers, as the original reads it\n", path, line, fields)
			return
		}
		if realIndex != nil {
			fmt.Fprintf(errlog, "gobragg: warning: %s line %d writes an index as %q: the original stops reading F values there\n", path, line, realIndex)
			return
		}
	}
}

// lineLayout counts the white-space separated fields of a line (as
// strings.Fields splits) and returns the first of its first three fields
// holding '.', 'e' or 'E' (an index written as a real), or nil.
func lineLayout(text []byte) (fields int, realIndex []byte) {
	for _, c := range text {
		if c >= 0x80 { // Unicode white space: the general split
			f := bytes.Fields(text)
			for _, idx := range f[:min(3, len(f))] {
				if bytes.ContainsAny(idx, ".eE") {
					return len(f), idx
				}
			}
			return len(f), nil
		}
	}
	for i := 0; i < len(text); {
		for i < len(text) && asciiSpace(text[i]) {
			i++
		}
		if i == len(text) {
			break
		}
		start, mark := i, false
		for ; i < len(text) && !asciiSpace(text[i]); i++ {
			if c := text[i]; c == '.' || c == 'e' || c == 'E' {
				mark = true
			}
		}
		if mark && fields < 3 && realIndex == nil {
			realIndex = text[start:i]
		}
		fields++
	}
	return fields, realIndex
}

// asciiSpace is the ASCII white space strings.Fields splits on.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
