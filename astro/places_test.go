package astro

import (
	"math"
	"testing"
)

func TestReversePlaces(t *testing.T) {
	u, _ := ParseTime("2024-05-01T03:00:00Z")
	site := Site{Lon: Deg(-70.4), Lat: Deg(-24.6), Height: 2635}
	a, err := NewTopocentric(u, site, &Weather{PressureHPa: 740, TemperatureC: 10, RelativeHumidity: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range benchStars(50) {
		o := a.Observed(Star{RA: s.RA, Dec: s.Dec})
		if o.Alt.Deg() < 10 {
			continue
		}
		ra, dec := a.ICRSFromObserved(o.Az, o.AltRefracted)
		if d := Separation(ra, dec, s.RA, s.Dec).Mas(); d > 0.01 {
			t.Errorf("observed → ICRS round trip off by %v mas (alt %v°)", d, o.Alt.Deg())
		}
		r2, d2 := a.Apparent(Star{RA: s.RA, Dec: s.Dec})
		r3, d3 := a.ICRSFromApparent(r2, d2)
		if d := Separation(r3, d3, s.RA, s.Dec).Mas(); d > 0.001 {
			t.Errorf("apparent → ICRS round trip off by %v mas", d)
		}
	}
}

func TestPropagateStar(t *testing.T) {
	// Barnard's star (Gaia DR3 values, rounded) forward and back 50 years.
	s := Star{RA: Deg(269.4485), Dec: Deg(4.7396), PMRA: -801.551, PMDec: 10362.394, Parallax: 546.976, RV: -110.3, Epoch: 2016}
	f := PropagateStar(PropagateStar(s, 2066), 2016)
	if d := Separation(f.RA, f.Dec, s.RA, s.Dec).Mas(); d > 1e-6 {
		t.Errorf("round trip off by %v mas", d)
	}
	if math.Abs(f.PMDec-s.PMDec) > 1e-6 || math.Abs(f.RV-s.RV) > 1e-6 || math.Abs(f.Parallax-s.Parallax) > 1e-6 {
		t.Errorf("round trip changed the motion: %+v", f)
	}
	g := PropagateStar(s, 2066)
	// ERFA starpm (with its light-time correction, which we omit: 0.3 mas
	// here): moved 521.27479″, parallax 548.6675 mas, RV −110.0719 km/s.
	if d := Separation(g.RA, g.Dec, s.RA, s.Dec).Arcsec(); math.Abs(d-521.27479) > 0.001 {
		t.Errorf("moved %v″", d)
	}
	if math.Abs(g.Parallax-548.6675) > 0.001 || math.Abs(g.RV+110.0719) > 0.001 {
		t.Errorf("parallax %v mas, RV %v km/s", g.Parallax, g.RV)
	}
}

// A distant body reduces to a star: ApparentFromGCRS with a large distance
// must match Apparent for the same direction to the µas, and the body-aware
// deflection must differ from the star one only slightly for a planet.
func TestApparentFromGCRS(t *testing.T) {
	tt := MustTime(TT, 2460400.5, 0)
	a, _ := NewGeocentric(tt)
	s := Star{RA: Deg(123.4), Dec: Deg(-12.3)}
	r1, d1 := a.Apparent(s)
	dir := s2c(float64(s.RA), float64(s.Dec))
	r2, d2 := a.ApparentFromGCRS(dir, 1e9)
	if d := Separation(r1, d1, r2, d2).Mas(); d > 0.001 {
		t.Errorf("distant body vs star: %v mas", d)
	}
	r3, d3 := a.ApparentFromGCRS(dir, 0)
	if d := Separation(r1, d1, r3, d3).Mas(); d > 1e-6 {
		t.Errorf("dist 0 vs star: %v mas", d)
	}
	r4, d4 := a.ApparentFromGCRS(dir, 5)
	if d := Separation(r1, d1, r4, d4).Mas(); d > 5 {
		t.Errorf("planet at 5 au vs star: %v mas", d)
	}
}

func FuzzObserved(f *testing.F) {
	f.Add(10.0, 20.0, -70.0, -24.0, 2000.0, 60000.5, 100.0, 5.0, 740.0)
	f.Add(359.9, -89.9, 179.0, 89.9, 0.0, 40000.0, 0.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, ra, dec, lon, lat, h, mjd, pm, px, p float64) {
		s := Star{RA: Deg(ra), Dec: Deg(dec), PMRA: pm, PMDec: -pm, Parallax: px}
		site := Site{Lon: Deg(lon), Lat: Deg(lat), Height: h}
		w := &Weather{PressureHPa: p, TemperatureC: 10, RelativeHumidity: 0.5}
		u, err := NewTime(UTC, djm0, mjd)
		if err != nil || s.Validate() != nil || math.Abs(mjd) > 1e6 || math.Abs(pm) > 1e7 || px > 1e6 {
			return
		}
		a, err := NewTopocentric(u, site, w)
		if err != nil {
			return
		}
		o := a.Observed(s)
		if !finite(float64(o.Az), float64(o.Alt), float64(o.AltRefracted), float64(o.RA), float64(o.Dec), float64(o.HA)) {
			t.Fatalf("non-finite observed place %+v for %+v at %+v, mjd %v", o, s, site, mjd)
		}
	})
}

func TestPropagateStarEdgeCases(t *testing.T) {
	for _, s := range []Star{
		{RA: Deg(10), Dec: Deg(90), PMRA: 100, PMDec: 100},
		{RA: Deg(10), Dec: Deg(-30), PMRA: 100, PMDec: 100, Parallax: 1e-300, RV: 10},
		{RA: Deg(10), Dec: Deg(-30), Parallax: 1000, RV: -299000},
	} {
		p := PropagateStar(s, 2100)
		if !finite(float64(p.RA), float64(p.Dec), p.PMRA, p.PMDec, p.Parallax, p.RV) {
			t.Errorf("%+v → %+v", s, p)
		}
	}
}

// Diurnal parallax of a Moon-distance body: none at the zenith, about
// asin(R⊕/d) ≈ 57′ on the horizon.
func TestTopocentricParallax(t *testing.T) {
	u, _ := ParseTime("2024-05-01T09:00:00Z")
	site := Site{Lon: Deg(10), Lat: Deg(0)}
	a, err := NewTopocentric(u, site, nil)
	if err != nil {
		t.Fatal(err)
	}
	const d = 384400e3 / auM
	zen := a.obsGCRS
	o := a.ObservedFromGCRS(zen, d)
	if o.Alt.Deg() < 89.99 {
		t.Errorf("body at the zenith seen at altitude %v°", o.Alt.Deg())
	}
	// A direction perpendicular to the zenith, in the equatorial plane.
	h := Vec3{-zen[1], zen[0], 0}
	o = a.ObservedFromGCRS(h, d)
	want := -math.Asin(6378137/384400e3) * 180 / math.Pi
	if math.Abs(o.Alt.Deg()-want) > 0.01 {
		t.Errorf("horizon body at altitude %v°, want %v°", o.Alt.Deg(), want)
	}
}
