package astro

// Sunrise returns the first sunrise at site in the 24 hours after from
// (RiseTransitSet's convention: upper limb at apparent altitude 0 with
// 33.6′ of refraction). It wraps ErrNoEvent when the Sun does not rise in
// that window (polar day or night); the returned Events say which.
func Sunrise(site Site, from Time) (Time, Events, error) {
	return oneEvent(Sun, site, from, true)
}

// Sunset returns the first sunset at site in the 24 hours after from; see
// Sunrise.
func Sunset(site Site, from Time) (Time, Events, error) {
	return oneEvent(Sun, site, from, false)
}

func oneEvent(b Body, site Site, from Time, rise bool) (Time, Events, error) {
	ev, err := RiseTransitSetWith(b, site, from, RiseSetOptions{Window: Day})
	if err != nil {
		return Time{}, ev, err
	}
	switch {
	case rise && ev.HasRise:
		return ev.Rise, ev, nil
	case !rise && ev.HasSet:
		return ev.Set, ev, nil
	}
	what := "set"
	if rise {
		what = "rise"
	}
	why := ""
	switch {
	case ev.AlwaysUp:
		why = " (always up)"
	case ev.AlwaysDown:
		why = " (always down)"
	}
	return Time{}, ev, wrapNoEvent(b, what, why)
}
