package connectors_test

import (
	"fmt"
	"log"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors"
	_ "github.com/arcsecond-go/arcsecond/connectors/tess" // registers the tess format
)

// ExampleParseReplies joins TESS's recorded sector pointings with the
// orbit times, as a live listing joins the two files: one activity per
// orbit interval where the orbit times cover a sector, a placeholder
// elsewhere.
func ExampleParseReplies() {
	var rs []connectors.Recorded
	for _, name := range []string{"tess/testdata/orbit_times_sectors85-86.csv", "tess/testdata/pointings_sectors85-88.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			log.Fatal(err)
		}
		rs = append(rs, connectors.Recorded{Name: name, Body: b})
	}
	rs, err := connectors.AssignRoles("tess", rs...)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rs {
		fmt.Printf("%s: %s\n", r.Name, r.Role)
	}
	rep, err := connectors.ParseReplies("tess", rs...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(rep.Activities), "activities")
	alone, err := connectors.ParseReplies("tess", rs[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(alone.Activities), "placeholders from the pointings alone")
	// Output:
	// tess/testdata/pointings_sectors85-88.csv: pointings
	// tess/testdata/orbit_times_sectors85-86.csv: orbit times
	// 10 activities
	// 4 placeholders from the pointings alone
}
