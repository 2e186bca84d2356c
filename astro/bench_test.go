package astro

import "testing"

// Benchmarks of the hot paths; the ERFA side runs in ./internal/erfacheck (build tag
// erfa) in the same `go test -bench` invocation for ratios.

var sinkF float64

func BenchmarkNutation(b *testing.B) {
	t := 0.25
	for i := 0; i < b.N; i++ {
		dp, de := nutationFast(t + float64(i&1023)*1e-6)
		sinkF += dp + de
	}
}

func BenchmarkNutationDirect(b *testing.B) {
	t := 0.25
	for i := 0; i < b.N; i++ {
		dp, de := nutationDirect(t + float64(i&1023)*1e-6)
		sinkF += dp + de
	}
}

func BenchmarkNutation2000B(b *testing.B) {
	tt := MustTime(TT, 2460000.5, 0)
	for i := 0; i < b.N; i++ {
		dp, de := Nutation2000B(tt.addSec(float64(i & 1023)))
		sinkF += float64(dp + de)
	}
}

func BenchmarkPrecessionNutation(b *testing.B) {
	tt := MustTime(TT, 2460000.5, 0)
	for i := 0; i < b.N; i++ {
		pn := NewPrecessionNutation(tt.addSec(float64(i & 1023)))
		sinkF += pn.NPB[0][1]
	}
}

func BenchmarkGMST(b *testing.B) {
	u := MustTime(UT1, 2460000.5, 0.3)
	for i := 0; i < b.N; i++ {
		sinkF += float64(GMST(u))
	}
}

func benchStars(n int) []Star {
	s := make([]Star, n)
	for i := range s {
		s[i] = Star{RA: Deg(float64(i*37%360) + 0.123), Dec: Deg(float64(i*53%150) - 70), PMRA: 10, PMDec: -5, Parallax: 3, RV: 12}
	}
	return s
}

// BenchmarkObservedSingle is the full ICRS → observed chain for one star at
// one instant, per-epoch work included (the ERFA atco13 equivalent).
func BenchmarkObservedSingle(b *testing.B) {
	u, _ := ParseTime("2024-05-01T03:00:00Z")
	site := Site{Lon: Deg(-70.4), Lat: Deg(-24.6), Height: 2635}
	w := &Weather{PressureHPa: 740, TemperatureC: 10, RelativeHumidity: 0.2}
	st := benchStars(1)[0]
	for i := 0; i < b.N; i++ {
		a, _ := NewTopocentric(u.addSec(float64(i&1023)), site, w)
		sinkF += float64(a.Observed(st).Az)
	}
}

// BenchmarkObservedBatch is ICRS → observed for a batch of 1000 stars at one
// instant; the reported time is per star (per-epoch work amortized).
func BenchmarkObservedBatch(b *testing.B) {
	u, _ := ParseTime("2024-05-01T03:00:00Z")
	site := Site{Lon: Deg(-70.4), Lat: Deg(-24.6), Height: 2635}
	w := &Weather{PressureHPa: 740, TemperatureC: 10, RelativeHumidity: 0.2}
	stars := benchStars(1000)
	out := make([]Observed, len(stars))
	b.ResetTimer()
	for i := 0; i < b.N; i += len(stars) {
		a, _ := NewTopocentric(u, site, w)
		out = a.ObservedBatch(stars, out)
		sinkF += float64(out[0].Az)
	}
}
