package astro

import "math"

// FK4 (B1950) → FK5 (J2000) after Standish (1982) and Aoki et al. (1983),
// as in the Explanatory Supplement (1992) §3.591 and SOFA/ERFA fk425.

// fk4ETerms are the E-terms of aberration (rad) and their rates (arcsec per
// tropical century).
var (
	fk4A  = Vec3{-1.62557e-6, -0.31919e-6, -0.13843e-6}
	fk4AD = Vec3{1.245e-3, -1.580e-3, -0.659e-3}
)

// fk425M is the 6×6 matrix [pos→pos, vel→pos; pos→vel, vel→vel] of
// Standish (1982) transforming FK4 B1950 position and velocity (the
// velocity in arcsec per tropical century) to FK5 J2000.
var fk425M = [2][3][2][3]float64{
	{
		{{+0.9999256782, -0.0111820611, -0.0048579477}, {+0.00000242395018, -0.00000002710663, -0.00000001177656}},
		{{+0.0111820610, +0.9999374784, -0.0000271765}, {+0.00000002710663, +0.00000242397878, -0.00000000006587}},
		{{+0.0048579479, -0.0000271474, +0.9999881997}, {+0.00000001177656, -0.00000000006582, +0.00000242410173}},
	},
	{
		{{-0.000551, -0.238565, +0.435739}, {+0.99994704, -0.01118251, -0.00485767}},
		{{+0.238514, -0.002667, -0.008541}, {+0.01118251, +0.99995883, -0.00002718}},
		{{-0.435623, +0.012254, +0.002117}, {+0.00485767, -0.00002714, +1.00000956}},
	},
}

// FK4Star is a star in the FK4 system at epoch and equinox B1950.0.
// Proper motions are in arcseconds per tropical year, dRA/dt not multiplied
// by cos δ (the FK4 catalogue convention); Parallax in arcseconds; RV in
// km/s (positive receding). Zero proper motion, parallax and RV are fine.
type FK4Star struct {
	RA, Dec      Angle
	PMRA, PMDec  float64 // arcsec per tropical year; PMRA = dα/dt (not × cos δ)
	Parallax, RV float64 // arcsec, km/s
}

// FK5Star is a star in the FK5 system at epoch and equinox J2000.0, proper
// motions in arcseconds per Julian year (PMRA = dα/dt, not × cos δ).
type FK5Star struct {
	RA, Dec      Angle
	PMRA, PMDec  float64 // arcsec per Julian year; PMRA = dα/dt (not × cos δ)
	Parallax, RV float64 // arcsec, km/s
}

// FK4ToFK5Star converts an FK4 B1950.0 catalogue entry (with its E-terms of
// aberration) to FK5 J2000.0 (Standish 1982; ERFA fk425), proper motions,
// parallax and radial velocity included. FK5 J2000 is aligned with the ICRS
// to about 20 mas (see FK5ToICRS).
//
// Signature for the catalogs package:
//
//	func FK4ToFK5Star(s FK4Star) FK5Star
//
// When the proper motion is unknown, FK4ToFK5 (positions only) assumes zero
// proper motion in FK5, which is the usual convention.
func FK4ToFK5Star(s FK4Star) FK5Star {
	const pmf = 100 * 206264.80624709636 // rad/yr → arcsec/century
	const vf = 21.095                    // km/s → au per tropical century
	const tiny = 1e-30
	r, d := float64(s.RA), float64(s.Dec)
	ur := s.PMRA * das2r * pmf
	ud := s.PMDec * das2r * pmf
	px, rv := s.Parallax, s.RV
	sr, cr := math.Sincos(r)
	sd, cd := math.Sincos(d)
	r0 := Vec3{cr * cd, sr * cd, sd}
	wv := vf * rv * px
	v1 := Vec3{
		-sr*cd*ur - cr*sd*ud + wv*r0[0],
		cr*cd*ur - sr*sd*ud + wv*r0[1],
		cd*ud + wv*r0[2],
	}
	w := r0.dot(fk4A)
	wd := r0.dot(fk4AD)
	var pv1 [2]Vec3
	for i := 0; i < 3; i++ {
		pv1[0][i] = r0[i] - fk4A[i] + w*r0[i]
		pv1[1][i] = v1[i] - fk4AD[i] + wd*r0[i]
	}
	var pv2 [2]Vec3
	for i := 0; i < 2; i++ {
		for j := 0; j < 3; j++ {
			var x float64
			for k := 0; k < 2; k++ {
				for l := 0; l < 3; l++ {
					x += fk425M[i][j][k][l] * pv1[k][l]
				}
			}
			pv2[i][j] = x
		}
	}
	x, y, z := pv2[0][0], pv2[0][1], pv2[0][2]
	xd, yd, zd := pv2[1][0], pv2[1][1], pv2[1][2]
	rxysq := x*x + y*y
	wsq := rxysq + z*z
	rxy := math.Sqrt(rxysq)
	rr := math.Sqrt(wsq)
	var ra, dec, pmr, pmd float64
	if rxy > tiny {
		ra = math.Atan2(y, x)
		pmr = (x*yd - y*xd) / rxysq
		pmd = (zd*rxysq - z*(x*xd+y*yd)) / (wsq * rxy)
	}
	if z != 0 {
		dec = math.Atan2(z, rxy)
	}
	out := FK5Star{RA: Angle(anp(ra)), Dec: Angle(dec), PMRA: pmr / pmf / das2r, PMDec: pmd / pmf / das2r}
	if px > tiny {
		out.RV = (x*xd + y*yd + z*zd) / (px * vf * rr)
		out.Parallax = px / rr
	}
	return out
}

// FK4ToFK5 converts a B1950.0 FK4 position (E-terms included, as FK4
// catalogues list) to J2000.0 FK5, assuming zero proper motion in FK5 and
// an observation epoch of B1950.0 (ERFA fk45z). Use FK4ToFK5AtEpoch when the
// position was observed at another epoch, FK4ToFK5Star with proper motions.
//
// Signature for the catalogs package:
//
//	func FK4ToFK5(ra, dec Angle) (ra2000, dec2000 Angle)
//
// FK5 J2000 agrees with the ICRS to about 20 mas (see FK5ToICRS).
func FK4ToFK5(ra, dec Angle) (ra2000, dec2000 Angle) {
	return FK4ToFK5AtEpoch(ra, dec, 1950)
}

// FK4ToFK5AtEpoch is FK4ToFK5 for a position observed at Besselian epoch
// bepoch (ERFA fk45z): the fictitious FK5 proper motion is allowed for.
func FK4ToFK5AtEpoch(ra, dec Angle, bepoch float64) (ra2000, dec2000 Angle) {
	const pmf = 100 * 206264.80624709636
	r0 := s2c(float64(ra), float64(dec))
	w := (bepoch - 1950) / pmf
	p := fk4A.add(fk4AD.scale(w))
	p = p.sub(r0.scale(r0.dot(p)))
	p = r0.sub(p)
	var pos, vel Vec3
	for j := 0; j < 3; j++ {
		for l := 0; l < 3; l++ {
			pos[j] += fk425M[0][j][0][l] * p[l]
			vel[j] += fk425M[1][j][0][l] * p[l]
		}
	}
	jd := 2415020.31352 + (bepoch-1900)*365.242198781
	epj := 2000 + (jd-dj00)/djy
	pos = pos.add(vel.scale((epj - 2000) / pmf))
	a, b := c2s(pos)
	return Angle(a), Angle(b)
}

// FK5ToICRS rotates an FK5 J2000 direction into the ICRS (Hipparcos frame
// orientation of Mignard & Froeschlé 2000, as ERFA fk5hip; the spin of
// 0.7 mas/yr is not applied: the result is for epoch J2000).
func FK5ToICRS(ra, dec Angle) (Angle, Angle) {
	a, b := c2s(fk5ToHip.apply(s2c(float64(ra), float64(dec))))
	return Angle(a), Angle(b)
}

// ICRSToFK5 is the inverse of FK5ToICRS.
func ICRSToFK5(ra, dec Angle) (Angle, Angle) {
	a, b := c2s(fk5ToHip.applyT(s2c(float64(ra), float64(dec))))
	return Angle(a), Angle(b)
}

// fk5ToHip is the FK5 → Hipparcos rotation: the rotation vector
// (−19.9, −9.1, +22.9) mas (FK5 orientation in the Hipparcos frame).
var fk5ToHip = func() Matrix {
	// rv2m of the inverse orientation: R = rv2m(ω); ERFA fk5hip returns
	// r5h = rv2m(epx, epy, epz) as FK5→Hipparcos.
	w := Vec3{-19.9e-3 * das2r, -9.1e-3 * das2r, 22.9e-3 * das2r}
	return rv2m(w)
}()

// rv2m returns the rotation matrix of a rotation vector (axis × angle).
func rv2m(w Vec3) Matrix {
	phi := w.norm()
	s, c := math.Sincos(phi)
	f := 1 - c
	x, y, z := w[0], w[1], w[2]
	if phi > 0 {
		x, y, z = x/phi, y/phi, z/phi
	}
	return Matrix{
		{x*x*f + c, x*y*f + z*s, x*z*f - y*s},
		{y*x*f - z*s, y*y*f + c, y*z*f + x*s},
		{z*x*f + y*s, z*y*f - x*s, z*z*f + c},
	}
}

// ICRSToMeanOfDate returns the mean place of date (mean equator and
// equinox of date t, IAU 2006 bias-precession; no nutation, aberration or
// deflection) of an ICRS direction.
func ICRSToMeanOfDate(t Time, ra, dec Angle) (Angle, Angle) {
	a, b := c2s(BiasPrecessionMatrix(t).apply(s2c(float64(ra), float64(dec))))
	return Angle(a), Angle(b)
}

// ICRSToTrueOfDate rotates an ICRS direction to the true equator and
// equinox of date t (IAU 2006/2000A precession-nutation, no aberration or
// deflection: a pure rotation; use Astrometry.Apparent for apparent places).
func ICRSToTrueOfDate(t Time, ra, dec Angle) (Angle, Angle) {
	a, b := c2s(NewPrecessionNutation(t).NPB.apply(s2c(float64(ra), float64(dec))))
	return Angle(a), Angle(b)
}

// ICRSToEclipticJ2000 converts an ICRS direction to ecliptic coordinates
// referred to the mean ecliptic and equinox of J2000 (IAU 2006).
func ICRSToEclipticJ2000(ra, dec Angle) (lon, lat Angle) { return ICRSToEcliptic(J2000(), ra, dec) }

// FrameBias returns the IAU 2006 frame bias matrix: it rotates a GCRS/ICRS
// vector into the mean equator and equinox of J2000 (the dynamical frame;
// about 23 mas).
func FrameBias() Matrix {
	g, p, s, e := pfw06(0)
	return fw2m(g, p, s, e)
}

// FK5ToFK4 is the inverse of FK4ToFK5: a J2000.0 FK5 position to B1950.0
// FK4 (E-terms included) assuming zero proper motion in FK5 and epoch
// B1950.0 (the inverse of ERFA fk45z at 1950, by iteration to 1 µas).
func FK5ToFK4(ra2000, dec2000 Angle) (ra1950, dec1950 Angle) {
	target := s2c(float64(ra2000), float64(dec2000))
	p := target
	for i := 0; i < 6; i++ {
		lon, lat := c2s(p)
		r, d := FK4ToFK5(Angle(lon), Angle(lat))
		q := s2c(float64(r), float64(d))
		p, _ = p.add(target.sub(q)).unit()
	}
	a, b := c2s(p)
	return Angle(a), Angle(b)
}
