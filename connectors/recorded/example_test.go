package recorded_test

import (
	"fmt"
	"log"
	"path"

	"github.com/arcsecond-go/arcsecond/connectors/recorded"
	"github.com/arcsecond-go/arcsecond/connectors/recorded/replayset"
)

func Example() {
	root, err := recorded.RepoRoot()
	if err != nil {
		log.Fatal(err)
	}
	files, err := recorded.Files(root + "/connectors/hst/testdata/caom.json")
	if err != nil {
		log.Fatal(err)
	}
	rep, err := recorded.Load(files[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(files[0].Parser, rep.Records, "records,", len(rep.Activities), "HST activities")
	// Output: hst-mast 19 records, 4 HST activities
}

// ExampleFSGroups groups the replies embedded for the replay: the
// replies a live listing joins are parsed together.
func ExampleFSGroups() {
	groups, err := recorded.FSGroups(replayset.FS())
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range groups {
		if len(g.Replies) < 2 {
			continue
		}
		rep, err := g.Parse()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d activities from", g.Format, len(rep.Activities))
		for _, r := range g.Replies {
			fmt.Printf(" %s (%s)", path.Base(r.Name), r.Role)
		}
		fmt.Println()
	}
	// Output:
	// chandra: 22 activities from cxc_tap_scheduled_observations.xml (cxc.observation rows) cxc_tap_asflown_observations_synthetic.xml (as-flown cxc.observation rows)
	// jwst: 48 activities from observing_schedule_2521607f02.txt (schedule) mast_jwst_observations_8cols.json (MAST rows)
	// nustar: 8 activities from numaster_6rows.ascii (as-flown rows) planned_schedule_table.csv (planned schedule)
	// tess: 10 activities from pointings_sectors85-88.csv (pointings) orbit_times_sectors85-86.csv (orbit times)
	// xmm: 42 activities from short_term_schedule_5rows.csv (schedule) revolution_4714_nice.csv (revolution timeline)
	// xrism: 6 activities from shortterm_synthetic.html (schedule) proposals_synthetic.html (proposals) too_synthetic.html (ToO page)
}
