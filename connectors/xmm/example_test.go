package xmm_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/xmm"
)

func ExampleParse() {
	b, err := os.ReadFile("testdata/short_term_schedule_5rows.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := xmm.Parse(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Activities[:3] {
		fmt.Println(a.ID, a.Target.Name, *a.Exposure, a.Pointing)
	}
	// Output:
	// xmm:0963230101-EPIC-pn Sgr A* 46300 (266.41667, -29.00778) roll 268.27
	// xmm:0963230101-EPIC-MOS Sgr A* 47900 (266.41667, -29.00778) roll 268.27
	// xmm:0963230101-RGS Sgr A* 48000 (266.41667, -29.00778) roll 268.27
}
