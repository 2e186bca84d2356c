// Package theory is the seam between package astro and the solar-system
// theories (VSOP87 for the planets, ELP/MPP02 for the Moon), whose tables
// are megabytes: astro evaluates bodies through the small interfaces here,
// and package astro/ephemeris, when a program imports it, registers the
// implementation. A program that never imports astro/ephemeris (a connector,
// a catalogue lookup) does not link the theories.
package theory

import (
	"errors"
	"sync/atomic"
)

// Planet numbers the bodies of the planetary theory.
type Planet int

// The planets, in the order of VSOP87.
const (
	Mercury Planet = iota + 1
	Venus
	Earth
	Mars
	Jupiter
	Saturn
	Uranus
	Neptune
)

// MaxYears bounds |date − J2000| in years that the theories accept
// (vsop87.MaxYears; astro/ephemeris checks that they agree).
const MaxYears = 6000

// Planets evaluates heliocentric ecliptic coordinates of the planets
// (VSOP87B: mean ecliptic and equinox of J2000): l, b in radians, r in au,
// at tau Julian millennia TDB from J2000.
type Planets interface {
	Eval(p Planet, tau float64) (l, b, r float64)
}

// Moon evaluates the geocentric position of the Moon in km (ELP/MPP02,
// mean ecliptic and equinox of J2000) at t Julian centuries TDB from J2000.
type Moon interface {
	Eval(t float64) (x, y, z float64)
}

// Set is a planetary and a lunar theory truncated alike.
type Set struct {
	Planets Planets
	Moon    Moon
}

// Provider builds the theories on first use; its methods are safe for
// concurrent use and return the same values on every call.
type Provider interface {
	// Default is the full-precision set (astro's accuracy figures).
	Default() (Set, error)
	// Fast is the coarser truncation of ApparentPositionFast.
	Fast() (Set, error)
	// Coarse is a planetary theory truncated at 1e-6 rad, for light time
	// and velocities.
	Coarse() (Planets, error)
}

// ErrNotLinked is returned by [Get] when no program package imported
// astro/ephemeris.
var ErrNotLinked = errors.New(`no solar-system ephemeris linked: import _ "github.com/arcsecond-go/arcsecond/astro/ephemeris"`)

var registered atomic.Pointer[Provider]

// Register makes p the provider; astro/ephemeris calls it from its init.
func Register(p Provider) { registered.Store(&p) }

// Get returns the registered provider, or ErrNotLinked.
func Get() (Provider, error) {
	p := registered.Load()
	if p == nil {
		return nil, ErrNotLinked
	}
	return *p, nil
}
