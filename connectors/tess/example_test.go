package tess_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/tess"
)

func ExamplePlan() {
	p, _ := os.ReadFile("testdata/pointings_sectors85-88.csv")
	o, _ := os.ReadFile("testdata/orbit_times_sectors85-86.csv")
	ps, _, err := tess.ParsePointings(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	orbits, err := tess.ParseOrbits(o)
	if err != nil {
		fmt.Println(err)
		return
	}
	res := tess.Plan(ps, orbits)
	for _, a := range res.Activities[7:9] {
		fmt.Println(a.ID, a.Start.Format("2006-01-02T15:04"), a.End.Format("2006-01-02T15:04"), a.Pointing)
	}
	// Output:
	// tess:TESS_sector_86_obs_3_orbit_180 2024-12-11T13:00 2024-12-18T08:00 (42.67410, +75.89300) roll 32.58
	// tess:TESS_sector_87_placeholder 2024-12-18T00:00 2025-01-14T00:00 (97.96290, -32.39270) roll 175.92
}
