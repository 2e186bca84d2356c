package astro

import (
	"fmt"
	"math"
	"time"
)

// AltitudePoint is one sample of an altitude curve.
type AltitudePoint struct {
	Time Time  // UTC
	Alt  Angle // geometric (unrefracted) topocentric altitude of the centre
	// AltRefracted adds Sæmundsson's refraction for 1010 hPa and 10 °C
	// (RefractionFromTrue): the observed altitude.
	AltRefracted Angle
	Az           Angle // from north through east
	HA           Angle // local apparent hour angle, west positive
	// Airmass is Kasten & Young's air mass at AltRefracted, 0 when the
	// target is below the horizon.
	Airmass float64
}

// maxCurveDays bounds the span of AltitudeCurve and Observability.
const maxCurveDays = 40

// AltitudeCurve samples the altitude, azimuth and air mass of target at site
// every step from from to to (inclusive; at most 10⁶ points, 40 days).
// The target's apparent place is computed at a few nodes (every day; every
// 12 h for the Moon) and interpolated, Earth rotation is applied exactly at
// every sample, precession-nutation is frozen at the middle of the span:
// within 1″ of the full chain (0.3″ for diurnal aberration) over a night.
func AltitudeCurve(target Target, site Site, from, to Time, step time.Duration) ([]AltitudePoint, error) {
	tr, n, err := newCurve(target, site, from, to, step)
	if err != nil {
		return nil, err
	}
	out := make([]AltitudePoint, n)
	st := step.Seconds()
	for i := range out {
		d := float64(i) * st / daysec
		alt, az, ha, _, _ := tr.horizontal(d)
		p := &out[i]
		p.Time = tr.time(d)
		p.Alt, p.Az, p.HA = Angle(alt), Angle(az), Angle(anpm(ha))
		p.AltRefracted = p.Alt + RefractionFromTrue(p.Alt, 1010, 10)
		if p.AltRefracted > 0 {
			p.Airmass, _ = Airmass(KastenYoung, p.AltRefracted)
		}
	}
	return out, nil
}

func newCurve(target Target, site Site, from, to Time, step time.Duration) (*track, int, error) {
	if target == nil {
		return nil, 0, fmt.Errorf("astro: altitude curve: nil target")
	}
	if from.IsZero() || to.IsZero() {
		return nil, 0, fmt.Errorf("astro: altitude curve: zero Time")
	}
	span := to.Sub(from) / daysec
	if !(span >= 0 && span <= maxCurveDays) {
		return nil, 0, fmt.Errorf("astro: altitude curve: span %v days outside [0, %d]", span, maxCurveDays)
	}
	if step <= 0 {
		return nil, 0, fmt.Errorf("astro: altitude curve: step %v must be positive", step)
	}
	n := int(math.Floor(span*daysec/step.Seconds())) + 1
	if n > 1_000_000 {
		return nil, 0, fmt.Errorf("astro: altitude curve: %d points (step %v) over the limit of 10⁶", n, step)
	}
	tr, err := newTrack(target, site, from, math.Max(span, 1e-3))
	if err != nil {
		return nil, 0, fmt.Errorf("astro: altitude curve of %v: %w", target, err)
	}
	tr.scale = UTC
	return tr, n, nil
}

// Constraints are the conditions of Observability. Zero fields are not
// applied.
type Constraints struct {
	// MinAltitude is the lowest geometric altitude of the target.
	MinAltitude Angle
	// MaxAirmass (Kasten & Young at the refracted altitude), 0 for none.
	MaxAirmass float64
	// Twilight requires the Sun's centre below the twilight's altitude
	// (0: no condition on the Sun). SunMaxAltitude, when SunLimitSet,
	// replaces it with any altitude.
	Twilight       Twilight
	SunMaxAltitude Angle
	SunLimitSet    bool
	// MinMoonSeparation is the smallest topocentric target–Moon angle,
	// applied only while the Moon is above the horizon and its illuminated
	// fraction is at least MoonFractionAbove.
	MinMoonSeparation Angle
	MoonFractionAbove float64
	// Step is the sampling interval (default 5 minutes); window edges are
	// refined to 1 s by bisection.
	Step time.Duration
}

// Window is an interval when a target is observable.
type Window struct {
	Start, End Time // UTC
}

// Duration returns the window's length.
func (w Window) Duration() time.Duration {
	return time.Duration(w.End.Sub(w.Start) * float64(time.Second))
}

// Observability returns the intervals between from and to (at most 40
// days) when target satisfies every constraint at site. Conditions are
// sampled every c.Step and the window edges refined by bisection, so a
// window shorter than the step can be missed.
func Observability(target Target, site Site, from, to Time, c Constraints) ([]Window, error) {
	step := c.Step
	if step == 0 {
		step = 5 * time.Minute
	}
	if c.MaxAirmass != 0 && !(c.MaxAirmass >= 1) {
		return nil, fmt.Errorf("astro: observability: MaxAirmass %v below 1", c.MaxAirmass)
	}
	if c.Twilight != 0 && (c.Twilight < Civil || c.Twilight > Astronomical) {
		return nil, fmt.Errorf("astro: observability: unknown twilight %d", int(c.Twilight))
	}
	if !finite(float64(c.MinAltitude), float64(c.SunMaxAltitude), float64(c.MinMoonSeparation), c.MoonFractionAbove) {
		return nil, fmt.Errorf("astro: observability: non-finite constraint")
	}
	tr, n, err := newCurve(target, site, from, to, step)
	if err != nil {
		return nil, err
	}
	span := to.Sub(from) / daysec
	minAlt := float64(c.MinAltitude)
	if c.MaxAirmass != 0 {
		h, err := AltitudeForAirmass(KastenYoung, c.MaxAirmass)
		if err != nil {
			return nil, err
		}
		// Airmass is on the refracted altitude: go back to a geometric one.
		h -= RefractionFromApparent(h, 1010, 10)
		minAlt = math.Max(minAlt, float64(h))
	}
	var sun, moon *track
	sunMax := 0.0
	if c.Twilight != 0 || c.SunLimitSet {
		sunMax = float64(c.Twilight.Altitude())
		if c.SunLimitSet {
			sunMax = float64(c.SunMaxAltitude)
		}
		if sun, err = newTrack(Sun, site, from, math.Max(span, 1e-3)); err != nil {
			return nil, err
		}
	}
	if c.MinMoonSeparation > 0 {
		if moon, err = newTrack(Moon, site, from, math.Max(span, 1e-3)); err != nil {
			return nil, err
		}
		if sun == nil {
			if sun, err = newTrack(Sun, site, from, math.Max(span, 1e-3)); err != nil {
				return nil, err
			}
		}
	}
	ok := func(d float64) bool {
		alt, _, _, _, v := tr.horizontal(d)
		if alt < minAlt {
			return false
		}
		if sun != nil && (c.Twilight != 0 || c.SunLimitSet) {
			if sa, _, _ := sun.topo(d); sa > sunMax {
				return false
			}
		}
		if moon != nil {
			ma, _, _, _, mv := moon.horizontal(d)
			if ma > 0 {
				s := sun.at(d)
				m := moon.at(d)
				toSun, toEarth := s.sub(m), m.scale(-1)
				frac := (1 + toSun.dot(toEarth)/(toSun.norm()*toEarth.norm())) / 2
				if frac >= c.MoonFractionAbove {
					cs := v.dot(mv) / (v.norm() * mv.norm())
					if math.Acos(math.Max(-1, math.Min(1, cs))) < float64(c.MinMoonSeparation) {
						return false
					}
				}
			}
		}
		return true
	}
	st := step.Seconds() / daysec
	edge := func(a, b float64, okA bool) float64 {
		for b-a > 1/daysec {
			m := (a + b) / 2
			if ok(m) == okA {
				a = m
			} else {
				b = m
			}
		}
		return (a + b) / 2
	}
	var out []Window
	prevD := 0.0
	prev := ok(0)
	start := 0.0
	for i := 1; i <= n; i++ {
		d := math.Min(float64(i)*st, span)
		if i == n {
			d = span
		}
		cur := ok(d)
		if cur != prev {
			e := edge(prevD, d, prev)
			if cur {
				start = e
			} else {
				out = append(out, Window{tr.time(start), tr.time(e)})
			}
		}
		prev, prevD = cur, d
	}
	if prev && span-start > 0 {
		out = append(out, Window{tr.time(start), tr.time(span)})
	}
	return out, nil
}
