package rubin

import (
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/faulttest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassette in testdata")

const reply = "testdata/obsloctap_schedule_10rows.json"

// window holds the ten recorded visits (2026-01-27 08:49-09:16 UTC).
var window = activities.Window{Start: time.Date(2026, 1, 27, 8, 0, 0, 0, time.UTC), End: time.Date(2026, 1, 27, 10, 0, 0, 0, time.UTC)}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestRows compares each row's activity with an independent reading of
// the recorded reply: MJDs converted by Python's datetime, the other
// values copied from the file.
func TestRows(t *testing.T) {
	res, err := ParseSchedule(archivetest.Read(t, reply))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		target, start, end string
		ra, dec, exp       float64
	}{
		{"dusty_plane", "2026-01-27T08:55:37.631086Z", "2026-01-27T09:16:07.631087Z", 117.04857689764346, -17.855826969368607, 150},
		{"dusty_plane", "2026-01-27T08:54:55.250890Z", "2026-01-27T09:15:25.250890Z", 117.04857689764346, -17.855826969368607, 30},
		{"lowdust", "2026-01-27T08:54:17.084169Z", "2026-01-27T09:14:47.084169Z", 119.80403733917464, -19.321253598335247, 30},
		{"lowdust", "2026-01-27T08:53:38.922617Z", "2026-01-27T09:14:08.922617Z", 122.58494189923128, -20.772916754395546, 30},
		{"lowdust", "2026-01-27T08:53:00.765037Z", "2026-01-27T09:13:30.765037Z", 125.39411807571442, -22.21709244232776, 30},
		{"lowdust", "2026-01-27T08:52:22.610958Z", "2026-01-27T09:12:52.610958Z", 128.23646477107872, -23.654310661997318, 30},
		{"lowdust", "2026-01-27T08:51:44.459659Z", "2026-01-27T09:12:14.459659Z", 131.12053674511046, -25.079150076630036, 30},
		{"lowdust", "2026-01-27T08:51:06.309254Z", "2026-01-27T09:11:36.309254Z", 134.0592824509936, -26.481343501073884, 30},
		{"lowdust", "2026-01-27T08:50:28.156247Z", "2026-01-27T09:10:58.156248Z", 137.06966486378064, -27.847306581681767, 30},
		{"lowdust", "2026-01-27T08:49:49.995661Z", "2026-01-27T09:10:19.995661Z", 140.17149045440826, -29.160922472087275, 30},
	}
	if res.Records != 10 || len(res.Activities) != 10 || len(res.Warnings) != 0 {
		t.Fatalf("records %d, activities %d, skipped %v, warnings %v", res.Records, len(res.Activities), res.Skipped, res.Warnings)
	}
	for i, w := range want {
		a := res.Activities[i]
		if a.ID != "rubin:"+w.target+"@"+ts(w.start).Format("2006-01-02T15:04:05.000Z") {
			t.Errorf("row %d: ID %s", i, a.ID)
		}
		if !a.Start.Equal(ts(w.start)) || !a.End.Equal(ts(w.end)) {
			t.Errorf("row %d: [%s, %s]", i, a.Start, a.End)
		}
		if a.Pointing == nil || a.Pointing.RA != w.ra || a.Pointing.Dec != w.dec || a.Pointing.Roll == nil || *a.Pointing.Roll != 0 {
			t.Errorf("row %d: pointing %v", i, a.Pointing)
		}
		if a.Target.Name != w.target || *a.Exposure != w.exp {
			t.Errorf("row %d: target %q exposure %v", i, a.Target.Name, *a.Exposure)
		}
		if a.Observatory != Observatory || a.Facility != Facility || a.Instrument != "LSSTCam" || a.Filter != "r" {
			t.Errorf("row %d: %s / %s / %s / %s", i, a.Observatory, a.Facility, a.Instrument, a.Filter)
		}
		if a.Kind != activities.KindPlanned || a.Fidelity != activities.FidelityLow {
			t.Errorf("row %d: %s/%s, want planned/low", i, a.Kind, a.Fidelity)
		}
		if a.Programme.ID != "" {
			t.Errorf("row %d: programme %q: the service names none", i, a.Programme.ID)
		}
	}
}

// TestContract: what the connector relies on, each with its source.
func TestContract(t *testing.T) {
	s, _ := New(Options{})
	u, covered := s.URL(window, time.Time{})
	cases := []struct {
		what, got, want, cite string
	}{
		{"endpoint and start as MJD, lookahead in hours", u, DefaultBaseURL + "/schedule?start=61067.333333&time=2",
			"NASA-ACROSS/across-data-ingestion@4800a1c6d79ba95561a73aef31aff70f3b2c6f80:across_data_ingestion/tasks/schedules/rubin/low_fidelity_planned.py (URL); lsst-dm/obsloctap@1ef03bd836d9ed49f6f7921fffa1082f07d0ffdc:src/obsloctap/handlers/external.py get_schedule (start: 'ISO or MJD', time: 'hours[1-48]') and _parse_start_time (MJD accepted)"},
		{"covered", covered.Format(time.RFC3339), "2026-01-27T10:00:00Z", "the lookahead in hours from start"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s (%s)", c.what, c.got, c.want, c.cite)
		}
	}
	long, covered := s.URL(activities.Window{Start: window.Start, End: window.Start.Add(100 * time.Hour)}, time.Time{})
	if want := DefaultBaseURL + "/schedule?start=61067.333333&time=48"; long != want || !covered.Equal(window.Start.Add(48*time.Hour)) {
		t.Errorf("a 100 h window asks %s, covering to %s", long, covered)
	}
	// Columns beyond ObsLocTAP's, and filter edges: lsst-dm/obsloctap@1ef03bd
	// obsplan.sql (rubin_rot_sky_pos "From scheduler rotation angle") and
	// src/obsloctap/models.py (spectral_ranges).
	for _, c := range []struct {
		lo, hi float64
		name   string
	}{{3.3e-07, 4e-07, "u"}, {4.02e-07, 5.52e-07, "g"}, {5.52e-07, 6.91e-07, "r"}, {6.91e-07, 8.18e-07, "i"}, {8.18e-07, 9.22e-07, "z"}, {9.22e-07, 1.06e-06, "y"}, {3.8e-07, 7e-07, ""}} {
		bp, _ := activities.BandpassFromWavelength(activities.Wavelength(c.lo), activities.Wavelength(c.hi))
		if got := FilterName(bp); got != c.name {
			t.Errorf("[%v, %v] named %q, want %q", c.lo, c.hi, got, c.name)
		}
	}
	res, err := ParseSchedule([]byte(`[{"t_planning":61067.3,"obs_id":"lowdust","t_min":61067.3,"t_max":61067.31,"facility_name":"Rubin:Simonyi","execution_status":"Performed","s_ra":10,"s_dec":-20,"rubin_rot_sky_pos":-30.5,"em_min":3.8e-7,"em_max":7e-7}]`))
	if err != nil {
		t.Fatal(err)
	}
	a := res.Activities[0]
	if *a.Pointing.Roll != 329.5 || a.Kind != activities.KindCompleted || a.Fidelity != "" || a.Filter != "" || res.Warnings[WarnNoFilter] != 1 {
		t.Errorf("performed row: roll %v kind %s fidelity %q filter %q warnings %v", *a.Pointing.Roll, a.Kind, a.Fidelity, a.Filter, res.Warnings)
	}
}

func open(rt http.RoundTripper) (activities.Source, error) {
	return New(Options{HTTPOptions: archivetest.Offline(rt)})
}

func TestBuildCassette(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassette")
	}
	s, _ := New(Options{})
	u, _ := s.URL(window, time.Time{})
	err := vcrtest.NewCassette("testdata/schedule",
		"body = testdata/obsloctap_schedule_10rows.json (see PROVENANCE.md: NASA-ACROSS/across-data-ingestion@81d0f760b8a332289b7aae63eb5426cfea61502c, rows of Rubin's /obsloctap/schedule rebuilt from a DataFrame literal), unchanged; the request is the one this connector sends for 2026-01-27T08:00Z..10:00Z, reconstructed").
		Add(vcrtest.Interaction{URL: u, ContentType: "application/json", Body: archivetest.Read(t, reply),
			Provenance: "recorded rows, unchanged"}).Save()
	if err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	archivetest.Conformance(t, open, "testdata/schedule", window, 10)
}

func TestFaults(t *testing.T) {
	faulttest.Run(t, faulttest.Harness{
		Open: func(u string, retries int) (activities.Source, error) {
			return New(Options{BaseURL: u, HTTPOptions: connectors.HTTPOptions{Retries: retries, RatePerHost: -1}})
		},
		Good: archivetest.Read(t, reply), ContentType: "application/json", Window: window, Want: 10,
	})
}

// TestLongWindowIsTruncated: the service serves 48 h at most, so a longer
// window ends with a truncation error after the activities it did get.
func TestLongWindowIsTruncated(t *testing.T) {
	var asked string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = r.URL.RawQuery
		w.Header().Set("Content-Type", "application/json")
		w.Write(archivetest.Read(t, reply))
	}))
	defer srv.Close()
	s, err := New(Options{BaseURL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
	if err != nil {
		t.Fatal(err)
	}
	acts, err := activities.Collect(s.Activities(t.Context(), activities.Window{Start: window.Start, End: window.Start.Add(100 * time.Hour)}))
	if !errors.Is(err, connectors.ErrTruncated) || len(acts) != 10 {
		t.Fatalf("got %d activities and %v, want 10 and a truncation error", len(acts), err)
	}
	if asked != "start=61067.333333&time=48" {
		t.Errorf("asked %q", asked)
	}
}

func BenchmarkNormalize(b *testing.B) {
	body := archivetest.Read(b, reply)
	b.Run("rubin", func(b *testing.B) { archivetest.Normalize(b, body, ParseSchedule) })
	b.Run("decode-only", func(b *testing.B) {
		archivetest.DecodeJSON(b, body, func(v []map[string]any) int { return len(v) })
	})
}

func FuzzParseSchedule(f *testing.F) {
	f.Add(archivetest.Read(f, reply))
	f.Add([]byte(`[{"t_planning":61067.3,"obs_id":"x","t_min":61067.3,"facility_name":"Rubin:Simonyi","execution_status":"Scheduled","em_min":1e-7,"em_max":1e-6,"rubin_rot_sky_pos":1e300}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseSchedule(b)
		archivetest.Check(t, res, err)
	})
}
