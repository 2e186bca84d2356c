package elpmpp02_test

import (
	"fmt"
	"math"

	"github.com/arcsecond-go/arcsecond/astro/elpmpp02"
)

func Example() {
	// The Moon on 2000-01-01 12:00 TDB, ecliptic and equinox of J2000.
	x, y, z, err := elpmpp02.Geocentric(2451545.0, 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("x %.0f km, y %.0f km, z %.0f km, distance %.0f km\n", x, y, z, math.Sqrt(x*x+y*y+z*z))
	// Output: x -291608 km, y -274980 km, z 36271 km, distance 402449 km
}

func ExampleNew() {
	// Full series with the constants fitted to Lunar Laser Ranging.
	th, err := elpmpp02.New(elpmpp02.LLR, 0)
	if err != nil {
		panic(err)
	}
	lon, lat, dist, _ := th.Spherical(2451545.0, 0)
	fmt.Printf("%d terms: lon %.4f°, lat %.4f°, %.1f km\n", th.Terms(), lon*180/math.Pi, lat*180/math.Pi, dist)
	// Output: 35901 terms: lon 223.3189°, lat 5.1709°, 402448.6 km
}

func ExampleTheory_MeanOfDate() {
	th, err := elpmpp02.Default()
	if err != nil {
		panic(err)
	}
	// 2024-04-08 18:00 TDB, shortly before the total solar eclipse:
	// longitude and latitude of date, distance.
	lon, lat, dist, err := th.MeanOfDate(2460409.25, 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("lon %.3f°, lat %.3f°, %.0f km\n", lon*180/math.Pi, lat*180/math.Pi, dist)
	// Output: lon 19.173°, lat 0.328°, 359779 km
}
