package hst

import (
	"maps"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestFixtureCounts checks, per recorded file, that every record becomes a
// valid activity or is skipped for a named reason.
func TestFixtureCounts(t *testing.T) {
	for _, tc := range []struct {
		file       string
		parse      func([]byte) (*connectors.Reply, error)
		records    int
		activities int
		skipped    map[string]int
	}{
		{"testdata/caom.json", func(b []byte) (*connectors.Reply, error) {
			r, err := ParseMAST(b)
			if err != nil {
				return nil, err
			}
			return r.Result, nil
		}, 19, 4, map[string]int{SkipOtherCollection: 15}},
		{"testdata/timeline_07_28_25", ParseTimeline, 3, 3, map[string]int{}},
	} {
		res, err := tc.parse(archivetest.Read(t, tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		t.Logf("%s: %d records: %d activities; skipped: %s; warnings: %s", tc.file, res.Records, len(res.Activities),
			connectors.FormatCounts(res.Skipped), connectors.FormatCounts(res.Warnings))
		if res.Skipped == nil {
			res.Skipped = map[string]int{}
		}
		if res.Records != tc.records || len(res.Activities) != tc.activities || !maps.Equal(res.Skipped, tc.skipped) {
			t.Errorf("%s: got %d records, %d activities, skipped %v; want %d, %d, %v", tc.file, res.Records,
				len(res.Activities), res.Skipped, tc.records, tc.activities, tc.skipped)
		}
		for _, a := range res.Activities {
			if err := a.Validate(); err != nil {
				t.Errorf("%s: %s: %v", tc.file, a.ID, err)
			}
			t.Logf("  %v", a)
		}
	}
}
