package astro

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/arcsecond-go/arcsecond/astro/internal/theory"
)

// Target is something whose rise, transit and set can be searched and whose
// altitude can be followed: a Body of the solar system or a Star.
type Target interface {
	// place returns the light-time-corrected GCRS direction (au; distance
	// 0 for a source at infinity) from a geocentric context.
	place(a *Astrometry) (dir Vec3, dist float64, err error)
	// radiusKm is the radius used for the semi-diameter (0 for a point).
	radiusKm() float64
	String() string
}

func (b Body) place(a *Astrometry) (Vec3, float64, error) { return a.bodyGCRS(b) }
func (b Body) radiusKm() float64                          { return b.RadiusKm() }

func (s Star) place(a *Astrometry) (Vec3, float64, error) {
	if err := s.Validate(); err != nil {
		return Vec3{}, 0, err
	}
	return a.astrometric(&s), 0, nil
}
func (s Star) radiusKm() float64 { return 0 }

// String formats the star's catalogue position.
func (s Star) String() string {
	return fmt.Sprintf("star %s %s", FormatHMSColon(s.RA, 2), FormatDMSColon(s.Dec, 1))
}

// HorizonRefraction is the refraction at the horizon of the rise/set
// convention, 33.6′ (Swiss Ephemeris's default atmosphere); set
// RiseSetOptions.Refraction for another.
const HorizonRefraction = 33.6 * Arcminute

// RiseSetOptions tunes RiseTransitSetWith. The zero value gives the
// defaults of RiseTransitSet.
type RiseSetOptions struct {
	// Window is the search span after the start (default 36 h, at most
	// 40 days).
	Window time.Duration
	// Altitude, when Set, replaces the rise/set condition: the event is
	// the instant the geometric (unrefracted) altitude of the target's
	// centre crosses Altitude (for twilight: −6°, −12°, −18° for the Sun).
	Altitude    Angle
	AltitudeSet bool
	// Refraction replaces HorizonRefraction when RefractionSet (e.g. 0 for
	// a geometric horizon).
	Refraction    Angle
	RefractionSet bool
	// CentreNotLimb uses the centre of the disc instead of the upper limb.
	CentreNotLimb bool
}

// Events are the rise, upper transit and set of a target found in a search
// window. An event that does not happen in the window is the zero Time with
// its Has flag false; AlwaysUp or AlwaysDown then tells why when the target
// never crosses the horizon in the window.
type Events struct {
	Rise, Transit, Set          Time // in the scale of the search start
	HasRise, HasTransit, HasSet bool
	// TransitAlt is the geometric altitude of the centre at Transit.
	TransitAlt Angle
	// AlwaysUp and AlwaysDown: no rise and no set in the window because
	// the target stays above (circumpolar) or below the horizon.
	AlwaysUp, AlwaysDown bool
}

// ErrNoEvent is wrapped by helpers (Sunrise, Sunset...) that return a single
// event when it does not happen within the window.
var ErrNoEvent = errors.New("astro: no such event within the search window")

// RiseTransitSet returns the first rise, upper transit and set of target at
// site in the 36 hours after from (any scale; events are returned in the
// same scale). Rise and set follow the Swiss Ephemeris convention: the
// instant the upper limb is at apparent altitude 0 for a sea-level
// observer, i.e. the geometric altitude of the centre (topocentric, with
// parallax) equals −(semi-diameter + 33.6′); stars use −33.6′. Transit is
// the upper meridian passage (local apparent hour angle 0). Near the poles a
// target that never crosses the horizon in the window is reported
// AlwaysUp/AlwaysDown, never as an error. The site's height is used for the
// parallax only (no horizon dip).
//
// Accuracy against Swiss Ephemeris (rise_set.csv: 100 Sun and 100 Moon
// rows, latitudes to ±63°; TestRiseSetVsSwissEphemeris and the conformance
// test): worst 0.26 s for the Sun and 0.17 s for the Moon over rise, transit
// and set (gates 5 s and 10 s). UT1 = UTC + DUT1 of from's EOP. The search
// is bounded (a few Newton steps per meridian passage, at most 60 regula
// falsi steps per crossing): no hang near the poles.
func RiseTransitSet(target Target, site Site, from Time) (Events, error) {
	return RiseTransitSetWith(target, site, from, RiseSetOptions{})
}

// RiseTransitSetWith is RiseTransitSet with options (window, altitude of
// the event, refraction).
func RiseTransitSetWith(target Target, site Site, from Time, o RiseSetOptions) (Events, error) {
	if target == nil {
		return Events{}, errors.New("astro: rise/set: nil target")
	}
	w := o.Window
	if w == 0 {
		w = 36 * time.Hour
	}
	if w <= 0 || w > 40*Day {
		return Events{}, fmt.Errorf("astro: rise/set: window %v outside (0, 960h]", o.Window)
	}
	if o.AltitudeSet && !(math.Abs(o.Altitude.Deg()) <= 90) {
		return Events{}, fmt.Errorf("astro: rise/set: altitude %v° outside ±90°", o.Altitude.Deg())
	}
	if o.RefractionSet && !(math.Abs(o.Refraction.Deg()) <= 10) {
		return Events{}, fmt.Errorf("astro: rise/set: refraction %v° outside ±10°", o.Refraction.Deg())
	}
	m, err := newTrack(target, site, from, w.Hours()/24)
	if err != nil {
		return Events{}, fmt.Errorf("astro: rise/set of %v: %w", target, err)
	}
	return m.events(o), nil
}

// track is a fast model of a target's apparent place over a span of days:
// the geocentric apparent position (true equator and equinox of date, au)
// at nodes, interpolated by cubic Lagrange polynomials; precession-nutation
// and the equation of the equinoxes are frozen at the middle of the span
// (they change by less than 0.2″ a day), the sidereal time advances at the
// IAU 2006 rate, diurnal aberration (≤ 0.3″) is neglected.
type track struct {
	target   Target
	start    Time // search start, TT
	scale    Scale
	span     float64 // days
	h        float64 // node spacing, days
	nodes    []Vec3  // node k at d = (k−1)·h
	gast0    float64 // GAST at d = 0
	siteITRS Vec3    // metres
	lon      float64
	sphi     float64
	cphi     float64
	radius   float64 // km
}

// gastRate is dGAST/dt in rad per day of TT (Earth rotation plus the IAU
// 2006 GMST rate, 4612.157″ per century).
const gastRate = 1.00273781191135448*twoPi + 4612.157*das2r/djc

func newTrack(target Target, site Site, from Time, span float64) (*track, error) {
	if from.IsZero() {
		return nil, errors.New("zero Time")
	}
	jd1, jd2 := from.JD()
	if !finite(jd1, jd2) {
		return nil, errors.New("non-finite date")
	}
	if err := site.Validate(); err != nil {
		return nil, err
	}
	t0 := from.TT()
	tr := &track{target: target, start: t0, scale: from.Scale(), span: span, radius: target.radiusKm()}
	tr.h = 1
	if b, ok := target.(Body); ok && b == Moon {
		tr.h = 0.5
	}
	n := int(math.Ceil(span/tr.h)) + 3
	tm := t0.addSec(span / 2 * daysec)
	tdbm := tm.TDB()
	tau := ((tdbm.jd1 - dj00) + tdbm.jd2) / djm
	if !finite(tau) || math.Abs(tau) > theory.MaxYears/1000.0 {
		return nil, fmt.Errorf("date %v outside VSOP87's ±%d years", from, theory.MaxYears)
	}
	mid := newBodyPN(tm, tm.TT().centuries(), tau)
	// GAST at d = 0 from the middle context, through UT1 − TT at the middle.
	tr.gast0 = anp(mid.gast - gastRate*span/2)
	tr.nodes = make([]Vec3, n)
	// The Earth at every node (default VSOP87B), its velocity by second-order
	// differences of the node positions (relative error ~(ωh)²/6 ≤ 1e-5:
	// 0.0002″ of aberration).
	planetTh, _, err := theories()
	if err != nil {
		return nil, err
	}
	earth := make([]Vec3, n)
	times := make([]Time, n)
	for k := range earth {
		times[k] = t0.addSec(float64(k-1) * tr.h * daysec)
		tdb := times[k].TDB()
		tau := ((tdb.jd1 - dj00) + tdb.jd2) / djm
		if !(math.Abs(tau) <= theory.MaxYears/1000.0) {
			return nil, fmt.Errorf("date %v outside VSOP87's ±%d years", times[k], theory.MaxYears)
		}
		earth[k] = vsopEarthGCRS(planetTh, tau)
	}
	a := *mid
	for k := 0; k < n; k++ {
		var v Vec3
		switch k {
		case 0:
			v = earth[1].scale(4).sub(earth[0].scale(3)).sub(earth[2])
		case n - 1:
			v = earth[k].scale(3).sub(earth[k-1].scale(4)).add(earth[k-2])
		default:
			v = earth[k+1].sub(earth[k-1])
		}
		v = v.scale(1 / (2 * tr.h)) // au/day
		a.t = times[k]
		tdb := times[k].TDB()
		a.tdbJY = ((tdb.jd1 - dj00) + tdb.jd2) / djy
		a.eb = earth[k]
		a.eh, a.em = earth[k].unit()
		a.v = v.scale(aultSec / daysec)
		a.bm1 = math.Sqrt(1 - a.v.dot(a.v))
		p, dist, err := target.place(&a)
		if err != nil {
			return nil, err
		}
		w := a.PN.NPB.apply(a.deflectAberrateBody(p, dist))
		if dist > 0 {
			w = w.scale(dist)
		}
		tr.nodes[k] = w
	}
	tr.siteITRS = site.Geocentric()
	tr.lon = float64(site.Lon)
	tr.sphi, tr.cphi = math.Sincos(float64(site.Lat))
	return tr, nil
}

// at returns the interpolated geocentric apparent vector at d days.
func (tr *track) at(d float64) Vec3 {
	x := d/tr.h + 1
	k := int(math.Floor(x)) - 1
	if k < 0 {
		k = 0
	}
	if k > len(tr.nodes)-4 {
		k = len(tr.nodes) - 4
	}
	u := x - float64(k)
	// Lagrange weights at nodes 0..3 for position u.
	w0 := -(u - 1) * (u - 2) * (u - 3) / 6
	w1 := u * (u - 2) * (u - 3) / 2
	w2 := -u * (u - 1) * (u - 3) / 2
	w3 := u * (u - 1) * (u - 2) / 6
	n := tr.nodes[k : k+4]
	var r Vec3
	for i := 0; i < 3; i++ {
		r[i] = w0*n[0][i] + w1*n[1][i] + w2*n[2][i] + w3*n[3][i]
	}
	return r
}

// topo returns the topocentric altitude of the centre, the hour angle and
// the semi-diameter at d days.
func (tr *track) topo(d float64) (alt, ha, sd float64) {
	alt, _, ha, sd, _ = tr.horizontal(d)
	return
}

// vecTopo returns the topocentric apparent vector (true equator and
// equinox of date; au for bodies, unit for stars) and the sidereal angle
// g + longitude at d days.
func (tr *track) vecTopo(d float64) (v Vec3, lst float64) {
	v = tr.at(d)
	g := tr.gast0 + gastRate*d
	if tr.radius > 0 {
		sg, cg := math.Sincos(g)
		r := tr.siteITRS.scale(1 / auM)
		v = v.sub(Vec3{cg*r[0] - sg*r[1], sg*r[0] + cg*r[1], r[2]})
	}
	return v, g + tr.lon
}

// horizontal returns the topocentric altitude and azimuth (from north
// through east) of the centre, the hour angle, the semi-diameter and the
// topocentric vector at d days.
func (tr *track) horizontal(d float64) (alt, az, ha, sd float64, v Vec3) {
	v, l := tr.vecTopo(d)
	if tr.radius > 0 {
		sd = math.Asin(math.Min(1, tr.radius/(v.norm()*auKm)))
	}
	// Rotate into the local (HA, δ) frame.
	sl, cl := math.Sincos(l)
	x := cl*v[0] + sl*v[1]  // towards the meridian
	y := -sl*v[0] + cl*v[1] // towards the east (−HA)
	z := v[2]
	ha = -math.Atan2(y, x)
	xa := tr.sphi*x - tr.cphi*z
	za := tr.cphi*x + tr.sphi*z
	alt = math.Atan2(za, math.Hypot(xa, y))
	az = anp(math.Atan2(y, -xa))
	return alt, az, ha, sd, v
}

func (tr *track) time(d float64) Time {
	return tr.start.addSec(d * daysec).To(tr.scale)
}

// meridian returns the instants (days) in (0, span] of the upper (upper =
// true) or lower meridian passages, solving HA = 0 or π by Newton steps at a
// fixed rate (bounded iterations).
func (tr *track) meridian(upper bool) []float64 {
	var out []float64
	target := 0.0
	if !upper {
		target = math.Pi
	}
	rate := gastRate
	if b, ok := tr.target.(Body); ok && b == Moon {
		rate = gastRate - twoPi/27.32
	}
	_, ha, _ := tr.topo(0)
	d := anp(target-ha) / rate
	for d <= tr.span+0.1 {
		for i := 0; i < 12; i++ {
			_, ha, _ = tr.topo(d)
			step := anpm(target-ha) / rate
			d += step
			if math.Abs(step) < 1e-9 {
				break
			}
		}
		if d > tr.span {
			break
		}
		if d >= 0 && (len(out) == 0 || d-out[len(out)-1] > 0.5) {
			out = append(out, d)
		}
		d += twoPi / rate
	}
	return out
}

func (tr *track) events(o RiseSetOptions) Events {
	var ev Events
	refr := float64(HorizonRefraction)
	if o.RefractionSet {
		refr = float64(o.Refraction)
	}
	f := func(d float64) float64 {
		alt, _, sd := tr.topo(d)
		if o.AltitudeSet {
			return alt - float64(o.Altitude)
		}
		if o.CentreNotLimb {
			sd = 0
		}
		return alt + sd + refr
	}
	up := tr.meridian(true)
	low := tr.meridian(false)
	if len(up) > 0 {
		ev.HasTransit = true
		ev.Transit = tr.time(up[0])
		alt, _, _ := tr.topo(up[0])
		ev.TransitAlt = Angle(alt)
	}
	// Breakpoints: the window ends and every meridian passage, sorted.
	pts := make([]float64, 0, len(up)+len(low)+2)
	pts = append(pts, 0)
	i, j := 0, 0
	for i < len(up) || j < len(low) {
		var x float64
		if j >= len(low) || (i < len(up) && up[i] < low[j]) {
			x, i = up[i], i+1
		} else {
			x, j = low[j], j+1
		}
		if x > pts[len(pts)-1] && x < tr.span {
			pts = append(pts, x)
		}
	}
	pts = append(pts, tr.span)
	fs := make([]float64, len(pts))
	for k, x := range pts {
		fs[k] = f(x)
	}
	anyUp, anyDown := false, false
	for k := 0; k+1 < len(pts); k++ {
		a, b := pts[k], pts[k+1]
		fa, fb := fs[k], fs[k+1]
		if fa > 0 || fb > 0 {
			anyUp = true
		}
		if fa <= 0 || fb <= 0 {
			anyDown = true
		}
		if (fa > 0) == (fb > 0) {
			continue
		}
		root := solve(f, a, b, fa, fb)
		if fb > fa {
			if !ev.HasRise {
				ev.HasRise, ev.Rise = true, tr.time(root)
			}
		} else if !ev.HasSet {
			ev.HasSet, ev.Set = true, tr.time(root)
		}
	}
	if !ev.HasRise && !ev.HasSet {
		ev.AlwaysUp = anyUp && !anyDown
		ev.AlwaysDown = !anyUp
	}
	return ev
}

// solve finds a root of f in [a, b] with f(a)=fa, f(b)=fb of opposite
// signs (Illinois regula falsi, at most 60 steps, to 1e-7 day ≈ 9 ms).
func solve(f func(float64) float64, a, b, fa, fb float64) float64 {
	side := 0
	for i := 0; i < 60 && b-a > 1e-7; i++ {
		c := (a*fb - b*fa) / (fb - fa)
		if !(c > a && c < b) {
			c = (a + b) / 2
		}
		fc := f(c)
		if (fc > 0) == (fb > 0) {
			b, fb = c, fc
			if side == -1 {
				fa /= 2
			}
			side = -1
		} else {
			a, fa = c, fc
			if side == 1 {
				fb /= 2
			}
			side = 1
		}
	}
	return (a + b) / 2
}
