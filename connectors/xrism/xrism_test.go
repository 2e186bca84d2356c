package xrism

import (
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassette in testdata")

// All the pages of these tests are SYNTHETIC (no recorded XRISM reply
// exists here): written from the format ACROSS reads.
const (
	schedPage = "testdata/shortterm_synthetic.html"
	propPage  = "testdata/proposals_synthetic.html"
	tooPage   = "testdata/too_synthetic.html"
	ingest    = "NASA-ACROSS/across-data-ingestion@133035dc411770e193a7e3209212b25b2fbeaea9:across_data_ingestion/tasks/schedules/xrism/"
)

func exposures(t testing.TB) map[string]Exposure {
	m := map[string]Exposure{}
	if err := ParseProposals(archivetest.Read(t, propPage), m); err != nil {
		t.Fatal(err)
	}
	if err := ParseToO(archivetest.Read(t, tooPage), m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRows(t *testing.T) {
	res, err := ParseSchedule(archivetest.Read(t, schedPage), exposures(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 8 || len(res.Activities) != 6 || res.Skipped[SkipCalibration] != 2 {
		t.Fatalf("records %d, activities %d, skipped %v", res.Records, len(res.Activities), res.Skipped)
	}
	// Cygnus X-1 as ACROSS's own mock has it: 2026-06-04T02:21:00 for 50 ks
	// (mock_xrism_observations.py: end 16:14:20, Resolve 1.7-12 keV).
	a := res.Activities[0]
	if a.ID != "xrism:12345-Resolve" || a.Target.Name != "Cygnus X-1" || a.Pointing.RA != 299.590 || a.Pointing.Dec != 35.201 ||
		!a.Start.Equal(time.Date(2026, 6, 4, 2, 21, 0, 0, time.UTC)) || !a.End.Equal(time.Date(2026, 6, 4, 16, 14, 20, 0, time.UTC)) ||
		*a.Exposure != 50000 || a.Bandpass.String() != "1.033 Å – 7.293 Å" || a.Mode != "spectroscopy" {
		t.Errorf("Cygnus X-1: %+v %s", a, a.Bandpass)
	}
	if x := res.Activities[1]; x.ID != "xrism:12345-Xtend" || x.Mode != "imaging" {
		t.Errorf("Xtend: %s %s", x.ID, x.Mode)
	}
	grb := res.Activities[4]
	if grb.DatasetID != "901001010" || *grb.Exposure != 30000 {
		t.Errorf("ToO exposure: %s %v", grb.DatasetID, grb.Exposure)
	}
	// Without the exposure tables, the sequences keep no end.
	res, _ = ParseSchedule(archivetest.Read(t, schedPage), nil)
	if res.Warnings[WarnNoExposure] != 4 || !res.Activities[0].End.IsZero() {
		t.Errorf("no exposures: %v", res.Warnings)
	}
}

func TestContract(t *testing.T) {
	s, _ := New(Options{})
	cases := []struct{ what, got, want, cite string }{
		{"schedule page", DefaultScheduleURL, "https://xrism.isas.jaxa.jp/research/observers/shortterm/prefinal/index.html", ingest + "low_fidelity_planned.py XRISM_SHORT_TERM_SCHEDULE_URL"},
		{"ToO page", DefaultToOURL, "https://xrism.isas.jaxa.jp/research/observers/generic_too/index.html", ingest + "low_fidelity_planned.py XRISM_TOO_TABLE_URL"},
		{"proposal query", s.ProposalsURL([]string{"12345", "300001010", "x'); DROP"}),
			"https://darts.isas.jaxa.jp/app/query/astroquery/sql.php?sql=SELECT+%2A+FROM+xrism_proposal+WHERE+observation_id+IN+%28%2712345%27%2C+%27300001010%27%29%3B",
			ingest + "low_fidelity_planned.py query_proposal_table"},
		{"columns", strings.Join(Columns, ","), "Seq,Mnv start time (UT),TargetName,Ra,Dec", ingest + "low_fidelity_planned.py (rename of Seq and Mnv start time (UT)) and handler.py (TargetName, Ra, Dec, start as %Y-%m-%dT%H:%M:%S, exposure ks ×1000)"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s:\n got %s\nwant %s\n(%s)", c.what, c.got, c.want, c.cite)
		}
	}
	for _, in := range instruments {
		want := map[string][2]float64{"Resolve": {1.7, 12}, "Xtend": {0.4, 13}}[in.name]
		if in.lo != want[0] || in.hi != want[1] {
			t.Errorf("%s %v..%v keV (constants.py at 75d1c5c3d8e908bfbc583b5ebc45d6097f897e09 XRISM_BANDPASSES)", in.name, in.lo, in.hi)
		}
	}
}

func TestSchemaDrift(t *testing.T) {
	body := string(archivetest.Read(t, schedPage))
	var se *connectors.SchemaError
	if _, err := ParseSchedule([]byte(strings.Replace(body, "<th>Seq</th>", "<th>Sequence</th>", 1)), nil); !errors.As(err, &se) || se.Column != "Seq" {
		t.Errorf("renamed Seq: %v", err)
	}
	if _, err := ParseSchedule([]byte(strings.Replace(body, "<td>2026-06-04T02:21:00</td>", "<td>4 June</td>", 1)), nil); !errors.As(err, &se) {
		t.Errorf("bad start: %v", err)
	}
	if err := ParseProposals([]byte("<table><tr><th>obsid</th></tr></table>"), map[string]Exposure{}); !errors.As(err, &se) {
		t.Errorf("proposal table without its columns: %v", err)
	}
}

var window = activities.Window{Start: time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 6, 7, 0, 0, 0, 0, time.UTC)}

func open(rt http.RoundTripper) (activities.Source, error) {
	return New(Options{HTTPOptions: archivetest.Offline(rt)})
}

func TestBuildCassette(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassette")
	}
	s, _ := New(Options{})
	err := vcrtest.NewCassette("testdata/synthetic", "SYNTHETIC: the three test pages of testdata (no XRISM reply has been recorded), with this connector's requests").
		Add(vcrtest.Interaction{URL: DefaultScheduleURL, ContentType: "text/html", Body: archivetest.Read(t, schedPage), Provenance: "SYNTHETIC"}).
		Add(vcrtest.Interaction{URL: s.ProposalsURL([]string{"12345", "300001010", "000162000", "901001010"}), ContentType: "text/html", Body: archivetest.Read(t, propPage), Provenance: "SYNTHETIC"}).
		Add(vcrtest.Interaction{URL: DefaultToOURL, ContentType: "text/html", Body: archivetest.Read(t, tooPage), Provenance: "SYNTHETIC"}).Save()
	if err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	archivetest.Conformance(t, open, "testdata/synthetic", window, 6)
}

func TestFaults(t *testing.T) {
	for _, c := range []struct{ name, fail, want string }{
		{"schedule 503", "shortterm", "schedule page"},
		{"DARTS 503", "sql.php", "DARTS"},
		{"ToO 503", "generic_too", "ToO"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case strings.Contains(r.URL.Path, c.fail):
					http.Error(w, "unavailable", http.StatusServiceUnavailable)
				case strings.Contains(r.URL.Path, "sql.php"):
					w.Write(archivetest.Read(t, propPage))
				case strings.Contains(r.URL.Path, "generic_too"):
					w.Write(archivetest.Read(t, tooPage))
				default:
					w.Write(archivetest.Read(t, schedPage))
				}
			}))
			defer srv.Close()
			s, err := New(Options{ScheduleURL: srv.URL + "/shortterm/index.html", DARTSURL: srv.URL + "/sql.php", ToOURL: srv.URL + "/generic_too/index.html", HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = activities.Collect(s.Activities(t.Context(), window))
			var se *activities.SourceError
			if !errors.As(err, &se) || se.Source != Name || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "503") {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	body, exp := archivetest.Read(b, schedPage), exposures(b)
	archivetest.Normalize(b, body, func(b []byte) (*connectors.Reply, error) { return ParseSchedule(b, exp) })
}

func FuzzParseSchedule(f *testing.F) {
	f.Add(archivetest.Read(f, schedPage))
	f.Add([]byte("Seq,Mnv start time (UT),TargetName,Ra,Dec\n1,2026-06-04T02:21:00,x,1e400,95\n"))
	exp := map[string]Exposure{"12345": {Seconds: 1e7}, "1": {Calibration: true}}
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseSchedule(b, exp)
		archivetest.Check(t, res, err)
		_ = ParseProposals(b, map[string]Exposure{})
		_ = ParseToO(b, map[string]Exposure{})
	})
}
