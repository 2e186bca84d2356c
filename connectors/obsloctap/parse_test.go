package obsloctap

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
)

func read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestRubinRows reads each of the ten rows of Rubin's recorded schedule
// (an obsplan reply in JSON) and compares the activity with an independent
// reading of the row: the MJDs converted to UTC by Python's datetime
// (microsecond rounding), the other values copied from the file.
func TestRubinRows(t *testing.T) {
	res, err := ParseReply(read(t, rubinReply), &Converter{Source: "obsloctap", Key: KeyObsIDStart})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		obsID, start, end, planned string
		ra, dec, exp               float64
	}{
		{"dusty_plane", "2026-01-27T08:55:37.631086Z", "2026-01-27T09:16:07.631087Z", "2026-01-27T09:05:37.631086Z", 117.04857689764346, -17.855826969368607, 150},
		{"dusty_plane", "2026-01-27T08:54:55.250890Z", "2026-01-27T09:15:25.250890Z", "2026-01-27T09:04:55.250890Z", 117.04857689764346, -17.855826969368607, 30},
		{"lowdust", "2026-01-27T08:54:17.084169Z", "2026-01-27T09:14:47.084169Z", "2026-01-27T09:04:17.084169Z", 119.80403733917464, -19.321253598335247, 30},
		{"lowdust", "2026-01-27T08:53:38.922617Z", "2026-01-27T09:14:08.922617Z", "2026-01-27T09:03:38.922617Z", 122.58494189923128, -20.772916754395546, 30},
		{"lowdust", "2026-01-27T08:53:00.765037Z", "2026-01-27T09:13:30.765037Z", "2026-01-27T09:03:00.765037Z", 125.39411807571442, -22.21709244232776, 30},
		{"lowdust", "2026-01-27T08:52:22.610958Z", "2026-01-27T09:12:52.610958Z", "2026-01-27T09:02:22.610958Z", 128.23646477107872, -23.654310661997318, 30},
		{"lowdust", "2026-01-27T08:51:44.459659Z", "2026-01-27T09:12:14.459659Z", "2026-01-27T09:01:44.459659Z", 131.12053674511046, -25.079150076630036, 30},
		{"lowdust", "2026-01-27T08:51:06.309254Z", "2026-01-27T09:11:36.309254Z", "2026-01-27T09:01:06.309254Z", 134.0592824509936, -26.481343501073884, 30},
		{"lowdust", "2026-01-27T08:50:28.156247Z", "2026-01-27T09:10:58.156248Z", "2026-01-27T09:00:28.156248Z", 137.06966486378064, -27.847306581681767, 30},
		{"lowdust", "2026-01-27T08:49:49.995661Z", "2026-01-27T09:10:19.995661Z", "2026-01-27T08:59:49.995661Z", 140.17149045440826, -29.160922472087275, 30},
	}
	if res.Records != 10 || len(res.Activities) != 10 || res.SkippedTotal() != 0 {
		t.Fatalf("records %d, activities %d, skipped %v", res.Records, len(res.Activities), res.Skipped)
	}
	for i, w := range want {
		a := res.Activities[i]
		start, end := ts(w.start), ts(w.end)
		if a.ID != "obsloctap:"+w.obsID+"@"+start.Format("2006-01-02T15:04:05.000Z") || a.DatasetID != w.obsID {
			t.Errorf("row %d: ID %s, dataset %s", i, a.ID, a.DatasetID)
		}
		if !a.Start.Equal(start) || !a.End.Equal(end) || !a.Updated.Equal(ts(w.planned)) {
			t.Errorf("row %d: [%s, %s] updated %s, want [%s, %s] %s", i, a.Start, a.End, a.Updated, start, end, w.planned)
		}
		if a.Pointing == nil || a.Pointing.RA != w.ra || a.Pointing.Dec != w.dec || a.Pointing.Roll != nil {
			t.Errorf("row %d: pointing %v", i, a.Pointing)
		}
		if ra, dec, ok := a.Target.Position(); !ok || ra != w.ra || dec != w.dec || a.Target.Name != w.obsID {
			t.Errorf("row %d: target %+v", i, a.Target)
		}
		if a.Exposure == nil || *a.Exposure != w.exp {
			t.Errorf("row %d: exposure %v, want %v", i, a.Exposure, w.exp)
		}
		if a.Kind != activities.KindPlanned || a.Fidelity != activities.FidelityHigh {
			t.Errorf("row %d: %s/%s, want planned/high (Scheduled)", i, a.Kind, a.Fidelity)
		}
		if a.Facility != "Rubin:Simonyi" || a.Instrument != "LSSTCam" || a.Target.FOVRadius != 1.5 {
			t.Errorf("row %d: %s %s fov %v", i, a.Facility, a.Instrument, a.Target.FOVRadius)
		}
		if a.Bandpass == nil || a.Bandpass.Min != 5.52e-07 || a.Bandpass.Max != 6.91e-07 {
			t.Errorf("row %d: bandpass %v", i, a.Bandpass)
		}
		if a.Revision != ts(w.planned).UnixMilli() {
			t.Errorf("row %d: revision %d", i, a.Revision)
		}
	}
	// Keyed on obs_id alone, as ObsLocTAP means it, Rubin's rows are two
	// observations (its obs_id is the survey field), each the latest row.
	res, err = ParseReply(read(t, rubinReply), &Converter{Source: "obsloctap"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Activities) != 2 || res.Skipped[SkipSuperseded] != 8 {
		t.Fatalf("keyed on obs_id: %d activities, skipped %v", len(res.Activities), res.Skipped)
	}
	if !res.Activities[0].Updated.Equal(ts(want[0].planned)) || !res.Activities[1].Updated.Equal(ts(want[2].planned)) {
		t.Errorf("not the latest rows: %s, %s", res.Activities[0].Updated, res.Activities[1].Updated)
	}
}

// TestLifeCycle reads the DaCHS test table as a CSV reply: the planning
// log of each observation collapses to its latest row, whose
// execution_status gives the kind.
func TestLifeCycle(t *testing.T) {
	res, err := ParseReply(read(t, "../../testdata/dachs/obsplan.csv"), &Converter{Source: "olt"})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]activities.Activity{}
	for _, a := range res.Activities {
		byID[a.ID] = a
	}
	cases := []struct {
		id       string
		kind     activities.Kind
		fidelity activities.Fidelity
		start    string
		end      string
	}{
		{"olt:29614", activities.KindCompleted, "", "2025-07-04T13:15:40Z", "2025-07-05T00:59:15Z"},
		{"olt:29615", activities.KindAborted, "", "2025-07-05T00:59:15Z", ""},
		{"olt:30978", activities.KindPlanned, activities.FidelityLow, "", ""},
		{"olt:30986", activities.KindPlanned, activities.FidelityHigh, "2025-07-01T22:12:12Z", ""},
		{"olt:29892", activities.KindPlanned, activities.FidelityHigh, "2025-07-06T11:06:14Z", ""},
	}
	for _, c := range cases {
		a, ok := byID[c.id]
		if !ok {
			t.Errorf("%s missing", c.id)
			continue
		}
		if a.Kind != c.kind || a.Fidelity != c.fidelity {
			t.Errorf("%s: %s/%q, want %s/%q", c.id, a.Kind, a.Fidelity, c.kind, c.fidelity)
		}
		if got := fmtTime(a.Start); got != c.start {
			t.Errorf("%s: start %s, want %s", c.id, got, c.start)
		}
		if got := fmtTime(a.End); got != c.end {
			t.Errorf("%s: end %s, want %s", c.id, got, c.end)
		}
	}
	// 34 rows: 10 Rubin rows collapse to 2 (keyed on obs_id), the 19
	// Chandra rows and 5 life-cycle rows to 19.
	if res.Records != 34 || len(res.Activities) != 21 || res.Skipped[SkipSuperseded] != 13 {
		t.Fatalf("records %d, activities %d, skipped %v", res.Records, len(res.Activities), res.Skipped)
	}
	// The revisions follow t_planning: 30978, unscheduled and then planned
	// again, ends as the Planned row of 2025-07-02T12:00Z.
	if r := byID["olt:30978"].Revision; r != ts("2025-07-02T12:00:00Z").UnixMilli() {
		t.Errorf("30978 revision %d is not its last t_planning", r)
	}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Round(time.Second).Format(time.RFC3339)
}

func TestStatusKinds(t *testing.T) {
	cases := []struct {
		status Status
		kind   activities.Kind
		fid    activities.Fidelity
	}{
		{"Planned", activities.KindPlanned, activities.FidelityLow},
		{"Scheduled", activities.KindPlanned, activities.FidelityHigh},
		{"Unscheduled", activities.KindUnscheduled, ""},
		{"Performed", activities.KindCompleted, ""},
		{"Aborted", activities.KindAborted, ""},
		{"performed", activities.KindCompleted, ""},
	}
	for _, c := range cases {
		k, f, ok := c.status.Kind()
		if !ok || k != c.kind || f != c.fid {
			t.Errorf("%s: %s %q %v", c.status, k, f, ok)
		}
	}
	if _, _, ok := Status("Archived").Kind(); ok {
		t.Error("Archived is not an ObsLocTAP execution_status (the spec leaves it to ObsCore)")
	}
}

func TestSchemaDriftAndSkips(t *testing.T) {
	head := "t_planning,obs_id,t_min,t_max,facility_name,execution_status,s_ra,s_dec\n"
	c := &Converter{Source: "olt"}
	for _, col := range []string{"t_planning", "obs_id", "t_min", "facility_name", "execution_status"} {
		h := strings.Replace(head, col, "renamed", 1)
		_, err := ParseReply([]byte(h+"60000,a,60000,60001,X,Scheduled,1,2\n"), c)
		var se *connectors.SchemaError
		if !errors.As(err, &se) || se.Column != col {
			t.Errorf("without %s: %v", col, err)
		}
	}
	_, err := ParseReply([]byte(head+"60000,a,soon,60001,X,Scheduled,1,2\n"), c)
	var se *connectors.SchemaError
	if !errors.As(err, &se) || se.Column != "t_min" {
		t.Errorf("text in t_min: %v", err)
	}
	_, err = ParseReply([]byte(head+"60000,a,2460000.5,60001,X,Scheduled,1,2\n"), c)
	if !errors.As(err, &se) || se.Column != "t_min" || !strings.Contains(err.Error(), "MJD") {
		t.Errorf("a JD in t_min: %v", err)
	}
	res, err := ParseReply([]byte(head+
		",a,60000,60001,X,Scheduled,1,2\n"+ // no t_planning
		"60000,,60000,60001,X,Scheduled,1,2\n"+ // no obs_id
		"60000,b,60000,60001,,Scheduled,1,2\n"+ // no facility
		"60000,c,60000,60001,X,Archived,1,2\n"+ // not a status
		"60000,d,,,X,Scheduled,1,2\n"+ // scheduled without a time
		"60000,e,,,X,Planned,1,2\n"+ // planned without a time: kept
		"60000,f,60001,60000,X,Performed,1,95\n"), c) // end before start, dec off the sky: kept, warned
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{SkipNoPlanning: 1, SkipNoID: 1, SkipNoFacility: 1, SkipBadStatus: 1, SkipNoStartTimed: 1}
	for k, v := range want {
		if res.Skipped[k] != v {
			t.Errorf("skipped %q: %d, want %d (%v)", k, res.Skipped[k], v, res.Skipped)
		}
	}
	if len(res.Activities) != 2 || res.Warnings["t_max before t_min"] != 1 || res.Warnings["s_ra/s_dec out of range"] != 1 {
		t.Fatalf("activities %d, warnings %v", len(res.Activities), res.Warnings)
	}
	if _, err := ParseReply([]byte("<!DOCTYPE html><html><title>Down</title></html>"), c); err == nil || !strings.Contains(err.Error(), "HTML") {
		t.Errorf("HTML page: %v", err)
	}
	if _, err := ParseReply([]byte(`[{"obs_id": {"x": 1}}]`), c); err == nil {
		t.Error("an object in a cell was accepted")
	}
}
