package astro_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
)

func ExampleERA() {
	fmt.Printf("%.6f°\n", astro.ERA(astro.MustTime(astro.UT1, 2451545.0, 0)).Deg())
	// Output: 280.460618°
}

func ExampleGAST() {
	t, _ := astro.ParseTime("2022-03-25T11:49:56.379154Z") // first row of earth_rotation.csv
	fmt.Printf("%.9f°\n", astro.GAST(t).Deg())
	// Output: 0.406068727°
}

func ExampleLocalApparentSiderealTime() {
	t, _ := astro.ParseTime("2024-01-01T00:00:00Z")
	greenwich := astro.Site{}
	paris := astro.Site{Lon: astro.Deg(2.3372), Lat: astro.Deg(48.8363), Height: 67}
	fmt.Println(astro.FormatHMS(astro.LocalApparentSiderealTime(t, greenwich), 2), astro.FormatHMS(astro.LocalApparentSiderealTime(t, paris), 2))
	// Output: 06h40m36.30s 06h49m57.23s
}

func ExampleHourAngle() {
	t, _ := astro.ParseTime("2024-01-01T00:00:00Z")
	fmt.Printf("%.4f°\n", astro.HourAngle(t, astro.Site{}, astro.Hours(6)).Deg())
	// Output: 10.1512°
}

func ExampleMeanObliquity() {
	fmt.Println(astro.FormatDMS(astro.MeanObliquity(astro.J2000()), 3))
	// Output: +23°26′21.406″
}

func ExampleNutation2000B() {
	t := astro.MustTime(astro.TT, 2446895.5, 0)
	dpsi, deps := astro.Nutation2000B(t)
	fmt.Printf("Δψ = %.4f″  Δε = %.4f″\n", dpsi.Arcsec(), deps.Arcsec())
	// Output: Δψ = -3.7809″  Δε = 9.4455″
}

func ExampleFromGo() {
	t := astro.FromGo(time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC))
	fmt.Printf("JD %.1f %v, TT is JD %.8f\n", t.JDValue(), t.Scale(), t.TT().JDValue())
	// Output: JD 2451545.0 UTC, TT is JD 2451545.00074287
}

func ExampleTime_BesselianEpoch() {
	b, _ := astro.FromBesselianEpoch(astro.TT, 1950)
	fmt.Printf("B1950.0 = JD %.4f = J%.5f\n", b.JDValue(), b.JulianEpoch())
	// Output: B1950.0 = JD 2433282.4235 = J1949.99979
}

func ExampleDayOfYear() {
	n, _ := astro.DayOfYear(1988, 4, 22, astro.Gregorian) // Meeus example 7.g
	fmt.Println(n)
	// Output: 113
}

func ExamplePropagateStar() {
	barnard := astro.Star{RA: astro.Deg(269.4485), Dec: astro.Deg(4.7396), PMRA: -801.551, PMDec: 10362.394, Parallax: 546.976, RV: -110.3, Epoch: 2016}
	s := astro.PropagateStar(barnard, 2066)
	fmt.Printf("moved %.2f″, parallax %.2f mas\n", astro.Separation(barnard.RA, barnard.Dec, s.RA, s.Dec).Arcsec(), s.Parallax)
	// Output: moved 521.27″, parallax 548.67 mas
}

func ExampleFK4ToFK5Star() {
	s := astro.FK4ToFK5Star(astro.FK4Star{RA: astro.Hours(6.75), Dec: astro.Deg(-16.6), PMRA: -0.0373, PMDec: -1.2, Parallax: 0.375, RV: -7.6})
	fmt.Println(astro.FormatHMS(s.RA, 3), astro.FormatDMS(s.Dec, 2))
	// Output: 06h47m14.052s -16°40′20.25″
}

func ExampleParallacticAngle() {
	// Meeus example 13.b, Venus from the USNO.
	q := astro.ParallacticAngle(astro.Deg(64.352133), astro.Deg(-6.719892), astro.Deg(38.921389))
	fmt.Printf("%.4f°\n", q.Deg())
	// Output: 46.5954°
}

func ExampleGalacticToSupergalactic() {
	// The supergalactic north pole, at galactic (47.37°, +6.32°).
	_, sgb := astro.GalacticToSupergalactic(astro.Deg(47.37), astro.Deg(6.32))
	fmt.Printf("SGB = %.6f°\n", sgb.Deg())
	// Output: SGB = 90.000000°
}

func ExampleAstrometry_ObservedBatch() {
	t, _ := astro.ParseTime("2024-05-01T09:00:00Z")
	ctx, _ := astro.NewTopocentric(t, astro.Site{Lon: astro.Deg(-70.4045), Lat: astro.Deg(-24.6272), Height: 2635}, nil)
	stars := []astro.Star{
		{RA: astro.Hours(18.615649), Dec: astro.Deg(38.783689)},  // Vega
		{RA: astro.Hours(14.660765), Dec: astro.Deg(-60.833976)}, // α Centauri
	}
	for _, o := range ctx.ObservedBatch(stars, nil) {
		fmt.Printf("az %7.3f° alt %6.3f°\n", o.Az.Deg(), o.Alt.Deg())
	}
	// Output:
	// az 355.705° alt 26.405°
	// az 211.736° alt 33.908°
}

func ExampleAstrometry_ICRSFromObserved() {
	t, _ := astro.ParseTime("2024-05-01T09:00:00Z")
	ctx, _ := astro.NewTopocentric(t, astro.Site{Lon: astro.Deg(-70.4045), Lat: astro.Deg(-24.6272), Height: 2635},
		&astro.Weather{PressureHPa: 743, TemperatureC: 12, RelativeHumidity: 0.1})
	ra, dec := ctx.ICRSFromObserved(astro.Deg(180), astro.Deg(60))
	fmt.Println(astro.FormatHMS(ra, 1), astro.FormatDMS(dec, 0))
	// Output: 18h55m31.1s -54°40′03″
}

func ExampleParseFinals2000A() {
	const lines = `161230 57752.00 I  0.082883 0.000052  0.263539 0.000038  I-0.4069180 0.0000052
161231 57753.00 I  0.081400 0.000052  0.263094 0.000039  I-0.4077601 0.0000053
17 1 1 57754.00 I  0.080504 0.000028  0.263145 0.000028  I 0.5912821 0.0000056
`
	tab, err := astro.ParseFinals2000A(strings.NewReader(lines))
	if err != nil {
		panic(err)
	}
	t, _ := astro.ParseTime("2016-12-31T12:00:00Z")
	e, _ := tab.At(t)
	fmt.Printf("DUT1 %.4f s, xp %.4f″, yp %.4f″\n", e.DUT1.Seconds(), e.XP.Arcsec(), e.YP.Arcsec())
	// Output: DUT1 -0.4082 s, xp 0.0810″, yp 0.2631″
}
