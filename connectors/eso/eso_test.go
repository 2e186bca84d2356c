package eso

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

func TestConformance(t *testing.T) {
	for _, r := range replays {
		t.Run(r.cassette, func(t *testing.T) {
			open := func(rt http.RoundTripper) activities.Source {
				s, err := New(Options{ADQL: r.query, Format: "csv", Products: r.products, HTTPOptions: connectors.HTTPOptions{Transport: rt, Retries: -1}})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			connectortest.Run(t, connectortest.Harness{
				New: func(t *testing.T) activities.Source {
					return open(vcrtest.Replay(t, "testdata/"+r.cassette, vcrtest.Repeatable()))
				},
				NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
				NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
				NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return open(rt) },
				Window:        r.window,
				MinActivities: r.min,
			})
		})
	}
}

// TestFixtureCounts runs every recorded ESO reply through its parser and
// prints and checks the records, activities and skipped records by reason.
func TestFixtureCounts(t *testing.T) {
	for _, r := range replays {
		b := archivetest.Read(t, "testdata/"+r.file)
		parse := ParseRaw
		if r.products[0] == Processed {
			parse = ParseProcessed
		}
		res, err := parse(b)
		if err != nil {
			t.Fatalf("%s: %v", r.file, err)
		}
		t.Logf("%s: records=%d activities=%d skipped={%s} warnings={%s}", r.file, res.Records, len(res.Activities),
			connectors.FormatCounts(res.Skipped), connectors.FormatCounts(res.Warnings))
		if res.Records != len(res.Activities)+res.SkippedTotal() {
			t.Errorf("%s: %d records != %d activities + %d skipped", r.file, res.Records, len(res.Activities), res.SkippedTotal())
		}
		if len(res.Activities) != r.min || res.SkippedTotal() != 0 || len(res.Warnings) != 0 {
			t.Errorf("%s: %d activities, skipped %v, warnings %v; want %d, none, none", r.file, len(res.Activities), res.Skipped, res.Warnings, r.min)
		}
		for _, a := range res.Activities {
			if err := a.Validate(); err != nil {
				t.Errorf("%s: %v", a.ID, err)
			}
			if !r.window.Overlaps(a.Start, a.End) {
				t.Errorf("%s outside the test window", a)
			}
		}
	}
}

func TestRawFields(t *testing.T) {
	b, _ := os.ReadFile("testdata/query_main_sgra.csv")
	res, err := ParseRaw(b)
	if err != nil {
		t.Fatal(err)
	}
	a := res.Activities[0]
	want := activities.Activity{ID: "eso:SINFO.2013-08-27T01:05:24.328", Facility: "VLT UT4 (Yepun)",
		Observatory: "Cerro Paranal Observatory", Instrument: "SINFONI", Mode: "IR_SPECTROSCOPY", Filter: "H+K"}
	if a.ID != want.ID || a.Facility != want.Facility || a.Observatory != want.Observatory ||
		a.Instrument != want.Instrument || a.Mode != want.Mode || a.Filter != want.Filter {
		t.Errorf("got %+v", a)
	}
	if a.Programme.ID != "091.B-0088(B)" || a.Programme.PI != "GILLESSEN" || len(a.Programme.Investigators) != 6 {
		t.Errorf("programme %+v", a.Programme)
	}
	if a.Target.Name != "SGR A" || *a.Target.RA != 266.41480694 || *a.Target.Dec != -29.00877 {
		t.Errorf("target %+v", a.Target)
	}
	if *a.Exposure != 300 || !a.Start.Equal(time.Date(2013, 8, 27, 1, 5, 24, 327e6, time.UTC)) || a.End.Sub(a.Start) != 300*time.Second {
		t.Errorf("exposure %v start %s end %s", *a.Exposure, a.Start, a.End)
	}
	if len(a.Links) != 2 || a.Links[0].URL != "https://dataportal.eso.org/dataPortal/file/SINFO.2013-08-27T01:05:24.328" {
		t.Errorf("links %v", a.Links)
	}
	if a.Updated.IsZero() || a.Revision != activities.Revision(activities.KindArchived, a.Updated) {
		t.Errorf("updated %s revision %d", a.Updated, a.Revision)
	}
	b, _ = os.ReadFile("testdata/query_coll_vvv_sgra.csv")
	res, err = ParseProcessed(b)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Activities[0]
	if p.Facility != "VISTA" || p.Observatory != "Cerro Paranal Observatory" || p.Instrument != "VIRCAM" ||
		p.Programme.ID != "179.B-2002(B)" || p.Programme.PI != "MINNITI, DANTE" || len(p.Target.Region) != 4 {
		t.Errorf("processed %+v", p)
	}
}

// The recorded replies hold only science frames; these rows (the first
// recorded row with dp_cat and a few cells changed, marked as such) check
// the skip reasons and drift errors.
func editedRaw(t *testing.T, edit func(head, row []string)) []byte {
	b, _ := os.ReadFile("testdata/query_main_sgra.csv")
	lines := strings.SplitN(string(b), "\n", 3)
	head := strings.Split(lines[0], ",")
	_, rows, _ := obscore.ReadCSV(strings.NewReader(lines[0] + "\n" + lines[1] + "\n"))
	var cells []string
	for rec := range rows {
		for i := range head {
			cells = append(cells, rec.Text(i))
		}
	}
	edit(head, cells)
	var buf bytes.Buffer
	quote := func(ss []string) string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return strings.Join(out, ",")
	}
	buf.WriteString(strings.Join(head, ",") + "\n" + quote(cells) + "\n")
	return buf.Bytes()
}

func set(head, row []string, col, v string) {
	for i, h := range head {
		if h == col {
			row[i] = v
		}
	}
}

func TestSkipReasons(t *testing.T) {
	for cat, reason := range map[string]string{"CALIB": "calibration frame (dp_cat=CALIB)",
		"ACQUISITION": "acquisition frame (dp_cat=ACQUISITION)", "TECHNICAL": "technical frame (dp_cat=TECHNICAL)",
		"": SkipNoDPCat, "HOLOGRAM": SkipUnknownCat + ": HOLOGRAM"} {
		res, err := ParseRaw(editedRaw(t, func(h, r []string) { set(h, r, "dp_cat", cat) }))
		if err != nil {
			t.Fatal(err)
		}
		if res.Skipped[reason] != 1 || len(res.Activities) != 0 {
			t.Errorf("dp_cat %q: skipped %v", cat, res.Skipped)
		}
	}
	res, err := ParseRaw(editedRaw(t, func(h, r []string) { set(h, r, "telescope", "ESO-NEW-1"); set(h, r, "instrument", "NEWCAM") }))
	if err != nil || len(res.Activities) != 1 {
		t.Fatalf("%v %v", err, res)
	}
	if res.Activities[0].Facility != "ESO-NEW-1" || res.Warnings["unknown telescope code: ESO-NEW-1"] != 1 ||
		res.Warnings["instrument not in catalogs: NEWCAM"] != 1 {
		t.Errorf("unknown codes: %+v warnings %v", res.Activities[0], res.Warnings)
	}
}

func TestSchemaDrift(t *testing.T) {
	var se *connectors.SchemaError
	// A changed date format is an error naming the column.
	_, err := ParseRaw(editedRaw(t, func(h, r []string) { set(h, r, "exp_start", "27/08/2013 01:05") }))
	if !errors.As(err, &se) || se.Column != "exp_start" {
		t.Fatalf("date format: got %v", err)
	}
	_, err = ParseRaw(editedRaw(t, func(h, r []string) { set(h, r, "exposure", "300 s") }))
	if !errors.As(err, &se) || se.Column != "exposure" {
		t.Fatalf("exposure with a unit: got %v", err)
	}
	// A renamed required column too.
	_, err = ParseRaw(editedRaw(t, func(h, r []string) { set(h, h, "dp_cat", "dp_category") }))
	if !errors.As(err, &se) || se.Column != "dp_cat" {
		t.Fatalf("renamed dp_cat: got %v", err)
	}
	// A dropped optional column is a counted warning naming it.
	res, err := ParseRaw(editedRaw(t, func(h, r []string) { set(h, h, "pi_coi", "pi_names") }))
	if err != nil || res.Warnings["column absent: pi_coi"] != 1 {
		t.Fatalf("renamed pi_coi: %v %v", err, res)
	}
}

func TestWindowQuery(t *testing.T) {
	s, err := New(Options{Products: []Product{Raw, Processed}, Cone: &Cone{RA: 266.4, Dec: -29, Radius: 0.1},
		Instruments: []string{"muse", "O'Neil"}})
	if err != nil {
		t.Fatal(err)
	}
	qs, err := s.Query(activities.Window{Start: day(2026, 11, 26), End: day(2026, 11, 27)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"SELECT * FROM dbo.raw WHERE exp_start >= '2026-11-26T00:00:00' AND exp_start < '2026-11-27T00:00:00' AND INTERSECTS(s_region, CIRCLE('ICRS', 266.4, (-29), 0.1)) = 1 AND instrument IN ('MUSE', 'O''NEIL') ORDER BY exp_start",
		"SELECT * FROM ivoa.ObsCore WHERE t_min < 61371 AND t_max >= 61370 AND INTERSECTS(s_region, CIRCLE('ICRS', 266.4, (-29), 0.1)) = 1 ORDER BY t_min",
	}
	for i := range want {
		if qs[i] != want[i] {
			t.Errorf("query %d:\n got %s\nwant %s", i, qs[i], want[i])
		}
	}
}

func csvBody(t testing.TB) []byte { return archivetest.Read(t, "testdata/query_main_sgra.csv") }

func list(t *testing.T, o Options) ([]activities.Activity, error) {
	o.Format = "csv"
	o.ADQL = replays[0].query
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return activities.Collect(s.Activities(ctx, replays[0].window))
}

func TestFaults(t *testing.T) {
	body := csvBody(t)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.Header().Set("Content-Type", "text/csv")
			w.Write(body)
		}
	}))
	defer srv.Close()
	acts, err := list(t, Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: 3}})
	if err != nil || len(acts) != 23 || n.Load() != 3 {
		t.Fatalf("429 then 503 then the reply: %d activities, %v, %d requests", len(acts), err, n.Load())
	}
	// Truncated body: a CSV cut inside a quoted cell is an error.
	cut := bytes.Index(body, []byte(`"IFU,NODDING"`)) + 5
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Write(body[:cut])
	}))
	defer srv2.Close()
	if acts, err := list(t, Options{URL: srv2.URL, HTTPOptions: connectors.HTTPOptions{Retries: -1}}); err == nil {
		t.Fatalf("a cut body gave %d activities and no error", len(acts))
	}
	// An HTML page instead of CSV.
	srv3 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><head><title>ESO Archive - Service Unavailable</title></head></html>"))
	}))
	defer srv3.Close()
	var he *connectors.HTMLError
	if _, err := list(t, Options{URL: srv3.URL, HTTPOptions: connectors.HTTPOptions{Retries: -1}}); !errors.As(err, &he) {
		t.Fatalf("HTML page: got %v", err)
	}
	// Timeout: a server that never answers, bounded per attempt.
	srv4 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer srv4.Close()
	t0 := time.Now()
	if _, err := list(t, Options{URL: srv4.URL, HTTPOptions: connectors.HTTPOptions{Timeout: 150 * time.Millisecond, Retries: 1}}); err == nil || time.Since(t0) > 3*time.Second {
		t.Fatalf("timeout: %v after %v", err, time.Since(t0))
	}
	// Truncation: a CSV reply as long as MAXREC.
	srv5 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Write(body)
	}))
	defer srv5.Close()
	acts, err = list(t, Options{URL: srv5.URL, MaxRec: 23, HTTPOptions: connectors.HTTPOptions{Retries: -1}})
	if !errors.Is(err, connectors.ErrTruncated) || len(acts) != 23 {
		t.Fatalf("MAXREC reached: %d activities, %v", len(acts), err)
	}
}

func TestTokenExpired(t *testing.T) {
	const token = "eyJraWQiOiJlc28ifQ.ESO-SECRET-PAYLOAD.sig"
	var auth atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"invalid_token","error_description":"token expired ` + r.Header.Get("Authorization") + `"}`))
	}))
	defer srv.Close()
	t.Setenv(EnvToken, token)
	_, err := list(t, Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: -1}})
	var ae *connectors.AuthError
	if !errors.As(err, &ae) || !ae.HadToken {
		t.Fatalf("got %v, want an AuthError", err)
	}
	if auth.Load() != "Bearer "+token {
		t.Fatalf("sent %v", auth.Load())
	}
	if !strings.Contains(err.Error(), EnvToken) || strings.Contains(err.Error(), "ESO-SECRET") {
		t.Fatalf("error %q: must name %s and never hold the token", err, EnvToken)
	}
	t.Setenv(EnvToken, "")
	_, err = list(t, Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: -1}})
	if !errors.As(err, &ae) || ae.HadToken || auth.Load() != "" {
		t.Fatalf("anonymous: %v, sent %q", err, auth.Load())
	}
}
