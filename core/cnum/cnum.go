// Package cnum reproduces the C library's number conversions that the
// original nanoBragg relies on: atof/atoi/strtol prefix parsing and printf
// formatting (%g, %f, %d, ...) including C's spelling of non-finite values.
package cnum

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// isSpace reports C isspace for the "C" locale.
func isSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// Atof emulates C atof (strtod without error reporting): leading white space
// is skipped, the longest valid prefix is converted, no prefix gives 0.
// Accepts decimal and hexadecimal floating constants, inf/infinity, nan and nan(...).
func Atof(s string) float64 {
	v, _ := Strtod(s)
	return v
}

// Strtod is C strtod: it returns the value and the number of bytes consumed
// (0 when no conversion could be performed).
func Strtod(s string) (float64, int) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	rest := strings.ToLower(s[i:])
	sign := 1.0
	if neg {
		sign = -1
	}
	switch {
	case strings.HasPrefix(rest, "infinity"):
		return sign * math.Inf(1), i + 8
	case strings.HasPrefix(rest, "inf"):
		return sign * math.Inf(1), i + 3
	case strings.HasPrefix(rest, "nan"):
		n := i + 3
		if n < len(s) && s[n] == '(' {
			j := n + 1
			for j < len(s) && (isAlnum(s[j]) || s[j] == '_') {
				j++
			}
			if j < len(s) && s[j] == ')' {
				n = j + 1
			}
		}
		nan := math.NaN()
		if neg {
			nan = math.Copysign(nan, -1)
		}
		return nan, n
	}
	if strings.HasPrefix(rest, "0x") {
		j := i + 2
		digits := 0
		for j < len(s) && isHex(s[j]) {
			j++
			digits++
		}
		if j < len(s) && s[j] == '.' {
			j++
			for j < len(s) && isHex(s[j]) {
				j++
				digits++
			}
		}
		if digits > 0 {
			end := j
			if j < len(s) && (s[j] == 'p' || s[j] == 'P') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && isDigit(s[k]) {
					for k < len(s) && isDigit(s[k]) {
						k++
					}
					end = k
				}
			}
			txt := s[i:end]
			if !strings.ContainsAny(txt, "pP") {
				txt += "p0"
			}
			v, err := strconv.ParseFloat(txt, 64)
			if err != nil && !isRangeErr(err) {
				return 0, 0
			}
			return sign * v, end
		}
		// "0x" without hex digits: the "0" alone is the number.
		return sign * 0, i + 1
	}
	j := i
	digits := 0
	for j < len(s) && isDigit(s[j]) {
		j++
		digits++
	}
	if j < len(s) && s[j] == '.' {
		j++
		for j < len(s) && isDigit(s[j]) {
			j++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0
	}
	end := j
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			end = k
		}
	}
	v, err := strconv.ParseFloat(s[i:end], 64)
	if err != nil && !isRangeErr(err) {
		return 0, 0
	}
	_ = start
	return sign * v, end
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
func isAlnum(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// Strtol emulates C strtol(s, &end, 10) on a 64-bit long: it returns the
// value (clamped to the int64 range on overflow) and the bytes consumed.
func Strtol(s string) (int64, int) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	j := i
	var v uint64
	over := false
	for j < len(s) && isDigit(s[j]) {
		d := uint64(s[j] - '0')
		if v > (math.MaxUint64-d)/10 {
			over = true
		} else {
			v = v*10 + d
		}
		j++
	}
	if j == i {
		return 0, 0
	}
	if neg {
		if over || v > 1<<63 {
			return math.MinInt64, j
		}
		return -int64(v), j
	}
	if over || v > math.MaxInt64 {
		return math.MaxInt64, j
	}
	return int64(v), j
}

// Atoi emulates C atoi on x86-64 glibc: (int)strtol(s, NULL, 10), i.e. the
// long result truncated to 32 bits.
func Atoi(s string) int {
	v, _ := Strtol(s)
	return int(int32(v))
}

// G formats x like C printf("%g").
func G(x float64) string { return formatG(x, 6, 0, false) }

func nonFinite(x float64) (string, bool) {
	switch {
	case math.IsNaN(x):
		if math.Signbit(x) {
			return "-nan", true
		}
		return "nan", true
	case math.IsInf(x, 1):
		return "inf", true
	case math.IsInf(x, -1):
		return "-inf", true
	}
	return "", false
}

func formatG(x float64, prec, width int, left bool) string {
	if prec == 0 {
		prec = 1
	}
	var s string
	if t, ok := nonFinite(x); ok {
		s = t
	} else {
		s = strconv.FormatFloat(x, 'g', prec, 64)
		// Go and C agree on digits, exponent threshold and trailing-zero
		// removal; both print at least two exponent digits.
	}
	return pad(s, width, left)
}

func pad(s string, width int, left bool) string {
	if len(s) >= width {
		return s
	}
	if left {
		return s + strings.Repeat(" ", width-len(s))
	}
	return strings.Repeat(" ", width-len(s)) + s
}

// Sprintf formats like C printf for the conversions nanoBragg uses:
// %d %i %ld %lu %u %g %lg %f %lf %e %s %c %p %% with flags '-', '+', ' ', '0',
// width and precision. Non-finite floats print as inf, -inf, nan, -nan.
func Sprintf(format string, args ...any) string {
	var b strings.Builder
	ai := 0
	next := func() any {
		if ai < len(args) {
			a := args[ai]
			ai++
			return a
		}
		return nil
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(format) {
			b.WriteByte('%')
			break
		}
		if format[i] == '%' {
			b.WriteByte('%')
			continue
		}
		// flags
		flags := ""
		for i < len(format) && strings.IndexByte("-+ 0#", format[i]) >= 0 {
			flags += string(format[i])
			i++
		}
		width := -1
		ws := i
		for i < len(format) && isDigit(format[i]) {
			i++
		}
		if i > ws {
			width, _ = strconv.Atoi(format[ws:i])
		}
		prec := -1
		if i < len(format) && format[i] == '.' {
			i++
			ps := i
			for i < len(format) && isDigit(format[i]) {
				i++
			}
			prec, _ = strconv.Atoi(format[ps:i])
		}
		for i < len(format) && (format[i] == 'l' || format[i] == 'h' || format[i] == 'z') {
			i++
		}
		if i >= len(format) {
			break
		}
		verb := format[i]
		arg := next()
		spec := "%" + flags
		if width >= 0 {
			spec += strconv.Itoa(width)
		}
		if prec >= 0 {
			spec += "." + strconv.Itoa(prec)
		}
		switch verb {
		case 'g', 'G', 'f', 'F', 'e', 'E':
			x := toFloat(arg)
			if t, ok := nonFinite(x); ok {
				if verb == 'G' || verb == 'F' || verb == 'E' {
					t = strings.ToUpper(t)
				}
				if strings.Contains(flags, "+") && t[0] != '-' {
					t = "+" + t
				}
				b.WriteString(pad(t, width, strings.Contains(flags, "-")))
				continue
			}
			if (verb == 'g' || verb == 'G') && prec < 0 {
				spec += ".6"
			} else if (verb == 'g' || verb == 'G') && prec == 0 {
				spec += ".1"
				spec = strings.Replace(spec, ".0.1", ".1", 1)
			}
			v := verb
			if v == 'F' {
				v = 'f'
			}
			b.WriteString(fmt.Sprintf(spec+string(v), x))
		case 'd', 'i', 'u':
			b.WriteString(fmt.Sprintf(spec+"d", toInt(arg)))
		case 's':
			b.WriteString(fmt.Sprintf(spec+"s", arg))
		case 'c':
			b.WriteString(fmt.Sprintf(spec+"c", arg))
		case 'p':
			b.WriteString(fmt.Sprintf("%v", arg))
		default:
			b.WriteString(spec + string(verb))
		}
	}
	return b.String()
}

func toFloat(a any) float64 {
	switch v := a.(type) {
	case float64:
		return v
	case float32:
		return float64(v)
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case int32:
		return float64(v)
	}
	return 0
}

func toInt(a any) int64 {
	switch v := a.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case int32:
		return int64(v)
	case uint64:
		return int64(v)
	case uint32:
		return int64(v)
	case float64:
		return int64(v)
	}
	return 0
}
