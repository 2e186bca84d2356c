package hst

import (
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestTimelineContract: what a weekly timeline row's times mean, from
// STScI's "How to Read a Weekly Timeline"
// (http://www.stsci.edu/observing/weekly_timeline_help.html): Begin UT is
// the earliest start and End UT the latest end of the row's scheduling
// unit, shared by its exposures; the exposure's own length is the
// "Exposure Time(sec)" column.
func TestTimelineContract(t *testing.T) {
	const cite = "http://www.stsci.edu/observing/weekly_timeline_help.html (Begin UT: earliest start of the SU; End UT: latest end of the SU; the times are SU times)"
	body := archivetest.Read(t, "testdata/timeline_07_28_25")
	archivetest.RunContract(t, []archivetest.Row{
		{Name: "Begin UT / End UT: the scheduling unit's window, not the exposure", Cite: cite, Check: func(t *testing.T) {
			res, err := ParseTimeline(body)
			if err != nil || len(res.Activities) == 0 {
				t.Fatal(err)
			}
			for _, a := range res.Activities {
				window := a.End.Sub(a.Start).Seconds()
				if a.Exposure == nil || *a.Exposure > window || *a.Exposure == window {
					t.Errorf("%s: exposure %v s in a window of %v s: the exposure must be the column, shorter than the window", a.ID, a.Exposure, window)
				}
			}
		}},
		{Name: "Exposure Time(sec) longer than the window: dropped, counted", Cite: cite, Check: func(t *testing.T) {
			// the first row's 44.11 s becomes 99999.00 s in a 3336 s window
			bad := strings.Replace(string(body), "     44.11  07 01 01", "  99999.00  07 01 01", 1)
			res, err := ParseTimeline([]byte(bad))
			if err != nil {
				t.Fatal(err)
			}
			if res.Warnings[WarnExposureExceedsWindow] != 1 || res.Activities[0].Exposure != nil {
				t.Errorf("warnings %v, first exposure %v", res.Warnings, res.Activities[0].Exposure)
			}
		}},
	})
}
