package astro

import (
	"fmt"
	"math"
)

// Star is a catalogue entry in the ICRS: position at epoch Epoch, proper
// motion (mas/yr, PMRA = μα* = dα/dt·cos δ, the Gaia/Hipparcos convention),
// parallax (mas) and radial velocity (km/s, positive receding). Unknown
// proper motion, parallax or radial velocity are zero.
type Star struct {
	RA, Dec     Angle
	PMRA, PMDec float64 // mas per Julian year; PMRA includes cos δ
	Parallax    float64 // mas
	RV          float64 // km/s
	Epoch       float64 // Julian epoch (TDB) of RA/Dec; 0 means J2000.0
}

// Astrometry holds the per-instant quantities of the ICRS → apparent →
// observed chain (ERFA's "astrom" context): precession-nutation, the
// observer's barycentric position and velocity, the Sun's direction, and for
// a site its rotation and the refraction constants. Build it once per
// instant (NewGeocentric, NewTopocentric) and reuse it for any number of
// stars: the per-star cost is then a few hundred nanoseconds.
type Astrometry struct {
	t       Time
	tdbJY   float64 // TDB Julian years since J2000
	PN      *PrecessionNutation
	eb      Vec3    // observer barycentric position, au
	eh      Vec3    // Sun → observer unit vector
	em      float64 // Sun → observer distance, au
	v       Vec3    // observer barycentric velocity / c
	bm1     float64 // sqrt(1 − |v|²)
	gast    float64 // Greenwich apparent sidereal time, rad
	topo    bool
	obsGCRS Vec3 // observer's geocentric position, GCRS, au (zero when geocentric)
	site    Site
	weather Weather
	rot     Matrix  // true equator and equinox of date → local (−HA, δ) frame with polar motion
	sphi    float64 // sin, cos of geodetic latitude
	cphi    float64
	refa    float64 // refraction constants (rad)
	refb    float64
}

// NewGeocentric returns the astrometry context for a geocentric observer at
// instant t (any scale; TT, UT1 and TDB are derived from it). The only error
// is a zero (invalid) Time.
func NewGeocentric(t Time) (*Astrometry, error) {
	if t.IsZero() {
		return nil, fmt.Errorf("astro: zero Time")
	}
	a := &Astrometry{}
	a.init(t, nil)
	return a, nil
}

// NewTopocentric returns the astrometry context for an observer at site s
// at instant t; w gives the weather for refraction (nil or zero pressure:
// no refraction). UT1 and polar motion come from t.EOP().
func NewTopocentric(t Time, s Site, w *Weather) (*Astrometry, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if t.IsZero() {
		return nil, fmt.Errorf("astro: zero Time")
	}
	a := &Astrometry{}
	if w != nil {
		if err := w.Validate(); err != nil {
			return nil, err
		}
		a.weather = *w
		a.refa, a.refb = RefractionConstants(*w)
	}
	a.init(t, &s)
	return a, nil
}

func (a *Astrometry) init(t Time, s *Site) {
	a.t = t
	tt := t.TT()
	tc := tt.centuries()
	tdb := t.TDB()
	a.tdbJY = ((tdb.jd1 - dj00) + tdb.jd2) / djy
	a.PN = NewPrecessionNutation(tt)
	eh, eb, ebv := earthPV(tdb.centuries())
	u := t.UT1()
	a.gast = anp(era00(u.jd1, u.jd2) + gmst06poly(tc) + float64(a.PN.EqEq))
	if s != nil {
		a.topo = true
		a.site = *s
		// Observer position (m) and velocity (m/s) in the TIRS.
		r := s.Geocentric()
		rpom := polarMotion(t.eop.XP, t.eop.YP, tc)
		ptirs := rpom.applyT(r)
		vtirs := Vec3{-omegaE * ptirs[1], omegaE * ptirs[0], 0}
		// TIRS → true equator and equinox of date → GCRS.
		toTETE := rotZ(-a.gast, identity())
		p := a.PN.NPB.applyT(toTETE.apply(ptirs))
		v := a.PN.NPB.applyT(toTETE.apply(vtirs))
		a.obsGCRS = p.scale(1 / auM)
		eb = eb.add(p.scale(1 / auM))
		eh = eh.add(p.scale(1 / auM))
		ebv = ebv.add(v.scale(daysec / auM))
		a.sphi, a.cphi = math.Sincos(float64(s.Lat))
		// TETE → ITRS → local (−HA, δ) frame.
		a.rot = rotZ(float64(s.Lon), identity()).mul(rpom).mul(rotZ(a.gast, identity()))
	}
	a.eb = eb
	a.eh, a.em = eh.unit()
	a.v = ebv.scale(aultSec / daysec)
	a.bm1 = math.Sqrt(1 - a.v.dot(a.v))
}

// polarMotion returns the ITRS←TIRS matrix W (IERS 2010 eq. 5.3 with s′ =
// −47 µas·t), so that r_ITRS = W·r_TIRS.
func polarMotion(xp, yp Angle, tc float64) Matrix {
	sp := -47e-6 * das2r * tc
	r := identity()
	r = rotZ(sp, r)
	r = rotY(-float64(xp), r)
	r = rotX(-float64(yp), r)
	return r
}

// Time returns the instant of the context.
func (a *Astrometry) Time() Time { return a.t }

// GAST returns the Greenwich apparent sidereal time used by the context.
func (a *Astrometry) GAST() Angle { return Angle(a.gast) }

// astrometric returns the ICRS direction of the star at the context's epoch
// as seen from the observer (space motion and parallax; ERFA pmpx).
func (a *Astrometry) astrometric(s *Star) Vec3 {
	const vf = daysec * djm / auM // km/s → au per Julian year (1000 m/km · 365.25 d)
	ep := s.Epoch
	if ep == 0 {
		ep = 2000
	}
	pmt := a.tdbJY - (ep - 2000)
	sr, cr := math.Sincos(float64(s.RA))
	sd, cd := math.Sincos(float64(s.Dec))
	p := Vec3{cr * cd, sr * cd, sd}
	pxr := s.Parallax * 1e-3 * das2r
	pr := 0.0
	if cd != 0 {
		pr = s.PMRA * 1e-3 * das2r / cd
	}
	pd := s.PMDec * 1e-3 * das2r
	dt := pmt + p.dot(a.eb)*aultSec/daysec/djy
	w := vf * s.RV * pxr
	pdz := pd * p[2]
	pm := Vec3{-pr*p[1] - pdz*cr + w*p[0], pr*p[0] - pdz*sr + w*p[1], pd*cd + w*p[2]}
	for i := 0; i < 3; i++ {
		p[i] += dt*pm[i] - pxr*a.eb[i]
	}
	u, _ := p.unit()
	return u
}

// deflectAberrate applies light deflection by the Sun (for a source at
// infinity) and aberration (ERFA ldsun + ab) to a unit ICRS direction.
func (a *Astrometry) deflectAberrate(p Vec3) Vec3 {
	em2 := a.em * a.em
	if em2 < 1 {
		em2 = 1
	}
	p = ld(1, p, p, a.eh, a.em, 1e-6/em2)
	return a.aberrate(p)
}

// ld is the light deflection by one body (ERFA ld): p direction from
// observer to source, q from body to source, e from body to observer
// (unit), em distance body–observer (au), dlim deflection limiter.
func ld(bm float64, p, q, e Vec3, em, dlim float64) Vec3 {
	qpe := q.add(e)
	qdqpe := q.dot(qpe)
	w := bm * srsAU / em / math.Max(qdqpe, dlim)
	eq := e.cross(q)
	peq := p.cross(eq)
	return p.add(peq.scale(w))
}

func (a *Astrometry) aberrate(p Vec3) Vec3 {
	v := a.v
	pdv := p.dot(v)
	w1 := 1 + pdv/(1+a.bm1)
	w2 := srsAU / a.em
	var r Vec3
	for i := 0; i < 3; i++ {
		r[i] = p[i]*a.bm1 + w1*v[i] + w2*(v[i]-pdv*p[i])
	}
	u, _ := r.unit()
	return u
}

// Apparent returns the apparent place of a star: right ascension and
// declination referred to the true equator and equinox of date, for the
// context's observer (geocentric, or topocentric with diurnal aberration
// and parallax), with space motion, light deflection by the Sun, annual
// aberration, IAU 2006 precession and IAU 2000A nutation. This is ERFA
// atci13 (or atco13's CIRS step) with the equation of the origins removed,
// astropy's TETE frame. Agreement with ERFA: better than 0.03 mas over
// 1900-2100 (limited by the truncated VSOP87 Earth: 0.03 m/s in velocity);
// see the conformance test and astro/internal/erfacheck.
func (a *Astrometry) Apparent(s Star) (ra, dec Angle) {
	p := a.PN.NPB.apply(a.deflectAberrate(a.astrometric(&s)))
	x, y := c2s(p)
	return Angle(x), Angle(y)
}

// ApparentCIRS is Apparent in the Celestial Intermediate Reference System
// (CIO-based: ERFA atci13 exactly): RA is counted from the CIO.
func (a *Astrometry) ApparentCIRS(s Star) (ra, dec Angle) {
	p := a.PN.C2I.apply(a.deflectAberrate(a.astrometric(&s)))
	x, y := c2s(p)
	return Angle(x), Angle(y)
}

// ApparentFromGCRS returns the apparent place (true equator and equinox of
// date) of a direction given in the GCRS as seen from the context's observer
// — for a body of the solar system, its light-time-corrected geocentric
// direction and distance in au; a topocentric context moves it to the site
// (diurnal parallax, ~1° for the Moon) — applying light deflection by
// the Sun (computed from the body's heliocentric position, as ERFA ld; none
// within 1.5 au of the observer, e.g. for the Sun and the Moon; dist <= 0
// means a source at infinity), annual (and diurnal) aberration and
// precession-nutation.
func (a *Astrometry) ApparentFromGCRS(dir Vec3, dist float64) (ra, dec Angle) {
	x, y := c2s(a.PN.NPB.apply(a.deflectAberrateBody(dir, dist)))
	return Angle(x), Angle(y)
}

func (a *Astrometry) deflectAberrateBody(dir Vec3, dist float64) Vec3 {
	p, _ := dir.unit()
	if dist > 0 && a.topo {
		// Diurnal parallax: from the geocentre to the observer.
		p, dist = p.scale(dist).sub(a.obsGCRS).unit()
	}
	switch {
	case dist <= 0:
		return a.deflectAberrate(p)
	case dist > 1.5:
		// q: Sun → body unit vector; e: Sun → observer.
		q, _ := a.eh.scale(a.em).add(p.scale(dist)).unit()
		em2 := a.em * a.em
		if em2 < 1 {
			em2 = 1
		}
		p = ld(1, p, q, a.eh, a.em, 1e-6/em2)
	}
	return a.aberrate(p)
}

// ICRSFromApparent inverts Apparent for a source at infinity without space
// motion: it returns the ICRS (astrometric, as seen from the observer)
// direction whose apparent place of date is (ra, dec), by iterating the
// aberration and deflection (ERFA aticq-style; converges to 1 µas in three
// steps).
func (a *Astrometry) ICRSFromApparent(ra, dec Angle) (Angle, Angle) {
	target := a.PN.NPB.applyT(s2c(float64(ra), float64(dec)))
	p := target
	for i := 0; i < 5; i++ {
		q := a.deflectAberrate(p)
		p, _ = p.add(target.sub(q)).unit()
	}
	x, y := c2s(p)
	return Angle(x), Angle(y)
}

// ICRSFromObserved returns the ICRS direction of an observed azimuth and
// refracted altitude for the context's site (the reverse of Observed for a
// source at infinity without space motion). Refraction is removed with the
// context's weather; below ~5° altitude the refraction model is uncertain.
func (a *Astrometry) ICRSFromObserved(az, altRefracted Angle) (Angle, Angle) {
	alt := altRefracted
	if a.refa != 0 || a.refb != 0 {
		alt = a.Unrefract(altRefracted)
	}
	sa, ca := math.Sincos(float64(az))
	se, ce := math.Sincos(float64(alt))
	xa, ya, za := -ca*ce, sa*ce, se
	// local (az/el) → (−HA, δ) frame: inverse of the rotation in observedFromTETE.
	x := a.sphi*xa + a.cphi*za
	z := -a.cphi*xa + a.sphi*za
	p := a.rot.applyT(Vec3{x, ya, z})
	r, d := c2s(p)
	return a.ICRSFromApparent(Angle(r), Angle(d))
}

// PropagateStar moves a star's catalogue position to another Julian epoch
// (TDB) by rigorous linear space motion (proper motion, parallax and radial
// velocity, as ERFA starpm/pmsafe, without the light-time correction),
// returning the star with its new position, proper motion, parallax and
// radial velocity. A star without parallax moves along a great circle with
// constant proper motion.
func PropagateStar(s Star, epoch float64) Star {
	const kmsToAUperYr = daysec * djm / auM
	from := s.Epoch
	if from == 0 {
		from = 2000
	}
	dt := epoch - from
	sr, cr := math.Sincos(float64(s.RA))
	sd, cd := math.Sincos(float64(s.Dec))
	p := Vec3{cr * cd, sr * cd, sd}
	east := Vec3{-sr, cr, 0}
	north := Vec3{-cr * sd, -sr * sd, cd}
	pmr := s.PMRA * 1e-3 * das2r // rad/yr
	pmd := s.PMDec * 1e-3 * das2r
	out := s
	out.Epoch = epoch
	if s.Parallax <= 1e-6 { // below 1 nanoarcsecond (1 Gpc): no usable distance
		v := east.scale(pmr).add(north.scale(pmd))
		q, _ := p.add(v.scale(dt)).unit()
		ra, dec := c2s(q)
		out.RA, out.Dec = Angle(ra), Angle(dec)
		// proper motion stays constant in magnitude; re-project its direction
		sr2, cr2 := math.Sincos(ra)
		sd2, cd2 := math.Sincos(dec)
		e2 := Vec3{-sr2, cr2, 0}
		n2 := Vec3{-cr2 * sd2, -sr2 * sd2, cd2}
		out.PMRA = v.dot(e2) / das2r * 1e3
		out.PMDec = v.dot(n2) / das2r * 1e3
		return out
	}
	r := 1 / (s.Parallax * 1e-3 * das2r) // au
	pos := p.scale(r)
	vel := east.scale(pmr * r).add(north.scale(pmd * r)).add(p.scale(s.RV * kmsToAUperYr))
	pos2 := pos.add(vel.scale(dt))
	u, r2 := pos2.unit()
	ra, dec := c2s(u)
	sr2, cr2 := math.Sincos(ra)
	sd2, cd2 := math.Sincos(dec)
	e2 := Vec3{-sr2, cr2, 0}
	n2 := Vec3{-cr2 * sd2, -sr2 * sd2, cd2}
	out.RA, out.Dec = Angle(ra), Angle(dec)
	out.Parallax = 1 / r2 / das2r * 1e3
	out.PMRA = vel.dot(e2) / r2 / das2r * 1e3
	out.PMDec = vel.dot(n2) / r2 / das2r * 1e3
	out.RV = vel.dot(u) / kmsToAUperYr
	return out
}

// Observer returns the observer's barycentric position (au) and velocity
// (au/day) in the ICRS used by the context (the Earth's centre for a
// geocentric context), and the heliocentric observer position (au).
func (a *Astrometry) Observer() (baryPos, baryVel, helioPos Vec3) {
	return a.eb, a.v.scale(daysec / aultSec), a.eh.scale(a.em)
}

// Site returns the context's site and whether it is topocentric.
func (a *Astrometry) Site() (Site, bool) { return a.site, a.topo }

// Validate reports whether the star's fields are usable: finite values,
// |Dec| ≤ 90°, parallax ≥ 0. Apparent and Observed do not check (a NaN in
// gives NaN out); call Validate on untrusted input.
func (s Star) Validate() error {
	if !finite(float64(s.RA), float64(s.Dec), s.PMRA, s.PMDec, s.Parallax, s.RV, s.Epoch) {
		return fmt.Errorf("astro: star has a non-finite field: %+v", s)
	}
	if math.Abs(s.Dec.Deg()) > 90 {
		return fmt.Errorf("astro: star declination %v° beyond ±90°", s.Dec.Deg())
	}
	if s.Parallax < 0 {
		return fmt.Errorf("astro: star parallax %v mas is negative", s.Parallax)
	}
	if math.Abs(s.RV) > cMps/1000 {
		return fmt.Errorf("astro: star radial velocity %v km/s exceeds the speed of light", s.RV)
	}
	return nil
}
