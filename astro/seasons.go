package astro

import (
	"fmt"
	"math"
)

// Season is an equinox or a solstice.
type Season int

// The seasons by the Sun's apparent ecliptic longitude of date: March
// equinox 0°, June solstice 90°, September equinox 180°, December
// solstice 270°.
const (
	MarchEquinox Season = iota
	JuneSolstice
	SeptemberEquinox
	DecemberSolstice
)

func (s Season) String() string {
	switch s {
	case MarchEquinox:
		return "March equinox"
	case JuneSolstice:
		return "June solstice"
	case SeptemberEquinox:
		return "September equinox"
	case DecemberSolstice:
		return "December solstice"
	}
	return fmt.Sprintf("Season(%d)", int(s))
}

// SeasonStart returns the instant (TT) of season s in the given year: when
// the Sun's apparent geocentric longitude (true ecliptic and equinox of
// date) is a multiple of 90° (Meeus ch. 27 with the full VSOP87 Sun of this
// package instead of the book's approximations), found by Newton steps to
// 0.1 s.
func SeasonStart(year int, s Season) (Time, error) {
	if s < MarchEquinox || s > DecemberSolstice {
		return Time{}, fmt.Errorf("astro: unknown season %d", int(s))
	}
	if year < -3000 || year > 7000 {
		return Time{}, fmt.Errorf("astro: season: year %d outside -3000…7000", year)
	}
	guess, err := NewTime(TT, 2451545.0+(float64(year)-2000+0.2197+0.25*float64(s))*365.2422, 0)
	if err != nil {
		return Time{}, err
	}
	target := float64(s) * math.Pi / 2
	d := 0.0
	for i := 0; i < 20; i++ {
		p, err := ApparentPosition(Sun, guess.addSec(d*daysec))
		if err != nil {
			return Time{}, err
		}
		step := anpm(target-float64(p.Lon)) / (twoPi / 365.2422)
		d += step
		if math.Abs(step) < 1e-6 {
			break
		}
	}
	return guess.addSec(d * daysec), nil
}
