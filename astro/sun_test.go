package astro

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// Meeus example 25.b: the Sun on 1992 October 13.0 TD with the full VSOP87:
// α = 198.378121°, δ = −7.784 (−7°47′01.74″).
func TestMeeus25b(t *testing.T) {
	p, err := ApparentPosition(Sun, MustTime(TT, 2448908.5, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := Deg(-(7 + 47.0/60 + 1.74/3600))
	if d := Separation(p.RA, p.Dec, Deg(198.378121), want).Arcsec(); d > 1 {
		t.Errorf("Sun: %.6f° %.6f° is %.2f\" from the book", p.RA.Deg(), p.Dec.Deg(), d)
	}
}

// Meeus example 47.a: the Moon on 1992 April 12.0 TD: apparent
// α = 134.688470°, δ = 13.768368°, Δ = 368409.7 km (the book's truncated
// ELP-2000/82 is within a few arcseconds and kilometres of ELP/MPP02; our
// distance is the light-time one of the Swiss Ephemeris convention,
// |M(t − τ) − E(t)|, which differs from the geometric one by the Earth's
// motion during τ = 1.2 s, up to 38 km).
func TestMeeus47a(t *testing.T) {
	p, err := ApparentPosition(Moon, MustTime(TT, 2448724.5, 0))
	if err != nil {
		t.Fatal(err)
	}
	if d := Separation(p.RA, p.Dec, Deg(134.688470), Deg(13.768368)).Arcsec(); d > 5 {
		t.Errorf("Moon %.6f° %.6f°: %.2f\" from the book", p.RA.Deg(), p.Dec.Deg(), d)
	}
	if math.Abs(p.Distance-368409.7) > 40 {
		t.Errorf("Moon distance %.1f km", p.Distance)
	}
}

func TestSunriseNoEvent(t *testing.T) {
	jun, _ := NewUTC(2025, 6, 21, 0, 0, 0)
	_, ev, err := Sunrise(Site{Lat: Deg(85)}, jun)
	if !errors.Is(err, ErrNoEvent) || !ev.AlwaysUp {
		t.Errorf("polar day: %v %+v", err, ev)
	}
	if _, _, err := Moonset(Site{Lat: Deg(95)}, jun); err == nil || errors.Is(err, ErrNoEvent) {
		t.Errorf("bad latitude: %v", err)
	}
}

func ExampleRiseTransitSet() {
	paris := Site{Lon: Deg(2.3522), Lat: Deg(48.8566)}
	day, _ := NewUTC(2025, 3, 20, 0, 0, 0)
	ev, _ := RiseTransitSet(Sun, paris, day)
	hms := func(t Time) string {
		_, _, _, h, m, s := t.Date()
		return fmt.Sprintf("%02d:%02d:%02.0f", h, m, math.Floor(s))
	}
	fmt.Println("rise", hms(ev.Rise), "transit", hms(ev.Transit), "set", hms(ev.Set), "UTC")
	fmt.Printf("transit altitude %.2f°\n", ev.TransitAlt.Deg())
	// Output:
	// rise 05:53:14 transit 11:57:57 set 18:03:34 UTC
	// transit altitude 41.19°
}

func ExampleApparentPosition() {
	t, _ := NewUTC(2025, 1, 1, 0, 0, 0)
	for _, b := range []Body{Sun, Moon, Mars} {
		p, _ := ApparentPosition(b, t)
		fmt.Printf("%-4v RA %s Dec %s  %.0f km\n", b, FormatHMS(p.RA, 1), FormatDMS(p.Dec, 0), p.Distance)
	}
	// Output:
	// Sun  RA 18h47m02.4s Dec -22°59′54″  147107545 km
	// Moon RA 19h46m43.3s Dec -25°51′38″  381744 km
	// Mars RA 08h20m30.2s Dec +23°32′43″  98243970 km
}

func ExampleSunrise() {
	paranal := Site{Lon: Deg(-70.4045), Lat: Deg(-24.6272), Height: 2635}
	from, _ := NewUTC(2025, 6, 21, 0, 0, 0)
	t, _, err := Sunrise(paranal, from)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _, _, h, m, _ := t.Date()
	fmt.Printf("sunrise %02d:%02d UTC\n", h, m)
	// Output: sunrise 11:25 UTC
}
