// Package elpmpp02 evaluates the semi-analytical lunar theory ELP/MPP02
// (J. Chapront & G. Francou, "The lunar theory ELP revisited. Introduction of
// new planetary perturbations", Astron. Astrophys. 404, 735 (2003)): the
// geocentric position of the Moon referred to the inertial mean ecliptic and
// equinox of J2000, in kilometres, at a TDB Julian date.
//
// The 35,901 published terms (main problem 2,645, perturbations 33,256) are
// embedded (elpmpp02.bin, 1.1 MB, converted by internal/gen which checks the
// SHA-256 of its inputs; see DATA.md).
//
// # Constants
//
// The theory ships two sets of fitted corrections to its constants
// (README.TXT and elpmpp02.for of the IMCCE distribution):
//
//   - LLR: fitted to Lunar Laser Ranging observations 1970–2001 (icor=0,
//     the Fortran default);
//   - DE405: fitted to the JPL numerical integration DE405 over 1950–2060,
//     with additional corrections to the secular terms of W1, W2, W3 so that
//     the solution stays close to the JPL ephemeris over several millennia
//     (icor=1).
//
// This package defaults to DE405, because the reference ephemerides the
// project is judged against (Swiss Ephemeris, compressed from JPL DE431) are
// JPL integrations, and because the DE405 set keeps the secular terms close
// to JPL far from the present; the LLR set is available with New(LLR, ...).
// Both reproduce the published check positions (ELPMPP02.{llr,jpl}.ctl) to
// better than 1e-6 km with the full series.
//
// # Truncation
//
// New(fit, eps) keeps the terms whose amplitude reaches eps arcseconds (a
// distance amplitude counts as its angle at the mean lunar distance, 1 km ≈
// 0.537"; terms multiplied by t^n, t in Julian centuries, count their
// amplitude at |t| = 1). DefaultThreshold and the measured truncation errors
// are documented next to the constant.
//
// # Evaluation
//
// The 13 arguments (Delaunay D, F, l, l', eight planetary mean longitudes and
// ζ) are computed once per call with one sincos each; exp(i·k·arg) follow by
// recurrence, (D, l') and (F, l) are tabulated together, and every term is a
// product of a few complex factors, shared by the longitude, latitude and
// distance terms with the same argument. No trigonometric call per term and
// no allocation (BenchmarkMoon: about 4.5 µs per position on the project's
// 2-core x86_64 sandbox, fastest batch, with 1,837 terms).
//
// # Accuracy against JPL DE431
//
// Over 1900–2100 (250 dates of the project's Swiss Ephemeris reference
// vectors) the full series is within 0.024 km in distance and 0.075" in the
// frame-independent Moon–Sun angle; the default truncation within 0.08 km
// and 0.15" (TestMoonDistanceVsSwissEphemeris,
// TestMoonSunAngleVsSwissEphemeris). The reference distance is
// |M(t − τ) − E(t)| in barycentric positions; from a geocentric theory that
// is |m(t − τ) − V⊕·τ|, and the V⊕·τ term alone is worth up to 38 km.
//
// # Frame
//
// Positions are referred to the inertial mean ecliptic and equinox of J2000
// (the theory's own series are referred to the ecliptic of date and are
// rotated with Laskar's P, Q polynomials, as in elpmpp02.for). MeanOfDate
// returns the theory's own ecliptic-of-date variables with the longitude
// counted from the mean equinox of date (IAU 2006 p_A); against the apparent
// places of Swiss Ephemeris it is within 0.09" in latitude and 0.16" in
// longitude relative to the Sun (TestMeanOfDateVsSwissEphemeris).
//
// # Validity
//
// Dates within MaxYears of J2000 are accepted; others return ErrRange, and
// non-finite dates ErrDate.
//
// Example:
//
//	x, y, z, err := elpmpp02.Geocentric(2451545.0, 0) // km, ecliptic J2000
package elpmpp02

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/arcsecond-go/arcsecond/astro/internal/series"
)

//go:generate go run ./internal/gen -data ../../../shared/reference/data/elpmpp02 -out .

//go:embed elpmpp02.bin
var table []byte

// Fit selects the set of fitted corrections to the constants of the theory.
type Fit int

const (
	// DE405 uses the constants fitted to JPL DE405 (icor=1 of elpmpp02.for).
	DE405 Fit = iota
	// LLR uses the constants fitted to Lunar Laser Ranging (icor=0).
	LLR
)

func (f Fit) String() string {
	switch f {
	case DE405:
		return "DE405"
	case LLR:
		return "LLR"
	}
	return fmt.Sprintf("Fit(%d)", int(f))
}

// J2000JD is the Julian date of J2000.0 (TDB).
const J2000JD = 2451545.0

// MaxYears bounds |date − J2000| accepted by the evaluation functions.
const MaxYears = 6000

// Errors returned for unusable dates.
var (
	ErrDate  = errors.New("elpmpp02: date is not a finite number")
	ErrRange = errors.New("elpmpp02: date outside the supported span")
)

const (
	rad     = 648000 / math.Pi // arcseconds per radian
	a405    = 384747.9613701725
	aelp    = 384747.980674318
	kmToArc = rad / 384400.0 // angle of 1 km at the mean lunar distance, arcsec
	nArgs   = 13             // D, F, l, l', Me, V, T, Ma, J, S, U, N, ζ
)

// rawTerm is a published term: multipliers and coefficients.
type mainTerm struct {
	k [4]int8
	a float64
	b [5]float64
}

type pertTerm struct {
	k    [nArgs]int8
	s, c float64
}

type rawSeries struct {
	main [3][]mainTerm
	pert [3][4][]pertTerm
}

var (
	rawOnce sync.Once
	raw     *rawSeries
	rawErr  error
)

func decode() {
	raw, rawErr = parseTable(table)
}

func parseTable(b []byte) (*rawSeries, error) {
	if len(b) < 9 || string(b[:8]) != "ELPMPP02" || b[8] != 1 {
		return nil, errors.New("elpmpp02: embedded table has a bad header")
	}
	p := 9
	le := binary.LittleEndian
	f64 := func() float64 { v := math.Float64frombits(le.Uint64(b[p:])); p += 8; return v }
	count := func(size int) (int, error) {
		if p+4 > len(b) {
			return 0, errors.New("elpmpp02: embedded table truncated")
		}
		n := int(le.Uint32(b[p:]))
		p += 4
		if n < 0 || n > (len(b)-p)/size {
			return 0, errors.New("elpmpp02: embedded table truncated")
		}
		return n, nil
	}
	r := &rawSeries{}
	for iv := 0; iv < 3; iv++ {
		n, err := count(52)
		if err != nil {
			return nil, err
		}
		r.main[iv] = make([]mainTerm, n)
		for i := range r.main[iv] {
			t := &r.main[iv][i]
			for k := 0; k < 4; k++ {
				t.k[k] = int8(b[p])
				p++
			}
			t.a = f64()
			for k := 0; k < 5; k++ {
				t.b[k] = f64()
			}
		}
	}
	for iv := 0; iv < 3; iv++ {
		for it := 0; it < 4; it++ {
			n, err := count(nArgs + 16)
			if err != nil {
				return nil, err
			}
			r.pert[iv][it] = make([]pertTerm, n)
			for i := range r.pert[iv][it] {
				t := &r.pert[iv][it][i]
				for k := 0; k < nArgs; k++ {
					t.k[k] = int8(b[p])
					p++
				}
				t.s = f64()
				t.c = f64()
			}
		}
	}
	if p != len(b) {
		return nil, fmt.Errorf("elpmpp02: embedded table has %d trailing bytes", len(b)-p)
	}
	return r, nil
}

// constants are the fundamental arguments and corrections of the theory,
// after elpmpp02.for (subroutine INITIAL).
type constants struct {
	w1                                         [5]float64        // mean longitude of the Moon W1 (radians, powers of t)
	args                                       [nArgs][5]float64 // D, F, l, l', 8 planetary longitudes, ζ
	delnu, dele, delg, delnp, delep, dtasm, am float64
}

func dms(d, m, s float64) float64 { return (d + m/60 + s/3600) * math.Pi / 180 }

func newConstants(fit Fit) constants {
	// Partial-derivative factors (Chapront & Francou 2003; elpmpp02.for).
	bp := [5][2]float64{
		{0.311079095, -0.103837907},
		{-0.4482398e-2, 0.6682870e-3},
		{-0.110248500e-2, -0.129807200e-2},
		{0.1056062e-2, -0.1780280e-3},
		{0.50928e-4, -0.37342e-4},
	}
	const dprec = -0.29965 // correction to the precession constant (IAU 2000A)
	am := 0.074801329
	alpha := 0.002571881
	dtasm := 2 * alpha / (3 * am)
	xa := 2 * alpha / 3

	// Fitted corrections (arcseconds, arcseconds per century).
	var dw1_0, dw2_0, dw3_0, deart0, dperi, dw1_1, dgam, de, deart1, dep, dw2_1, dw3_1, dw1_2 float64
	if fit == LLR {
		dw1_0, dw2_0, dw3_0, deart0, dperi = -0.10525, 0.16826, -0.10760, -0.04012, -0.04854
		dw1_1, dgam, de, deart1, dep = -0.32311, 0.00069, 0.00005, 0.01442, 0.00226
		dw2_1, dw3_1, dw1_2 = 0.08017, -0.04317, -0.03794
	} else {
		dw1_0, dw2_0, dw3_0, deart0, dperi = -0.07008, 0.20794, -0.07215, -0.00033, -0.00749
		dw1_1, dgam, de, deart1, dep = -0.35106, 0.00085, -0.00006, 0.00732, 0.00224
		dw2_1, dw3_1, dw1_2 = 0.08017, -0.04317, -0.03743
	}
	var w [3][5]float64
	w[0] = [5]float64{dms(218, 18, 59.95571+dw1_0), (1732559343.73604 + dw1_1) / rad, (-6.8084 + dw1_2) / rad, 0.66040e-2 / rad, -0.31690e-4 / rad}
	w[1] = [5]float64{dms(83, 21, 11.67475+dw2_0), (14643420.3171 + dw2_1) / rad, -38.2631 / rad, -0.45047e-1 / rad, 0.21301e-3 / rad}
	w[2] = [5]float64{dms(125, 2, 40.39816+dw3_0), (-6967919.5383 + dw3_1) / rad, 6.3590 / rad, 0.76250e-2 / rad, -0.35860e-4 / rad}
	eart := [5]float64{dms(100, 27, 59.13885+deart0), (129597742.29300 + deart1) / rad, -0.020200 / rad, 0.90000e-5 / rad, 0.15000e-6 / rad}
	peri := [5]float64{dms(102, 56, 14.45766+dperi), 1161.24342 / rad, 0.529265 / rad, -0.11814e-3 / rad, 0.11379e-4 / rad}
	if fit != LLR {
		w[0][3] -= 0.00018865 / rad
		w[0][4] -= 0.00001024 / rad
		w[1][2] += 0.00470602 / rad
		w[1][3] -= 0.00025213 / rad
		w[2][2] -= 0.00261070 / rad
		w[2][3] -= 0.00010712 / rad
	}
	// Corrections to the mean motions of W2 and W3 inferred from the
	// corrections to the constants.
	x2, x3 := w[1][1]/w[0][1], w[2][1]/w[0][1]
	y2 := am*bp[0][0] + xa*bp[4][0]
	y3 := am*bp[0][1] + xa*bp[4][1]
	cw2 := (x2-y2)*dw1_1 + y2/am*deart1 + w[0][1]*(bp[1][0]*dgam+bp[2][0]*de+bp[3][0]*dep)
	cw3 := (x3-y3)*dw1_1 + y3/am*deart1 + w[0][1]*(bp[1][1]*dgam+bp[2][1]*de+bp[3][1]*dep)
	w[1][1] += cw2 / rad
	w[2][1] += cw3 / rad

	var c constants
	c.w1 = w[0]
	for i := 0; i < 5; i++ {
		c.args[0][i] = w[0][i] - eart[i] // D
		c.args[1][i] = w[0][i] - w[2][i] // F
		c.args[2][i] = w[0][i] - w[1][i] // l
		c.args[3][i] = eart[i] - peri[i] // l'
	}
	c.args[0][0] += math.Pi
	// Planetary mean longitudes (VSOP2000 values used by ELP/MPP02).
	planets := [8][2]float64{
		{dms(252, 15, 3.216919), 538101628.66888 / rad},
		{dms(181, 58, 44.758419), 210664136.45777 / rad},
		{dms(100, 27, 59.138850), 129597742.29300 / rad},
		{dms(355, 26, 3.642778), 68905077.65936 / rad},
		{dms(34, 21, 5.379392), 10925660.57335 / rad},
		{dms(50, 4, 38.902495), 4399609.33632 / rad},
		{dms(314, 3, 4.354234), 1542482.57845 / rad},
		{dms(304, 20, 56.808371), 786547.89700 / rad},
	}
	for i, pl := range planets {
		c.args[4+i] = [5]float64{pl[0], pl[1]}
	}
	c.args[12] = [5]float64{w[0][0], w[0][1] + (5029.0966+dprec)/rad, w[0][2], w[0][3], w[0][4]}

	c.delnu = (0.55604 + dw1_1) / rad / w[0][1]
	c.dele = (0.01789 + de) / rad
	c.delg = (-0.08066 + dgam) / rad
	c.delnp = (-0.06424 + deart1) / rad / w[0][1]
	c.delep = (-0.12879 + dep) / rad
	c.dtasm = dtasm
	c.am = am
	return c
}

// Theory is a (possibly truncated) ELP/MPP02 series with one set of fitted
// constants. It is read-only after New and safe for concurrent use.
type Theory struct {
	fit       Fit
	threshold float64
	c         constants
	kmax      [nArgs]int
	off       [nArgs]int // table index of k = 0 for each argument
	pairOff   [2]int     // table index of the first entry of each pair table
	tabSize   int
	g0        []series.Merged    // t⁰ terms of the three variables, merged by argument
	g         [3][4]series.Group // t¹..t³ terms (index 0 unused)
	n         int
}

// New builds the theory with the constants of fit, keeping the terms whose
// amplitude reaches eps arcseconds (see the package documentation); eps = 0
// keeps all 35,901 terms.
func New(fit Fit, eps float64) (*Theory, error) {
	if fit != DE405 && fit != LLR {
		return nil, fmt.Errorf("elpmpp02: unknown fit %d", int(fit))
	}
	if !(eps >= 0) || math.IsInf(eps, 0) {
		return nil, fmt.Errorf("elpmpp02: threshold %v must be finite and >= 0", eps)
	}
	rawOnce.Do(decode)
	if rawErr != nil {
		return nil, rawErr
	}
	th := &Theory{fit: fit, threshold: eps, c: newConstants(fit)}
	c := &th.c
	type kept struct {
		k    [nArgs]int8
		s, c float64
	}
	var sel [3][4][]kept
	scale := [3]float64{1, 1, kmToArc}
	for iv := 0; iv < 3; iv++ {
		for _, t := range raw.main[iv] {
			a := t.a
			if iv == 2 {
				a -= 2 * a * c.delnu / 3
			}
			tgv := t.b[0] + c.dtasm*t.b[4]
			a += tgv*(c.delnp-c.am*c.delnu) + t.b[1]*c.delg + t.b[2]*c.dele + t.b[3]*c.delep
			if math.Abs(a)*scale[iv] < eps {
				continue
			}
			var k kept
			copy(k.k[:4], t.k[:])
			if iv == 2 {
				k.c = a // distance: A·sin(φ + π/2)
			} else {
				k.s = a
			}
			sel[iv][0] = append(sel[iv][0], k)
		}
		for it := 0; it < 4; it++ {
			for _, t := range raw.pert[iv][it] {
				if math.Hypot(t.s, t.c)*scale[iv] < eps {
					continue
				}
				sel[iv][it] = append(sel[iv][it], kept(t))
			}
		}
	}
	for iv := range sel {
		for it := range sel[iv] {
			for _, t := range sel[iv][it] {
				for j, k := range t.k {
					if a := int(k); a > th.kmax[j] {
						th.kmax[j] = a
					} else if -a > th.kmax[j] {
						th.kmax[j] = -a
					}
				}
			}
		}
	}
	for j := 0; j < nArgs; j++ {
		th.off[j] = th.tabSize + th.kmax[j]
		th.tabSize += 2*th.kmax[j] + 1
	}
	// Pair tables exp(i(k_a·a + k_b·b)) for (D, l') and (F, l): a term then
	// needs one factor for its four Delaunay multipliers in most cases.
	for p, pr := range pairs {
		ka, kb := th.kmax[pr[0]], th.kmax[pr[1]]
		th.pairOff[p] = th.tabSize
		th.tabSize += (2*ka + 1) * (2*kb + 1)
	}
	if th.tabSize > math.MaxUint16 {
		return nil, fmt.Errorf("elpmpp02: argument table too large (%d)", th.tabSize)
	}
	factors := func(k [nArgs]int8) []uint16 {
		var idx []uint16
		for p, pr := range pairs {
			a, b := int(k[pr[0]]), int(k[pr[1]])
			if a != 0 || b != 0 {
				ka, kb := th.kmax[pr[0]], th.kmax[pr[1]]
				idx = append(idx, uint16(th.pairOff[p]+(a+ka)*(2*kb+1)+b+kb))
			}
		}
		for j, m := range k {
			if m != 0 && j >= 4 {
				idx = append(idx, uint16(th.off[j]+int(m)))
			}
		}
		if len(idx) == 0 {
			idx = append(idx, uint16(th.off[0])) // exp(0) = 1
		}
		return idx
	}
	// t⁰: merge the three variables by argument, keeping first-seen order.
	type merged struct {
		k    [nArgs]int8
		coef [6]float64
	}
	var order []*merged
	seen := map[[nArgs]int8]*merged{}
	for iv := 0; iv < 3; iv++ {
		for _, t := range sel[iv][0] {
			m := seen[t.k]
			if m == nil {
				m = &merged{k: t.k}
				seen[t.k] = m
				order = append(order, m)
			}
			m.coef[2*iv] += t.s
			m.coef[2*iv+1] += t.c
			th.n++
		}
	}
	var mb series.MergedBuilder
	for _, m := range order {
		mb.Add(m.coef[:], factors(m.k))
	}
	th.g0 = mb.Blocks()
	for iv := range sel {
		for it := 1; it < 4; it++ {
			var gb series.GroupBuilder
			for _, t := range sel[iv][it] {
				gb.Add(t.s, t.c, factors(t.k))
				th.n++
			}
			th.g[iv][it] = gb.Group()
		}
	}
	return th, nil
}

// Fit reports the constants the theory uses.
func (th *Theory) Fit() Fit { return th.fit }

// Threshold reports the truncation threshold (arcseconds).
func (th *Theory) Threshold() float64 { return th.threshold }

// Terms reports the number of terms kept.
func (th *Theory) Terms() int { return th.n }

// centuries converts a two-part TDB Julian date into Julian centuries from
// J2000, checking it.
func centuries(jd1, jd2 float64) (float64, error) {
	if math.IsNaN(jd1) || math.IsNaN(jd2) || math.IsInf(jd1, 0) || math.IsInf(jd2, 0) {
		return 0, ErrDate
	}
	t := ((jd1 - J2000JD) + jd2) / 36525
	if !(math.Abs(t) <= MaxYears/100.0) {
		return 0, fmt.Errorf("%w: JD %.1f is more than %d years from J2000", ErrRange, jd1+jd2, MaxYears)
	}
	return t, nil
}

// Position returns the geocentric rectangular coordinates of the Moon (km)
// referred to the inertial mean ecliptic and equinox of J2000 at the TDB
// Julian date jd1+jd2.
func (th *Theory) Position(jd1, jd2 float64) (x, y, z float64, err error) {
	t, err := centuries(jd1, jd2)
	if err != nil {
		return 0, 0, 0, err
	}
	x, y, z = th.Eval(t)
	return x, y, z, nil
}

// Spherical returns the geocentric ecliptic longitude and latitude of the
// Moon (radians, longitude in [0, 2π)) referred to the mean ecliptic and
// equinox of J2000 and its distance (km) at the TDB Julian date jd1+jd2.
func (th *Theory) Spherical(jd1, jd2 float64) (lon, lat, dist float64, err error) {
	x, y, z, err := th.Position(jd1, jd2)
	if err != nil {
		return 0, 0, 0, err
	}
	lon = math.Atan2(y, x)
	if lon < 0 {
		lon += 2 * math.Pi
	}
	return lon, math.Atan2(z, math.Hypot(x, y)), math.Sqrt(x*x + y*y + z*z), nil
}

// pairs are the Delaunay arguments (D, l') and (F, l) tabulated together.
var pairs = [2][2]int{{0, 3}, {1, 2}}

// stackTab is the exp(i·k·arg) table size kept on the stack; larger
// (barely truncated) theories allocate.
const stackTab = 1024

// Eval evaluates the theory at t Julian centuries (TDB) from J2000 without
// checks (t must be finite) and returns x, y, z in km, ecliptic J2000.
func (th *Theory) Eval(t float64) (x, y, z float64) {
	lon, lat, r := th.evalNative(t)
	sl, cl := series.Sincos(lon)
	sb, cb := series.Sincos(lat)
	x1, x2, x3 := r*cb*cl, r*cb*sl, r*sb
	// Laskar's (1986) P, Q of the ecliptic of date on the J2000 ecliptic.
	pw := (0.10180391e-4 + t*(0.47020439e-6+t*(-0.5417367e-9+t*(-0.2507948e-11+t*0.463486e-14)))) * t
	qw := (-0.113469002e-3 + t*(0.12372674e-6+t*(0.1265417e-8+t*(-0.1371808e-11+t*-0.320334e-14)))) * t
	ra := 2 * math.Sqrt(1-pw*pw-qw*qw)
	pwqw := 2 * pw * qw
	pw2 := 1 - 2*pw*pw
	qw2 := 1 - 2*qw*qw
	pwra, qwra := pw*ra, qw*ra
	x = pw2*x1 + pwqw*x2 + pwra*x3
	y = pwqw*x1 + qw2*x2 - qwra*x3
	z = -pwra*x1 + qwra*x2 + (pw2+qw2-1)*x3
	return x, y, z
}

// MeanOfDate returns the geocentric ecliptic longitude and latitude of the
// Moon (radians, longitude in [0, 2π)) referred to the mean ecliptic and
// equinox of date, and its distance (km), at the TDB Julian date jd1+jd2.
//
// The theory's own longitude is counted on the ecliptic of date from a
// departure point that does not precess; adding the IAU 2006 general
// precession in longitude p_A (Capitaine et al. 2003, as in SOFA p06e)
// refers it to the mean equinox of date. No rotation is needed, so this is
// cheaper than Position. For the apparent place add the nutation in
// longitude; the Moon's light time and annual aberration nearly cancel
// (evaluate at t − r/c to be exact to 0.01").
func (th *Theory) MeanOfDate(jd1, jd2 float64) (lon, lat, dist float64, err error) {
	t, err := centuries(jd1, jd2)
	if err != nil {
		return 0, 0, 0, err
	}
	lon, lat, dist = th.evalNative(t)
	pa := (5028.796195 + (1.1054348+(0.00007964+(-0.000023857-0.0000000383*t)*t)*t)*t) * t / rad
	return series.Mod2Pi(lon + pa), lat, dist, nil
}

// evalNative returns the theory's own variables: longitude on the ecliptic
// of date from a fixed departure point and latitude (radians), distance (km).
func (th *Theory) evalNative(t float64) (lon, lat, r float64) {
	var buf [stackTab]complex128
	var tab []complex128
	if th.tabSize <= stackTab {
		tab = buf[:th.tabSize]
	} else {
		tab = make([]complex128, th.tabSize)
	}
	c := &th.c
	for j := 0; j < nArgs; j++ {
		a := &c.args[j]
		phi := a[0] + t*(a[1]+t*(a[2]+t*(a[3]+t*a[4])))
		s, co := series.Sincos(phi)
		e := complex(co, s)
		o := th.off[j]
		tab[o] = 1
		z := complex(1, 0)
		for k := 1; k <= th.kmax[j]; k++ {
			z *= e
			tab[o+k] = z
			tab[o-k] = complex(real(z), -imag(z))
		}
	}
	for p, pr := range pairs {
		oa, ka := th.off[pr[0]], th.kmax[pr[0]]
		ob, kb := th.off[pr[1]], th.kmax[pr[1]]
		row := tab[ob-kb : ob+kb+1]
		dst := tab[th.pairOff[p] : th.pairOff[p]+(2*ka+1)*(2*kb+1)]
		i := 0
		for a := -ka; a <= ka; a++ {
			za := tab[oa+a]
			for _, zb := range row {
				dst[i] = za * zb
				i++
			}
		}
	}
	v := series.SumMerged(th.g0, tab)
	for iv := 0; iv < 3; iv++ {
		g := &th.g[iv]
		v[iv] += t * (g[1].Sum(tab) + t*(g[2].Sum(tab)+t*g[3].Sum(tab)))
	}
	w := &c.w1
	lon = v[0]/rad + w[0] + t*(w[1]+t*(w[2]+t*(w[3]+t*w[4])))
	lat = v[1] / rad
	r = v[2] * (a405 / aelp)
	return lon, lat, r
}

var (
	defOnce sync.Once
	def     *Theory
	defErr  error
)

// Default returns the theory with DE405 constants truncated at
// DefaultThreshold, built on first use and shared.
func Default() (*Theory, error) {
	defOnce.Do(func() { def, defErr = New(DE405, DefaultThreshold) })
	return def, defErr
}

// Geocentric returns the geocentric rectangular coordinates of the Moon (km)
// referred to the mean ecliptic and equinox of J2000 at the TDB Julian date
// jd1+jd2, from the default theory.
func Geocentric(jd1, jd2 float64) (x, y, z float64, err error) {
	th, err := Default()
	if err != nil {
		return 0, 0, 0, err
	}
	return th.Position(jd1, jd2)
}
