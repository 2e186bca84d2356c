package mast

import (
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestRowsEndAndProgramme: what TestRows's expected.jsonl leaves out, for
// every row of the three recorded replies: the end (t_max, MJD UTC,
// converted by a separate Python pass with datetime: 1858-11-17 plus
// t_max days rounded to the microsecond; no end when t_max is missing or
// before t_min), the PI (proposal_pi) and the title (obs_title).
func TestRowsEndAndProgramme(t *testing.T) {
	want := []struct {
		file      string
		row       int
		end       string
		pi, title string
	}{
		{"advSearch.json", 0, "2001-09-20T16:32:24.288000", "Osten", "EV Lac"},
		{"advSearch.json", 1, "2001-09-20T16:37:46.560000", "Osten", "EV Lac"},
		{"advSearch.json", 2, "2001-09-20T16:40:37.632000", "Osten", "EV Lac"},
		{"advSearchPos.json", 0, "2004-06-14T08:29:09.000000", "", ""},
		{"advSearchPos.json", 1, "2011-06-02T01:25:52.999999", "Michael Balogh", "EXTENDED GALEX COVERAGE OF THE CFHT 'WIDE' LEGACY SURVEY"},
		{"advSearchPos.json", 2, "2003-06-19T15:03:13.000000", "", ""},
		{"advSearchPos.json", 3, "2004-06-14T08:30:43.000000", "", ""},
		{"advSearchPos.json", 4, "2003-06-20T23:55:31.000000", "", ""},
		{"advSearchPos.json", 5, "2009-05-02T21:19:27.000000", "Michael Balogh", "EXTENDED GALEX COVERAGE OF THE CFHT 'WIDE' LEGACY SURVEY"},
		{"advSearchPos.json", 6, "2003-06-20T23:55:31.000000", "", ""},
		{"advSearchPos.json", 7, "2003-06-19T15:03:13.000000", "", ""},
		{"advSearchPos.json", 8, "2008-05-12T09:23:28.000000", "Frank Bigiel", "Tracing the Extreme Edges of Galaxies in UV and HI"},
		{"advSearchPos.json", 9, "2004-06-14T08:29:09.000000", "", ""},
		{"advSearchPos.json", 10, "2004-06-14T08:30:43.000000", "", ""},
		{"advSearchPos.json", 11, "2008-05-12T09:23:28.000000", "Frank Bigiel", "Tracing the Extreme Edges of Galaxies in UV and HI"},
		{"caom.json", 0, "1995-02-08T06:32:17.088000", "Griffiths", "HST MEDIUM-DEEP SURVEY: CYCLE4MEDIUM LOW GAL. LAT."},
		{"caom.json", 1, "1995-02-08T03:16:17.184000", "Griffiths", "HST MEDIUM-DEEP SURVEY: CYCLE4MEDIUM LOW GAL. LAT."},
		{"caom.json", 2, "1995-02-08T04:37:17.184000", "Groth", "GTO LOW LATITUDE PARALLEL PROGRAM - CYCLE 4"},
		{"caom.json", 3, "1995-02-08T04:54:16.704000", "Groth", "GTO LOW LATITUDE PARALLEL PROGRAM - CYCLE 4"},
		{"caom.json", 4, "1995-02-08T06:32:17.088000", "GRIFFITHS", ""},
		{"caom.json", 5, "1995-02-08T06:32:17.088000", "GRIFFITHS", ""},
		{"caom.json", 6, "1995-02-08T06:32:17.088000", "GRIFFITHS", ""},
		{"caom.json", 7, "1995-02-08T06:32:17.088000", "GRIFFITHS", ""},
		{"caom.json", 8, "1995-02-08T04:37:17.184000", "GROTH", ""},
		{"caom.json", 9, "1995-02-08T04:54:16.704000", "GROTH", ""},
		{"caom.json", 10, "1995-02-08T04:37:17.184000", "GROTH", ""},
		{"caom.json", 11, "1995-02-08T03:16:17.184000", "GRIFFITHS", ""},
		{"caom.json", 12, "1995-02-08T03:16:17.184000", "GRIFFITHS", ""},
		{"caom.json", 13, "1995-02-08T04:37:17.184000", "GROTH", ""},
		{"caom.json", 14, "1995-02-08T04:54:16.704000", "GROTH", ""},
		{"caom.json", 15, "1995-02-08T04:37:17.184000", "GROTH", ""},
		{"caom.json", 16, "1995-02-08T03:16:17.184000", "GRIFFITHS", ""},
		{"caom.json", 17, "1995-02-08T03:16:17.184000", "GRIFFITHS", ""},
		{"caom.json", 18, "2011-12-29T08:23:50.000001", "", ""},
	}
	parsed := map[string]int{}
	for _, w := range want {
		res, err := ParseReply(archivetest.Read(t, "testdata/"+w.file))
		if err != nil {
			t.Fatal(err)
		}
		parsed[w.file] = len(res.Activities)
		a := res.Activities[w.row]
		if w.end == "" {
			if !a.End.IsZero() {
				t.Errorf("%s row %d: end %s, want none", w.file, w.row, a.End)
			}
		} else {
			end, _ := time.Parse("2006-01-02T15:04:05.000000", w.end)
			if d := a.End.Sub(end); d < -time.Microsecond || d > time.Microsecond {
				t.Errorf("%s row %d: end %s, want %s", w.file, w.row, a.End, end)
			}
		}
		if a.Programme.PI != w.pi || a.Programme.Title != w.title {
			t.Errorf("%s row %d: PI %q title %q, want %q %q", w.file, w.row, a.Programme.PI, a.Programme.Title, w.pi, w.title)
		}
	}
	if n := parsed["advSearch.json"] + parsed["advSearchPos.json"] + parsed["caom.json"]; n != len(want) {
		t.Errorf("%d activities, %d rows", n, len(want))
	}
}
