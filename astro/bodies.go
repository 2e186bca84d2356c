package astro

import (
	"fmt"
	"math"
	"strings"

	"github.com/arcsecond-go/arcsecond/astro/internal/theory"
)

// Body is a body of the solar system: the Sun, the Moon or a major planet.
type Body int

// The bodies. The zero value is not a body.
const (
	Sun Body = iota + 1
	Moon
	Mercury
	Venus
	Mars
	Jupiter
	Saturn
	Uranus
	Neptune
)

var bodyNames = [...]string{"", "Sun", "Moon", "Mercury", "Venus", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune"}

// String returns the body's English name ("Sun", "Moon", "Mars", ...).
func (b Body) String() string {
	if b < Sun || b > Neptune {
		return fmt.Sprintf("Body(%d)", int(b))
	}
	return bodyNames[b]
}

// Valid reports whether b is one of the defined bodies.
func (b Body) Valid() bool { return b >= Sun && b <= Neptune }

// ParseBody returns the body named s (case-insensitive English name).
func ParseBody(s string) (Body, error) {
	t := strings.TrimSpace(s)
	for i := Sun; i <= Neptune; i++ {
		if strings.EqualFold(t, bodyNames[i]) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("astro: unknown body %q (want Sun, Moon, Mercury … Neptune)", s)
}

// Equatorial radii (km) used for semi-diameters: Sun 696,000 km and Moon
// 1,737.4 km (the Swiss Ephemeris values of the rise/set convention), planets
// IAU 2015 (Archinal et al. 2018) equatorial radii.
var bodyRadiusKm = [...]float64{0, 696000, 1737.4, 2440.53, 6051.8, 3396.19, 71492, 60268, 25559, 24764}

// RadiusKm returns the body's equatorial radius in kilometres.
func (b Body) RadiusKm() float64 {
	if !b.Valid() {
		return 0
	}
	return bodyRadiusKm[b]
}

var vsopBodyOf = [...]theory.Planet{Mercury: theory.Mercury, Venus: theory.Venus, Mars: theory.Mars,
	Jupiter: theory.Jupiter, Saturn: theory.Saturn, Uranus: theory.Uranus, Neptune: theory.Neptune}

// auKm is the astronomical unit in kilometres (IAU 2012, exact).
const auKm = 149597870.7

// The theories come from the provider that astro/ephemeris registers (see
// astro/internal/theory): astro itself does not link their tables.

// theories returns the default planetary and lunar theories.
func theories() (theory.Planets, theory.Moon, error) {
	p, err := theory.Get()
	if err != nil {
		return nil, nil, fmt.Errorf("astro: %w", err)
	}
	set, err := p.Default()
	if err != nil {
		return nil, nil, fmt.Errorf("astro: solar-system theories: %w", err)
	}
	return set.Planets, set.Moon, nil
}

// rectangular converts the theories' spherical l, b, r into rectangular
// x, y, z (same units as r).
func rectangular(l, b, r float64) (x, y, z float64) {
	sl, cl := math.Sincos(l)
	sb, cb := math.Sincos(b)
	return r * cb * cl, r * cb * sl, r * sb
}

// BodyPosition is the place of a body of the solar system.
type BodyPosition struct {
	Body     Body
	RA, Dec  Angle   // apparent: true equator and equinox of date
	Lon, Lat Angle   // apparent: true ecliptic and equinox of date
	Distance float64 // km, observer to body at the light-time-corrected epoch
	// LightTime is the light travel time in seconds.
	LightTime float64
	// SemiDiameter is the apparent angular radius from the distance.
	SemiDiameter Angle
}

// lunar mean motion (rad/s) about the ecliptic pole, for the small
// light-time correction of the Moon.
const moonMeanMotion = 2 * math.Pi / (27.321661 * 86400)

// moonTau0 is the mean light time of the Moon (s); the Moon is evaluated
// once at t − moonTau0 and moved along its orbit by the residual.
const moonTau0 = 384400.0 / (cMps / 1000)

// bodyGCRS returns the light-time-corrected direction of body from the
// geocentre (GCRS axes, in au, not normalised) and its length; for a
// topocentric context ApparentFromGCRS/ObservedFromGCRS move it to the site.
// Positions: VSOP87B (vsop87.Default) for the planets, ELP/MPP02 (DE405
// constants, elpmpp02.Default) for the Moon, the Earth of the Astrometry
// context for the Sun.
func (a *Astrometry) bodyGCRS(b Body) (Vec3, float64, error) {
	planetTh, moonTh, err := theories()
	if err != nil {
		return Vec3{}, 0, err
	}
	return a.bodyGCRSWith(b, planetTh, moonTh)
}

// bodyGCRSWith is bodyGCRS with the given planetary and lunar theories.
func (a *Astrometry) bodyGCRSWith(b Body, planetTh theory.Planets, moonTh theory.Moon) (Vec3, float64, error) {
	// Heliocentric geocentre (au): the context's observer minus its
	// geocentric offset (ApparentFromGCRS applies the diurnal parallax).
	obs := a.eh.scale(a.em).sub(a.obsGCRS)
	switch {
	case b == Sun:
		p := obs.scale(-1)
		return p, a.em, nil
	case b == Moon:
		tdb := a.t.TDB()
		tc := ((tdb.jd1 - dj00) + tdb.jd2 - moonTau0/daysec) / djc
		x, y, z := moonTh.Eval(tc)
		m := vsopToEq.apply(Vec3{x, y, z}).scale(1 / auKm)
		// Residual light time: move along the orbit by (τ0 − τ).
		d := m.norm()
		dt := moonTau0 - d*aultSec
		pole := vsopToEq.apply(Vec3{0, 0, 1})
		m = m.add(pole.cross(m).scale(moonMeanMotion * dt))
		// Observer's motion during the light time (barycentric frame).
		m = m.sub(a.v.scale(d))
		return m, m.norm(), nil
	case b.Valid():
		tdb := a.t.TDB()
		tau := ((tdb.jd1 - dj00) + tdb.jd2) / 365250
		if math.Abs(tau) > theory.MaxYears/1000.0 {
			return Vec3{}, 0, fmt.Errorf("astro: %v: date %v outside VSOP87's ±%d years", b, a.t, theory.MaxYears)
		}
		vb := vsopBodyOf[b]
		vt, err := earthVelTheory()
		if err != nil {
			return Vec3{}, 0, err
		}
		// Light time: a coarse (1e-6) position gives τ to ~0.1 s, then one
		// evaluation of the default theory at t − τ.
		l, bb, r := vt.Eval(vb, tau)
		x, y, z := rectangular(l, bb, r)
		lt := vsopToEq.apply(Vec3{x, y, z}).sub(obs).norm() * aultSec
		l, bb, r = planetTh.Eval(vb, tau-lt/(daysec*djm))
		if b == Neptune {
			l -= neptuneCorrection(tau * 10)
		}
		x, y, z = rectangular(l, bb, r)
		p := vsopToEq.apply(Vec3{x, y, z}).sub(obs)
		return p, p.norm(), nil
	}
	return Vec3{}, 0, fmt.Errorf("astro: unknown body %d", int(b))
}

// Body returns the apparent place of a body of the solar system for the
// context's observer (geocentric, or topocentric for NewTopocentric):
// right ascension and declination referred to the true equator and equinox
// of date, ecliptic longitude and latitude referred to the true ecliptic and
// equinox of date, with light-time, light deflection by the Sun (planets),
// annual (and diurnal) aberration, IAU 2006 precession and IAU 2000A
// nutation. Distance is in km. TDB is taken from the context's Time.
//
// Accuracy against Swiss Ephemeris (JPL DE431), 1900-2100, geocentric, 250
// dates per body (bodies.csv; TestBodiesVsSwissEphemeris and the
// conformance test), median / worst great-circle error: Sun 0.039″ /
// 0.069″, Moon 0.075″ / 0.15″ (distance within 0.15 km), Mercury–Saturn
// ≤ 0.15″ / 0.56″, Uranus 0.29″ / 1.52″, Neptune 0.12″ / 0.30″ (with an
// empirical DE431 correction, see neptuneCorrection); planet distances
// within 3.4e-6 relative. Gates: Sun 1″, Moon 2″ and 5 km, planets 2″.
// Outside 1900-2100 the accuracy is that of VSOP87 and ELP/MPP02 (about 1″
// over several centuries).
func (a *Astrometry) Body(b Body) (BodyPosition, error) {
	planetTh, moonTh, err := theories()
	if err != nil {
		return BodyPosition{}, err
	}
	return a.body(b, planetTh, moonTh)
}

func (a *Astrometry) body(b Body, planetTh theory.Planets, moonTh theory.Moon) (BodyPosition, error) {
	p, d, err := a.bodyGCRSWith(b, planetTh, moonTh)
	if err != nil {
		return BodyPosition{}, err
	}
	v := a.PN.NPB.apply(a.deflectAberrateBody(p, d))
	ra, dec := c2s(v)
	eps := float64(a.PN.EpsA + a.PN.DEps)
	e := rotX(eps, identity()).apply(v)
	lon, lat := c2s(e)
	if a.topo {
		d = p.sub(a.obsGCRS).norm()
	}
	km := d * auKm
	return BodyPosition{Body: b, RA: Angle(ra), Dec: Angle(dec), Lon: Angle(lon), Lat: Angle(lat),
		Distance: km, LightTime: d * aultSec, SemiDiameter: Angle(math.Asin(math.Min(1, bodyRadiusKm[b]/km)))}, nil
}

// ObservedBody returns the observed place (azimuth, altitude with and
// without refraction, hour angle, topocentric apparent RA/Dec) of a body for
// the context's site, with topocentric parallax; see Observed.
func (a *Astrometry) ObservedBody(b Body) (Observed, error) {
	p, d, err := a.bodyGCRS(b)
	if err != nil {
		return Observed{}, err
	}
	return a.ObservedFromGCRS(p, d), nil
}

// ApparentPosition returns the geocentric apparent place of body at instant
// t (any scale), as NewGeocentric(t) then Body(b) but with a lighter
// context: IAU 2000B nutation (1 mas), the Earth's position from VSOP87B
// and its velocity from its Keplerian orbit; the result is within 0.02″ of
// the full chain over 1900-2100 (TestLightContextVsFull) and allocates
// nothing. To place several bodies at one instant, or for a site, build a
// context with NewGeocentric or NewTopocentric.
func ApparentPosition(b Body, t Time) (BodyPosition, error) {
	if !b.Valid() {
		return BodyPosition{}, fmt.Errorf("astro: unknown body %d", int(b))
	}
	var a Astrometry
	var pn PrecessionNutation
	a.PN = &pn
	if err := a.initBody(t, b == Moon); err != nil {
		return BodyPosition{}, err
	}
	return a.Body(b)
}

// neptuneCorrection returns an empirical correction (rad, to subtract) to VSOP87's
// heliocentric longitude of Neptune, T in Julian centuries TDB from J2000.
// VSOP87 was fitted to DE200; against JPL DE431 (Swiss Ephemeris) its Neptune
// drifts by up to 2.1″ over 1900-2100, more than the 2″ gate. The cubic
// 0.7804 + 2.0957 T + 0.3942 T² − 1.2718 T³ (arcsec) was fitted to the
// geocentric longitude errors of the even rows of bodies.csv (125 dates,
// 1900-2100) and leaves 0.28″ on them and 0.26″ on the other 125 rows. T is
// clamped to [−1, 1]: outside 1900-2100 the correction stays at its end
// value (0.35″ before, 2.0″ after), which is no worse than none.
func neptuneCorrection(T float64) float64 {
	T = math.Max(-1, math.Min(1, T))
	return (0.7804 + T*(2.0957+T*(0.3942-1.2718*T))) * das2r
}

// earthVelTheory is a coarse VSOP87B (1e-6 rad), for light time.
func earthVelTheory() (theory.Planets, error) {
	p, err := theory.Get()
	if err != nil {
		return nil, fmt.Errorf("astro: %w", err)
	}
	return p.Coarse()
}

// vsopEarthGCRS returns the Earth's heliocentric position (au) from the
// default VSOP87B theory, ICRS axes, at tau millennia TDB.
func vsopEarthGCRS(th theory.Planets, tau float64) Vec3 {
	l, b, r := th.Eval(theory.Earth, tau)
	x, y, z := rectangular(l, b, r)
	return vsopToEq.apply(Vec3{x, y, z})
}

// setEarthWith sets the observer (geocentric) of a body context at tau
// millennia TDB: heliocentric position from VSOP87B at the default
// truncation, velocity from the Keplerian orbit (see keplerEarth). eb
// (barycentric position) is set to the heliocentric one: body contexts are
// not used for stellar parallax. coarse takes the position from the Keplerian
// orbit too (enough for the Moon, whose place uses only the Earth's velocity
// and, in the aberration's tiny gravitational term, its distance from the
// Sun).
func (a *Astrometry) setEarthWith(tau float64, coarse bool) error {
	planetTh, _, err := theories()
	if err != nil {
		return err
	}
	kp, v := keplerEarth(tau * 10)
	p := kp
	if !coarse {
		p = vsopEarthGCRS(planetTh, tau)
	}
	a.eb = p
	a.eh, a.em = p.unit()
	a.v = v.scale(aultSec / daysec)
	a.bm1 = math.Sqrt(1 - a.v.dot(a.v))
	return nil
}

// keplerEarth returns the heliocentric position (au) and velocity (au/day),
// ICRS axes, of the Earth-Moon barycentre on its Keplerian orbit with the
// mean elements of E. M. Standish, "Keplerian Elements for Approximate
// Positions of the Major Planets" (JPL, Table 1, 1800-2050), T in Julian
// centuries TDB from J2000. The velocity is within about 4e-4 relative of the
// Earth's (the Earth's 12.5 m/s monthly motion about the barycentre and the
// planetary perturbations), i.e. within 0.01″ of annual aberration; the
// position within about 1e-4 au.
func keplerEarth(T float64) (p, v Vec3) {
	a := 1.00000261 + 0.00000562*T
	e := 0.01671123 - 0.00004392*T
	L := (100.46457166 + 35999.37244981*T) * d2r
	w := (102.93768193 + 0.32327364*T) * d2r
	n := 35999.37244981 * d2r / djc // rad/day
	M := math.Mod(L-w, twoPi)
	E := M + e*math.Sin(M)
	for i := 0; i < 4; i++ {
		E -= (E - e*math.Sin(E) - M) / (1 - e*math.Cos(E))
	}
	sE, cE := math.Sincos(E)
	q := math.Sqrt(1 - e*e)
	x, y := a*(cE-e), a*q*sE
	Ed := n / (1 - e*cE)
	vx, vy := -a*sE*Ed, a*q*cE*Ed
	sw, cw := math.Sincos(w)
	p = vsopToEq.apply(Vec3{cw*x - sw*y, sw*x + cw*y, 0})
	v = vsopToEq.apply(Vec3{cw*vx - sw*vy, sw*vx + cw*vy, 0})
	return p, v
}

// newBodyContext returns a geocentric context for solar-system places at
// instant t, cheaper than NewGeocentric: IAU 2000B nutation (within 1 mas
// of 2000A), the equation of the equinoxes without its complementary terms
// (≤ 3 mas), the Earth from VSOP87B (see setEarth). Not for stars with
// parallax.
func newBodyContext(t Time) (*Astrometry, error) { return newBodyContextFor(t, false) }

// newBodyContextFor is newBodyContext; moonOnly builds a context good for
// the Moon only (coarse Earth position, see setEarthWith).
func newBodyContextFor(t Time, moonOnly bool) (*Astrometry, error) {
	a := &Astrometry{PN: new(PrecessionNutation)}
	if err := a.initBody(t, moonOnly); err != nil {
		return nil, err
	}
	return a, nil
}

// initBody fills a body context (its PN allocated by the caller) for
// instant t, without the sidereal time.
func (a *Astrometry) initBody(t Time, moonOnly bool) error {
	if t.IsZero() {
		return fmt.Errorf("astro: zero Time")
	}
	tt := t.TT()
	tdb := t.TDB()
	tc := tt.centuries()
	if !finite(tc) {
		return fmt.Errorf("astro: non-finite date")
	}
	tau := ((tdb.jd1 - dj00) + tdb.jd2) / djm
	if math.Abs(tau) > theory.MaxYears/1000.0 {
		return fmt.Errorf("astro: date %v outside VSOP87's ±%d years", t, theory.MaxYears)
	}
	a.initBodyPN(t, tc, tau, false)
	return a.setEarthWith(tau, moonOnly)
}

// newBodyPN returns a body context with its precession-nutation and
// sidereal time set but not its Earth (see setEarth).
func newBodyPN(t Time, tc, tau float64) *Astrometry {
	a := &Astrometry{}
	a.PN = new(PrecessionNutation)
	a.initBodyPN(t, tc, tau, true)
	return a
}

// initBodyPN fills a body context whose PN is already allocated; full also
// sets the bias-precession matrix and the sidereal time (for sites).
func (a *Astrometry) initBodyPN(t Time, tc, tau float64, full bool) {
	a.t, a.tdbJY = t, tau*1000
	dpsi, deps := nut2000B(tc)
	fj2 := -2.7774e-6 * tc
	dpsi *= 1 + 0.4697e-6 + fj2
	deps *= 1 + fj2
	g, p, s, e := pfw06(tc)
	pn := a.PN
	*pn = PrecessionNutation{T: tc, DPsi: Angle(dpsi), DEps: Angle(deps), EpsA: Angle(e),
		NPB: fw2m(g, p, s+dpsi, e+deps), EqEq: Angle(dpsi * math.Cos(e))}
	if full {
		pn.BP = fw2m(g, p, s, e)
		u := t.UT1()
		a.gast = anp(era00(u.jd1, u.jd2) + gmst06poly(tc) + dpsi*math.Cos(e))
	}
}

// ApparentPositionFast is ApparentPosition with the coarser truncations of
// the theories (vsop87.FastThreshold for the planets, elpmpp02.FastThreshold
// for the Moon; the Sun is unchanged): about a third less time for the
// Moon and half for a planet. Against Swiss Ephemeris over 1900-2100
// (TestBodiesFastVsSwissEphemeris) the median / worst errors are 0.10″ /
// 0.33″ for the Moon (distance within 0.42 km), ≤ 0.16″ / 0.91″ for
// Mercury–Neptune except Uranus (0.31″ / 1.73″).
func ApparentPositionFast(b Body, t Time) (BodyPosition, error) {
	if !b.Valid() {
		return BodyPosition{}, fmt.Errorf("astro: unknown body %d", int(b))
	}
	prov, err := theory.Get()
	if err != nil {
		return BodyPosition{}, fmt.Errorf("astro: %w", err)
	}
	fast, err := prov.Fast()
	if err != nil {
		return BodyPosition{}, fmt.Errorf("astro: fast theories: %w", err)
	}
	var a Astrometry
	var pn PrecessionNutation
	a.PN = &pn
	if err := a.initBody(t, b == Moon); err != nil {
		return BodyPosition{}, err
	}
	return a.body(b, fast.Planets, fast.Moon)
}
