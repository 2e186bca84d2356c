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
