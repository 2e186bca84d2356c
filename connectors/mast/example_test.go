package mast_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/mast"
)

// The GALEX rows of a recorded MAST reply: one activity per band.
func ExampleParse() {
	b, err := os.ReadFile("testdata/advSearchPos.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := mast.Parse(b, mast.Name, "GALEX")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range rep.Result.Activities[:2] {
		fmt.Println(a.ID, a.Facility, a.Start.Format("2006-01-02T15:04:05Z"), *a.Exposure)
	}
	// Output:
	// mast:6374469411427844096/FUV GALEX 2004-06-14T05:10:20Z 184
	// mast:3212159586576367616/NUV GALEX 2009-05-02T21:03:33Z 1340.85
}

func ExampleLookup() {
	c := mast.Lookup("JWST")
	fmt.Println(c.Observatory, c.Facility)
	// Output: STScI JWST
}
