// Package vsop87 evaluates the planetary theory VSOP87 (Bretagnon & Francou
// 1988) for Mercury, Venus, the Earth, Mars, Jupiter, Saturn, Uranus and
// Neptune: heliocentric ecliptic spherical coordinates L, B (radians) and
// R (au) at a TDB Julian date.
//
// Two versions are embedded, both complete (35,080 and 31,577 terms):
//
//   - VSOP87B, referred to the mean ecliptic and equinox of J2000
//     (the inertial "dynamical ecliptic J2000" frame);
//   - VSOP87D, referred to the mean ecliptic and equinox of date. Its
//     equinox of date follows Bretagnon's precession rate, 5029.0966"/cy,
//     0.29965"/cy faster than IAU 2006 (5028.796195"/cy): for IAU 2006
//     places use VSOP87B and the IAU 2006 precession (measured in the
//     elpmpp02 tests, where the drift shows as 0.3"/cy against Swiss
//     Ephemeris).
//
// The tables (3.5 MB) were converted from the CDS catalogue VI/81 files by
// the generator in internal/gen, which checks the SHA-256 of every input; see
// DATA.md for the sources and checksums. The full series reproduce all 160
// official check values of vsop87.chk (versions B and D) to 1e-10.
//
// Truncated theories are evaluated in product form: one sincos per mean
// longitude, powers exp(i·k·λ) by recurrence, then each term is a product
// of a few complex factors (no trigonometric call per term), with the L, B
// and R terms sharing an argument computed once.
//
// # Truncation
//
// A Theory keeps the terms whose amplitude reaches a threshold ε (radians for
// L and B; for R the amplitude divided by the planet's mean distance, so that
// ε is an angle everywhere), the usual way of trading accuracy for speed:
//
//	th, _ := vsop87.New(vsop87.J2000, 1e-8)  // ε = 1e-8 rad ≈ 2 mas
//
// Heliocentric uses DefaultThreshold (1e-8 rad ≈ 2 mas). The truncation
// error against the full series, measured by TestTruncationError
// (VSOP87_TRUNCATION_TABLE=1) over 2,000 dates from 1800 to 2200 as the
// worst angle between truncated and full geocentric directions (for the
// Earth: the Sun's geocentric direction), is:
//
//	ε       terms   Earth/Sun   Mercury  Venus    Mars     Jupiter  Saturn   Uranus   Neptune
//	1e-9    24,203  0.004"      0.008"   0.013"   0.021"   0.004"   0.006"   0.004"   0.003"
//	2e-9    18,185  0.011"      0.015"   0.037"   0.044"   0.011"   0.013"   0.014"   0.009"
//	5e-9    12,376  0.020"      0.031"   0.071"   0.099"   0.026"   0.033"   0.027"   0.017"
//	1e-8     9,446  0.035"      0.053"   0.123"   0.173"   0.052"   0.074"   0.047"   0.039"
//	2e-8     7,155  0.094"      0.166"   0.284"   0.292"   0.101"   0.099"   0.093"   0.066"
//	1e-7     3,704  0.260"      0.415"   0.937"   1.155"   0.329"   0.377"   0.286"   0.194"
//	1e-6     1,401  1.80"       2.98"    6.25"    6.33"    2.34"    2.17"    1.91"    1.32"
//
// At 1e-8 the Earth keeps 648 of its 2,582 terms and Mars 1,474 of 6,418.
//
// # Accuracy against JPL DE431
//
// Against Swiss Ephemeris (compressed DE431) over 1900–2100, 250 dates per
// body (bodies.csv of the project's shared reference vectors; tests
// TestDistanceVsSwissEphemeris and TestElongationVsSwissEphemeris), the
// default truncation gives geocentric distances within 1.6e-7 (Sun) and
// 3.4e-6 (planets, Uranus worst) relative, and Sun–planet angles within
// 0.04" (Mercury), 0.07" (Venus), 0.16" (Mars), 0.43" (Jupiter), 0.34"
// (Saturn), 1.5" (Uranus) and 2.1" (Neptune). The outer-planet figures are
// the theory's own: the full series gives the same (VSOP87 was fitted to
// DE200). The project's gates are 1" for the Sun and 2" for the planets.
//
// # Speed
//
// On the project's 2-core x86_64 sandbox (shared and heavily loaded; the
// fastest-batch figure of the benchmarks), one Earth position costs about
// 1.3 µs at the default threshold, 1.0 µs at 2e-8 and 0.66 µs at 1e-7; one
// Mars position 2.3, 1.8 and 1.1 µs (BenchmarkEarth*, BenchmarkMars*; run
// bench/astro/run.sh to compare with astronomy-engine and aa-js).
//
// # Validity
//
// VSOP87 is accurate to 1" over 4000 years around J2000 for Mercury–Mars,
// 2000 years for Jupiter and Saturn and 6000 years for Uranus and Neptune
// (Bretagnon & Francou 1988). Outside |t − J2000| ≤ MaxYears the functions
// return ErrRange; non-finite dates return ErrDate.
//
// Example:
//
//	l, b, r, err := vsop87.Heliocentric(vsop87.Mars, 2451545.0, 0)
package vsop87

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/arcsecond-go/arcsecond/astro/internal/series"
)

//go:generate go run ./internal/gen -data ../../../shared/reference/data/vsop87 -out .

//go:embed vsop87b.bin
var tableB []byte

//go:embed vsop87d.bin
var tableD []byte

// Body is a planet of the theory.
type Body int

// The bodies, in the order of the theory.
const (
	Mercury Body = iota + 1
	Venus
	Earth
	Mars
	Jupiter
	Saturn
	Uranus
	Neptune
)

var bodyNames = [...]string{"", "Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune"}

func (b Body) String() string {
	if b < Mercury || b > Neptune {
		return fmt.Sprintf("Body(%d)", int(b))
	}
	return bodyNames[b]
}

// meanDistance (au) scales the R amplitudes when truncating.
var meanDistance = [...]float64{0, 0.387, 0.723, 1, 1.524, 5.203, 9.537, 19.19, 30.07}

// Version selects the reference frame of the series.
type Version byte

const (
	// J2000 is VSOP87B: mean ecliptic and equinox of J2000.
	J2000 Version = 'B'
	// OfDate is VSOP87D: mean ecliptic and equinox of date.
	OfDate Version = 'D'
)

// J2000JD is the Julian date of the epoch J2000.0 (TDB).
const J2000JD = 2451545.0

// MaxYears bounds |date − J2000| accepted by the evaluation functions.
const MaxYears = 6000

// DefaultThreshold is the truncation threshold used by Heliocentric: 0.035"
// for the Sun, at most 0.17" for a geocentric planet (see the table above).
const DefaultThreshold = 1e-8

// FastThreshold is a coarser truncation for speed: 0.26" for the Sun, at
// most 1.2" for a geocentric planet, about half the time of the default.
const FastThreshold = 1e-7

// Errors returned for unusable dates.
var (
	ErrDate  = errors.New("vsop87: date is not a finite number")
	ErrRange = errors.New("vsop87: date outside the supported span")
)

// rawTerm is one published term: τ^α·A·cos(B + C·τ) = τ^α·(S·sin φ + K·cos φ)
// with φ = Σ a_i·λ_i(τ).
type rawTerm struct {
	k              [12]int8
	s, kc, a, b, c float64
}

// rawBody holds the published series of one body: [variable][power].
type rawBody [3][6][]rawTerm

var (
	rawOnce sync.Once
	rawB    *[9]rawBody
	rawD    *[9]rawBody
	rawErr  error
)

func decodeAll() {
	rawB, rawErr = decode(tableB, J2000)
	if rawErr == nil {
		rawD, rawErr = decode(tableD, OfDate)
	}
}

func decode(b []byte, v Version) (*[9]rawBody, error) {
	if len(b) < 8 || string(b[:6]) != "VSOP87" || b[6] != byte(v) || b[7] != 2 {
		return nil, fmt.Errorf("vsop87: embedded table %c has a bad header", v)
	}
	const size = 12 + 5*8
	p := 8
	var out [9]rawBody
	for body := Mercury; body <= Neptune; body++ {
		for iv := 0; iv < 3; iv++ {
			for alpha := 0; alpha < 6; alpha++ {
				if p+4 > len(b) {
					return nil, fmt.Errorf("vsop87: embedded table %c truncated", v)
				}
				n := int(binary.LittleEndian.Uint32(b[p:]))
				p += 4
				if n < 0 || n > (len(b)-p)/size {
					return nil, fmt.Errorf("vsop87: embedded table %c truncated", v)
				}
				ts := make([]rawTerm, n)
				for i := range ts {
					t := &ts[i]
					for j := 0; j < 12; j++ {
						t.k[j] = int8(b[p+j])
					}
					p += 12
					var f [5]float64
					for j := range f {
						f[j] = math.Float64frombits(binary.LittleEndian.Uint64(b[p:]))
						p += 8
					}
					t.s, t.kc, t.a, t.b, t.c = f[0], f[1], f[2], f[3], f[4]
				}
				out[body][iv][alpha] = ts
			}
		}
	}
	if p != len(b) {
		return nil, fmt.Errorf("vsop87: embedded table %c has %d trailing bytes", v, len(b)-p)
	}
	return &out, nil
}

// Mean longitudes λ_i = λ0_i + n_i·τ (radians, τ in Julian millennia) of
// Mercury..Neptune and of the Moon's D, F, l, Lm, as listed in vsop87.txt.
var (
	lambda0 = [12]float64{4.40260884240, 3.17614669689, 1.75347045953, 6.20347611291, 0.59954649739,
		0.87401675650, 5.48129387159, 5.31188628676, 5.19846674103, 1.62790523337, 2.35555589827,
		3.81034454697}
	lambdaRate = [12]float64{26087.9031415742, 10213.2855462110, 6283.0758499914, 3340.6124266998,
		529.6909650946, 213.2990954380, 74.7815985673, 38.1330356378, 77713.7714681205, 84334.6615813083,
		83286.9142695536, 83997.0911355954}
)

// bodySeries is the kept series of one body, evaluated as products of
// exp(i·k·λ_j) factors built by recurrence from one sincos per argument.
type bodySeries struct {
	kmax    [12]int
	off     [12]int // table index of k = 0 for each argument
	tabSize int
	g0      []series.Merged    // α = 0 and α = 1 terms of L, B, R merged by argument
	g       [3][6]series.Group // α ≥ 2 terms (indices 0 and 1 unused)
	n       int
}

// Theory holds the (possibly truncated) series of every body of a version.
// It is read-only after New and safe for concurrent use.
type Theory struct {
	version   Version
	threshold float64
	exact     bool // eps = 0: evaluate term by term as published
	b         [9]bodySeries
	n         int
}

// New returns the series of version v truncated at threshold eps (radians;
// see the package documentation).
//
// eps = 0 keeps every term and evaluates them one by one in the published
// form τ^α·A·cos(B + C·τ), as the original Fortran does (this reproduces
// vsop87.chk to 1e-10). Any eps > 0 uses the fast form τ^α·(S·sin φ +
// K·cos φ), φ = Σ a_i·λ_i, with the exp(i·a·λ) factors built by recurrence;
// because the published S, K and mean longitudes are rounded, it differs
// from the published form by up to 5e-10 rad (0.0001") with all terms kept.
func New(v Version, eps float64) (*Theory, error) {
	if v != J2000 && v != OfDate {
		return nil, fmt.Errorf("vsop87: unknown version %q", rune(v))
	}
	if !(eps >= 0) || math.IsInf(eps, 0) {
		return nil, fmt.Errorf("vsop87: threshold %v must be finite and >= 0", eps)
	}
	rawOnce.Do(decodeAll)
	if rawErr != nil {
		return nil, rawErr
	}
	raw := rawB
	if v == OfDate {
		raw = rawD
	}
	th := &Theory{version: v, threshold: eps, exact: eps == 0}
	for body := Mercury; body <= Neptune; body++ {
		th.b[body] = newBodySeries(&raw[body], eps, 1/meanDistance[body])
		th.n += th.b[body].n
	}
	return th, nil
}

func newBodySeries(raw *rawBody, eps, rScale float64) bodySeries {
	var bs bodySeries
	var sel [3][6][]rawTerm
	for iv := 0; iv < 3; iv++ {
		scale := 1.0
		if iv == 2 {
			scale = rScale
		}
		for alpha := 0; alpha < 6; alpha++ {
			for _, t := range raw[iv][alpha] {
				if math.Abs(t.a)*scale < eps {
					continue
				}
				sel[iv][alpha] = append(sel[iv][alpha], t)
				for j, k := range t.k {
					bs.kmax[j] = max(bs.kmax[j], int(k), -int(k))
				}
			}
		}
	}
	for j := range bs.kmax {
		bs.off[j] = bs.tabSize + bs.kmax[j]
		bs.tabSize += 2*bs.kmax[j] + 1
	}
	factors := func(k [12]int8) []uint16 {
		var idx []uint16
		for j, m := range k {
			if m != 0 {
				idx = append(idx, uint16(bs.off[j]+int(m)))
			}
		}
		if len(idx) == 0 {
			idx = append(idx, uint16(bs.off[0])) // exp(0) = 1
		}
		return idx
	}
	// α = 0 and α = 1: merge L, B, R of both powers by argument, in
	// first-seen order, so that each distinct argument is expanded once.
	type merged struct {
		k    [12]int8
		coef [12]float64 // s, c of L, B, R for α = 0, then for α = 1
		has1 bool
	}
	var order []*merged
	seen := map[[12]int8]*merged{}
	for alpha := 0; alpha < 2; alpha++ {
		for iv := 0; iv < 3; iv++ {
			for _, t := range sel[iv][alpha] {
				m := seen[t.k]
				if m == nil {
					m = &merged{k: t.k}
					seen[t.k] = m
					order = append(order, m)
				}
				m.coef[6*alpha+2*iv] += t.s
				m.coef[6*alpha+2*iv+1] += t.kc
				m.has1 = m.has1 || alpha == 1
				bs.n++
			}
		}
	}
	var mb series.MergedBuilder
	for _, m := range order {
		w := 6
		if m.has1 {
			w = 12
		}
		mb.Add(m.coef[:w], factors(m.k))
	}
	bs.g0 = mb.Blocks()
	for iv := 0; iv < 3; iv++ {
		for alpha := 2; alpha < 6; alpha++ {
			var gb series.GroupBuilder
			for _, t := range sel[iv][alpha] {
				gb.Add(t.s, t.kc, factors(t.k))
				bs.n++
			}
			bs.g[iv][alpha] = gb.Group()
		}
	}
	return bs
}

// Version reports the version (frame) of the theory.
func (th *Theory) Version() Version { return th.version }

// Threshold reports the truncation threshold the theory was built with.
func (th *Theory) Threshold() float64 { return th.threshold }

// Terms reports the number of terms kept, all bodies together.
func (th *Theory) Terms() int { return th.n }

// BodyTerms reports the number of terms kept for one body.
func (th *Theory) BodyTerms(b Body) int {
	if b < Mercury || b > Neptune {
		return 0
	}
	return th.b[b].n
}

// Position returns the heliocentric longitude l and latitude b (radians,
// l in [0, 2π)) and the distance r (au) of body at the TDB Julian date
// jd1+jd2 (the split is free; jd2 may be 0).
func (th *Theory) Position(body Body, jd1, jd2 float64) (l, b, r float64, err error) {
	tau, err := millennia(jd1, jd2)
	if err != nil {
		return 0, 0, 0, err
	}
	if body < Mercury || body > Neptune {
		return 0, 0, 0, fmt.Errorf("vsop87: unknown body %d", int(body))
	}
	l, b, r = th.Eval(body, tau)
	return l, b, r, nil
}

// millennia converts a two-part TDB Julian date into Julian millennia from
// J2000, checking it.
func millennia(jd1, jd2 float64) (float64, error) {
	if math.IsNaN(jd1) || math.IsNaN(jd2) || math.IsInf(jd1, 0) || math.IsInf(jd2, 0) {
		return 0, ErrDate
	}
	tau := ((jd1 - J2000JD) + jd2) / 365250
	if !(math.Abs(tau) <= MaxYears/1000.0) {
		return 0, fmt.Errorf("%w: JD %.1f is more than %d years from J2000", ErrRange, jd1+jd2, MaxYears)
	}
	return tau, nil
}

// stackTab is the exp(i·k·λ) table size kept on the stack (every body of
// the full series fits).
const stackTab = 512

// Eval evaluates the series of body at tau Julian millennia (TDB) from J2000
// without checks: body must be valid and tau finite. Longitude is reduced to
// [0, 2π).
func (th *Theory) Eval(body Body, tau float64) (l, b, r float64) {
	if th.exact {
		return evalReference(th.version, body, tau)
	}
	bs := &th.b[body]
	var buf [stackTab]complex128
	var tab []complex128
	if bs.tabSize <= stackTab {
		tab = buf[:bs.tabSize]
	} else {
		tab = make([]complex128, bs.tabSize)
	}
	for j := 0; j < 12; j++ {
		o, kmax := bs.off[j], bs.kmax[j]
		tab[o] = 1
		if kmax == 0 {
			continue
		}
		s, c := series.Sincos(lambda0[j] + lambdaRate[j]*tau)
		e := complex(c, s)
		z := e
		tab[o+1], tab[o-1] = z, complex(c, -s)
		for k := 2; k <= kmax; k++ {
			z *= e
			tab[o+k] = z
			tab[o-k] = complex(real(z), -imag(z))
		}
	}
	v := series.SumMerged(bs.g0, tab)
	for iv := 0; iv < 3; iv++ {
		g := &bs.g[iv]
		v[iv] += tau * (v[iv+3] + tau*(g[2].Sum(tab)+tau*(g[3].Sum(tab)+tau*(g[4].Sum(tab)+tau*g[5].Sum(tab)))))
	}
	return series.Mod2Pi(v[0]), v[1], v[2]
}

// evalReference evaluates the full published series term by term as
// τ^α·A·cos(B + C·τ), the form of the original Fortran (used by the tests
// to check the fast evaluation).
func evalReference(v Version, body Body, tau float64) (l, b, r float64) {
	rawOnce.Do(decodeAll)
	raw := rawB
	if v == OfDate {
		raw = rawD
	}
	var out [3]float64
	for iv := 0; iv < 3; iv++ {
		var sum [6]float64
		for alpha := 0; alpha < 6; alpha++ {
			for _, t := range raw[body][iv][alpha] {
				sum[alpha] += t.a * math.Cos(t.b+t.c*tau)
			}
		}
		out[iv] = sum[0] + tau*(sum[1]+tau*(sum[2]+tau*(sum[3]+tau*(sum[4]+tau*sum[5]))))
	}
	l = math.Mod(out[0], 2*math.Pi)
	if l < 0 {
		l += 2 * math.Pi
	}
	return l, out[1], out[2]
}

var (
	defOnce sync.Once
	defB    *Theory
	defErr  error
)

// Default returns the VSOP87B theory truncated at DefaultThreshold, built on
// first use and shared (a Theory is read-only and safe for concurrent use).
func Default() (*Theory, error) {
	defOnce.Do(func() { defB, defErr = New(J2000, DefaultThreshold) })
	return defB, defErr
}

// Heliocentric returns the heliocentric ecliptic coordinates of body referred
// to the mean ecliptic and equinox of J2000 (VSOP87B truncated at
// DefaultThreshold) at the TDB Julian date jd1+jd2: l, b in radians, r in au.
func Heliocentric(body Body, jd1, jd2 float64) (l, b, r float64, err error) {
	th, err := Default()
	if err != nil {
		return 0, 0, 0, err
	}
	return th.Position(body, jd1, jd2)
}

// Rectangular converts spherical l, b, r into rectangular x, y, z (same
// units as r).
func Rectangular(l, b, r float64) (x, y, z float64) {
	sl, cl := math.Sincos(l)
	sb, cb := math.Sincos(b)
	return r * cb * cl, r * cb * sl, r * sb
}
