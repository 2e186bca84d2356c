package ixpe

import (
	"errors"
	"flag"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/faulttest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassette in testdata")

const page = "testdata/ltp_2025-06-17.html"

// rows is an independent reading of the page's table (Python: regular
// expressions over <TR>/<td>, html.unescape).
var rows = []struct {
	ps, pnum, name string
	ra, dec        float64
	start          string
}{
	{"A 0", "2103", "KES 75", 281.604, -2.975, "2025-04-08T06:00:00Z"},
	{"A 0", "2022", "SS 433 WEST", 287.672, 5.032, "2025-04-19T00:00:00Z"},
	{"A 0", "2003", "MCG-5-23-16", 146.917, -30.949, "2025-04-24T12:00:00Z"},
	{"A 0", "2184", "GRS 1915+105", 288.798, 10.946, "2025-05-10T12:00:00Z"},
	{"C 0", "2152", "NGC 3227", 155.877, 19.865, "2025-05-13T18:00:00Z"},
	{"D 0", "0000", "Cyg X-2", 326.171, 38.321, "2025-05-28T12:00:00Z"},
	{"A 0", "2014", "LIGHTHOUSE N", 165.359, -61.015, "2025-05-30T12:00:00Z"},
	{"C 0", "2095", "1ES 1927+654", 291.831, 65.565, "2025-06-17T12:00:00Z"},
	{"D 0", "0000", "H 1417-624", 215.300, -62.699, "2025-06-27T18:00:00Z"},
	{"D 0", "0000", "Cyg X-2", 326.171, 38.321, "2025-07-03T12:00:00Z"},
	{"A 0", "2067", "PG 1553+113", 238.929, 11.190, "2025-07-06T06:00:00Z"},
	{"C 0", "2093", "UW CRB", 241.441, 25.863, "2025-07-09T00:00:00Z"},
	{"A 1", "2037", "NGC 5506", 213.312, -3.207, "2025-07-14T06:00:00Z"},
	{"A 1", "2111", "CIR X-1", 230.170, -57.167, "2025-07-24T06:00:00Z"},
	{"A 2", "2037", "NGC 5506", 213.312, -3.207, "2025-07-27T12:00:00Z"},
	{"A 0", "2111", "CIR X-1", 230.170, -57.167, "2025-08-02T00:00:00Z"},
	{"A 3", "2037", "NGC 5506", 213.312, -3.207, "2025-08-04T18:00:00Z"},
	{"A 2", "2111", "CIR X-1", 230.170, -57.167, "2025-08-09T12:00:00Z"},
	{"A 4", "2037", "NGC 5506", 213.312, -3.207, "2025-08-12T18:00:00Z"},
	{"C 1", "2114", "RX J1713.7-3", 257.963, -39.952, "2025-08-14T12:00:00Z"},
	{"A 0", "2067", "PG 1553+113", 238.929, 11.190, "2025-08-24T18:00:00Z"},
	{"C 2", "2114", "RX J1713.7-3", 257.963, -39.952, "2025-08-27T06:00:00Z"},
	{"C 1", "2013", "CRAB PULSAR", 83.633, 22.014, "2025-09-06T12:00:00Z"},
	{"A 1", "2081", "4U 1812-12", 273.776, -12.096, "2025-09-08T06:00:00Z"},
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRows(t *testing.T) {
	res, err := Parse(archivetest.Read(t, page))
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 24 || len(res.Activities) != 24 || len(res.Warnings) != 0 {
		t.Fatalf("%d records, %d activities, %v %v", res.Records, len(res.Activities), res.Skipped, res.Warnings)
	}
	ids := map[string]bool{}
	for i, w := range rows {
		a := res.Activities[i]
		ids[a.ID] = true
		if a.Target.Name != w.name || a.Pointing.RA != w.ra || a.Pointing.Dec != w.dec || *a.Target.RA != w.ra || !a.Start.Equal(ts(w.start)) {
			t.Errorf("row %d: %s %v %s", i, a.Target.Name, a.Pointing, a.Start)
		}
		if i+1 < len(rows) {
			if !a.End.Equal(ts(rows[i+1].start)) || *a.Exposure != ts(rows[i+1].start).Sub(ts(w.start)).Seconds() {
				t.Errorf("row %d: end %s exposure %v, want the next start", i, a.End, *a.Exposure)
			}
		} else if !a.End.IsZero() || a.Exposure != nil {
			t.Errorf("last row: end %s, want unknown", a.End)
		}
		wantProg := w.pnum
		if w.pnum == "0000" {
			wantProg = ""
		}
		if a.Programme.ID != wantProg || a.Programme.Type != classes[w.ps[:1]] || a.Kind != activities.KindPlanned || a.Fidelity != activities.FidelityLow {
			t.Errorf("row %d: %+v %s %s", i, a.Programme, a.Kind, a.Fidelity)
		}
	}
	if len(ids) != 24 {
		t.Errorf("%d distinct IDs for 24 rows", len(ids))
	}
}

func TestContract(t *testing.T) {
	const ingest = "NASA-ACROSS/across-data-ingestion@f56cc932b4c63235f3735c468044b8485fdca843:across_data_ingestion/tasks/schedules/ixpe/low_fidelity_planned.py"
	if DefaultURL != "https://ixpe.msfc.nasa.gov/for_scientists/ltp.html" {
		t.Errorf("URL differs from IXPE_LTP_URL (%s)", ingest)
	}
	body := string(archivetest.Read(t, page))
	// The page's COLUMNS notes define every column read.
	for _, note := range []string{"P: can be A, C, L, D or T", "S: This is a segment number", "Pnum: This is the GO proposal number",
		"RA: Target RA in decimal degrees", "Dec: Target Dec in decimal degrees", "truncated to a\n6 hr interval"} {
		if !strings.Contains(body, note) {
			t.Errorf("the recorded page no longer says %q", note)
		}
	}
	lo, hi := band().Energies()
	if float64(lo) < 1999.999 || float64(lo) > 2000.001 || float64(hi) < 7999.999 || float64(hi) > 8000.001 {
		t.Errorf("band %v..%v, want 2..8 keV (IXPE_BANDPASS, %s)", lo, hi, ingest)
	}
}

func TestSchemaDrift(t *testing.T) {
	body := string(archivetest.Read(t, page))
	var se *connectors.SchemaError
	if _, err := Parse([]byte(strings.Replace(body, ">Dec</td>", ">Decl</td>", 1))); !errors.As(err, &se) || se.Column != "Dec" {
		t.Errorf("renamed Dec: %v", err)
	}
	if _, err := Parse([]byte(strings.Replace(body, "2025-04-08T06", "April 8", 1))); !errors.As(err, &se) || se.Column != "Start" {
		t.Errorf("bad Start: %v", err)
	}
	var he *connectors.HTMLError
	if _, err := Parse([]byte("<html><head><title>Page Not Found</title></head><body>gone</body></html>")); !errors.As(err, &he) || he.Title != "Page Not Found" {
		t.Errorf("page without the table: %v", err)
	}
}

var window = activities.Window{Start: ts("2025-04-01T00:00:00Z"), End: ts("2025-10-01T00:00:00Z")}

func open(rt http.RoundTripper) (activities.Source, error) {
	return New(Options{HTTPOptions: archivetest.Offline(rt)})
}

func TestBuildCassette(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassette")
	}
	err := vcrtest.NewCassette("testdata/ltp", "body = testdata/ltp_2025-06-17.html (see PROVENANCE.md: the real page text kept by NASA-ACROSS/across-data-ingestion), unchanged, as the GET of DefaultURL").
		Add(vcrtest.Interaction{URL: DefaultURL, ContentType: "text/html", Body: archivetest.Read(t, page), Provenance: "recorded page, unchanged"}).Save()
	if err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	archivetest.Conformance(t, open, "testdata/ltp", window, 24)
}

func TestFaults(t *testing.T) {
	faulttest.Run(t, faulttest.Harness{
		Open: func(u string, retries int) (activities.Source, error) {
			return New(Options{URL: u + "/ltp.html", HTTPOptions: connectors.HTTPOptions{Retries: retries, RatePerHost: -1}})
		},
		Good: archivetest.Read(t, page), ContentType: "text/html", Window: window, Want: 24,
	})
}

func BenchmarkNormalize(b *testing.B) {
	archivetest.Normalize(b, archivetest.Read(b, page), Parse)
}

func FuzzParse(f *testing.F) {
	f.Add(archivetest.Read(f, page))
	f.Add([]byte("<table><tr><td>P S<td>Pnum<td>Name<td>RA<td>Dec<td>Start<tr><td>A 0<td>1<td>x<td>1<td>95<td>2025-01-01T00</table>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Parse(b)
		archivetest.Check(t, res, err)
	})
}
