package hst

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassettes in testdata from the recorded bodies")

func TestTimelineDetails(t *testing.T) {
	res, err := ParseTimeline(archivetest.Read(t, "testdata/timeline_07_28_25"))
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Activities[1].Filter; f != "F160W" {
		t.Errorf("page header read as a continuation row: filter %q", f)
	}
	a := res.Activities[2]
	if a.Filter != "F110W+F435W" || a.Programme.ID != "17918" || a.Programme.PI != "Loriga" ||
		!strings.HasPrefix(a.Programme.Title, "Unveiling the unseen") || *a.Exposure != 44.11 ||
		a.Start != time.Date(2025, 7, 28, 1, 10, 54, 0, time.UTC) || a.End != time.Date(2025, 7, 28, 2, 6, 30, 0, time.UTC) ||
		a.Kind != activities.KindPlanned || a.Target.FOVRadius == 0 || a.Mode != "MULTIA" || a.Instrument != "WFC3/IR" {
		t.Errorf("%+v", a)
	}
}

func TestTimelineSkipsCalibrationAndAcquisition(t *testing.T) {
	b := archivetest.Read(t, "testdata/timeline_07_28_25")
	rows := strings.SplitAfter(string(b), "\n")
	var extra []string
	for _, r := range rows {
		if strings.HasPrefix(r, "2025.209 01:07:54") {
			extra = append(extra, strings.Replace(r, "FSR2007-0584", "DARK        ", 1))
			extra = append(extra, strings.Replace(strings.Replace(r, "MULTIA", "ACQ/PE", 1), "1791807", "1791808", 1))
		}
		extra = append(extra, r)
	}
	res, err := ParseTimeline([]byte(strings.Join(extra, "")))
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 5 || len(res.Activities) != 3 || res.Skipped[SkipCalibration] != 1 || res.Skipped[SkipAcquisition] != 1 {
		t.Errorf("got %d records, %d activities, skipped %v", res.Records, len(res.Activities), res.Skipped)
	}
}

func TestTimelineDrift(t *testing.T) {
	b := string(archivetest.Read(t, "testdata/timeline_07_28_25"))
	// a column dropped from the rule
	drift := strings.Replace(b, "--------- -- -- -- --", "--------- -- -- --", 1)
	var se *connectors.SchemaError
	if _, err := ParseTimeline([]byte(drift)); !errors.As(err, &se) {
		t.Fatalf("want a SchemaError, got %v", err)
	}
	badTime := strings.Replace(b, "01:07:54", "1h07m54s", 1)
	if _, err := ParseTimeline([]byte(badTime)); !errors.As(err, &se) || se.Column != "begin" {
		t.Fatalf("want a SchemaError naming begin, got %v", err)
	}
	// day 366 of a common year, and years before HST's launch (year 0 made
	// an activity that failed validation: found by fuzzing)
	for _, d := range []string{"2025.366", "0000.209", "1989.209"} {
		bad := strings.Replace(b, "2025.209 01:07:54", d+" 01:07:54", 1)
		if _, err := ParseTimeline([]byte(bad)); !errors.As(err, &se) || se.Column != "date" {
			t.Fatalf("%s: want a SchemaError naming date, got %v", d, err)
		}
	}
	if _, err := ParseTimeline([]byte(strings.Replace(b, "2025.209 01:07:54", "2024.366 01:07:54", 1))); err != nil {
		t.Fatalf("day 366 of a leap year: %v", err)
	}
	if _, err := ParseTimeline([]byte("<!DOCTYPE html><html><head><title>404 Not Found</title>")); err == nil {
		t.Fatal("HTML page accepted")
	}
}

func TestMASTDrift(t *testing.T) {
	b := string(archivetest.Read(t, "testdata/caom.json"))
	var se *connectors.SchemaError
	if _, err := ParseMAST([]byte(strings.Replace(b, `"name":"t_min"`, `"name":"t_start"`, 1))); !errors.As(err, &se) || se.Column != "t_min" {
		t.Fatalf("want a SchemaError naming t_min, got %v", err)
	}
	if _, err := ParseMAST([]byte(strings.Replace(b, `"COMPLETE"`, `"QUEUED"`, 1))); !errors.As(err, &se) || se.Column != "status" {
		t.Fatalf("want a SchemaError naming status, got %v", err)
	}
}

func TestMASTRegion(t *testing.T) {
	rep, err := ParseMAST(archivetest.Read(t, "testdata/caom.json"))
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Result.Activities[0]
	if len(a.Target.Region) != 4 || a.Target.FOVRadius < 0.02 || a.Target.FOVRadius > 0.1 || a.Programme.PI != "Griffiths" ||
		a.Start.Format(time.RFC3339) != "1995-02-08T06:07:17Z" || *a.Exposure != 1500 {
		t.Errorf("%+v", a)
	}
}

// TestMASTExecutingAndPaging serves EXECUTING once, then two pages.
func TestMASTExecutingAndPaging(t *testing.T) {
	page := archivetest.Read(t, "testdata/caom.json")
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		n := calls.Add(1)
		if r.Method != http.MethodPost || !strings.Contains(string(body), "Mast.Caom.Filtered") {
			http.Error(w, "bad request", 400)
			return
		}
		if n == 1 {
			fmt.Fprint(w, `{"status":"EXECUTING","msg":"","data":[],"fields":[]}`)
			return
		}
		s := string(page)
		if strings.Contains(string(body), "%22page%22%3A1") {
			s = strings.Replace(s, `"pagesFiltered":1`, `"pagesFiltered":2`, 1)
		}
		fmt.Fprint(w, s)
	}))
	defer srv.Close()
	s, _ := NewMAST(Options{BaseURL: srv.URL, PollInterval: time.Millisecond, MaxPages: 5, HTTPOptions: connectors.HTTPOptions{RatePerHost: -1}})
	acts, err := activities.Collect(s.Activities(context.Background(), caomWindow))
	if err != nil || len(acts) != 8 || calls.Load() != 3 {
		t.Fatalf("got %d activities in %d calls: %v", len(acts), calls.Load(), err)
	}
	s, _ = NewMAST(Options{BaseURL: srv.URL, PollInterval: time.Millisecond, MaxPages: 1, HTTPOptions: connectors.HTTPOptions{RatePerHost: -1}})
	calls.Store(1)
	_, err = activities.Collect(s.Activities(context.Background(), caomWindow))
	if !errors.Is(err, connectors.ErrTruncated) {
		t.Fatalf("want truncation reported, got %v", err)
	}
}

var caomWindow = activities.Window{Start: time.Date(1995, 2, 8, 0, 0, 0, 0, time.UTC), End: time.Date(1995, 2, 9, 0, 0, 0, 0, time.UTC)}
var timelineWindow = activities.Window{Start: time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 8, 4, 0, 0, 0, 0, time.UTC)}

func TestBuildCassettes(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassettes")
	}
	m, _ := NewMAST(Options{})
	form, err := url.ParseQuery(m.RequestBody(caomWindow, 1))
	if err != nil {
		t.Fatal(err)
	}
	err = vcrtest.NewCassette("testdata/caom",
		"body = astropy/astroquery@2e8c636ba874bd33258100e6766d04c94fe2fca8 astroquery/mast/tests/data/caom.json (BSD-3-Clause), "+
			"recorded from MAST for a Mast.Caom.Cone request; Mast.Caom.Filtered replies have the same envelope and columns. "+
			"The request is the Filtered one this connector makes for 1995-02-08; the body is byte for byte the recorded one.").
		Add(vcrtest.Interaction{Method: http.MethodPost, URL: DefaultMASTURL, Form: form, ContentType: "application/json", Body: archivetest.Read(t, "testdata/caom.json")}).Save()
	if err != nil {
		t.Fatal(err)
	}
	tl, _ := NewTimeline(Options{})
	err = vcrtest.NewCassette("testdata/timeline",
		"body = NASA-ACROSS/across-data-ingestion@f56cc932b4c63235f3735c468044b8485fdca843 "+
			"tests/tasks/schedules/hst/mocks/timeline_07_28_25 (Apache-2.0): the real STScI weekly timeline of SMS 252097D1 "+
			"trimmed by ACROSS to 4 exposure rows and the proposal-title page; the body is byte for byte that file.").
		Add(vcrtest.Interaction{URL: tl.WeekURLs(timelineWindow)[0], ContentType: "text/plain", Body: archivetest.Read(t, "testdata/timeline_07_28_25")}).Save()
	if err != nil {
		t.Fatal(err)
	}
}

func replayMAST(t testing.TB) *MASTSource {
	s, _ := NewMAST(Options{HTTPOptions: connectors.HTTPOptions{Transport: vcrtest.Replay(t, "testdata/caom"), Retries: -1}})
	return s
}

func replayTimeline(t testing.TB) *TimelineSource {
	s, _ := NewTimeline(Options{HTTPOptions: connectors.HTTPOptions{Transport: vcrtest.Replay(t, "testdata/timeline"), Retries: -1}})
	return s
}

func TestReplay(t *testing.T) {
	acts, err := activities.Collect(replayMAST(t).Activities(context.Background(), caomWindow))
	if err != nil || len(acts) != 4 {
		t.Fatalf("MAST: %d %v", len(acts), err)
	}
	tl := replayTimeline(t)
	if urls := tl.WeekURLs(timelineWindow); len(urls) != 1 || !strings.HasSuffix(urls[0], "/timeline_07_28_25") {
		t.Fatalf("week URLs %v", urls)
	}
	acts, err = activities.Collect(tl.Activities(context.Background(), timelineWindow))
	if err != nil || len(acts) != 3 {
		t.Fatalf("timeline: %d %v", len(acts), err)
	}
}

func FuzzParseTimeline(f *testing.F) {
	f.Add(archivetest.Read(f, "testdata/timeline_07_28_25"))
	f.Add([]byte("-------- -------- --------  -------  ---------- ------ ----------  -------- ------ ------------ ------------ --------- -- -- -- --\n2025.001 00:00:00 00:00:01  1  X 01-001 T  ACS/WFC  ACCUM  WFC  F606W  1.0  01 01 01\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseTimeline(b)
		archivetest.Check(t, res, err)
	})
}

func FuzzParseMAST(f *testing.F) {
	f.Add(archivetest.Read(f, "testdata/caom.json"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := ParseMAST(b)
		if err != nil || rep.Result == nil {
			return // an error, or a reply still executing: nothing normalized
		}
		archivetest.Check(t, rep.Result, nil)
	})
}

func BenchmarkNormalizeHSTMAST(b *testing.B) {
	archivetest.Normalize(b, archivetest.Read(b, "testdata/caom.json"), func(body []byte) (*connectors.Reply, error) {
		rep, err := ParseMAST(body)
		if err != nil {
			return nil, err
		}
		return rep.Result, nil
	})
}

func BenchmarkNormalizeHSTTimeline(b *testing.B) {
	archivetest.Normalize(b, archivetest.Read(b, "testdata/timeline_07_28_25"), ParseTimeline)
}

// BenchmarkDecodeOnlyHSTMAST is the peer of BenchmarkNormalizeHSTMAST: the
// reply decoded by encoding/json into generic values, no normalization.
func BenchmarkDecodeOnlyHSTMAST(b *testing.B) {
	type reply struct {
		Data []map[string]any `json:"data"`
	}
	archivetest.DecodeJSON(b, archivetest.Read(b, "testdata/caom.json"), func(v reply) int { return len(v.Data) })
}

func TestPAECPositions(t *testing.T) {
	rows, err := ParsePAEC(archivetest.Read(t, "testdata/paec_excerpt.cat"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Proposal != "17918" || rows[0].Dataset != "PLANNED" {
		t.Fatalf("%+v", rows)
	}
	// 02 27 15.00 +61 37 28.0
	if ra, dec := rows[0].RA, rows[0].Dec; abs(ra-36.8125) > 1e-9 || abs(dec-(61+37.0/60+28.0/3600)) > 1e-9 {
		t.Errorf("ra %v dec %v", ra, dec)
	}
	res, err := ParseTimeline(archivetest.Read(t, "testdata/timeline_07_28_25"))
	if err != nil {
		t.Fatal(err)
	}
	if n := NewPositions(rows).Apply(res.Activities); n != 3 {
		t.Errorf("placed %d of 3", n)
	}
	for _, a := range res.Activities {
		if err := a.Validate(); err != nil {
			t.Error(err)
		}
	}
	var se *connectors.SchemaError
	for _, drift := range []string{
		strings.Replace(string(archivetest.Read(t, "testdata/paec_excerpt.cat")), "targname         ra", "target           ra", 1),
		strings.Replace(string(archivetest.Read(t, "testdata/paec_excerpt.cat")), "cy dataset", "cy obsid  ", 1),
	} {
		if _, err := ParsePAEC([]byte(drift)); !errors.As(err, &se) {
			t.Errorf("changed header accepted: %v", err)
		}
	}
}

func TestTimelineWithPAEC(t *testing.T) {
	paec := archivetest.Read(t, "testdata/paec_excerpt.cat")
	tl := archivetest.Read(t, "testdata/timeline_07_28_25")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".cat") {
			w.Write(paec)
			return
		}
		w.Write(tl)
	}))
	defer srv.Close()
	s, _ := NewTimeline(Options{BaseURL: srv.URL, PAECURL: srv.URL + "/paec.cat", HTTPOptions: connectors.HTTPOptions{RatePerHost: -1}})
	var st connectors.Stats
	acts, err := activities.Collect(s.Activities(connectors.WithStats(context.Background(), &st), timelineWindow))
	if err != nil || len(acts) != 3 {
		t.Fatal(len(acts), err)
	}
	for _, a := range acts {
		if _, _, ok := a.Target.Position(); !ok {
			t.Errorf("%s has no position (%v)", a.ID, &st)
		}
	}
}

func FuzzParsePAEC(f *testing.F) {
	f.Add(archivetest.Read(f, "testdata/paec_excerpt.cat"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := ParsePAEC(b)
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.RA < 0 || r.RA >= 360 || r.Dec < -90 || r.Dec > 90 {
				t.Fatalf("bad coordinates %+v", r)
			}
		}
	})
}
