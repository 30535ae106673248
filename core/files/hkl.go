package files

import (
	"io"
	"math"

	"github.com/gobragg/gobragg/core/cnum"
)

// MaxGridEntries bounds the size of a structure-factor grid (HKL text or
// Fdump). The original would try to allocate whatever the indices ask for;
// this replacement refuses grids larger than this many doubles.
const MaxGridEntries = 1 << 28

// gridLimit is the bound in force (tests lower it).
var gridLimit float64 = MaxGridEntries

// HKLGrid is the structure-factor table. F has
// (HRange+1)*(KRange+1)*(LRange+1) entries (one padding slot per dimension,
// as in the original), index ((h-HMin)*(KRange+1)+(k-KMin))*(LRange+1)+(l-LMin).
type HKLGrid struct {
	HMin, HMax, KMin, KMax, LMin, LMax int
	HRange, KRange, LRange             int // max-min+1
	F                                  []float64
	// Count is "hkls": the records accepted from the text file, or
	// HRange*KRange*LRange for a grid read from a dump.
	Count int
	// EmptyRows (ReadFdump only) is the number of l-rows for which the dump
	// held no data at all; the original prints one "fscanf: ..." line on
	// stderr for each of them.
	EmptyRows int
}

// At returns F(h,k,l) with no bounds check beyond the slice's own.
func (g *HKLGrid) At(h, k, l int) float64 {
	return g.F[g.index(h, k, l)]
}

func (g *HKLGrid) index(h, k, l int) int {
	return ((h-g.HMin)*(g.KRange+1)+(k-g.KMin))*(g.LRange+1) + (l - g.LMin)
}

// newGrid allocates the zeroed grid for the given bounds, or reports why it
// cannot.
func newGrid(hmin, hmax, kmin, kmax, lmin, lmax int) (*HKLGrid, string) {
	hr := int64(hmax) - int64(hmin) + 1
	kr := int64(kmax) - int64(kmin) + 1
	lr := int64(lmax) - int64(lmin) + 1
	if hr < 0 || kr < 0 || lr < 0 {
		return nil, "negative index range"
	}
	if hr > math.MaxInt32 || kr > math.MaxInt32 || lr > math.MaxInt32 {
		return nil, "index range too large"
	}
	n := float64(hr+1) * float64(kr+1) * float64(lr+1)
	if n > gridLimit {
		return nil, "index range too large"
	}
	g := &HKLGrid{
		HMin: hmin, HMax: hmax, KMin: kmin, KMax: kmax, LMin: lmin, LMax: lmax,
		HRange: int(hr), KRange: int(kr), LRange: int(lr),
		F: make([]float64, (hr+1)*(kr+1)*(lr+1)),
	}
	return g, ""
}

// ReadHKL reads an HKL structure-factor text file the way the original does
// (io.md §2): a counting pass with fscanf("%lg%lg%lg%lg") and a value pass
// with fscanf("%d%d%d%lg"), each stopping at the first record that does not
// convert completely. Console text goes to log exactly as the original
// prints it. Fatal conditions are returned as *ExitError.
func ReadHKL(path string, defaultF float64, log io.Writer) (*HKLGrid, error) {
	data, err := readFile(path)
	if err != nil {
		io.WriteString(log, "ERROR: unable to open "+path+".")
		return nil, &ExitError{Status: 9, Msg: "ERROR: unable to open " + path + "."}
	}
	text := string(data)

	io.WriteString(log, "counting entries in "+path+"\n")
	const big = 1e9
	hmin, hmax, kmin, kmax, lmin, lmax := int(big), int(-big), int(big), int(-big), int(big), int(-big)
	hkls := 0
	// count takes one record's h, k, l: int variables compared in double,
	// assigned with truncation, as the original's counting pass does.
	count := func(v *[4]float64) {
		if float64(hmin) > v[0] {
			hmin = cInt(v[0])
		}
		if float64(hmax) < v[0] {
			hmax = cInt(v[0])
		}
		if float64(kmin) > v[1] {
			kmin = cInt(v[1])
		}
		if float64(kmax) < v[1] {
			kmax = cInt(v[1])
		}
		if float64(lmin) > v[2] {
			lmin = cInt(v[2])
		}
		if float64(lmax) < v[2] {
			lmax = cInt(v[2])
		}
		hkls++
	}
	// A plain file (every number a plain decimal, the indices integers)
	// reads the same tokens in both passes: one scan gives the records.
	records, plain := scanPlainHKL(text)
	if plain {
		for i := range records {
			r := &records[i]
			count(&[4]float64{float64(r.h), float64(r.k), float64(r.l)})
		}
	} else {
		sc := &scanner{s: text}
		for {
			var v [4]float64
			ok := true
			for i := range v {
				if v[i], ok = sc.lg(); !ok {
					break
				}
			}
			if !ok {
				break
			}
			for i, name := range [3]string{"h", "k", "l"} {
				if v[i] != math.Ceil(v[i]-0.4) {
					io.WriteString(log, cnum.Sprintf("WARNING: non-integer value for %s (%g) at line %d\n", name, v[i], hkls))
				}
			}
			count(&v)
		}
	}

	// The ranges are C ints: compute them with 32-bit wrap-around.
	rng := func(lo, hi int) int32 { return int32(hi) - int32(lo) + 1 }
	if rng(hmin, hmax) < 0 || rng(kmin, kmax) < 0 || rng(lmin, lmax) < 0 {
		io.WriteString(log, cnum.Sprintf("h: %d - %d\n", hmin, hmax))
		io.WriteString(log, cnum.Sprintf("k: %d - %d\n", kmin, kmax))
		io.WriteString(log, cnum.Sprintf("l: %d - %d\n", lmin, lmax))
		io.WriteString(log, "ERROR: not enough HKL indices in "+path+"\n")
		return nil, &ExitError{Status: 9, Msg: path + ": no h k l F records"}
	}
	g, why := newGrid(hmin, hmax, kmin, kmax, lmin, lmax)
	if g == nil {
		return nil, exitErr("%s: %s (h %d..%d, k %d..%d, l %d..%d)", path, why, hmin, hmax, kmin, kmax, lmin, lmax)
	}
	g.Count = hkls

	if defaultF != 0 {
		io.WriteString(log, cnum.Sprintf("initializing to default_F = %g:\n", defaultF))
		for h := 0; h < g.HRange; h++ {
			for k := 0; k < g.KRange; k++ {
				row := (h*(g.KRange+1) + k) * (g.LRange + 1)
				for l := 0; l < g.LRange; l++ {
					g.F[row+l] = defaultF
				}
			}
		}
		io.WriteString(log, "done initializing:\n")
	}

	io.WriteString(log, "re-reading "+path+"\n")
	store := func(h, k, l int, f float64) error {
		// The C array has one spare slot per dimension, so max+1 is still
		// inside it; anything else would be written out of bounds.
		if h < g.HMin || h > g.HMax+1 || k < g.KMin || k > g.KMax+1 || l < g.LMin || l > g.LMax+1 {
			return exitErr("%s: reflection %d %d %d outside the index range found by the counting pass (h %d..%d, k %d..%d, l %d..%d)",
				path, h, k, l, g.HMin, g.HMax, g.KMin, g.KMax, g.LMin, g.LMax)
		}
		g.F[g.index(h, k, l)] = f
		return nil
	}
	if plain {
		for _, r := range records {
			if err := store(r.h, r.k, r.l, r.f); err != nil {
				return nil, err
			}
		}
		return g, nil
	}
	sc := &scanner{s: text}
	for {
		h, ok1 := sc.d()
		if !ok1 {
			break
		}
		k, ok2 := sc.d()
		if !ok2 {
			break
		}
		l, ok3 := sc.d()
		if !ok3 {
			break
		}
		f, ok4 := sc.lg()
		if !ok4 {
			break
		}
		if err := store(h, k, l, f); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// hklRecord is one h k l F record of a plain HKL file.
type hklRecord struct {
	h, k, l int
	f       float64
}

// scanPlainHKL reads text as a stream of h k l F records when every
// number in it is a plain decimal ([sign]digits[.digits], at most 15
// digits, ended by white space or the end of the file) and every index an
// integer below 2^31 in magnitude: the numbers fscanf's %lg and %d both
// read whole, converted exactly as they convert them (plainNumber), so
// the original's two passes would read exactly these records (a partial
// last record is dropped by both). Otherwise it reports false.
func scanPlainHKL(text string) ([]hklRecord, bool) {
	if !lgFast {
		return nil, false
	}
	records := make([]hklRecord, 0, len(text)/8) // a record takes at least 8 bytes
	var rec [4]float64
	field := 0
	n := len(text)
	for i := 0; ; {
		for i < n && isSpace(text[i]) {
			i++
		}
		if i == n {
			return records, true
		}
		v, end, dot, ok := plainNumber(text, i)
		if !ok || (end < n && !isSpace(text[end])) || (field < 3 && (dot || math.Abs(v) >= 1<<31)) {
			return nil, false
		}
		i = end
		rec[field] = v
		if field++; field == 4 {
			records = append(records, hklRecord{int(rec[0]), int(rec[1]), int(rec[2]), rec[3]})
			field = 0
		}
	}
}
