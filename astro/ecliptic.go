package astro

import "math"

// EclipticMatrix returns the rotation from the ICRS (GCRS) to the mean
// ecliptic and equinox of date t (IAU 2006, ERFA ecm06): frame bias and
// precession, then the mean obliquity. t is evaluated in TT.
func EclipticMatrix(t Time) Matrix {
	tc := t.TT().centuries()
	g, p, s, e := pfw06(tc)
	return rotX(e, identity()).mul(fw2m(g, p, s, e))
}

// ICRSToEcliptic converts an ICRS direction to ecliptic longitude and
// latitude referred to the mean ecliptic and equinox of date t (IAU 2006;
// a pure rotation, as ERFA eqec06 and astropy's BarycentricMeanEcliptic).
// Use t = J2000 (TT) for the ecliptic J2000 frame.
func ICRSToEcliptic(t Time, ra, dec Angle) (lon, lat Angle) {
	x, y := c2s(EclipticMatrix(t).apply(s2c(float64(ra), float64(dec))))
	return Angle(x), Angle(y)
}

// EclipticToICRS is the inverse of ICRSToEcliptic.
func EclipticToICRS(t Time, lon, lat Angle) (ra, dec Angle) {
	x, y := c2s(EclipticMatrix(t).applyT(s2c(float64(lon), float64(lat))))
	return Angle(x), Angle(y)
}

// EquatorialToEcliptic rotates equatorial (ra, dec) about the equinox by
// the obliquity eps (Meeus eq. 13.1): use the mean obliquity for mean
// places, the true obliquity for apparent places of date.
func EquatorialToEcliptic(ra, dec, eps Angle) (lon, lat Angle) {
	x, y := c2s(rotX(float64(eps), identity()).apply(s2c(float64(ra), float64(dec))))
	return Angle(x), Angle(y)
}

// EclipticToEquatorial is the inverse of EquatorialToEcliptic (Meeus eq. 13.3).
func EclipticToEquatorial(lon, lat, eps Angle) (ra, dec Angle) {
	x, y := c2s(rotX(-float64(eps), identity()).apply(s2c(float64(lon), float64(lat))))
	return Angle(x), Angle(y)
}

// J2000 returns the epoch J2000.0 (2000 January 1.5 TT).
func J2000() Time { return Time{jd1: dj00, jd2: 0, scale: TT} }

var _ = math.Pi
