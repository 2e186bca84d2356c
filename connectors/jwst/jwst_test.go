package jwst

import (
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassette in testdata")

const (
	schedule = "testdata/observing_schedule_2521607f02.txt"
	mastRows = "testdata/mast_jwst_observations_8cols.json"
	page     = "testdata/observing_schedules_page.html"
	fileURL  = "https://www.stsci.edu/files/live/sites/www/files/home/jwst/science-execution/observing-schedules/_documents/20250804_report_20250802.txt"
	ingest   = "NASA-ACROSS/across-data-ingestion@f56cc932b4c63235f3735c468044b8485fdca843:across_data_ingestion/tasks/schedules/jwst/low_fidelity_planned.py"
)

// TestScheduleRows: an independent reading of the file (Python: column
// spans from the dash runs of the underline, ACROSS's filters) gives 90
// lines: 15 continuation lines, 7 visits without fine guidance, 20
// calibrations and 48 visits.
func TestScheduleRows(t *testing.T) {
	res, err := ParseSchedule(archivetest.Read(t, schedule))
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 90 || len(res.Activities) != 48 || res.Skipped[SkipContinuation] != 15 ||
		res.Skipped[SkipNoGuiding] != 7 || res.Skipped[SkipCalibration] != 20 {
		t.Fatalf("records %d, activities %d, skipped %v", res.Records, len(res.Activities), res.Skipped)
	}
	want := []struct{ visit, start, dur, inst, mode, target string }{
		{"7615:5:1", "2025-08-04T04:51:40Z", "1h57m26s", "NIRCam", "Engineering Imaging", "P330-E"},
		{"7615:7:1", "2025-08-04T06:56:31Z", "2h23m30s", "NIRCam", "Engineering Imaging", "P330-E"},
		{"9259:4:1", "2025-08-04T10:09:40Z", "58m26s", "NIRSpec", "IFU Spectroscopy", "C2024E1"},
		{"9259:5:1", "2025-08-04T11:23:17Z", "58m26s", "NIRSpec", "IFU Spectroscopy", "C2024E1-sky"},
		{"7651:13:1", "2025-08-04T13:11:40Z", "1h35m23s", "NIRCam", "Coronagraphic Imaging", "1RXS-J124830.1-594449"},
		{"7651:14:1", "2025-08-04T15:03:19Z", "1h35m23s", "NIRCam", "Coronagraphic Imaging", "1RXS-J123834.9-591645"},
	}
	for i, w := range want {
		a := res.Activities[i]
		start, _ := time.Parse(time.RFC3339, w.start)
		d, _ := time.ParseDuration(w.dur)
		if a.ID != "jwst:"+w.visit || !a.Start.Equal(start) || !a.End.Equal(start.Add(d)) || *a.Exposure != d.Seconds() {
			t.Errorf("%d: %s [%s, %s]", i, a.ID, a.Start, a.End)
		}
		if a.Instrument != w.inst || a.Mode != w.mode || a.Target.Name != w.target || a.Programme.ID != strings.Split(w.visit, ":")[0] {
			t.Errorf("%d: %s / %s / %s / %s", i, a.Instrument, a.Mode, a.Target.Name, a.Programme.ID)
		}
	}
	last := res.Activities[47]
	if last.ID != "jwst:7073:21:1" || last.Target.Name != "LHS-1140" || last.Mode != "Single-Object Slitless Spectroscopy" {
		t.Errorf("last: %s %s %s", last.ID, last.Target.Name, last.Mode)
	}
}

// TestJoin: 27 of the 48 visits have a target whose first MAST row has a
// wavelength range (Python over the same two files); the others keep no
// position, as SgrA (its MAST row has no em_min/em_max).
func TestJoin(t *testing.T) {
	res, _ := ParseSchedule(archivetest.Read(t, schedule))
	rows, err := ParseMAST(archivetest.Read(t, mastRows))
	if err != nil || len(rows) != 368 {
		t.Fatalf("%d MAST rows, %v", len(rows), err)
	}
	Join(res.Activities, rows, res)
	joined := 0
	for _, a := range res.Activities {
		if a.Pointing != nil {
			joined++
		}
		if a.Target.Name == "HAT-P-11" {
			if a.Pointing.RA != 297.70936375 || a.Pointing.Dec != 48.0808611111 || a.Filter != "CLEAR;GR700XD" || a.Bandpass.String() != "600 nm – 2.8 µm" {
				t.Errorf("HAT-P-11: %v %q %s", a.Pointing, a.Filter, a.Bandpass)
			}
		}
		if a.Target.Name == "SgrA" && a.Pointing != nil {
			t.Error("SgrA joined although its MAST row has no wavelength range")
		}
	}
	if joined != 27 || res.Warnings[WarnNotInMAST] != 21 {
		t.Errorf("joined %d, warnings %v", joined, res.Warnings)
	}
}

func TestContract(t *testing.T) {
	pg, _ := url.Parse(DefaultPageURL)
	link, err := ScheduleLink(pg, archivetest.Read(t, page))
	cases := []struct{ what, got, want string }{
		{"page", DefaultPageURL, "https://www.stsci.edu/jwst/science-execution/observing-schedules"},
		{"newest schedule link", link, fileURL},
		{"MAST columns", strings.Join(MASTColumns, ","), "instrument_name,filters,obs_id,target_name,s_ra,s_dec,em_min,em_max"},
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s (%s: JWST_SCIENCE_EXECUTION_PLAN_URL, get_most_recent_jwst_planned_url, read_mast_observations)", c.what, c.got, c.want, ingest)
		}
	}
	body, _ := url.QueryUnescape(strings.TrimPrefix(MASTRequest([]string{"7615", "9259"}), "request="))
	for _, want := range []string{`"service":"Mast.Caom.Filtered"`, `{"paramName":"obs_collection","values":["JWST"]}`, `{"paramName":"proposal_id","values":["7615","9259"]}`} {
		if !strings.Contains(body, want) {
			t.Errorf("MAST request %s lacks %s (astroquery Observations.query_criteria(obs_collection=['JWST'], proposal_id=[...]) as ACROSS calls it)", body, want)
		}
	}
	if _, err := ParseMAST([]byte(`{"status":"EXECUTING","data":[]}`)); err == nil || !strings.Contains(err.Error(), "executing") {
		t.Errorf("EXECUTING: %v", err)
	}
	if rows, err := ParseMAST([]byte(`{"status":"COMPLETE","data":[{"target_name":"X","s_ra":1,"s_dec":2,"em_min":1,"em_max":2}]}`)); err != nil || len(rows) != 1 {
		t.Errorf("COMPLETE reply: %v %v", rows, err)
	}
}

func TestSchemaDrift(t *testing.T) {
	body := string(archivetest.Read(t, schedule))
	var se *connectors.SchemaError
	if _, err := ParseSchedule([]byte(strings.Replace(body, "PCS MODE", "PCS_MODE", 1))); !errors.As(err, &se) || se.Column != "PCS MODE" {
		t.Errorf("renamed PCS MODE: %v", err)
	}
	if _, err := ParseSchedule([]byte(strings.Replace(body, "00/01:57:26", "01:57:26   ", 1))); !errors.As(err, &se) || se.Column != "DURATION" {
		t.Errorf("bad duration: %v", err)
	}
	if _, err := ParseSchedule([]byte("no header here\n")); !errors.As(err, &se) {
		t.Errorf("no header: %v", err)
	}
}

var window = activities.Window{Start: time.Date(2025, 8, 3, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 8, 13, 0, 0, 0, 0, time.UTC)}

func open(rt http.RoundTripper) (activities.Source, error) {
	return New(Options{HTTPOptions: archivetest.Offline(rt)})
}

func TestBuildCassette(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassette")
	}
	res, _ := ParseSchedule(archivetest.Read(t, schedule))
	req := MASTRequest(Proposals(res.Activities))
	err := vcrtest.NewCassette("testdata/schedules", "bodies = the three recorded files of testdata (see PROVENANCE.md), unchanged: the page (trimmed upstream), the schedule file its first link names, and MAST's rows for the schedule's proposals re-shaped upstream to 8 columns (not MAST's wire envelope); the requests are this connector's").
		Add(vcrtest.Interaction{URL: DefaultPageURL, ContentType: "text/html", Body: archivetest.Read(t, page), Provenance: "page, trimmed upstream"}).
		Add(vcrtest.Interaction{URL: fileURL, ContentType: "text/plain", Body: archivetest.Read(t, schedule), Provenance: "schedule file"}).
		Add(vcrtest.Interaction{Method: "POST", URL: DefaultMASTURL, RequestBody: []byte(req), ContentType: "application/json",
			Body: archivetest.Read(t, mastRows), Provenance: "MAST rows re-shaped to 8 columns upstream"}).Save()
	if err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	archivetest.Conformance(t, open, "testdata/schedules", window, 48)
}

// TestFaults: each of the three requests failing ends the listing with an
// error naming the source and the step.
func TestFaults(t *testing.T) {
	for _, c := range []struct{ name, fail, want string }{
		{"page 503", "/jwst/", "schedules page"},
		{"file 404", ".txt", "schedule file"},
		{"MAST 503", "/invoke", "MAST"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.Contains(r.URL.Path, c.fail) {
					http.Error(w, "unavailable", http.StatusServiceUnavailable)
					return
				}
				switch {
				case strings.HasSuffix(r.URL.Path, ".txt"):
					w.Write(archivetest.Read(t, schedule))
				case strings.HasSuffix(r.URL.Path, "/invoke"):
					w.Write(archivetest.Read(t, mastRows))
				default:
					w.Write(archivetest.Read(t, page))
				}
			}))
			defer srv.Close()
			s, err := New(Options{PageURL: srv.URL + "/jwst/science-execution/observing-schedules", MASTURL: srv.URL + "/api/v0/invoke", HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
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
	archivetest.Normalize(b, archivetest.Read(b, schedule), ParseSchedule)
}

func FuzzParseSchedule(f *testing.F) {
	f.Add(archivetest.Read(f, schedule))
	f.Add([]byte("VISIT ID   PCS MODE  SCHEDULED START TIME  DURATION     SCIENCE INSTRUMENT AND MODE  TARGET NAME  CATEGORY\n--------   --------  --------------------  -----------  ---------------------------  -----------  --------\n1:1:1      FINEGUIDE 2025-08-04T04:51:40Z  99/99:99:99  NIRCam Imaging               X            Star\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseSchedule(b)
		archivetest.Check(t, res, err)
		if rows, err := ParseMAST(b); err == nil && res != nil {
			Join(res.Activities, rows, res)
			archivetest.Check(t, res, nil)
		}
	})
}
