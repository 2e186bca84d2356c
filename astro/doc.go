// Package astro is the astronomical-algorithms layer of the SDK: time
// scales, Earth rotation, precession-nutation, apparent and observed places,
// and coordinate frames, to the standard of the IAU SOFA library (its open
// twin ERFA) and faster where it matters.
//
// Units and scales cannot be mixed up: angles are Angle values (build with
// Deg, Hours, Rad, Arcsec or the unit constants Degree, Arcminute,
// Arcsecond, so that derived angles are constants; read with the methods of
// the same names; they print in degrees), instants are Time values that
// carry their scale (UTC, TAI, TT, TDB, UT1) as a two-part Julian date,
// durations are time.Duration, sites are Site values (east longitude,
// geodetic latitude, height in metres on WGS84). The package has no
// mutable globals.
//
// It is also where the SDK's shared primitives live, so that each has one
// implementation: MJDToGo, JDToGo, GoToMJD and GoToJD convert between
// (modified) Julian dates and Go times (days of 86400 s, microsecond
// rounding of the exact value; see gotime.go); ParseTimestamp reads the
// ISO 8601 timestamps archives and VO services write; Separation (and
// Vec3.Angle) is the angular separation; ParseHours, ParseDegrees and
// ParseDeclination read sexagesimal angles.
//
// Models: IAU 2006 precession (Fukushima-Williams angles), IAU 2000A
// nutation with the IAU 2006 adjustments (IERS Conventions 2010 Tables 5.3a/b,
// "2000A_R06") or the 77-term IAU 2000B, ERA/GMST/GAST (IAU 2006/2000A, Table
// 5.2e), the CIO locator s (Table 5.2d), leap seconds from IERS Bulletin C
// (with the 1961-1971 rate terms), ΔT from Morrison, Stephenson, Hohenkerk &
// Zawilski (2021), the Earth's barycentric motion from VSOP87B (Bretagnon &
// Francou 1988), refraction after Green (1987) and Stone (1996) as ERFA
// refco, galactic coordinates after Liu, Zhu & Zhang (2011), FK4 → FK5 after
// Standish (1982). The tables are generated from the published files by
// astro/internal/gen.
//
// Accuracy against ERFA (conformance test on the reference vectors and the
// cgo cross-check in astro/internal/erfacheck): Earth rotation and nutation better
// than 0.03 mas, apparent and observed places better than 0.04 mas over
// 1900-2100, frames and separations at the 1e-6 mas level.
//
// A short example: where is Vega from Paranal now?
//
//	now := astro.FromGo(time.Now())
//	site := astro.Site{Lon: astro.Deg(-70.4045), Lat: astro.Deg(-24.6272), Height: 2635}
//	ctx, err := astro.NewTopocentric(now, site, &astro.Weather{PressureHPa: 743, TemperatureC: 12, RelativeHumidity: 0.1})
//	if err != nil { ... }
//	vega := astro.Star{RA: astro.Hours(18.615649), Dec: astro.Deg(38.783689), PMRA: 200.94, PMDec: 286.23, Parallax: 130.23, RV: -13.5}
//	o := ctx.Observed(vega)
//	fmt.Printf("az %.3f° alt %.3f°\n", o.Az.Deg(), o.AltRefracted.Deg())
//
// The Astrometry context computed once per instant serves any number of
// stars (ObservedBatch); the follow-up solar-system functions build on
// Astrometry.ApparentFromGCRS / ObservedFromGCRS and PrecessionNutation.
//
// The Sun, the Moon and the planets (Astrometry.Body, ApparentPosition,
// Sunrise, Moonrise, TwilightTimes, Night, Planet, MoonIllumination,
// SeasonStart, and rise/set, altitude curves and observability, which need
// the Earth's orbit) use the VSOP87 and ELP/MPP02 theories, whose tables are
// megabytes. A program links them by importing astro/ephemeris:
//
//	import _ "github.com/arcsecond-go/arcsecond/astro/ephemeris"
//
// Without that import those functions return an error saying so, and the
// rest of the package (time scales, angles, frames, stellar places) costs
// a program little: no theory tables, and no work at init (the nutation
// series and the leap-second table are prepared on first use).
package astro
