package swift_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/swift"
)

// Read a recorded planquery reply.
func ExampleParseTimeline() {
	body, err := os.ReadFile("testdata/planquery_2025-07-01.json")
	if err != nil {
		panic(err)
	}
	res, err := swift.ParseTimeline(body, swift.Planned)
	if err != nil {
		panic(err)
	}
	a := res.Activities[0]
	fmt.Println(a)
	fmt.Println(a.Mode, "|", a.Filter, "|", *a.Exposure, "s")
	// Output:
	// swift:03400165002 planned Swift/XRT+UVOT AU_Mic 2025-07-01T00:05:00Z
	// XRT Auto; UVOT 0x308f | uvw1+uvw2+uvm2 | 1140 s
}
