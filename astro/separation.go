package astro

import "math"

// Separation returns the great-circle angle between two directions
// (lon1, lat1) and (lon2, lat2) on the sphere — e.g. two ICRS positions —
// computed with the vector form of Vec3.Angle, which keeps full precision
// for tiny separations and for nearly antipodal points. Result in
// [0, 180°]. It is the SDK's one implementation of the angular separation.
func Separation(lon1, lat1, lon2, lat2 Angle) Angle {
	return s2c(float64(lon1), float64(lat1)).Angle(s2c(float64(lon2), float64(lat2)))
}

// PositionAngle returns the position angle of direction 2 seen from
// direction 1, measured from north through east, in [0, 360°).
func PositionAngle(lon1, lat1, lon2, lat2 Angle) Angle {
	dl := float64(lon2 - lon1)
	sdl, cdl := math.Sincos(dl)
	s1, c1 := math.Sincos(float64(lat1))
	s2, c2 := math.Sincos(float64(lat2))
	y := sdl * c2
	x := c1*s2 - s1*c2*cdl
	if x == 0 && y == 0 {
		return 0
	}
	return Angle(anp(math.Atan2(y, x)))
}
