package rubin_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/rubin"
)

func ExampleParseSchedule() {
	b, err := os.ReadFile("testdata/obsloctap_schedule_10rows.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := rubin.ParseSchedule(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Activities[0]
	fmt.Println(a.ID)
	fmt.Println(a.Kind, a.Fidelity, a.Instrument, a.Filter, a.Bandpass, a.Pointing)
	// Output:
	// rubin:dusty_plane@2026-01-27T08:55:37.631Z
	// planned low LSSTCam r 552 nm – 691 nm (117.04858, -17.85583) roll 0.00
}
