package astro

import (
	"fmt"
	"math"
)

// Site is an observer on the Earth: east longitude, geodetic latitude
// (WGS84) and height above the WGS84 ellipsoid in metres.
type Site struct {
	Lon    Angle   // east positive
	Lat    Angle   // geodetic
	Height float64 // metres above the WGS84 ellipsoid
}

// Validate reports whether the site's coordinates are usable.
func (s Site) Validate() error {
	if !finite(float64(s.Lon), float64(s.Lat), s.Height) {
		return fmt.Errorf("astro: site has a non-finite coordinate")
	}
	if math.Abs(s.Lat.Deg()) > 90 {
		return fmt.Errorf("astro: site latitude %v° outside ±90°", s.Lat.Deg())
	}
	if s.Height < -12000 || s.Height > 1e8 {
		return fmt.Errorf("astro: site height %v m out of range", s.Height)
	}
	return nil
}

// Geocentric returns the site's geocentric position in metres in the
// terrestrial frame (ITRS, WGS84 ellipsoid).
func (s Site) Geocentric() Vec3 {
	sp, cp := math.Sincos(float64(s.Lat))
	sl, cl := math.Sincos(float64(s.Lon))
	w := (1 - wgs84F) * (1 - wgs84F)
	d := cp*cp + w*sp*sp
	ac := wgs84A / math.Sqrt(d)
	as := w * ac
	r := (ac + s.Height) * cp
	return Vec3{r * cl, r * sl, (as + s.Height) * sp}
}
