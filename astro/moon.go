package astro

import "fmt"

// Moonrise returns the first moonrise at site in the 24 hours after from
// (upper limb at apparent altitude 0, topocentric, 33.6′ of refraction).
// It wraps ErrNoEvent when there is none (about one day a month, or near the
// poles).
func Moonrise(site Site, from Time) (Time, Events, error) {
	return oneEvent(Moon, site, from, true)
}

// Moonset returns the first moonset at site in the 24 hours after from; see
// Moonrise.
func Moonset(site Site, from Time) (Time, Events, error) {
	return oneEvent(Moon, site, from, false)
}

// MoonDistance returns the distance in km from the Earth's centre to the
// Moon's centre at the light-time-corrected epoch (ELP/MPP02, within 0.2 km
// of JPL DE431 over 1900-2100).
func MoonDistance(t Time) (float64, error) {
	p, err := ApparentPosition(Moon, t)
	if err != nil {
		return 0, err
	}
	return p.Distance, nil
}

func wrapNoEvent(b Body, what, why string) error {
	return fmt.Errorf("astro: %v does not %s within 24 h%s: %w", b, what, why, ErrNoEvent)
}
