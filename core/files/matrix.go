package files

// ReadMatrix reads a MOSFLM orientation matrix the way the original does
// (io.md §4): three fscanf("%lg%lg%lg") calls take the first nine numbers of
// the file, line structure ignored, anything after them ignored. m holds the
// numbers in file order (three rows x, y, z; the columns are a*, b*, c*).
//
// Within a row, conversion stops at the first token that is not a number:
// values converted before it are kept (scanf stores each conversion as it
// goes) and the rest of the row stays 0. The next row continues from where
// scanf stopped, which usually fails again at the same place, but not always
// (glibc consumes e.g. a lone "." or "0x" before failing, so "1 2 . 4 5 6 7 8
// 9" gives rows {1,2,0}, {4,5,6}, {7,8,9}). rows is the number of rows read
// completely; the original prints "fscanf: ..." on stderr once for each of
// the other 3-rows. err is only for a file that cannot be read (the
// original then silently keeps zero vectors).
func ReadMatrix(path string) (m [9]float64, rows int, err error) {
	data, err := readFile(path)
	if err != nil {
		return m, 0, err
	}
	sc := &scanner{s: string(data)}
	for r := range 3 {
		ok := true
		for c := range 3 {
			var v float64
			if v, ok = sc.lg(); !ok {
				break
			}
			m[3*r+c] = v
		}
		if ok {
			rows++
		}
	}
	return m, rows, nil
}
