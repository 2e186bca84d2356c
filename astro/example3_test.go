package astro_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
)

func ExampleNewUTC() {
	t, err := astro.NewUTC(2015, 6, 30, 23, 59, 60.25) // inside the 2015 leap second
	if err != nil {
		panic(err)
	}
	fmt.Println(t, "=", t.TAI())
	_, err = astro.NewUTC(2015, 6, 29, 23, 59, 60)
	fmt.Println(err)
	// Output:
	// 2015-06-30T23:59:60.250000 UTC = 2015-07-01T00:00:35.250000 TAI
	// astro: 2015-06-29 has no second 86400 of the day (its length is 86400 s)
}

func ExampleNewTime() {
	t, _ := astro.NewTime(astro.TT, 2400000.5, 60000.25) // two-part Julian date
	fmt.Printf("MJD %.2f %v, Julian epoch %.6f\n", t.MJD(), t.Scale(), t.JulianEpoch())
	// Output: MJD 60000.25 TT, Julian epoch 2023.150582
}

func ExampleTime_Sub() {
	a, _ := astro.ParseTime("2016-12-31T23:59:59Z")
	b, _ := astro.ParseTime("2017-01-01T00:00:00Z")
	fmt.Printf("%.6f s\n", b.Sub(a)) // the leap second counts
	// Output: 2.000000 s
}

func ExampleLoadLeapSeconds() {
	// A newer IERS Leap_Second.dat replaces the embedded table; here a
	// (hypothetical) 38th second from 2030.
	extra := "    62502.0    1  1 2030       38\n"
	if err := astro.LoadLeapSeconds(strings.NewReader(builtinCopy() + extra)); err != nil {
		panic(err)
	}
	t, _ := astro.ParseTime("2030-06-01T00:00:00Z")
	d, _ := astro.TAIMinusUTC(t)
	fmt.Println(d)
	_ = astro.LoadLeapSeconds(strings.NewReader(builtinCopy())) // restore
	// Output: 38
}

// builtinCopy is a small Leap_Second.dat in the IERS layout.
func builtinCopy() string {
	var b strings.Builder
	b.WriteString("#  File expires on 28 June 2027\n")
	for _, l := range []string{"41317.0 1 1 1972 10", "41499.0 1 7 1972 11", "41683.0 1 1 1973 12", "42048.0 1 1 1974 13",
		"42413.0 1 1 1975 14", "42778.0 1 1 1976 15", "43144.0 1 1 1977 16", "43509.0 1 1 1978 17", "43874.0 1 1 1979 18",
		"44239.0 1 1 1980 19", "44786.0 1 7 1981 20", "45151.0 1 7 1982 21", "45516.0 1 7 1983 22", "46247.0 1 7 1985 23",
		"47161.0 1 1 1988 24", "47892.0 1 1 1990 25", "48257.0 1 1 1991 26", "48804.0 1 7 1992 27", "49169.0 1 7 1993 28",
		"49534.0 1 7 1994 29", "50083.0 1 1 1996 30", "50630.0 1 7 1997 31", "51179.0 1 1 1999 32", "53736.0 1 1 2006 33",
		"54832.0 1 1 2009 34", "56109.0 1 7 2012 35", "57204.0 1 7 2015 36", "57754.0 1 1 2017 37"} {
		b.WriteString(l + "\n")
	}
	return b.String()
}

func ExampleIsLeapYear() {
	fmt.Println(astro.IsLeapYear(1900, astro.Gregorian), astro.IsLeapYear(1900, astro.Julian), astro.DaysInMonth(2024, 2, astro.Gregorian))
	// Output: false true 29
}

func ExampleEquationOfEquinoxes() {
	t := astro.MustTime(astro.TT, 2446895.5, 0) // 1987 April 10 (Meeus 12.a, IAU 1980: −0.2317 s)
	fmt.Printf("%.4f s of time\n", astro.EquationOfEquinoxes(t).Hours()*3600)
	// Output: -0.2312 s of time
}

func ExampleTrueObliquity() {
	t := astro.MustTime(astro.TT, 2446895.5, 0) // Meeus 22.a (IAU 1980): ε = 23°26′36.850″
	fmt.Println(astro.FormatDMS(astro.TrueObliquity(t), 3))
	// Output: +23°26′36.814″
}

func ExampleICRSToMeanOfDate() {
	t := astro.MustTime(astro.TT, 2462088.69, 0)
	ra, dec := astro.ICRSToMeanOfDate(t, astro.Hours(2+44.0/60+11.986/3600), astro.Deg(49+13.0/60+42.48/3600))
	fmt.Println(astro.FormatHMS(ra, 3), astro.FormatDMS(dec, 2))
	// Output: 02h46m10.334s +49°20′57.10″
}

func ExampleFK5ToICRS() {
	ra, dec := astro.FK5ToICRS(astro.Deg(0), astro.Deg(0))
	fmt.Printf("Δα = %.2f mas, Δδ = %.2f mas\n", ra.NormPM().Mas(), dec.Mas())
	// Output: Δα = -22.90 mas, Δδ = -9.10 mas
}

func ExampleFrameBias() {
	b := astro.FrameBias()
	fmt.Printf("ξ0 = %.3f mas, η0 = %.3f mas\n", astro.Rad(b[2][0]).Mas(), astro.Rad(b[2][1]).Mas())
	// Output: ξ0 = -16.617 mas, η0 = -6.819 mas
}

func ExampleNewNutationInterpolator() {
	from := astro.MustTime(astro.TT, 2460000.5, 0)
	ni, err := astro.NewNutationInterpolator(from, from.Add(30*astro.Day))
	if err != nil {
		panic(err)
	}
	t := from.Add(12*astro.Day + 7*time.Hour + 12*time.Minute) // 12.3 days
	a, _ := ni.At(t)
	b, _ := astro.Nutation(t)
	fmt.Printf("%.6f″ %.6f″\n", a.Arcsec(), b.Arcsec())
	// Output: -9.533036″ -9.533036″
}

func ExampleRefractionFromApparent() {
	// Meeus example 16.a: apparent altitude 0.5°.
	fmt.Printf("%.3f′\n", astro.RefractionFromApparent(astro.Deg(0.5), 1010, 10).Deg()*60)
	// Output: 28.754′
}

func ExampleSite_Geocentric() {
	p := astro.Site{Lat: astro.Deg(45), Height: 0}.Geocentric()
	fmt.Printf("x = %.3f km, z = %.3f km\n", p[0]/1000, p[2]/1000)
	// Output: x = 4517.591 km, z = 4487.348 km
}

func ExampleAstrometry_ApparentFromGCRS() {
	// A body 5 au away in the direction of the ICRS origin, on 2024 April 1.
	ctx, _ := astro.NewGeocentric(astro.MustTime(astro.TT, 2460401.5, 0))
	ra, dec := ctx.ApparentFromGCRS(astro.DirectionToVec(0, 0), 5)
	fmt.Println(astro.FormatHMS(ra, 3), astro.FormatDMS(dec, 2))
	// Output: 00h01m13.012s +00°07′55.90″
}

func ExampleAstrometry_Unrefract() {
	t, _ := astro.ParseTime("2024-05-01T09:00:00Z")
	ctx, _ := astro.NewTopocentric(t, astro.Site{Lat: astro.Deg(45)}, &astro.Weather{PressureHPa: 1013.25, TemperatureC: 10, RelativeHumidity: 0.5})
	fmt.Printf("%.2f″\n", (astro.Deg(30) - ctx.Unrefract(astro.Deg(30))).Arcsec())
	// Output: 100.48″
}
