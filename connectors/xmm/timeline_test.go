package xmm

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

const timelineFile = "testdata/revolution_4714_nice.csv"

// TestTimelineRows: the expected exposures are an independent reading of
// the recorded timeline (a separate Python csv pass: per camera column,
// each run of rows "<mode> <n>: <d> sec" with the same mode and number is
// one exposure from its first row's time; the observation is the
// OBS_START..OBS_END span holding that time; the filter read by eye —
// the EPIC column's last THIN1/MEDIUM/THICK/CLOSED/CALCLOSED cell before
// the exposure, the OM column's filter cell after the exposure's first
// row, else the one before). The end is start + duration (no exposure
// here outlasts its observation).
func TestTimelineRows(t *testing.T) {
	res, err := ParseTimeline(archivetest.Read(t, timelineFile))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id, start string
		dur       float64
		filter    string
		mode      string
	}{
		{"0811026601-EPIC-MOS1-001", "2025-09-04 08:58:03", 16642, "closed", "Full Frame"},
		{"0811026601-EPIC-MOS2-002", "2025-09-04 08:58:24", 16621, "closed", "Full Frame"},
		{"0811026601-EPIC-pn-003", "2025-09-04 09:24:07", 15093, "closed", "Full Frame"},
		{"0811026501-OM-006", "2025-09-04 13:55:04", 7868, "UVM2", "Full Low"},
		{"0811026501-EPIC-MOS1-002", "2025-09-04 13:54:28", 10613, "thick", "Timing"},
		{"0811026501-EPIC-MOS2-003", "2025-09-04 13:54:49", 10582, "thick", "Timing"},
		{"0811026501-EPIC-pn-001", "2025-09-04 14:32:33", 8587, "thick", "Timing"},
		{"0811026501-RGS1-004", "2025-09-04 13:53:30", 10985, "", "HER + SES"},
		{"0811026501-RGS2-005", "2025-09-04 13:53:35", 10980, "", "HER + SES"},
		{"0960860801-OM-400", "2025-09-04 19:05:33", 288, "V", "OM START"},
		{"0960860801-OM-006", "2025-09-04 19:11:25", 4006, "V", "Image"},
		{"0960860801-OM-401", "2025-09-04 20:18:13", 4070, "V", "Image"},
		{"0960860801-OM-402", "2025-09-04 21:26:05", 4070, "V", "Image"},
		{"0960860801-OM-403", "2025-09-04 22:33:57", 4070, "V", "Image"},
		{"0960860801-OM-404", "2025-09-04 23:41:49", 4070, "V", "Image"},
		{"0960860801-EPIC-MOS1-001", "2025-09-04 19:05:44", 21851, "medium", "Full Frame"},
		{"0960860801-EPIC-MOS2-002", "2025-09-04 19:06:05", 21830, "medium", "Full Frame"},
		{"0960860801-EPIC-pn-003", "2025-09-04 19:31:48", 20302, "thin1", "Full Frame"},
		{"0960860801-RGS1-004", "2025-09-04 19:04:40", 21985, "", "Spectro + Q"},
		{"0960860801-RGS2-005", "2025-09-04 19:04:45", 21980, "", "Spectro + Q SN"},
		{"0811026701-OM-006", "2025-09-05 03:20:45", 7868, "UVW1", "Full Low"},
		{"0811026701-EPIC-MOS1-002", "2025-09-05 03:20:09", 8613, "thick", "Timing"},
		{"0811026701-EPIC-MOS2-003", "2025-09-05 03:20:30", 8582, "thick", "Timing"},
		{"0811026701-EPIC-pn-001", "2025-09-05 03:48:54", 7147, "thick", "Burst"},
		{"0811026701-RGS1-004", "2025-09-05 03:19:11", 8985, "", "HER + SES"},
		{"0811026701-RGS2-005", "2025-09-05 03:19:16", 8980, "", "HER + SES"},
		{"0963230101-OM-400", "2025-09-05 08:27:06", 288, "V", "OM START"},
		{"0963230101-OM-006", "2025-09-05 08:31:55", 4706, "U", "Sci User Def IF"},
		{"0963230101-OM-007", "2025-09-05 09:50:22", 5606, "U", "Sci User Def IF"},
		{"0963230101-OM-008", "2025-09-05 11:23:49", 4706, "UVW1", "Sci User Def IF"},
		{"0963230101-OM-009", "2025-09-05 12:42:16", 4706, "UVW1", "Sci User Def IF"},
		{"0963230101-OM-010", "2025-09-05 14:00:43", 4706, "UVM2", "Sci User Def IF"},
		{"0963230101-OM-011", "2025-09-05 15:19:10", 4706, "UVM2", "Sci User Def IF"},
		{"0963230101-OM-012", "2025-09-05 16:37:37", 4706, "UVM2", "Sci User Def IF"},
		{"0963230101-OM-013", "2025-09-05 17:56:04", 4706, "UVW2", "Sci User Def IF"},
		{"0963230101-OM-014", "2025-09-05 19:14:31", 4706, "UVW2", "Sci User Def IF"},
		{"0963230101-OM-015", "2025-09-05 20:32:58", 2256, "UVW2", "Sci User Def IF"},
		{"0963230101-EPIC-MOS1-001", "2025-09-05 08:27:17", 47852, "medium", "Full Frame"},
		{"0963230101-EPIC-MOS2-002", "2025-09-05 08:27:38", 47831, "medium", "Full Frame"},
		{"0963230101-EPIC-pn-003", "2025-09-05 08:53:21", 46303, "medium", "Full Frame"},
		{"0963230101-RGS1-004", "2025-09-05 08:26:13", 47986, "", "Spectro + Q"},
		{"0963230101-RGS2-005", "2025-09-05 08:26:18", 47981, "", "Spectro + Q SN"},
	}
	// Observations: OBS_START RA/DEC (hand-converted) and the PA of the
	// slew that led to them (PA ddd:mm:ss), and the ID row's target.
	obs := map[string]struct {
		target        string
		ra, dec, roll float64
	}{
		"0811026601": {"Crab", (5 + 34.0/60 + 32.0/3600) * 15, 22 + 0.0/60 + 52.0/3600, 85 + 29.0/60 + 39.8/3600},
		"0811026501": {"Crab", (5 + 34.0/60 + 32.0/3600) * 15, 22 + 0.0/60 + 52.0/3600, 85 + 29.0/60 + 39.8/3600},
		"0960860801": {"BW Cir", (13 + 58.0/60 + 9.70/3600) * 15, -(64 + 44.0/60 + 5.8/3600), 311 + 56.0/60 + 24.4/3600},
		"0811026701": {"Crab", (5 + 34.0/60 + 32.0/3600) * 15, 22 + 0.0/60 + 52.0/3600, 85 + 29.0/60 + 39.8/3600},
		"0963230101": {"Sgr A*", (17 + 45.0/60 + 40.04/3600) * 15, -(29 + 0.0/60 + 28.2/3600), 268 + 16.0/60 + 28.3/3600},
	}
	// OM filter wavelength ranges, nm (ACROSS OM_*_BANDPASS, ingest).
	omNM := map[string][2]float64{"UVW2": {187, 237}, "UVM2": {207, 255}, "UVW1": {249.5, 332.5}, "U": {302, 386}, "V": {508, 578}}
	if res.Records != 49 || len(res.Activities) != len(want) || res.Skipped[SkipOutsideObservation] != 7 || len(res.Warnings) != 0 {
		t.Fatalf("records %d, activities %d, skipped %v, warnings %v", res.Records, len(res.Activities), res.Skipped, res.Warnings)
	}
	byID := map[string]activities.Activity{}
	for _, a := range res.Activities {
		byID[a.ID] = a
	}
	for _, w := range want {
		a, ok := byID["xmm:"+w.id]
		if !ok {
			t.Errorf("%s missing", w.id)
			continue
		}
		start, _ := time.Parse("2006-01-02 15:04:05", w.start)
		end := start.Add(time.Duration(w.dur) * time.Second)
		if !a.Start.Equal(start) || !a.End.Equal(end) || *a.Exposure != w.dur {
			t.Errorf("%s: [%s, %s] %v s, want [%s, %s] %v s", w.id, a.Start, a.End, *a.Exposure, start, end, w.dur)
		}
		if a.Filter != w.filter || !strings.HasSuffix(a.Mode, ", "+w.mode) {
			t.Errorf("%s: filter %q mode %q, want %q %q", w.id, a.Filter, a.Mode, w.filter, w.mode)
		}
		o := obs[w.id[:10]]
		if a.DatasetID != w.id[:10] || a.Target.Name != o.target || a.Programme.ID != "revolution 4714" {
			t.Errorf("%s: obs %q target %q programme %q", w.id, a.DatasetID, a.Target.Name, a.Programme.ID)
		}
		// The timeline's PA is to 0.1": compare to 1e-3° after
		// ddd:mm:ss conversion; RA/DEC to 1e-9°.
		if a.Pointing == nil || math.Abs(a.Pointing.RA-o.ra) > 1e-9 || math.Abs(a.Pointing.Dec-o.dec) > 1e-9 ||
			a.Pointing.Roll == nil || math.Abs(*a.Pointing.Roll-o.roll) > 1e-3 {
			t.Errorf("%s: pointing %v, want (%v, %v) roll %v", w.id, a.Pointing, o.ra, o.dec, o.roll)
		}
		switch inst := strings.Split(w.id, "-")[1]; {
		case inst == "OM":
			r := omNM[w.filter]
			lo, hi := a.Bandpass.Min.Metres()*1e9, a.Bandpass.Max.Metres()*1e9
			if math.Abs(lo-r[0]) > 1e-6 || math.Abs(hi-r[1]) > 1e-6 {
				t.Errorf("%s: OM %s band %s, want %v nm", w.id, w.filter, a.Bandpass, r)
			}
		case inst == "EPIC":
			if a.Bandpass.String() != "1.033 Å – 4.133 nm" {
				t.Errorf("%s: EPIC band %s (0.3-12 keV)", w.id, a.Bandpass)
			}
		default:
			if a.Bandpass.String() != "4.959 Å – 3.542 nm" {
				t.Errorf("%s: RGS band %s (0.35-2.5 keV)", w.id, a.Bandpass)
			}
		}
	}
}

// TestTimelineAgreesWithSchedule: the two recorded files describe the same
// revolution; the timeline's EPIC/RGS exposure durations agree with the
// schedule's (its ks figures are rounded to 0.1 ks, the longer of the
// MOS / RGS pair, the OM's the sum of its exposures), and its closed EPIC
// filters with the schedule's parenthesized durations.
func TestTimelineAgreesWithSchedule(t *testing.T) {
	tl, err := ParseTimeline(archivetest.Read(t, timelineFile))
	if err != nil {
		t.Fatal(err)
	}
	sched, err := Parse(archivetest.Read(t, table))
	if err != nil {
		t.Fatal(err)
	}
	longest := map[string]float64{} // obs + schedule instrument
	closed := map[string]bool{}
	for _, a := range tl.Activities {
		in := a.Instrument
		switch {
		case strings.HasPrefix(in, "EPIC-MOS"):
			in = "EPIC-MOS"
		case strings.HasPrefix(in, "RGS"):
			in = "RGS"
		}
		k := a.DatasetID + "-" + in
		if in == "OM" {
			// The schedule's OM duration is the sum of its exposures.
			longest[k] += *a.Exposure
			continue
		}
		longest[k] = max(longest[k], *a.Exposure)
		closed[k] = closed[k] || a.Filter == "closed"
	}
	n := 0
	for _, s := range sched.Activities {
		k := s.DatasetID + "-" + s.Instrument
		if math.Abs(longest[k]-*s.Exposure) > 60 {
			t.Errorf("%s: schedule %v s, timeline %v s", k, *s.Exposure, longest[k])
		}
		if (s.Filter == "closed") != closed[k] {
			t.Errorf("%s: schedule filter %q, timeline closed %v", k, s.Filter, closed[k])
		}
		n++
	}
	if n != 18 {
		t.Fatalf("%d schedule activities compared", n)
	}
}

// TestMerge: observations in the timeline are listed by its exposures,
// with the schedule's PI; the schedule's activities of those observations
// are counted skips.
func TestMerge(t *testing.T) {
	tl, _ := ParseTimeline(archivetest.Read(t, timelineFile))
	sched, _ := Parse(archivetest.Read(t, table))
	m := Merge(sched, tl)
	if len(m.Activities) != 42 || m.Skipped[SkipSuperseded] != 18 || m.Records != 49+20 ||
		m.Records != len(m.Activities)+m.SkippedTotal() {
		t.Fatalf("activities %d, records %d, skipped %v", len(m.Activities), m.Records, m.Skipped)
	}
	for _, a := range m.Activities {
		want := map[string]string{"0963230101": "Giovanni Stel", "0960860801": "Richard Plotkin"}[a.DatasetID]
		if want == "" {
			want = "Peter Kretschmar XMM-Newton MM"
		}
		if a.Programme.PI != want {
			t.Errorf("%s: PI %q", a.ID, a.Programme.PI)
		}
	}
	// Without the timeline, the schedule's activities stay.
	part := &connectors.Reply{}
	for _, a := range tl.Activities {
		if a.DatasetID == "0963230101" {
			part.Activities = append(part.Activities, a)
			part.Records++
		}
	}
	m = Merge(sched, part)
	if len(m.Activities) != 18-4+16 || m.Skipped[SkipSuperseded] != 4 {
		t.Errorf("partial timeline: %d activities, skipped %v", len(m.Activities), m.Skipped)
	}
}

// TestTimelineHTML: the page serves two tables, the timeline second (ACROSS
// read_revolution_timeline_file: "The second HTML table on that page is
// the timeline data"). The page here is SYNTHETIC (no recording of the
// page exists): a summary table, then the recorded header and the rows of
// observation 0811026501's OM exposure in <table> markup.
func TestTimelineHTML(t *testing.T) {
	rows := [][]string{
		{"S", "Date & Time", "Event", "OM", "EMOS1", "EMOS2", "EPN", "RGS1", "RGS2"},
		{"K", "2025-09-04 | 07:18:51", "SLEW_START", "RA: 05:34:32.00", "RA: 05:34:32.00", "DEC: +22:00:52.0", "DEC: +22:00:52.0", "PA: 085:29:39.8", "PA: 085:29:39.8"},
		{"K", "2025-09-04 | 13:36:52", "OBS_START", "RA: 05:34:32.00", "RA: 05:34:32.00", "DEC: +22:00:52.0", "DEC: +22:00:52.0", "Prime: E3", "Prime: E3"},
		{"K", "2025-09-04 | 13:36:52", "ID: 0811026501", "Crab", "Crab", "Crab", "Obs_dur: 12000 secs", "Obs_dur: 12000 secs", "Obs_dur: 12000 secs"},
		{"K", "2025-09-04 | 13:55:04", "", "Full Low 006: 7868 sec", "", "", "", "", ""},
		{"K", "2025-09-04 | 13:55:25", "", "UVM2", "", "", "", "", ""},
		{"K", "2025-09-04 | 13:55:25", "", "... exp continues", "", "", "", "", ""},
		{"K", "2025-09-04 | 16:06:12", "", "Blocked", "", "", "", "", ""},
		{"K", "2025-09-04 | 16:56:52", "OBS_END", "", "", "", "", "", ""},
	}
	var b strings.Builder
	b.WriteString("<html><head><title>4714 nice</title></head><body><table><tr><th>Revolution</th><th>4714</th></tr></table><table>")
	for i, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			if i == 0 {
				b.WriteString("<th>" + c + "</th>")
			} else {
				b.WriteString("<td>" + c + "</td>")
			}
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table></body></html>")
	res, err := ParseTimeline([]byte(b.String()))
	if err != nil || len(res.Activities) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	a := res.Activities[0]
	if a.ID != "xmm:0811026501-OM-006" || a.Filter != "UVM2" || *a.Exposure != 7868 || a.Programme.ID != "" {
		t.Errorf("%s %q %v %q", a.ID, a.Filter, *a.Exposure, a.Programme.ID)
	}
	var he *connectors.HTMLError
	if _, err := ParseTimeline([]byte("<html><head><title>Not Found</title></head><body><table><tr><th>x</th></tr></table></body></html>")); !errors.As(err, &he) || he.Title != "Not Found" {
		t.Errorf("page without a timeline table: %v", err)
	}
}

func TestTimelineSchemaDrift(t *testing.T) {
	body := string(archivetest.Read(t, timelineFile))
	var se *connectors.SchemaError
	if _, err := ParseTimeline([]byte(strings.Replace(body, "EMOS1", "MOS1", 1))); !errors.As(err, &se) || se.Column != "EMOS1" {
		t.Errorf("renamed EMOS1: %v", err)
	}
	if _, err := ParseTimeline([]byte(strings.Replace(body, "2025-09-04 | 08:58:03", "4 Sep 2025 08:58", 1))); !errors.As(err, &se) || se.Column != "Date & Time" {
		t.Errorf("bad time: %v", err)
	}
	if _, err := ParseTimeline([]byte(strings.Replace(body, "ID: 0811026501", "ID: 08110265X1", 1))); !errors.As(err, &se) || se.Column != "Event" {
		t.Errorf("bad obs id: %v", err)
	}
	// An OM filter outside the seven broad bands: kept, without a band.
	res, err := ParseTimeline([]byte(strings.Replace(body, ",UVM2,", ",Grism 1,", 1)))
	if err != nil || res.Warnings[WarnOMFilterUnknown] != 1 {
		t.Fatalf("%v %v", err, res.Warnings)
	}
	for _, a := range res.Activities {
		if a.ID == "xmm:0811026501-OM-006" && (a.Bandpass != nil || a.Filter != "Grism 1") {
			t.Errorf("grism exposure: %q %v", a.Filter, a.Bandpass)
		}
	}
}

// TestTimelineContract: the facts the timeline reading relies on, with
// their sources.
func TestTimelineContract(t *testing.T) {
	if TimelineBaseURL != "https://xmmweb.esac.esa.int/user/mplan/summaries/" {
		t.Errorf("timeline URL differs from REVOLUTION_FILE_BASE_URL (%s)", ingest)
	}
	header := strings.SplitN(string(archivetest.Read(t, timelineFile)), "\n", 2)[0]
	for _, c := range TimelineColumns {
		if !strings.Contains(header, c) {
			t.Errorf("column %q not in the recorded header (%s extract_om_exposures_from_timeline_data)", c, ingest)
		}
	}
	for _, c := range []struct {
		filter string
		lo, hi float64
	}{{"UVW2", 187, 237}, {"UVM2", 207, 255}, {"UVW1", 249.5, 332.5}, {"U", 302, 386}, {"B", 397.5, 502.5}, {"V", 508, 578}, {"WHITE", 232.5, 579.5}} {
		if r := OMFilters[c.filter]; r != [2]float64{c.lo, c.hi} {
			t.Errorf("OM %s: %v nm, ACROSS OM_%s_BANDPASS %v-%v nm (%s)", c.filter, r, c.filter, c.lo, c.hi, ingest)
		}
	}
	if len(OMFilters) != 7 {
		t.Errorf("%d OM filters, ACROSS filter_list has 7", len(OMFilters))
	}
}

// TestTimelineUnavailable: a revolution whose timeline page is missing
// (404: not published yet) keeps its schedule activities, with a warning.
func TestTimelineUnavailable(t *testing.T) {
	sched := archivetest.Read(t, table)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "_nice.html") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		w.Write(sched)
	}))
	defer srv.Close()
	src, err := New(Options{URL: srv.URL + "/short_term_schedule.php", TimelineBaseURL: srv.URL + "/summaries/",
		HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
	if err != nil {
		t.Fatal(err)
	}
	acts, err := activities.Collect(src.Activities(context.Background(), window))
	if err != nil || len(acts) != 18 {
		t.Fatalf("%v: %d activities", err, len(acts))
	}
}

func BenchmarkNormalizeTimeline(b *testing.B) {
	archivetest.Normalize(b, archivetest.Read(b, timelineFile), ParseTimeline)
}

func FuzzParseTimeline(f *testing.F) {
	f.Add(archivetest.Read(f, timelineFile))
	f.Add([]byte(",S,Date & Time,Event,OM,EMOS1,EMOS2,EPN,RGS1,RGS2\n0,K,2025-09-04 | 13:36:52,OBS_START,RA: 05:34:32.00,RA: 05:34:32.00,DEC: +22:00:52.0,DEC: +22:00:52.0,,\n1,K,2025-09-04 | 13:36:52,ID: 0811026501,Crab,,,,,\n2,K,2025-09-04 | 13:55:04,,Full Low 006: 7868 sec,Full Frame 001: 1 sec,,,,\n3,K,2025-09-04 | 13:55:25,,UVM2,,,,,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseTimeline(b)
		archivetest.Check(t, res, err)
	})
}
