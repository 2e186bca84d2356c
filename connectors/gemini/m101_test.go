package gemini

import (
	"maps"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

func TestM101Counts(t *testing.T) {
	res, err := ParseJSONSummary(archivetest.Read(t, "testdata/m101.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("m101.json: %d records: %d activities; skipped: %s; warnings: %s; truncated=%v",
		res.Records, len(res.Activities), connectors.FormatCounts(res.Skipped), connectors.FormatCounts(res.Warnings), res.Truncated)
	want := map[string]int{SkipAcquisition: 79, SkipCalibration: 78, SkipProcessed: 4}
	if res.Records != 250 || len(res.Activities) != 89 || !maps.Equal(res.Skipped, want) || !res.Truncated || res.Limit != 250 {
		t.Errorf("got %d records, %d activities, skipped %v, truncated %v at %d; want 250, 89, %v, true at 250",
			res.Records, len(res.Activities), res.Skipped, res.Truncated, res.Limit, want)
	}
	for _, a := range res.Activities {
		if err := a.Validate(); err != nil {
			t.Errorf("%s: %v", a.ID, err)
		}
	}
	a := res.Activities[0]
	if a.Facility != "Gemini North" || a.Observatory != "Maunakea" || a.Target.FOVRadius == 0 || a.Exposure == nil {
		t.Errorf("first activity not normalized as expected: %+v", a)
	}
}
