package cnum

import "testing"

func TestSprintfAndAtof(t *testing.T) {
	for _, c := range []struct {
		f    string
		a    []any
		want string
	}{
		{"%g", []any{1e6}, "1e+06"}, {"%g", []any{100.00000000000001}, "100"}, {"%g", []any{2.5e-7}, "2.5e-07"},
		{"%g", []any{0.0001}, "0.0001"}, {"%11.8f", []any{23.52381295}, "23.52381295"},
		{"%15.10g", []any{0.5}, "            0.5"}, {"%.0f", []any{11499742.0}, "11499742"}, {"%g", []any{1.29602e+06}, "1.29602e+06"},
		{"%.15g", []any{9.98e-11}, "9.98e-11"}, {"%f", []any{0.0}, "0.000000"}, {"%lg", []any{1e30}, "1e+30"},
	} {
		if got := Sprintf(c.f, c.a...); got != c.want {
			t.Errorf("%s %v: got %q want %q", c.f, c.a, got, c.want)
		}
	}
	if Atoi("2.9") != 2 || Atoi("1e3") != 1 || Atoi(" 32abc") != 32 || Atof("100mm") != 100 || Atof("0x1p-3") != 0.125 || Atof("abc") != 0 || Atof(".1") != 0.1 {
		t.Error("atof/atoi")
	}
}
