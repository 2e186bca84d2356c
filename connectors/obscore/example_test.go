package obscore_test

import (
	"fmt"

	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

func ExampleParseReply() {
	body := []byte(`obs_id,obs_publisher_did,facility_name,instrument_name,target_name,s_ra,s_dec,t_min,t_max,t_exptime
N20191006S0002,ivo://arcsecond.test/obs?N20191006S0002,Gemini-North,NIRI,Cyg X-1,299.584841,35.200921,58762.251632,58762.252824,103.0
`)
	res, err := obscore.ParseReply(body, &obscore.Converter{Source: "mytap"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Activities {
		fmt.Println(a.ID)
		fmt.Println(a.Facility, a.Instrument, a.Target.Name, a.Start.Format("2006-01-02T15:04:05Z"), *a.Exposure)
	}
	// Output:
	// mytap:ivo://arcsecond.test/obs?N20191006S0002
	// Gemini-North NIRI Cyg X-1 2019-10-06T06:02:21Z 103
}

func ExampleParseSTCSPolygon() {
	fmt.Println(obscore.ParseSTCSPolygon("POLYGON J2000 264.92 -29.61 265.81 -28.34 266.99 -28.97"))
	// Output: [[264.92 -29.61] [265.81 -28.34] [266.99 -28.97]]
}
