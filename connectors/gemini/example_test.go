package gemini_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/gemini"
)

// Normalize a recorded jsonsummary reply, with no network.
func ExampleParseJSONSummary() {
	body, err := os.ReadFile("testdata/m101.json")
	if err != nil {
		panic(err)
	}
	res, err := gemini.ParseJSONSummary(body)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Records, "records,", len(res.Activities), "activities, truncated:", res.Truncated)
	fmt.Println("skipped as calibration:", res.Skipped[gemini.SkipCalibration])
	fmt.Println(res.Activities[0])
	// Output:
	// 250 records, 89 activities, truncated: true
	// skipped as calibration: 78
	// gemini:GN-2004A-DD-11-1-001 archived Gemini North/GMOS-N UXL-1 2004-07-22T05:54:07Z
}

// Build the path terms of a jsonsummary query.
func ExampleQuery_Path() {
	q := gemini.Query{Instrument: "GMOS-S", ObsClass: "science", ProgID: "GS-2024A-Q-1"}
	fmt.Println(q.Path())
	// Output: notengineering/NotFail/GMOS-S/science/progid=GS-2024A-Q-1
}
