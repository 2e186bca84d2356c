package astro

import "math"

// era00 returns the Earth rotation angle (rad) at UT1 date u1+u2.
func era00(u1, u2 float64) float64 {
	var d1, d2 float64
	if u1 < u2 {
		d1, d2 = u1, u2
	} else {
		d1, d2 = u2, u1
	}
	tu := d1 + (d2 - dj00)
	f := (d1 - math.Floor(d1)) + (d2 - math.Floor(d2)) // fractions of day (an integer offset is absorbed by anp)
	return anp(twoPi * (f + 0.7790572732640 + 0.00273781191135448*tu))
}

// gmst06poly returns GMST − ERA (rad), IAU 2006, at t centuries TT.
func gmst06poly(t float64) float64 {
	return (0.014506 + (4612.156534+(1.3915817+(-0.00000044+(-0.000029956+(-0.0000000368)*t)*t)*t)*t)*t) * das2r
}

// ERA returns the Earth rotation angle (IAU 2000) at t, evaluated in UT1
// (UT1 = UTC + t.EOP().DUT1). Exact to the float64 resolution (~1 µas·day).
func ERA(t Time) Angle {
	u := t.UT1()
	return Angle(era00(u.jd1, u.jd2))
}

// GMST returns Greenwich mean sidereal time, IAU 2006 (ERFA gmst06), from
// UT1 and TT. Accuracy: the model's; agreement with ERFA < 1 µas.
func GMST(t Time) Angle {
	u := t.UT1()
	return Angle(anp(era00(u.jd1, u.jd2) + gmst06poly(t.TT().centuries())))
}

// GAST returns Greenwich apparent sidereal time, IAU 2006/2000A (ERFA
// gst06a to about 1 µas): GMST + Δψ cos εA + complementary terms.
func GAST(t Time) Angle {
	tc := t.TT().centuries()
	dpsi, _ := nutationFast(tc)
	u := t.UT1()
	return Angle(anp(era00(u.jd1, u.jd2) + gmst06poly(tc) + dpsi*math.Cos(obl06(tc)) + eect(tc)))
}

// EquationOfEquinoxes returns GAST − GMST (IAU 2006/2000A) at t (TT).
func EquationOfEquinoxes(t Time) Angle {
	tc := t.TT().centuries()
	dpsi, _ := nutationFast(tc)
	return Angle(dpsi*math.Cos(obl06(tc)) + eect(tc))
}

// LocalMeanSiderealTime returns GMST + the site's east longitude, in [0, 360°).
func LocalMeanSiderealTime(t Time, s Site) Angle { return (GMST(t) + s.Lon).Norm() }

// LocalApparentSiderealTime returns GAST + the site's east longitude, in [0, 360°).
func LocalApparentSiderealTime(t Time, s Site) Angle { return (GAST(t) + s.Lon).Norm() }

// HourAngle returns the local hour angle, in [−180°, 180°), of a direction
// with apparent right ascension ra (true equator and equinox of date) seen
// from the site at t: LAST − ra, west positive.
func HourAngle(t Time, s Site, ra Angle) Angle {
	return (LocalApparentSiderealTime(t, s) - ra).NormPM()
}
