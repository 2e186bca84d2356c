package nustar_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/nustar"
)

func ExampleParseAsFlown() {
	b, err := os.ReadFile("testdata/numaster_6rows.ascii")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := nustar.ParseAsFlown(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Activities[0]
	fmt.Println(a.ID, a.Kind, a.Target.Name, a.Pointing, a.Start.Format("2006-01-02T15:04:05Z"))
	fmt.Println(res.Skipped)
	// Output:
	// nustar:31002031015 completed GX_1p4 (263.04110, -24.71550) roll 159.35 2025-05-04T20:46:10Z
	// map[observation_mode not SCIENCE (slew, ...):2]
}
