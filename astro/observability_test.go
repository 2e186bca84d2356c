package astro

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// The interpolated curve against the full chain (NewTopocentric, no
// refraction) for the Sun, the Moon, Mars and a star over two days.
func TestAltitudeCurveVsFullChain(t *testing.T) {
	site := Site{Lon: Deg(-70.4045), Lat: Deg(-24.6272), Height: 2635}
	from, _ := NewUTC(2025, 3, 1, 18, 0, 0)
	to := from.addSec(2 * daysec)
	vega := Star{RA: Hours(18.615649), Dec: Deg(38.783689), PMRA: 200.94, PMDec: 286.23, Parallax: 130.23, RV: -13.5}
	for _, tg := range []Target{Sun, Moon, Mars, vega} {
		pts, err := AltitudeCurve(tg, site, from, to, 97*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for _, p := range pts {
			a, err := NewTopocentric(p.Time, site, nil)
			if err != nil {
				t.Fatal(err)
			}
			var o Observed
			switch x := tg.(type) {
			case Body:
				o, err = a.ObservedBody(x)
			case Star:
				o = a.Observed(x)
			}
			if err != nil {
				t.Fatal(err)
			}
			d := Separation(p.Az, p.Alt, o.Az, o.Alt).Arcsec()
			worst = math.Max(worst, d)
		}
		t.Logf("%v: worst %.3f\" over %d points", tg, worst, len(pts))
		if worst > 1 {
			t.Errorf("%v: curve off the full chain by %.3f\"", tg, worst)
		}
	}
	if _, err := AltitudeCurve(Sun, site, to, from, time.Minute); err == nil {
		t.Error("reversed span: no error")
	}
	if _, err := AltitudeCurve(Sun, site, from, to, 0); err == nil {
		t.Error("zero step: no error")
	}
	if _, err := AltitudeCurve(Sun, site, from, to, time.Millisecond); err == nil {
		t.Error("too many points: no error")
	}
}

func TestObservability(t *testing.T) {
	site := Site{Lon: Deg(-70.4045), Lat: Deg(-24.6272), Height: 2635}
	from, _ := NewUTC(2025, 6, 21, 20, 0, 0)
	to := from.addSec(16 * 3600)
	// The Galactic centre region in June: up most of the night.
	tg := Star{RA: Hours(17.76), Dec: Deg(-29.0)}
	ws, err := Observability(tg, site, from, to, Constraints{MaxAirmass: 1.5, Twilight: Astronomical, MinMoonSeparation: Deg(30)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) == 0 {
		t.Fatal("no window")
	}
	n, _ := Night(site, 2025, 6, 21)
	for _, w := range ws {
		if w.Start.Sub(n.AstroDusk.Time) < -2 || w.End.Sub(n.AstroDawn.Time) > 2 {
			t.Errorf("window %v–%v outside astronomical night %v–%v", w.Start, w.End, n.AstroDusk, n.AstroDawn)
		}
		for _, s := range []Time{w.Start.addSec(2), w.End.addSec(-2)} {
			a, _ := NewTopocentric(s, site, nil)
			o := a.Observed(tg)
			x, _ := Airmass(KastenYoung, o.Alt+RefractionFromTrue(o.Alt, 1010, 10))
			if x > 1.5001 {
				t.Errorf("airmass %.4f at %v inside a window", x, s)
			}
		}
	}
	if _, err := Observability(tg, site, from, to, Constraints{MaxAirmass: 0.5}); err == nil {
		t.Error("airmass 0.5: no error")
	}
}

func ExampleAltitudeCurve() {
	site := Site{Lon: Deg(-70.4045), Lat: Deg(-24.6272), Height: 2635}
	from, _ := NewUTC(2025, 6, 22, 0, 0, 0)
	pts, _ := AltitudeCurve(Moon, site, from, from.addSec(4*3600), 2*time.Hour)
	for _, p := range pts {
		_, _, _, h, m, _ := p.Time.Date()
		fmt.Printf("%02d:%02d alt %5.1f° az %5.1f°\n", h, m, p.Alt.Deg(), p.Az.Deg())
	}
	// Output:
	// 00:00 alt -71.4° az 258.5°
	// 02:00 alt -80.5° az 116.6°
	// 04:00 alt -55.3° az  89.0°
}

func ExampleObservability() {
	site := Site{Lon: Deg(-70.4045), Lat: Deg(-24.6272), Height: 2635}
	from, _ := NewUTC(2025, 6, 21, 20, 0, 0)
	sgrA := Star{RA: Hours(17.761), Dec: Deg(-29.008)}
	ws, _ := Observability(sgrA, site, from, from.addSec(16*3600),
		Constraints{MaxAirmass: 1.5, Twilight: Astronomical, MinMoonSeparation: Deg(30)})
	for _, w := range ws {
		_, _, _, h1, m1, _ := w.Start.Date()
		_, _, _, h2, m2, _ := w.End.Date()
		fmt.Printf("%02d:%02d to %02d:%02d UTC (%.1f h)\n", h1, m1, h2, m2, w.Duration().Hours())
	}
	// Output: 00:49 to 08:03 UTC (7.2 h)
}
