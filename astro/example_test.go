package astro_test

import (
	"fmt"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
)

// Meeus, Astronomical Algorithms, example 7.a.
func ExampleCalendarToJD() {
	jd, _ := astro.CalendarToJD(1957, 10, 4.81, astro.Gregorian)
	fmt.Printf("%.2f\n", jd)
	// Output: 2436116.31
}

func ExampleJDToCalendar() {
	y, m, d, _ := astro.JDToCalendar(1507900.13, astro.MeeusCalendar)
	fmt.Printf("%d-%02d-%.2f\n", y, m, d)
	// Output: -584-05-28.63
}

func ExampleEaster() {
	m, d := astro.Easter(2000, astro.Gregorian)
	fmt.Println(m, d)
	// Output: 4 23
}

func ExampleWeekday() {
	fmt.Println(time.Weekday(astro.Weekday(2434923.5)))
	// Output: Wednesday
}

func ExampleParseTime() {
	t, _ := astro.ParseTime("2016-12-31T23:59:60.5Z") // a leap second
	fmt.Println(t)
	fmt.Println(t.TT())
	// Output:
	// 2016-12-31T23:59:60.500000 UTC
	// 2017-01-01T00:01:08.684000 TT
}

func ExampleTime_To() {
	t, _ := astro.NewUTC(2024, 3, 20, 3, 6, 0)
	tai := t.To(astro.TAI)
	fmt.Printf("TAI−UTC = %.0f s\n", tai.Sub(t)+0) // Sub is in TT seconds, the same instant
	d, _ := astro.TAIMinusUTC(t)
	fmt.Printf("%.0f s\n", d)
	// Output:
	// TAI−UTC = 0 s
	// 37 s
}

func ExampleDeltaT() {
	dt, sigma := astro.DeltaT(1900)
	fmt.Printf("%.1f ± %.1f s\n", dt, sigma)
	// Output: -2.0 ± 0.1 s
}

// Meeus example 12.a: sidereal time at 1987 April 10, 0h UT.
func ExampleGMST() {
	t := astro.MustTime(astro.UT1, 2446895.5, 0)
	fmt.Println(astro.FormatHMS(astro.GMST(t), 4))
	fmt.Println(astro.FormatHMS(astro.GAST(t), 4))
	// Output:
	// 13h10m46.3701s
	// 13h10m46.1389s
}

// Meeus example 22.a with the IAU 2000A_R06 model.
func ExampleNutation() {
	t := astro.MustTime(astro.TT, 2446895.5, 0)
	dpsi, deps := astro.Nutation(t)
	fmt.Printf("Δψ = %.4f″  Δε = %.4f″  ε0 = %s\n", dpsi.Arcsec(), deps.Arcsec(), astro.FormatDMS(astro.MeanObliquity(t), 3))
	// Output: Δψ = -3.7810″  Δε = 9.4454″  ε0 = +23°26′27.368″
}

func ExampleNewPrecessionNutation() {
	pn := astro.NewPrecessionNutation(astro.J2000())
	fmt.Printf("X = %.3f mas, Y = %.3f mas, s = %.3f mas\n", astro.Rad(pn.X).Mas(), astro.Rad(pn.Y).Mas(), pn.S.Mas())
	// Output: X = -5558.090 mas, Y = -5776.388 mas, s = -2.090 mas
}

// Meeus example 23.a: the apparent place of θ Persei on 2028 November 13.19 TD.
func ExampleAstrometry_Apparent() {
	t := astro.MustTime(astro.TT, 2462088.69, 0)
	ra, _ := astro.ParseHours("2h44m11.986s")
	dec, _ := astro.ParseDegrees("+49°13′42.48″")
	star := astro.Star{RA: ra, Dec: dec, PMRA: 0.03425 * 15 * 1000 * dec.Cos(), PMDec: -89.5}
	ctx, err := astro.NewGeocentric(t)
	if err != nil {
		panic(err)
	}
	a, d := ctx.Apparent(star)
	fmt.Println(astro.FormatHMS(a, 3), astro.FormatDMS(d, 2))
	// Output: 02h46m14.386s +49°21′07.40″
}

func ExampleAstrometry_Observed() {
	t, _ := astro.ParseTime("2024-05-01T09:00:00Z")
	paranal := astro.Site{Lon: astro.Deg(-70.4045), Lat: astro.Deg(-24.6272), Height: 2635}
	ctx, err := astro.NewTopocentric(t, paranal, &astro.Weather{PressureHPa: 743, TemperatureC: 12, RelativeHumidity: 0.1})
	if err != nil {
		panic(err)
	}
	vega := astro.Star{RA: astro.Hours(18.615649), Dec: astro.Deg(38.783689), PMRA: 200.94, PMDec: 286.23, Parallax: 130.23, RV: -13.5}
	o := ctx.Observed(vega)
	fmt.Printf("az %.4f° alt %.4f° (refracted %.4f°)\n", o.Az.Deg(), o.Alt.Deg(), o.AltRefracted.Deg())
	// Output: az 355.7064° alt 26.4036° (refracted 26.4272°)
}

func ExampleFK4ToFK5() {
	ra, _ := astro.ParseHours("17h48m59.74s")
	dec, _ := astro.ParseDegrees("-14°43′08.2″")
	r, d := astro.FK4ToFK5(ra, dec)
	fmt.Println(astro.FormatHMS(r, 2), astro.FormatDMS(d, 1))
	// Output: 17h51m51.07s -14°43′50.1″
}

func ExampleICRSToGalactic() {
	// The galactic centre direction.
	l, b := astro.ICRSToGalactic(astro.Deg(266.40499), astro.Deg(-28.93617))
	fmt.Printf("l = %.4f°, b = %.4f°\n", l.NormPM().Deg()+0, b.Deg()+0)
	// Output: l = 0.0000°, b = 0.0000°
}

func ExampleICRSToEcliptic() {
	l, b := astro.ICRSToEcliptic(astro.J2000(), astro.Hours(7+45.0/60+18.946/3600), astro.Deg(28+1.0/60+34.26/3600))
	fmt.Printf("λ = %.5f°, β = %.5f°\n", l.Deg(), b.Deg())
	// Output: λ = 113.21563°, β = 6.68418°
}

// Meeus example 17.a: Arcturus and Spica.
func ExampleSeparation() {
	ra1, _ := astro.ParseHours("14h15m39.7s")
	de1, _ := astro.ParseDegrees("+19°10′57″")
	ra2, _ := astro.ParseHours("13h25m11.6s")
	de2, _ := astro.ParseDegrees("-11°09′41″")
	fmt.Printf("%.4f° at PA %.2f°\n", astro.Separation(ra1, de1, ra2, de2).Deg(), astro.PositionAngle(ra1, de1, ra2, de2).Deg())
	// Output: 32.7930° at PA 203.31°
}

func ExampleParseDegrees() {
	a, _ := astro.ParseDegrees("-00 30 00")
	fmt.Println(a.Deg(), astro.FormatDMS(a, 1))
	_, err := astro.ParseDegrees("12:61:00")
	fmt.Println(err)
	// Output:
	// -0.5 -00°30′00.0″
	// astro: cannot parse degrees "12:61:00": minutes 61 is not below 60
}

func ExampleParseHours() {
	a, _ := astro.ParseHours("12h34m56.7s")
	b, _ := astro.ParseHours("12:34:56.7")
	fmt.Println(a == b, astro.FormatHMSColon(a, 1))
	// Output: true 12:34:56.7
}

func ExampleRefractionConstants() {
	a, b := astro.RefractionConstants(astro.Weather{PressureHPa: 1013.25, TemperatureC: 10, RelativeHumidity: 0.5, WavelengthMicron: 0.55})
	fmt.Printf("A = %.3f″, B = %.5f″\n", astro.Rad(a).Arcsec(), astro.Rad(b).Arcsec())
	// Output: A = 58.207″, B = -0.06516″
}

func ExampleEquatorialToHorizontal() {
	// Meeus example 13.b (azimuth from north).
	az, alt := astro.EquatorialToHorizontal(astro.Deg(64.352133), astro.Deg(-6.719892), astro.Deg(38.921389))
	fmt.Printf("A = %.4f°, h = %.4f°\n", az.Deg(), alt.Deg())
	// Output: A = 248.0337°, h = 15.1249°
}
