// Package vsop87 evaluates the planetary theory VSOP87 (Bretagnon & Francou
// 1988) for Mercury, Venus, the Earth, Mars, Jupiter, Saturn, Uranus and
// Neptune: heliocentric ecliptic spherical coordinates L, B (radians) and
// R (au) at a TDB Julian date.
//
// Two versions are embedded, both complete (35,080 and 31,577 terms):
//
//   - VSOP87B, referred to the mean ecliptic and equinox of J2000
//     (the inertial "dynamical ecliptic J2000" frame);
//   - VSOP87D, referred to the mean ecliptic and equinox of date.
//
// The tables were converted from the CDS catalogue VI/81 files by the
// generator in internal/gen, which checks the SHA-256 of every input; see
// DATA.md for the sources and checksums. The full series reproduce all 160
// official check values of vsop87.chk (versions B and D) to 1e-10.
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
// The full series is about 1" from JPL ephemerides over this span
// (Bretagnon & Francou 1988), so the default adds little to the theory's own
// error; the project's gate is 1" for the Sun and 2" for the planets.
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

// DefaultThreshold is the truncation threshold used by Heliocentric.
const DefaultThreshold = 1e-8

// Errors returned for unusable dates.
var (
	ErrDate  = errors.New("vsop87: date is not a finite number")
	ErrRange = errors.New("vsop87: date outside the supported span")
)

// series is one variable of one body: Σ_α τ^α Σ_i A_i cos(B_i + C_i τ).
type series struct {
	// terms holds A, B, C triplets; power α spans terms[start[α]:start[α+1]].
	terms []float64
	start [7]int
}

// Theory holds the (possibly truncated) series of every body of a version.
type Theory struct {
	version   Version
	threshold float64
	s         [9][3]series
	n         int
}

var (
	rawOnce sync.Once
	rawB    *Theory
	rawD    *Theory
	rawErr  error
)

func decodeAll() {
	rawB, rawErr = decode(tableB, J2000)
	if rawErr == nil {
		rawD, rawErr = decode(tableD, OfDate)
	}
}

func decode(b []byte, v Version) (*Theory, error) {
	if len(b) < 8 || string(b[:6]) != "VSOP87" || b[6] != byte(v) || b[7] != 1 {
		return nil, fmt.Errorf("vsop87: embedded table %c has a bad header", v)
	}
	p := 8
	th := &Theory{version: v}
	for body := Mercury; body <= Neptune; body++ {
		for iv := 0; iv < 3; iv++ {
			s := &th.s[body][iv]
			for alpha := 0; alpha < 6; alpha++ {
				if p+4 > len(b) {
					return nil, fmt.Errorf("vsop87: embedded table %c truncated", v)
				}
				n := int(binary.LittleEndian.Uint32(b[p:]))
				p += 4
				if n < 0 || p+24*n > len(b) {
					return nil, fmt.Errorf("vsop87: embedded table %c truncated", v)
				}
				s.start[alpha] = len(s.terms) / 3
				for i := 0; i < 3*n; i++ {
					s.terms = append(s.terms, math.Float64frombits(binary.LittleEndian.Uint64(b[p:])))
					p += 8
				}
				th.n += n
			}
			s.start[6] = len(s.terms) / 3
		}
	}
	if p != len(b) {
		return nil, fmt.Errorf("vsop87: embedded table %c has %d trailing bytes", v, len(b)-p)
	}
	return th, nil
}

// New returns the series of version v truncated at threshold eps (radians;
// see the package documentation). eps = 0 keeps every term.
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
	full := rawB
	if v == OfDate {
		full = rawD
	}
	th := &Theory{version: v, threshold: eps}
	for body := Mercury; body <= Neptune; body++ {
		for iv := 0; iv < 3; iv++ {
			scale := 1.0
			if iv == 2 {
				scale = 1 / meanDistance[body]
			}
			src := &full.s[body][iv]
			dst := &th.s[body][iv]
			for alpha := 0; alpha < 6; alpha++ {
				dst.start[alpha] = len(dst.terms) / 3
				for i := src.start[alpha]; i < src.start[alpha+1]; i++ {
					t := src.terms[3*i : 3*i+3]
					if math.Abs(t[0])*scale >= eps {
						dst.terms = append(dst.terms, t...)
					}
				}
			}
			dst.start[6] = len(dst.terms) / 3
			th.n += dst.start[6]
		}
	}
	return th, nil
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
	return th.s[b][0].start[6] + th.s[b][1].start[6] + th.s[b][2].start[6]
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

// Eval evaluates the series of body at tau Julian millennia (TDB) from J2000
// without checks: body must be valid and tau finite. Longitude is reduced to
// [0, 2π).
func (th *Theory) Eval(body Body, tau float64) (l, b, r float64) {
	s := &th.s[body]
	l = s[0].eval(tau)
	b = s[1].eval(tau)
	r = s[2].eval(tau)
	l = math.Mod(l, 2*math.Pi)
	if l < 0 {
		l += 2 * math.Pi
	}
	return l, b, r
}

func (s *series) eval(tau float64) float64 {
	var sum [6]float64
	for alpha := 0; alpha < 6; alpha++ {
		t := s.terms[3*s.start[alpha] : 3*s.start[alpha+1]]
		acc := 0.0
		for i := 0; i+2 < len(t); i += 3 {
			acc += t[i] * fastCos(t[i+1]+t[i+2]*tau)
		}
		sum[alpha] = acc
	}
	return sum[0] + tau*(sum[1]+tau*(sum[2]+tau*(sum[3]+tau*(sum[4]+tau*sum[5]))))
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
