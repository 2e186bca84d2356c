package catalogs

import "math"

// toJ2000 converts published coordinates in degrees to ICRS/J2000.
func toJ2000(eq Equinox, ra, dec float64) (float64, float64) {
	if eq != B1950 {
		return ra, dec
	}
	return fk4B1950ToFK5J2000(ra, dec)
}

// fk4B1950ToFK5J2000 converts an FK4 position of equinox and epoch B1950.0
// to FK5 equinox J2000.0, assuming zero proper motion in FK5 (the usual
// convention when the proper motion is unknown). It removes the elliptic
// aberration (E-terms) of B1950.0, applies the position blocks of the
// FK4-to-FK5 matrix of Standish (1982, A&A 115, 20) and Aoki et al. (1983,
// A&A 128, 263), as tabulated in the Explanatory Supplement to the
// Astronomical Almanac (1992), section 3.59, and carries the resulting
// fictitious proper motion from epoch B1950.0 to J2000.0. The coefficients
// are published constants; the code is this project's own.
//
// TODO(catalogs): switch to the astro package's FK4->FK5 conversion once it
// exists (astro is being written in parallel); the test compares against
// it when it does.
func fk4B1950ToFK5J2000(ra, dec float64) (float64, float64) {
	// E-terms of aberration at B1950.0, radians (Explanatory Supplement 3.591).
	a := [3]float64{-1.62557e-6, -0.31919e-6, -0.13843e-6}
	m := [3][3]float64{
		{0.9999256782, -0.0111820611, -0.0048579477},
		{0.0111820610, 0.9999374784, -0.0000271765},
		{0.0048579479, -0.0000271474, 0.9999881997},
	}
	// Velocity produced by a position (arcsec per century per radian).
	mv := [3][3]float64{
		{-0.000551, -0.238565, +0.435739},
		{+0.238514, -0.002667, -0.008541},
		{-0.435623, +0.012254, +0.002117},
	}
	// Julian epoch of B1950.0 and the century-to-radian scale.
	const (
		jdB1950 = 2415019.81352 + 50*365.242198781
		epj     = 2000 + (jdB1950-2451545.0)/365.25
		pmf     = 100 * 206264.80624709636 // arcsec per century, per rad per year
	)
	r := unitVector(ra, dec)
	w := r[0]*a[0] + r[1]*a[1] + r[2]*a[2]
	var r1 [3]float64
	for i := range r1 {
		r1[i] = r[i] - a[i] + w*r[i]
	}
	var r2 [3]float64
	for i := range r2 {
		pos := m[i][0]*r1[0] + m[i][1]*r1[1] + m[i][2]*r1[2]
		vel := mv[i][0]*r1[0] + mv[i][1]*r1[1] + mv[i][2]*r1[2]
		r2[i] = pos + vel*(epj-2000)/pmf
	}
	lon := math.Atan2(r2[1], r2[0]) / deg
	if lon < 0 {
		lon += 360
	}
	if lon >= 360 {
		lon -= 360
	}
	lat := math.Atan2(r2[2], math.Hypot(r2[0], r2[1])) / deg
	return lon, lat
}
