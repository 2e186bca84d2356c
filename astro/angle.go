package astro

import (
	"math"
	"strconv"
)

// Angle is a plane angle. Its underlying value is in radians; construct one
// with Rad, Deg, Hours or Arcsec, or from the unit constants (30 * Arcminute),
// and read it with the methods of the same names, so that degrees, hours and
// radians cannot be mixed up. It prints in degrees.
type Angle float64

// Units of Angle, so that derived angles can be constants:
//
//	const limb = 16 * astro.Arcminute
const (
	Radian         Angle = 1
	Degree               = math.Pi / 180 * Radian
	Arcminute            = Degree / 60
	Arcsecond            = Arcminute / 60
	Milliarcsecond       = Arcsecond / 1000
	// RAHour is one hour of right ascension or hour angle, 15°.
	RAHour = 15 * Degree
)

// String returns the angle in degrees with seven decimals (0.36 mas), as
// "-12.5000000°".
func (a Angle) String() string { return strconv.FormatFloat(a.Deg(), 'f', 7, 64) + "°" }

// Rad returns an Angle of r radians.
func Rad(r float64) Angle { return Angle(r) }

// Deg returns an Angle of d degrees.
func Deg(d float64) Angle { return Angle(d * d2r) }

// Hours returns an Angle of h hours (15° per hour).
func Hours(h float64) Angle { return Angle(h * 15 * d2r) }

// Arcsec returns an Angle of s arcseconds.
func Arcsec(s float64) Angle { return Angle(s * das2r) }

// Mas returns an Angle of m milliarcseconds.
func Mas(m float64) Angle { return Angle(m * das2r / 1000) }

// Rad returns the angle in radians.
func (a Angle) Rad() float64 { return float64(a) }

// Deg returns the angle in degrees.
func (a Angle) Deg() float64 { return float64(a) / d2r }

// Hours returns the angle in hours.
func (a Angle) Hours() float64 { return float64(a) / d2r / 15 }

// Arcsec returns the angle in arcseconds.
func (a Angle) Arcsec() float64 { return float64(a) / das2r }

// Mas returns the angle in milliarcseconds.
func (a Angle) Mas() float64 { return float64(a) / das2r * 1000 }

// Norm returns the angle normalized into [0, 360°).
func (a Angle) Norm() Angle { return Angle(anp(float64(a))) }

// NormPM returns the angle normalized into [-180°, 180°).
func (a Angle) NormPM() Angle { return Angle(anpm(float64(a))) }

// Sin returns the sine of the angle.
func (a Angle) Sin() float64 { return math.Sin(float64(a)) }

// Cos returns the cosine of the angle.
func (a Angle) Cos() float64 { return math.Cos(float64(a)) }
