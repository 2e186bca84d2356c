package vsop87_test

import (
	"fmt"
	"math"

	"github.com/arcsecond-go/arcsecond/astro/vsop87"
)

func Example() {
	// Heliocentric Earth on 2000-01-01 12:00 TDB, ecliptic and equinox of
	// J2000 (default truncation).
	l, b, r, err := vsop87.Heliocentric(vsop87.Earth, 2451545.0, 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("L %.6f rad, B %.7f rad, R %.7f au\n", l, b, r)
	// Output: L 1.751924 rad, B -0.0000040 rad, R 0.9833277 au
}

func ExampleNew() {
	// The full VSOP87D series (mean ecliptic and equinox of date), and a
	// coarse one for speed.
	full, err := vsop87.New(vsop87.OfDate, 0)
	if err != nil {
		panic(err)
	}
	coarse, err := vsop87.New(vsop87.OfDate, 1e-7)
	if err != nil {
		panic(err)
	}
	l1, _, _, _ := full.Position(vsop87.Mars, 2451545.0, 0)
	l2, _, _, _ := coarse.Position(vsop87.Mars, 2451545.0, 0)
	fmt.Printf("%d vs %d terms for Mars; longitudes differ by %.2f\"\n",
		full.BodyTerms(vsop87.Mars), coarse.BodyTerms(vsop87.Mars), math.Abs(l1-l2)*180*3600/math.Pi)
	// Output: 5483 vs 584 terms for Mars; longitudes differ by 0.07"
}
