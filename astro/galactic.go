package astro

import "math"

// Galactic coordinates: the IAU 1958 system with its pole and origin taken
// as exact in the ICRS, after Liu, Zhu & Zhang (2011, A&A 526, A16), as ERFA
// icrs2g: the ICRS→galactic matrix is R3(−R)·R1(π/2−Q)·R3(π/2+P) with
// P = 192.85948°, Q = 27.12825°, R = 32.93192°.
var icrsToGal = func() Matrix {
	r := identity()
	r = rotZ((90+192.85948)*d2r, r)
	r = rotX((90-27.12825)*d2r, r)
	r = rotZ(-32.93192*d2r, r)
	return r
}()

// Supergalactic coordinates (de Vaucouleurs et al. 1976, as in Lahav et al.
// 2000): the supergalactic north pole is at galactic (l, b) = (47.37°,
// +6.32°) and the origin at (137.37°, 0°).
var galToSupergal = func() Matrix {
	z := s2c(47.37*d2r, 6.32*d2r)
	x := s2c(137.37*d2r, 0)
	// make x exactly orthogonal to z
	x, _ = x.sub(z.scale(x.dot(z))).unit()
	y := z.cross(x)
	return Matrix{x, y, z}
}()

// ICRSToGalactic converts an ICRS direction to galactic longitude l and
// latitude b (ERFA icrs2g; exact rotation, no precession: the galactic frame
// is fixed in the ICRS).
func ICRSToGalactic(ra, dec Angle) (l, b Angle) {
	v := icrsToGal.apply(s2c(float64(ra), float64(dec)))
	x, y := c2s(v)
	return Angle(x), Angle(y)
}

// GalacticToICRS is the inverse of ICRSToGalactic.
func GalacticToICRS(l, b Angle) (ra, dec Angle) {
	v := icrsToGal.applyT(s2c(float64(l), float64(b)))
	x, y := c2s(v)
	return Angle(x), Angle(y)
}

// GalacticToSupergalactic converts galactic (l, b) to supergalactic (SGL, SGB).
func GalacticToSupergalactic(l, b Angle) (sgl, sgb Angle) {
	x, y := c2s(galToSupergal.apply(s2c(float64(l), float64(b))))
	return Angle(x), Angle(y)
}

// SupergalacticToGalactic is the inverse of GalacticToSupergalactic.
func SupergalacticToGalactic(sgl, sgb Angle) (l, b Angle) {
	x, y := c2s(galToSupergal.applyT(s2c(float64(sgl), float64(sgb))))
	return Angle(x), Angle(y)
}

// ICRSToSupergalactic converts an ICRS direction to supergalactic coordinates.
func ICRSToSupergalactic(ra, dec Angle) (sgl, sgb Angle) {
	return GalacticToSupergalactic(ICRSToGalactic(ra, dec))
}

// ParallacticAngle returns the parallactic angle q of a direction at hour
// angle ha (west positive) and declination dec seen from geodetic latitude
// lat: the angle at the object between north and the zenith, positive when
// the object is west of the meridian (ERFA hd2pa, Meeus eq. 14.1).
func ParallacticAngle(ha, dec, lat Angle) Angle {
	sh, ch := math.Sincos(float64(ha))
	sd, cd := math.Sincos(float64(dec))
	sp, cp := math.Sincos(float64(lat))
	sqsz := cp * sh
	cqsz := sp*cd - cp*sd*ch
	if sqsz == 0 && cqsz == 0 {
		cqsz = 1
	}
	return Angle(math.Atan2(sqsz, cqsz))
}
