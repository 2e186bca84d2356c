package hst_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/hst"
)

// Read a recorded STScI weekly timeline.
func ExampleParseTimeline() {
	body, err := os.ReadFile("testdata/timeline_07_28_25")
	if err != nil {
		panic(err)
	}
	res, err := hst.ParseTimeline(body)
	if err != nil {
		panic(err)
	}
	for _, a := range res.Activities {
		fmt.Println(a, a.Filter, a.Programme.ID)
	}
	// Output:
	// hst-timeline:1791807-07-001 planned HST/WFC3/IR FSR2007-0584 2025-07-28T01:07:54Z F110W 17918
	// hst-timeline:1791900-07-002 planned HST/WFC3/IR FSR2007-0584 2025-07-28T01:08:54Z F160W 17918
	// hst-timeline:1791910-07-003 planned HST/WFC3/IR FSR2007-0584 2025-07-28T01:10:54Z F110W+F435W 17918
}

// Read a recorded MAST reply.
func ExampleParseMAST() {
	body, err := os.ReadFile("testdata/caom.json")
	if err != nil {
		panic(err)
	}
	rep, err := hst.ParseMAST(body)
	if err != nil {
		panic(err)
	}
	fmt.Println(rep.Status, rep.Result.Records, "rows,", len(rep.Result.Activities), "HST observations")
	fmt.Println(rep.Result.Activities[0])
	// Output:
	// COMPLETE 19 rows, 4 HST observations
	// hst-mast:U27XCS01T archived HST/WFPC2/WFC LO-LAT 1995-02-08T06:07:17Z
}
