package nicer_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/nicer"
)

func ExampleParse() {
	b, err := os.ReadFile("testdata/obs_pred_timeline_detail_first10.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := nicer.Parse(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Activities[2]
	fmt.Println(a.ID, a.Kind, a.Fidelity, a.Target.Name, *a.Exposure, a.Bandpass)
	// Output:
	// nicer:8204530100@2025-06-12T00:38:58Z planned low AT2023lli 1184 1.033 Å – 6.199 nm
}
