package astro

import (
	"math"
	"strings"
	"testing"
	"time"
)

func FuzzParseBody(f *testing.F) {
	for _, s := range []string{"Sun", "moon", " MARS ", "pluto", "", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBody(s)
		if err != nil {
			if b != 0 {
				t.Fatalf("error with body %v", b)
			}
			return
		}
		if !b.Valid() || !strings.EqualFold(strings.TrimSpace(s), b.String()) {
			t.Fatalf("%q parsed as %v", s, b)
		}
	})
}

// FuzzAltitudeCurve: any target, site, span and step give an error or
// finite points, never a panic.
func FuzzAltitudeCurve(f *testing.F) {
	f.Add(uint8(2), 10.0, 89.9, 2460000.5, 0.5, 600.0)
	f.Add(uint8(0), -170.0, -90.0, 2451545.0, 3.0, 60.0)
	f.Fuzz(func(t *testing.T, kind uint8, lon, lat, jd, days, stepSec float64) {
		var tg Target = Star{RA: Deg(lon), Dec: Deg(lat / 2)}
		if k := Body(kind % 10); k.Valid() {
			tg = k
		}
		from, err := FromJD(UTC, jd)
		if err != nil || !(stepSec > 0 && stepSec < 1e9) || !(days > -1e6 && days < 1e6) {
			return
		}
		pts, err := AltitudeCurve(tg, Site{Lon: Deg(lon), Lat: Deg(lat)}, from, from.addSec(days*daysec), time.Duration(stepSec*1e9))
		if err != nil {
			return
		}
		for _, p := range pts {
			if math.IsNaN(float64(p.Alt)) || math.IsNaN(float64(p.Az)) || math.IsNaN(p.Airmass) {
				t.Fatalf("NaN point %+v", p)
			}
		}
	})
}
