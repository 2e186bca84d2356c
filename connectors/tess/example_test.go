package tess_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/activities"
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

// ExampleCameras finds the camera of sector 85 (boresight RA 5.8776,
// Dec 66.3525, roll 45.8046) that sees the north ecliptic pole, and
// whether one sees Polaris.
func ExampleCameras() {
	p, err := activities.NewPointing(5.8776, 66.3525, activities.Float(45.8046))
	if err != nil {
		fmt.Println(err)
		return
	}
	fields, err := tess.Cameras(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, star := range []struct {
		name string
		at   activities.SkyPoint
	}{{"north ecliptic pole", activities.SkyPoint{RA: 270, Dec: 66.5607}}, {"Polaris", activities.SkyPoint{RA: 37.9546, Dec: 89.2641}}} {
		in := "no camera"
		for _, f := range fields {
			one := activities.Activity{Footprints: []activities.Footprint{f}}
			if one.Contains(star.at) {
				in = f.Name
			}
		}
		fmt.Println(star.name+":", in)
	}
	// Output:
	// north ecliptic pole: camera 4
	// Polaris: no camera
}
