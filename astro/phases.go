package astro

import (
	"fmt"
	"math"
)

// Illumination describes the lit part of the Moon (or a planet) seen from
// the Earth's centre.
type Illumination struct {
	// Fraction is the illuminated fraction of the disc, (1 + cos i)/2.
	Fraction float64
	// PhaseAngle i is the Sun–body–Earth angle (0 full, 180° new).
	PhaseAngle Angle
	// Elongation is the geocentric Sun–body angle.
	Elongation Angle
	// BrightLimb is the position angle of the midpoint of the bright limb,
	// from north through east (Meeus eq. 48.5).
	BrightLimb Angle
}

// IlluminationOf returns the illumination of body (not the Sun) at t, from
// the geocentric apparent places of the body and the Sun (Meeus ch. 41 and
// 48 with exact vectors).
func IlluminationOf(b Body, t Time) (Illumination, error) {
	if b == Sun || !b.Valid() {
		return Illumination{}, fmt.Errorf("astro: illumination of %v: not a lit body", b)
	}
	a, err := newBodyContext(t)
	if err != nil {
		return Illumination{}, err
	}
	s, err := a.Body(Sun)
	if err != nil {
		return Illumination{}, err
	}
	m, err := a.Body(b)
	if err != nil {
		return Illumination{}, err
	}
	su := s2c(float64(s.RA), float64(s.Dec)).scale(s.Distance)
	mu := s2c(float64(m.RA), float64(m.Dec)).scale(m.Distance)
	elong := math.Acos(math.Max(-1, math.Min(1, su.dot(mu)/(s.Distance*m.Distance))))
	// Phase angle: between body→Sun and body→Earth.
	toSun := su.sub(mu)
	toEarth := mu.scale(-1)
	ci := toSun.dot(toEarth) / (toSun.norm() * toEarth.norm())
	i := math.Acos(math.Max(-1, math.Min(1, ci)))
	sd, cd := math.Sincos(float64(m.Dec))
	s0, c0 := math.Sincos(float64(s.Dec))
	da := float64(s.RA - m.RA)
	chi := math.Atan2(c0*math.Sin(da), s0*cd-c0*sd*math.Cos(da))
	return Illumination{Fraction: (1 + ci) / 2, PhaseAngle: Angle(i), Elongation: Angle(elong), BrightLimb: Angle(anp(chi))}, nil
}

// MoonIllumination returns the Moon's illumination at t.
func MoonIllumination(t Time) (Illumination, error) { return IlluminationOf(Moon, t) }

// MoonPhase is a principal phase of the Moon.
type MoonPhase int

// The principal phases, by the excess of the Moon's apparent ecliptic
// longitude over the Sun's: 0°, 90°, 180°, 270°.
const (
	NewMoon MoonPhase = iota
	FirstQuarter
	FullMoon
	LastQuarter
)

func (p MoonPhase) String() string {
	switch p {
	case NewMoon:
		return "new Moon"
	case FirstQuarter:
		return "first quarter"
	case FullMoon:
		return "full Moon"
	case LastQuarter:
		return "last quarter"
	}
	return fmt.Sprintf("MoonPhase(%d)", int(p))
}

// PhaseEvent is the instant of a principal phase.
type PhaseEvent struct {
	Phase MoonPhase
	Time  Time // TT
}

// lunarElongation returns λ☾ − λ☉ (apparent, of date) in [0, 2π) at t.
func lunarElongation(t Time) (float64, error) {
	a, err := newBodyContext(t)
	if err != nil {
		return 0, err
	}
	m, err := a.Body(Moon)
	if err != nil {
		return 0, err
	}
	s, err := a.Body(Sun)
	if err != nil {
		return 0, err
	}
	return anp(float64(m.Lon - s.Lon)), nil
}

// synodicMonth is the mean synodic month, days.
const synodicMonth = 29.530588861

// NextMoonPhase returns the first instant after from (TT) when the Moon
// reaches phase p, by Newton steps on the apparent elongation (to 0.1 s;
// Swiss Ephemeris-level positions make it good to a few seconds).
func NextMoonPhase(p MoonPhase, from Time) (PhaseEvent, error) {
	if p < NewMoon || p > LastQuarter {
		return PhaseEvent{}, fmt.Errorf("astro: unknown Moon phase %d", int(p))
	}
	if from.IsZero() {
		return PhaseEvent{}, fmt.Errorf("astro: zero Time")
	}
	target := float64(p) * math.Pi / 2
	t := from.TT()
	e, err := lunarElongation(t)
	if err != nil {
		return PhaseEvent{}, err
	}
	rate := twoPi / synodicMonth // rad/day
	d := anp(target-e) / rate
	for i := 0; i < 20; i++ {
		e, err = lunarElongation(t.addSec(d * daysec))
		if err != nil {
			return PhaseEvent{}, err
		}
		step := anpm(target-e) / rate
		d += step
		if math.Abs(step) < 1e-6 {
			break
		}
	}
	if d < 0 {
		// Converged to the previous occurrence (from just after it).
		return NextMoonPhase(p, t.addSec(d*daysec+synodicMonth/4*daysec))
	}
	return PhaseEvent{p, t.addSec(d * daysec)}, nil
}

// MoonPhasesBetween returns the principal phases in [from, to), in order.
func MoonPhasesBetween(from, to Time) ([]PhaseEvent, error) {
	span := to.Sub(from) / daysec
	if !(span >= 0 && span <= 366*200) {
		return nil, fmt.Errorf("astro: moon phases: span %v days outside [0, 73200]", span)
	}
	e, err := lunarElongation(from.TT())
	if err != nil {
		return nil, err
	}
	next := MoonPhase(int(math.Floor(e/(math.Pi/2))+1) % 4)
	var out []PhaseEvent
	t := from
	for {
		ev, err := NextMoonPhase(next, t)
		if err != nil {
			return nil, err
		}
		if ev.Time.Sub(to) >= 0 {
			return out, nil
		}
		out = append(out, ev)
		t = ev.Time.addSec(daysec)
		next = (next + 1) % 4
	}
}

// MoonAge returns the days elapsed since the previous new Moon at t.
func MoonAge(t Time) (float64, error) {
	if t.IsZero() {
		return 0, fmt.Errorf("astro: zero Time")
	}
	ev, err := NextMoonPhase(NewMoon, t.TT().addSec(-(synodicMonth+2)*daysec))
	if err != nil {
		return 0, err
	}
	for {
		nx, err := NextMoonPhase(NewMoon, ev.Time.addSec(daysec))
		if err != nil {
			return 0, err
		}
		if nx.Time.Sub(t) > 0 {
			return t.Sub(ev.Time) / daysec, nil
		}
		ev = nx
	}
}
