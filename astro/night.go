package astro

import (
	"fmt"
	"math"
	"time"
)

// NightInfo is the night at a site: sunset, the three twilights, sunrise,
// the middle of the night and the Moon. Times are UTC. Events that do not
// happen (polar day or night, white nights) have OK false.
type NightInfo struct {
	Start                      Time // local mean noon that starts the 24-hour search
	Sunset, Sunrise            Event
	CivilDusk, CivilDawn       Event
	NauticalDusk, NauticalDawn Event
	AstroDusk, AstroDawn       Event
	// Midnight is midway between sunset and sunrise (local mean midnight
	// when either is missing).
	Midnight Time
	// Dark is the time between astronomical dusk and dawn (0 when the Sun
	// never gets 18° below the horizon, 24 h in polar night).
	Dark time.Duration
	// PolarDay and PolarNight: the Sun does not set, or does not rise.
	PolarDay, PolarNight bool
	MoonRise, MoonSet    Event
	// MoonIllumination is the illuminated fraction of the Moon at Midnight.
	MoonIllumination float64
}

// Night returns the night that starts on the evening of the civil date
// (year, month, day) at site: the search covers the 24 hours from the
// site's local mean noon (12:00 UTC − longitude/15°·1 h). Sunset and
// sunrise follow RiseTransitSet's convention (upper limb, 33.6′
// refraction); twilights use the Sun's centre at −6°, −12°, −18°.
func Night(site Site, year, month, day int) (NightInfo, error) {
	noon, err := NewUTC(year, month, day, 12, 0, 0)
	if err != nil {
		return NightInfo{}, fmt.Errorf("astro: night: %w", err)
	}
	if err := site.Validate(); err != nil {
		return NightInfo{}, fmt.Errorf("astro: night: %w", err)
	}
	return NightAfter(site, noon.addSec(-site.Lon.NormPM().Deg()/15*3600))
}

// NightAfter is Night for a search starting at from (any scale; results in
// UTC) and lasting 24 hours.
func NightAfter(site Site, from Time) (NightInfo, error) {
	tr, err := newTrack(Sun, site, from, 1)
	if err != nil {
		return NightInfo{}, fmt.Errorf("astro: night: %w", err)
	}
	tr.scale = UTC
	n := NightInfo{Start: from.UTC()}
	ev := tr.events(RiseSetOptions{})
	n.Sunset, n.Sunrise = Event{ev.Set, ev.HasSet}, Event{ev.Rise, ev.HasRise}
	n.PolarDay = ev.AlwaysUp
	n.PolarNight = ev.AlwaysDown
	var astro Events
	for _, tw := range []Twilight{Civil, Nautical, Astronomical} {
		e := tr.events(RiseSetOptions{Altitude: tw.Altitude(), AltitudeSet: true})
		dusk, dawn := Event{e.Set, e.HasSet}, Event{e.Rise, e.HasRise}
		switch tw {
		case Civil:
			n.CivilDusk, n.CivilDawn = dusk, dawn
		case Nautical:
			n.NauticalDusk, n.NauticalDawn = dusk, dawn
		case Astronomical:
			n.AstroDusk, n.AstroDawn = dusk, dawn
			astro = e
		}
	}
	if n.Sunset.OK && n.Sunrise.OK && n.Sunrise.Time.Sub(n.Sunset.Time) > 0 {
		n.Midnight = n.Sunset.Time.addSec(n.Sunrise.Time.Sub(n.Sunset.Time) / 2)
	} else {
		n.Midnight = n.Start.addSec(12 * 3600)
	}
	switch {
	case astro.AlwaysDown:
		n.Dark = Day
	case n.AstroDusk.OK && n.AstroDawn.OK:
		n.Dark = seconds(math.Max(0, n.AstroDawn.Time.Sub(n.AstroDusk.Time)))
	case n.AstroDusk.OK:
		n.Dark = seconds(n.Start.Add(Day).Sub(n.AstroDusk.Time))
	case n.AstroDawn.OK:
		n.Dark = seconds(n.AstroDawn.Time.Sub(n.Start))
	}
	m, err := RiseTransitSetWith(Moon, site, n.Start, RiseSetOptions{Window: Day})
	if err != nil {
		return NightInfo{}, fmt.Errorf("astro: night: %w", err)
	}
	n.MoonRise, n.MoonSet = Event{m.Rise, m.HasRise}, Event{m.Set, m.HasSet}
	ill, err := MoonIllumination(n.Midnight)
	if err != nil {
		return NightInfo{}, fmt.Errorf("astro: night: %w", err)
	}
	n.MoonIllumination = ill.Fraction
	return n, nil
}
