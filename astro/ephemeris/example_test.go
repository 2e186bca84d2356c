package ephemeris_test

import (
	"fmt"

	"github.com/arcsecond-go/arcsecond/astro"
	_ "github.com/arcsecond-go/arcsecond/astro/ephemeris" // links the theories into astro
)

// A program that asks astro for the Sun imports astro/ephemeris for its
// side effect.
func Example() {
	paranal := astro.Site{Lon: astro.Deg(-70.4045), Lat: astro.Deg(-24.6272), Height: 2635}
	from, err := astro.NewUTC(2026, 12, 7, 12, 0, 0)
	if err != nil {
		panic(err)
	}
	rise, _, err := astro.Sunrise(paranal, from)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rise.UTC().Go().Format("2006-01-02 15:04 MST"))
	// Output: 2026-12-08 09:45 UTC
}
