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

func ExampleParseTimeline() {
	b, err := os.ReadFile("testdata/revolution_4714_nice.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := xmm.ParseTimeline(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Activities {
		if a.Instrument == "OM" && a.DatasetID == "0963230101" && a.Filter != "V" {
			fmt.Println(a.ID, a.Start.Format("15:04:05"), *a.Exposure, a.Filter, a.Bandpass)
		}
	}
	// Output:
	// xmm:0963230101-OM-006 08:31:55 4706 U 302 nm – 386 nm
	// xmm:0963230101-OM-007 09:50:22 5606 U 302 nm – 386 nm
	// xmm:0963230101-OM-008 11:23:49 4706 UVW1 249.5 nm – 332.5 nm
	// xmm:0963230101-OM-009 12:42:16 4706 UVW1 249.5 nm – 332.5 nm
	// xmm:0963230101-OM-010 14:00:43 4706 UVM2 207 nm – 255 nm
	// xmm:0963230101-OM-011 15:19:10 4706 UVM2 207 nm – 255 nm
	// xmm:0963230101-OM-012 16:37:37 4706 UVM2 207 nm – 255 nm
	// xmm:0963230101-OM-013 17:56:04 4706 UVW2 187 nm – 237 nm
	// xmm:0963230101-OM-014 19:14:31 4706 UVW2 187 nm – 237 nm
	// xmm:0963230101-OM-015 20:32:58 2256 UVW2 187 nm – 237 nm
}
