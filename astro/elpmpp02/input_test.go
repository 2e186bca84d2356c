package elpmpp02

import (
	"errors"
	"math"
	"testing"
)

func TestBadInput(t *testing.T) {
	for _, jd := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, _, _, err := Geocentric(jd, 0); !errors.Is(err, ErrDate) {
			t.Errorf("JD %v: err %v, want ErrDate", jd, err)
		}
	}
	for _, jd := range []float64{1e300, -1e9, J2000JD + 365.25*6001, J2000JD - 365.25*6001} {
		if _, _, _, err := Geocentric(jd, 0); !errors.Is(err, ErrRange) {
			t.Errorf("JD %v: err %v, want ErrRange", jd, err)
		}
	}
	if _, err := New(Fit(7), 0); err == nil {
		t.Error("fit 7: no error")
	}
	for _, eps := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, err := New(DE405, eps); err == nil {
			t.Errorf("threshold %v: no error", eps)
		}
	}
}

// TestSpanEnds checks the result stays physical at the ends of the span.
func TestSpanEnds(t *testing.T) {
	th, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range []float64{-MaxYears, -1000, 0, 1000, MaxYears} {
		lon, lat, d, err := th.Spherical(J2000JD+y*365.25, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !(d > 340000 && d < 420000) || math.Abs(lat) > 0.1 || lon < 0 || lon >= 2*math.Pi {
			t.Errorf("year %+.0f: lon %v lat %v dist %v", y, lon, lat, d)
		}
	}
}

func FuzzGeocentric(f *testing.F) {
	f.Add(2451545.0, 0.0)
	f.Add(2451545.0, -0.5)
	f.Add(-1e308, 1e308)
	f.Add(J2000JD+365.25*MaxYears, 0.0)
	f.Fuzz(func(t *testing.T, jd1, jd2 float64) {
		x, y, z, err := Geocentric(jd1, jd2)
		if err != nil {
			if !errors.Is(err, ErrDate) && !errors.Is(err, ErrRange) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		d := math.Sqrt(x*x + y*y + z*z)
		if math.IsNaN(d) || d < 340000 || d > 420000 {
			t.Fatalf("JD %v+%v: x %v y %v z %v", jd1, jd2, x, y, z)
		}
	})
}

// FuzzParseTable feeds arbitrary bytes to the embedded-table decoder: it
// must return an error or a table, never panic.
func FuzzParseTable(f *testing.F) {
	f.Add(table[:300])
	f.Add([]byte("ELPMPP02\x01\xff\xff\xff\x7f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseTable(b)
	})
}
