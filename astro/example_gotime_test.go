package astro_test

import (
	"fmt"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
)

// An archive's t_min, a modified Julian date in UTC, as a Go time and back.
func ExampleMJDToGo() {
	t, err := astro.MJDToGo(60000.25)
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Format(time.RFC3339Nano))
	fmt.Println(astro.GoToMJD(time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)))
	// Output:
	// 2023-02-25T06:00:00Z
	// 51544.5
}

func ExampleParseTimestamp() {
	for _, s := range []string{"2013-08-27T01:05:24.327Z", "2013-08-27 03:05:24.327+02:00", "2013-08-27"} {
		t, err := astro.ParseTimestamp(s)
		fmt.Println(t.Format(time.RFC3339Nano), err)
	}
	// Output:
	// 2013-08-27T01:05:24.327Z <nil>
	// 2013-08-27T01:05:24.327Z <nil>
	// 2013-08-27T00:00:00Z <nil>
}

// Unit constants make derived angles constants; an Angle prints in degrees.
func ExampleAngle_String() {
	const solarRadius = 16 * astro.Arcminute
	fmt.Println(solarRadius, astro.HorizonRefraction+solarRadius)
	fmt.Printf("%.1f″\n", (2 * astro.Arcminute).Arcsec())
	// Output:
	// 0.2666667° 0.8266667°
	// 120.0″
}
