package chandra_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/chandra"
)

func ExampleParseObservations() {
	b, err := os.ReadFile("testdata/cxc_tap_scheduled_observations.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := chandra.ParseObservations(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Activities[17]
	fmt.Println(a.ID, a.Kind, a.Fidelity, a.Instrument, a.Start.Format("2006-01-02T15:04:05Z"), a.Bandpass)
	// Output:
	// chandra:28745 planned high HRC-I 2025-07-02T01:21:57Z 1.24 Å – 12.4 nm
}

// ExampleParseAsFlown reads the synthetic as-flown reply of the tests (no
// recorded one exists): an archived HETG observation of 50.03 ks.
func ExampleParseAsFlown() {
	b, err := os.ReadFile("testdata/cxc_tap_asflown_observations_synthetic.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := chandra.ParseAsFlown(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Activities[0]
	fmt.Println(a.ID, a.Kind, a.Instrument, a.Filter, a.Start.Format("2006-01-02T15:04:05Z"), a.End.Format("2006-01-02T15:04:05Z"), *a.Exposure, a.Programme.ID)
	fmt.Println(res.Records, "rows:", len(res.Activities), "activities, skipped", res.Skipped)
	// Output:
	// chandra:29611 archived ACIS-S HETG 2025-06-25T03:14:07Z 2025-06-25T17:07:57Z 50030 26100123
	// 5 rows: 4 activities, skipped map[status neither observed nor archived:1]
}
