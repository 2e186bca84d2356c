package astro

import (
	"fmt"
	"math"
)

// PlanetInfo gathers what an observer wants to know about a planet at an
// instant, seen from the Earth's centre.
type PlanetInfo struct {
	Position BodyPosition // apparent place (see Astrometry.Body)
	// SunDistance is the heliocentric distance (au) at the light-time-
	// corrected epoch; EarthDistance the geocentric one (au).
	SunDistance, EarthDistance float64
	// Illumination: phase angle, illuminated fraction, elongation from
	// the Sun, bright-limb position angle.
	Illumination Illumination
	// Magnitude is the visual magnitude from the Astronomical Almanac 1984
	// expressions (Meeus, Astronomical Algorithms, 2nd ed., ch. 41: about
	// 0.1 mag; Saturn with its rings).
	Magnitude float64
	// RingTilt is, for Saturn, the Saturnicentric latitude B of the Earth
	// referred to the ring plane (Meeus ch. 45 elements); 0 otherwise.
	RingTilt Angle
}

// Planet returns the apparent place, distances, illumination, elongation
// and visual magnitude of planet b (Mercury … Neptune) at t.
func Planet(b Body, t Time) (PlanetInfo, error) {
	if b < Mercury || b > Neptune {
		return PlanetInfo{}, fmt.Errorf("astro: %v is not a planet", b)
	}
	a, err := newBodyContext(t)
	if err != nil {
		return PlanetInfo{}, err
	}
	pos, err := a.Body(b)
	if err != nil {
		return PlanetInfo{}, err
	}
	sun, err := a.Body(Sun)
	if err != nil {
		return PlanetInfo{}, err
	}
	g := s2c(float64(pos.RA), float64(pos.Dec)).scale(pos.Distance / auKm) // geocentric, au (TETE)
	s := s2c(float64(sun.RA), float64(sun.Dec)).scale(sun.Distance / auKm)
	h := g.sub(s) // heliocentric (direction only: apparent vectors)
	// Distances from the theory: r at t − τ, Δ, and R the Sun–Earth distance.
	tdb := a.t.TDB()
	tau := ((tdb.jd1 - dj00) + tdb.jd2 - pos.LightTime/daysec) / djm
	planetTh, _, err := theories()
	if err != nil {
		return PlanetInfo{}, err
	}
	_, _, r := planetTh.Eval(vsopBodyOf[b], tau)
	delta := pos.Distance / auKm
	R := a.em
	ci := (r*r + delta*delta - R*R) / (2 * r * delta)
	i := math.Acos(math.Max(-1, math.Min(1, ci)))
	elong := math.Acos(math.Max(-1, math.Min(1, g.dot(s)/(delta*s.norm()))))
	sd, cd := math.Sincos(float64(pos.Dec))
	s0, c0 := math.Sincos(float64(sun.Dec))
	da := float64(sun.RA - pos.RA)
	chi := anp(math.Atan2(c0*math.Sin(da), s0*cd-c0*sd*math.Cos(da)))
	info := PlanetInfo{Position: pos, SunDistance: r, EarthDistance: delta,
		Illumination: Illumination{Fraction: (1 + ci) / 2, PhaseAngle: Angle(i), Elongation: Angle(elong), BrightLimb: Angle(chi)}}
	id := i / d2r
	m := 5 * math.Log10(r*delta)
	switch b {
	case Mercury:
		m += -0.42 + id*(0.0380+id*(-0.000273+id*0.000002))
	case Venus:
		m += -4.40 + id*(0.0009+id*(0.000239-id*0.00000065))
	case Mars:
		m += -1.52 + 0.016*id
	case Jupiter:
		m += -9.40 + 0.005*id
	case Saturn:
		// Ring plane (Meeus ch. 45): inclination and node on the ecliptic of date.
		T := a.PN.T
		inc := (28.075216 - 0.012998*T + 0.000004*T*T) * d2r
		node := (169.508470 + 1.394681*T + 0.000412*T*T) * d2r
		eps := float64(a.PN.EpsA + a.PN.DEps)
		ring := func(v Vec3) (B, U float64) {
			e := rotX(eps, identity()).apply(v)
			l, bb := c2s(e)
			si, ci := math.Sincos(inc)
			sb, cb := math.Sincos(bb)
			sl, cl := math.Sincos(l - node)
			B = math.Asin(si*cb*sl - ci*sb)
			U = math.Atan2(si*sb+ci*cb*sl, cb*cl)
			return
		}
		B, U1 := ring(g)
		_, U2 := ring(h)
		dU := math.Abs(anpm(U1-U2)) / d2r
		sB := math.Sin(math.Abs(B))
		m += -8.88 + 0.044*dU - 2.60*sB + 1.25*sB*sB
		info.RingTilt = Angle(B)
	case Uranus:
		m += -7.19
	case Neptune:
		m += -6.87
	}
	info.Magnitude = m
	return info, nil
}
