package astro

import (
	"fmt"
	"time"
)

// Twilight is a depression of the Sun's centre below the geometric horizon.
type Twilight int

// The twilights, by the geometric altitude of the Sun's centre: civil −6°,
// nautical −12°, astronomical −18°.
const (
	Civil Twilight = iota + 1
	Nautical
	Astronomical
)

// Altitude returns the Sun's geometric altitude that ends (or starts) the
// twilight.
func (tw Twilight) Altitude() Angle {
	switch tw {
	case Civil:
		return Deg(-6)
	case Nautical:
		return Deg(-12)
	case Astronomical:
		return Deg(-18)
	}
	return 0
}

func (tw Twilight) String() string {
	switch tw {
	case Civil:
		return "civil"
	case Nautical:
		return "nautical"
	case Astronomical:
		return "astronomical"
	}
	return fmt.Sprintf("Twilight(%d)", int(tw))
}

// Event is an instant that may not happen (OK false).
type Event struct {
	Time Time
	OK   bool
}

func (e Event) String() string {
	if !e.OK {
		return "none"
	}
	return e.Time.String()
}

// TwilightTimes returns the dusk (the Sun's centre going below the
// twilight's altitude) and the following dawn of twilight tw in the window
// after from (24 h if 0); a missing event has OK false (e.g. no
// astronomical dusk in a midsummer night at 55° N).
func TwilightTimes(tw Twilight, site Site, from Time, window time.Duration) (dusk, dawn Event, err error) {
	if tw < Civil || tw > Astronomical {
		return Event{}, Event{}, fmt.Errorf("astro: unknown twilight %d", int(tw))
	}
	if window == 0 {
		window = Day
	}
	ev, err := RiseTransitSetWith(Sun, site, from, RiseSetOptions{Window: window, Altitude: tw.Altitude(), AltitudeSet: true})
	if err != nil {
		return Event{}, Event{}, err
	}
	return Event{ev.Set, ev.HasSet}, Event{ev.Rise, ev.HasRise}, nil
}
