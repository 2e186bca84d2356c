package jwst_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/jwst"
)

func ExampleJoin() {
	s, _ := os.ReadFile("testdata/observing_schedule_2521607f02.txt")
	m, _ := os.ReadFile("testdata/mast_jwst_observations_8cols.json")
	res, err := jwst.ParseSchedule(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, err := jwst.ParseMAST(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	jwst.Join(res.Activities, rows, res)
	a := res.Activities[0]
	fmt.Println(a.ID, a.Instrument, a.Mode, a.Target.Name, a.Start.Format("2006-01-02T15:04:05Z"), a.Pointing != nil)
	// Output:
	// jwst:7615:5:1 NIRCam Engineering Imaging P330-E 2025-08-04T04:51:40Z true
}
