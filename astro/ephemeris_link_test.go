package astro

// The tests of the Sun, the Moon and the planets need the theories, which
// a program links by importing astro/ephemeris (see its documentation).
import _ "github.com/arcsecond-go/arcsecond/astro/ephemeris"
