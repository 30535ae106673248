package core

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// warnHKLLayout reports, on errlog, HKL files the original reads but
// misreads: lines that do not hold exactly four numbers (it reads a stream
// of h k l F groups, so every later record shifts) and indices written with
// a decimal point (they stop its second pass). The file is still read as the
// original reads it.
func warnHKLLayout(path string, errlog io.Writer) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 4 {
			fmt.Fprintf(errlog, "gobragg: warning: %s line %d has %d columns, not h k l F: the file is read as a stream of four numbers, as the original reads it\n", path, line, len(fields))
			return
		}
		for _, idx := range fields[:3] {
			if strings.ContainsAny(idx, ".eE") {
				fmt.Fprintf(errlog, "gobragg: warning: %s line %d writes an index as %q: the original stops reading F values there\n", path, line, idx)
				return
			}
		}
	}
}
