//go:build erfa

package erfacheck

import (
	"math"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
)

// Side-by-side benchmarks: ERFA through cgo and package astro, one run.
//
//	go test -tags erfa -run '^$' -bench . -benchtime 2000x ./astro/internal/erfacheck/
//
// (the cgo call overhead, ~50-100 ns, is included in the ERFA figures; it
// only matters for gmst06).

var sink float64

func BenchmarkNutation2000A(b *testing.B) {
	b.Run("ERFA_nut06a", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dp, de := Nut06a(dj00, 8000+float64(i&1023))
			sink += dp + de
		}
	})
	b.Run("astro_Nutation", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dp, de := astro.Nutation(astro.MustTime(astro.TT, dj00, 8000+float64(i&1023)))
			sink += float64(dp + de)
		}
	})
}

func BenchmarkNutation2000B(b *testing.B) {
	b.Run("ERFA_nut00b", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dp, de := Nut00b(dj00, 8000+float64(i&1023))
			sink += dp + de
		}
	})
	b.Run("astro_Nutation2000B", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dp, de := astro.Nutation2000B(astro.MustTime(astro.TT, dj00, 8000+float64(i&1023)))
			sink += float64(dp + de)
		}
	})
}

func BenchmarkPrecessionNutationMatrix(b *testing.B) {
	b.Run("ERFA_pnm06a", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r := Pnm06a(dj00, 8000+float64(i&1023))
			sink += r[0][1]
		}
	})
	b.Run("astro_NewPrecessionNutation", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			pn := astro.NewPrecessionNutation(astro.MustTime(astro.TT, dj00, 8000+float64(i&1023)))
			sink += pn.NPB[0][1]
		}
	})
}

func BenchmarkGMST(b *testing.B) {
	b.Run("ERFA_gmst06", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink += Gmst06(dj00, 8000.3, dj00, 8000.3008)
		}
	})
	b.Run("astro_GMST", func(b *testing.B) {
		u := astro.MustTime(astro.UT1, dj00, 8000.3)
		for i := 0; i < b.N; i++ {
			sink += float64(astro.GMST(u))
		}
	})
}

func observedInputs(n int) []astro.Star {
	s := make([]astro.Star, n)
	for i := range s {
		s[i] = astro.Star{RA: astro.Deg(float64(i*37%360) + 0.123), Dec: astro.Deg(float64(i*53%150) - 70), PMRA: 10, PMDec: -5, Parallax: 3, RV: 12}
	}
	return s
}

// BenchmarkObservedPlace: ICRS → observed (az, zenith distance with
// refraction). ERFA atco13 redoes all per-epoch work at every call; astro's
// "single" does the same (a fresh context per star), "batch" shares one
// context over 1000 stars at one epoch and reports the time per star.
func BenchmarkObservedPlace(b *testing.B) {
	const mjd = 60431.125
	lon, lat, h := -70.4*math.Pi/180, -24.6*math.Pi/180, 2635.0
	stars := observedInputs(1000)
	b.Run("ERFA_atco13", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s := stars[i%len(stars)]
			cd := math.Cos(float64(s.Dec))
			a, z, _, _, _, _ := Atco13(float64(s.RA), float64(s.Dec), s.PMRA*mas/cd, s.PMDec*mas, s.Parallax/1000, s.RV,
				2400000.5, mjd, 0.1, lon, lat, h, 0, 0, 740, 10, 0.2, 0.55)
			sink += a + z
		}
	})
	u, _ := astro.FromMJD(astro.UTC, mjd)
	u = u.WithDUT1(100 * time.Millisecond)
	site := astro.Site{Lon: astro.Rad(lon), Lat: astro.Rad(lat), Height: h}
	w := &astro.Weather{PressureHPa: 740, TemperatureC: 10, RelativeHumidity: 0.2, WavelengthMicron: 0.55}
	b.Run("astro_single", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ctx, _ := astro.NewTopocentric(u, site, w)
			o := ctx.Observed(stars[i%len(stars)])
			sink += float64(o.Az + o.AltRefracted)
		}
	})
	b.Run("astro_batch_per_star", func(b *testing.B) {
		out := make([]astro.Observed, len(stars))
		for i := 0; i < b.N; i += len(stars) {
			ctx, _ := astro.NewTopocentric(u, site, w)
			out = ctx.ObservedBatch(stars, out)
			sink += float64(out[0].Az)
		}
	})
}
