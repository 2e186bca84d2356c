package astro

import (
	"math"
	"os"
	"strings"
	"testing"
)

func TestFinals2000A(t *testing.T) {
	f, err := os.Open("testdata/eop/finals2000A-2016-leap.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := ParseFinals2000A(f)
	if err != nil {
		t.Fatal(err)
	}
	first, last, _ := tab.Range()
	if first != 57745 || last != 57755 {
		t.Errorf("range %v-%v", first, last)
	}
	// At a tabulated day, the tabulated values.
	u, _ := ParseTime("2016-12-30T00:00:00Z")
	e, ok := tab.At(u)
	if !ok || math.Abs(e.DUT1.Seconds()-(-0.4069180)) > 1e-7 {
		t.Errorf("DUT1 on 2016-12-30 = %v (ok %v)", e.DUT1, ok)
	}
	// Just before and after the leap second: UT1 must be continuous.
	a, _ := ParseTime("2016-12-31T23:59:59.5Z")
	b, _ := ParseTime("2017-01-01T00:00:00.5Z")
	a, _ = a.WithEOPFrom(tab)
	b, _ = b.WithEOPFrom(tab)
	ua, ub := a.UT1(), b.UT1()
	gap := ((ub.jd1 - ua.jd1) + (ub.jd2 - ua.jd2)) * daysec
	if math.Abs(gap-2) > 0.01 { // 2 s of UTC (with the leap second) ≈ 2 s of UT1
		t.Errorf("UT1 advanced %v s across the leap second", gap)
	}
	if _, ok := tab.At(MustTime(UTC, djm0, 50000)); ok {
		t.Error("At outside the table returned ok")
	}
	for _, bad := range []string{"", "short\n", strings.Repeat("x", 80) + "\n"} {
		if _, err := ParseFinals2000A(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func FuzzParseFinals2000A(f *testing.F) {
	b, _ := os.ReadFile("testdata/eop/finals2000A-2016-leap.txt")
	f.Add(string(b))
	f.Add(string(b[:200]))
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := ParseFinals2000A(strings.NewReader(s))
		if err != nil {
			return
		}
		first, last, _ := tab.Range()
		for _, m := range []float64{first, (first + last) / 2, last} {
			e, ok := tab.At(MustTime(UTC, djm0, m))
			if ok && !finite(e.DUT1.Seconds(), float64(e.XP), float64(e.YP)) {
				t.Fatalf("non-finite EOP at %v: %+v", m, e)
			}
		}
	})
}

func FuzzParseLeapSecondFile(f *testing.F) {
	f.Add(builtinLeapSecondFile)
	f.Add("41317.0 1 1 1972 10\n# File expires on 28 June 2027\n")
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := ParseLeapSecondFile(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, m := range []float64{37300, 41317, 50000, 70000} {
			if v, ok := tab.TAIMinusUTC(m, 0.5); ok && !finite(v) {
				t.Fatalf("non-finite TAI−UTC at %v", m)
			}
		}
	})
}
