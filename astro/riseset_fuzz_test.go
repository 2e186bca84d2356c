package astro

import (
	"math"
	"testing"
	"time"
)

// FuzzRiseTransitSet searches any target at any site (poles included) on
// any date: the search must return an error or consistent events, never
// panic, hang or produce NaN.
func FuzzRiseTransitSet(f *testing.F) {
	f.Add(uint8(1), 0.0, 89.99, 2460000.5, 0.0, 0.0, 36.0)
	f.Add(uint8(2), 10.0, -90.0, 2451545.0, 0.0, 0.0, 36.0)
	f.Add(uint8(9), -170.0, 66.5, 2470000.25, 0.0, 0.0, 24.0)
	f.Add(uint8(0), 12.0, 78.0, 2460300.5, 359.999, 89.0, 36.0)
	f.Add(uint8(0), 12.0, -45.0, 2460300.5, 0.0001, -30.0, 900.0)
	f.Fuzz(func(t *testing.T, kind uint8, lon, lat, jd, ra, dec, window float64) {
		var tg Target
		if k := Body(kind % 10); k.Valid() {
			tg = k
		} else {
			tg = Star{RA: Deg(ra), Dec: Deg(dec)}
		}
		from, err := FromJD(UTC, jd)
		if err != nil {
			return
		}
		site := Site{Lon: Deg(lon), Lat: Deg(lat)}
		if math.IsNaN(window) || math.Abs(window) > 1e6 {
			return // not a Duration
		}
		w := time.Duration(window * float64(time.Hour))
		ev, err := RiseTransitSetWith(tg, site, from, RiseSetOptions{Window: w})
		if err != nil {
			return
		}
		if w == 0 {
			w = 36 * time.Hour
		}
		for _, e := range []struct {
			has bool
			t   Time
		}{{ev.HasRise, ev.Rise}, {ev.HasTransit, ev.Transit}, {ev.HasSet, ev.Set}} {
			if !e.has {
				continue
			}
			d := e.t.Sub(from)
			if math.IsNaN(d) || d < -1 || d > w.Seconds()+1 {
				t.Fatalf("event %v outside the window (%.1f s)", e.t, d)
			}
		}
		if math.IsNaN(float64(ev.TransitAlt)) {
			t.Fatal("NaN transit altitude")
		}
		if (ev.HasRise || ev.HasSet) && (ev.AlwaysUp || ev.AlwaysDown) {
			t.Fatal("rise or set with always up/down")
		}
		if ev.AlwaysUp && ev.AlwaysDown {
			t.Fatal("always up and down")
		}
	})
}

func TestRiseSetPolar(t *testing.T) {
	// Midsummer and midwinter at 80° N: the Sun is always up, then always down.
	north := Site{Lon: Deg(15), Lat: Deg(80)}
	jun, _ := NewUTC(2025, 6, 21, 0, 0, 0)
	ev, err := RiseTransitSet(Sun, north, jun)
	if err != nil {
		t.Fatal(err)
	}
	if !ev.AlwaysUp || ev.HasRise || ev.HasSet || !ev.HasTransit {
		t.Errorf("June at 80°N: %+v, want always up with a transit", ev)
	}
	dec, _ := NewUTC(2025, 12, 21, 0, 0, 0)
	ev, err = RiseTransitSet(Sun, north, dec)
	if err != nil {
		t.Fatal(err)
	}
	if !ev.AlwaysDown || ev.HasRise || ev.HasSet {
		t.Errorf("December at 80°N: %+v, want always down", ev)
	}
	// A star near RA 0h (the 360°→0° wrap) rises, transits and sets.
	star := Star{RA: Deg(359.99), Dec: Deg(10)}
	ev, err = RiseTransitSet(star, Site{Lon: Deg(0), Lat: Deg(45)}, jun)
	if err != nil {
		t.Fatal(err)
	}
	if !ev.HasRise || !ev.HasSet || !ev.HasTransit {
		t.Errorf("star at RA 359.99°: %+v", ev)
	}
	if _, err := RiseTransitSet(Sun, Site{Lat: Deg(91)}, jun); err == nil {
		t.Error("latitude 91°: no error")
	}
	if _, err := RiseTransitSet(nil, north, jun); err == nil {
		t.Error("nil target: no error")
	}
	if _, err := RiseTransitSet(Body(42), north, jun); err == nil {
		t.Error("Body(42): no error")
	}
}
