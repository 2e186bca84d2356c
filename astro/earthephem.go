package astro

import "math"

// vsopBody is a truncated VSOP87B series: [L,B,R][power α][term]{A, B, C},
// each term A·cos(B + C·T)·T^α with T in Julian millennia TDB from J2000.
type vsopBody [3][6][][3]float64

// eval returns the spherical coordinates and their rates per millennium.
func (b *vsopBody) eval(T float64) (v, dv [3]float64) {
	for c := 0; c < 3; c++ {
		tp := 1.0 // T^α
		tpd := 0.0
		for a := 0; a < 6; a++ {
			var s, sd float64
			for _, t := range b[c][a] {
				sn, cs := math.Sincos(t[1] + t[2]*T)
				s += t[0] * cs
				sd -= t[0] * t[2] * sn
			}
			v[c] += s * tp
			dv[c] += sd*tp + s*tpd
			tpd = float64(a+1) * tp
			tp *= T
		}
	}
	return
}

// rect converts VSOP87B (L, B, R) and rates into equatorial (FK5/ICRS-aligned)
// Cartesian position (au) and velocity (au/day).
func vsopRect(v, dv [3]float64) (p, vel Vec3) {
	sl, cl := math.Sincos(v[0])
	sb, cb := math.Sincos(v[1])
	r := v[2]
	x := Vec3{r * cb * cl, r * cb * sl, r * sb}
	// derivatives per millennium
	dx := Vec3{
		dv[2]*cb*cl - r*sb*dv[1]*cl - r*cb*sl*dv[0],
		dv[2]*cb*sl - r*sb*dv[1]*sl + r*cb*cl*dv[0],
		dv[2]*sb + r*cb*dv[1],
	}
	dx = dx.scale(1 / djm)
	return vsopToEq.apply(x), vsopToEq.apply(dx)
}

// vsopToEq rotates the VSOP87 dynamical ecliptic J2000 to the FK5 J2000
// equator (Bretagnon & Francou 1988, vsop87.txt), followed by the inverse
// IAU 2006 frame bias, so the result is ICRS-aligned.
var vsopToEq = func() Matrix {
	m := Matrix{
		{1.000000000000, 0.000000440360, -0.000000190919},
		{-0.000000479966, 0.917482137087, -0.397776982902},
		{0.000000000000, 0.397776982902, 0.917482137087},
	}
	g, p, s, e := pfw06(0)
	bias := fw2m(g, p, s, e) // GCRS → mean J2000 (frame bias)
	return bias.transpose().mul(m)
}()

// Planet mass ratios (planet/Sun; Earth: Earth+Moon), IAU 2009 system. The
// Sun's barycentric offset is −Σ μ r / (1 + Σ μ).
var giants = []struct {
	body *vsopBody
	mu   float64
}{
	{&vsopMercury, 1 / 6023600.0},
	{&vsopVenus, 1 / 408523.71},
	{&vsopEarth, 1 / 328900.56},
	{&vsopMars, 1 / 3098703.59},
	{&vsopJupiter, 1 / 1047.348644},
	{&vsopSaturn, 1 / 3497.9018},
	{&vsopUranus, 1 / 22902.98},
	{&vsopNeptune, 1 / 19412.26},
}

// earthPV returns the Earth's heliocentric and barycentric position (au) and
// barycentric velocity (au/day), ICRS axes, at TDB date (Julian centuries
// since J2000). It uses VSOP87B truncated by the generator (Earth to 1e-8,
// Jupiter and Saturn to 1e-5, the others to 1e-4) with the Sun's
// barycentric offset from all eight planets (the Earth standing for the
// Earth-Moon barycentre).
func earthPV(tc float64) (helio, bary, baryVel Vec3) {
	T := tc / 10
	v, dv := vsopEarth.eval(T)
	hp, hv := vsopRect(v, dv)
	var sunP, sunV Vec3
	musum := 1.0
	for _, g := range giants {
		p, vel := hp, hv // the Earth (for the Earth-Moon barycentre) is already known
		if g.body != &vsopEarth {
			gv, gdv := g.body.eval(T)
			p, vel = vsopRect(gv, gdv)
		}
		sunP = sunP.sub(p.scale(g.mu))
		sunV = sunV.sub(vel.scale(g.mu))
		musum += g.mu
	}
	sunP = sunP.scale(1 / musum)
	sunV = sunV.scale(1 / musum)
	return hp, hp.add(sunP), hv.add(sunV)
}
