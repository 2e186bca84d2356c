package vsop87

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/astro/internal/astrotest"
)

func benchBody(b *testing.B, body Body, eps float64) {
	th, err := New(J2000, eps)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	s := 0.0
	mt := astrotest.NewMeter(b)
	defer mt.Report()
	for i := 0; b.Loop(); i++ {
		mt.Tick()
		l, _, _, err := th.Position(body, 2461000.5+float64(i%1000)*0.37, 0)
		if err != nil {
			b.Fatal(err)
		}
		s += l
	}
	_ = s
}

// BenchmarkEarth times one Earth position (the Sun's geocentric place needs
// exactly this) with the default truncation.
func BenchmarkEarth(b *testing.B)     { benchBody(b, Earth, DefaultThreshold) }
func BenchmarkEarthFull(b *testing.B) { benchBody(b, Earth, 0) }
func BenchmarkEarth1e8(b *testing.B)  { benchBody(b, Earth, 1e-8) }
func BenchmarkEarth1e7(b *testing.B)  { benchBody(b, Earth, 1e-7) }

// BenchmarkMars times one Mars position with the default truncation (a
// geocentric planet needs one planet and one Earth evaluation).
func BenchmarkMars(b *testing.B) { benchBody(b, Mars, DefaultThreshold) }

// BenchmarkGeocentricMars times what a geocentric planet needs from the
// theory: one Earth and one planet evaluation (default truncation).
func BenchmarkGeocentricMars(b *testing.B) {
	th, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	s := 0.0
	mt := astrotest.NewMeter(b)
	defer mt.Report()
	for i := 0; b.Loop(); i++ {
		mt.Tick()
		jd := 2461000.5 + float64(i%1000)*0.37
		l1, _, _, err1 := th.Position(Earth, jd, 0)
		l2, _, _, err2 := th.Position(Mars, jd, 0)
		if err1 != nil || err2 != nil {
			b.Fatal(err1, err2)
		}
		s += l1 + l2
	}
	_ = s
}

func BenchmarkEarth2e8(b *testing.B) { benchBody(b, Earth, 2e-8) }
func BenchmarkMars2e8(b *testing.B)  { benchBody(b, Mars, 2e-8) }
func BenchmarkMars1e7(b *testing.B)  { benchBody(b, Mars, 1e-7) }
