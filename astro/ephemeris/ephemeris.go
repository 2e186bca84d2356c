// Package ephemeris links the solar-system theories into package astro:
// VSOP87B for the planets (astro/vsop87) and ELP/MPP02 for the Moon
// (astro/elpmpp02). Import it for its side effect in a program that asks
// astro for the place of the Sun, the Moon or a planet (Astrometry.Body,
// ApparentPosition, Sunrise, TwilightTimes, Night, MoonIllumination,
// Planet, SeasonStart, rise/set and observability of a Body, ...):
//
//	import _ "github.com/arcsecond-go/arcsecond/astro/ephemeris"
//
// Without it those functions return an error saying so, and the program
// does not carry the theories' tables (several megabytes): astro's time
// scales, angles, frames, precession-nutation and stellar places do not
// need them.
//
// Registering costs nothing at init: the theories are built on first use.
package ephemeris

import (
	"sync"

	"github.com/arcsecond-go/arcsecond/astro/elpmpp02"
	"github.com/arcsecond-go/arcsecond/astro/internal/theory"
	"github.com/arcsecond-go/arcsecond/astro/vsop87"
)

func init() { theory.Register(provider{}) }

// planets adapts a VSOP87 theory to theory.Planets.
type planets struct{ th *vsop87.Theory }

func (p planets) Eval(b theory.Planet, tau float64) (l, lat, r float64) {
	return p.th.Eval(vsop87.Body(b), tau)
}

type provider struct{}

var defaultSet = sync.OnceValues(func() (theory.Set, error) {
	p, err := vsop87.Default()
	if err != nil {
		return theory.Set{}, err
	}
	m, err := elpmpp02.Default()
	if err != nil {
		return theory.Set{}, err
	}
	return theory.Set{Planets: planets{p}, Moon: m}, nil
})

var fastSet = sync.OnceValues(func() (theory.Set, error) {
	p, err := vsop87.New(vsop87.J2000, vsop87.FastThreshold)
	if err != nil {
		return theory.Set{}, err
	}
	m, err := elpmpp02.New(elpmpp02.DE405, elpmpp02.FastThreshold)
	if err != nil {
		return theory.Set{}, err
	}
	return theory.Set{Planets: planets{p}, Moon: m}, nil
})

var coarse = sync.OnceValues(func() (theory.Planets, error) {
	p, err := vsop87.New(vsop87.J2000, 1e-6)
	if err != nil {
		return nil, err
	}
	return planets{p}, nil
})

func (provider) Default() (theory.Set, error)    { return defaultSet() }
func (provider) Fast() (theory.Set, error)       { return fastSet() }
func (provider) Coarse() (theory.Planets, error) { return coarse() }
