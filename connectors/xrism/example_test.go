package xrism_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/xrism"
)

// The pages read here are synthetic: no XRISM reply has been recorded.
func ExampleParseSchedule() {
	exp := map[string]xrism.Exposure{}
	p, _ := os.ReadFile("testdata/proposals_synthetic.html")
	if err := xrism.ParseProposals(p, exp); err != nil {
		fmt.Println(err)
		return
	}
	s, _ := os.ReadFile("testdata/shortterm_synthetic.html")
	res, err := xrism.ParseSchedule(s, exp)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Activities[0]
	fmt.Println(a.ID, a.Target.Name, a.Start.Format("2006-01-02T15:04:05"), a.End.Format("15:04:05"))
	fmt.Println(res.Skipped)
	// Output:
	// xrism:12345-Resolve Cygnus X-1 2026-06-04T02:21:00 16:14:20
	// map[calibration (proposal_type CAL):2]
}
