package gemini

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var m101Window = activities.Window{
	Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
	End:   time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
}

func replayed(t testing.TB) *Source {
	t.Helper()
	rt := vcrtest.Replay(t, "testdata/m101")
	s, err := New(Options{AllDates: true, NoProgramInfo: true, Query: Query{Object: "m101"}, HTTPOptions: connectors.HTTPOptions{Transport: rt, Retries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReplayM101(t *testing.T) {
	s := replayed(t)
	var st connectors.Stats
	acts, err := activities.Collect(s.Activities(connectors.WithStats(context.Background(), &st), m101Window))
	if !errors.Is(err, connectors.ErrTruncated) {
		t.Fatalf("want the truncation reported, got %v", err)
	}
	var se *activities.SourceError
	if !errors.As(err, &se) || se.Source != Name {
		t.Errorf("error not wrapped with the source name: %v", err)
	}
	if len(acts) != 89 {
		t.Errorf("got %d activities, want 89", len(acts))
	}
	w := st.Counts()
	if w["skipped: calibration"] != 78 || w["skipped: acquisition"] != 79 {
		t.Errorf("warnings %v", w)
	}
}

func newTest(t *testing.T, h http.HandlerFunc, o Options) *Source {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	o.BaseURL = srv.URL
	o.NoProgramInfo = o.MaxProgramInfo == 0
	o.RatePerHost = -1
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Second
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const oneRecord = `[{"data_label":"GN-2024A-Q-1-2-003","name":"N20240101S0001.fits","instrument":"GMOS-N","telescope":"Gemini-North",
"ut_datetime":"2024-01-01 10:00:00.5","program_id":"GN-2024A-Q-1","observation_id":"GN-2024A-Q-1-2","observation_class":"science",
"observation_type":"OBJECT","object":"NGC 1","ra":1.5,"dec":-2.5,"exposure_time":60,"engineering":false,"reduction":"RAW",
"qa_state":"Pass","mode":"imaging","filter_name":"g","disperser":"MIRROR","lastmod":"2024-01-02 00:00:00.1+00:00"}]`

var day = activities.Window{Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}

func TestQueryURL(t *testing.T) {
	var path atomic.Value
	s := newTest(t, func(w http.ResponseWriter, r *http.Request) {
		path.Store(r.URL.Path)
		fmt.Fprint(w, oneRecord)
	}, Options{Query: Query{Instrument: "GMOS-N", ObsClass: "science", Object: "NGC 1"}})
	acts, err := activities.Collect(s.Activities(context.Background(), day))
	if err != nil || len(acts) != 1 {
		t.Fatalf("%v %v", acts, err)
	}
	if got, want := path.Load(), "/jsonsummary/notengineering/NotFail/GMOS-N/20240101/science/object=NGC 1"; got != want {
		t.Errorf("path %q, want %q", got, want)
	}
	a := acts[0]
	if a.ID != "gemini:GN-2024A-Q-1-2-003" || a.Kind != activities.KindArchived || a.Filter != "g" || *a.Exposure != 60 ||
		a.End.Sub(a.Start) != time.Minute || a.Programme.Type != "Queue" {
		t.Errorf("%+v", a)
	}
}

func TestQueryPathTerms(t *testing.T) {
	ra, dec, sr := 10.5, -20.25, 0.1
	q := Query{Start: day.Start, End: day.Start.Add(48 * time.Hour), ObsType: "OBJECT", RA: &ra, Dec: &dec, SR: &sr,
		PIName: "Smith", ProgID: "GS-2024A-Q-3", IncludeFail: true}
	if got, want := q.Path(), "notengineering/20240101-20240103/OBJECT/ra=10.5/dec=-20.25/sr=0.1d/PIname=Smith/progid=GS-2024A-Q-3"; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestLoginMissingAndExpired(t *testing.T) {
	t.Setenv(EnvSession, "")
	h := func(w http.ResponseWriter, r *http.Request) { http.Error(w, "login required", http.StatusUnauthorized) }
	s := newTest(t, h, Options{})
	_, err := activities.Collect(s.Activities(context.Background(), day))
	if !errors.Is(err, connectors.ErrAuthRequired) || !strings.Contains(err.Error(), EnvSession) {
		t.Fatalf("want a login error naming %s, got %v", EnvSession, err)
	}
	var cookie atomic.Value
	s = newTest(t, func(w http.ResponseWriter, r *http.Request) {
		cookie.Store(r.Header.Get("Cookie"))
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Archive Login</title></head></html>")
	}, Options{Session: "s3cret"})
	_, err = activities.Collect(s.Activities(context.Background(), day))
	if !errors.Is(err, connectors.ErrAuthExpired) || !strings.Contains(err.Error(), "expired") || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("want an expired-login error without the secret, got %v", err)
	}
	if cookie.Load() != SessionCookie+"=s3cret" {
		t.Errorf("cookie sent: %v", cookie.Load())
	}
}

const programPage = `<!DOCTYPE html><html><head><title>Detail for Program: GN-2024A-Q-1</title></head><body>
<h1>Program: GN-2024A-Q-1</h1><table>
<tr><td>Title:<td>A synthetic test programme</tr>
<tr><td>PI:<td>Ada Lovelace</tr>
<tr><td>Co-I(s):<td> Charles Babbage,  Mary Somerville</tr>
</table></body></html>`

// programJSON is a synthetic /programinfojson reply with the keys of
// FitsStorage's program_info_json, its strings HTML-escaped as the archive
// does.
const programJSON = `{"program_id": "GN-2024A-Q-1", "not_found": false, "pi_name": "Ada Lovelace",
 "co_names": "Charles Babbage,  Mary Somerville", "title": "A synthetic test programme", "abstract": "",
 "there_are_publications": false, "publications": []}`

func TestProgramInfoCached(t *testing.T) {
	var pages atomic.Int32
	s := newTest(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/programinfojson/GN-2024A-Q-1" {
			pages.Add(1)
			fmt.Fprint(w, programJSON)
			return
		}
		fmt.Fprint(w, oneRecord)
	}, Options{MaxProgramInfo: 5})
	for range 2 {
		acts, err := activities.Collect(s.Activities(context.Background(), day))
		if err != nil || len(acts) != 1 {
			t.Fatal(err)
		}
		p := acts[0].Programme
		if p.PI != "Ada Lovelace" || p.Title != "A synthetic test programme" || len(p.Investigators) != 2 {
			t.Errorf("%+v", p)
		}
	}
	if pages.Load() != 1 {
		t.Errorf("programinfo fetched %d times, want once", pages.Load())
	}
}

func TestSchemaDrift(t *testing.T) {
	renamed := strings.Replace(oneRecord, `"ut_datetime"`, `"ut_date_time"`, 1)
	_, err := ParseJSONSummary([]byte(renamed))
	var se *connectors.SchemaError
	if !errors.As(err, &se) || se.Column != "ut_datetime" {
		t.Fatalf("want a SchemaError naming ut_datetime, got %v", err)
	}
	retyped := strings.Replace(oneRecord, `"ra":1.5`, `"ra":"00:06:00"`, 1)
	if _, err := ParseJSONSummary([]byte(retyped)); !errors.As(err, &se) || se.Column != "ra" {
		t.Fatalf("want a SchemaError naming ra, got %v", err)
	}
	newDate := strings.Replace(oneRecord, `2024-01-01 10:00:00.5`, `01/01/2024 10:00`, 1)
	res, err := ParseJSONSummary([]byte(newDate))
	if err != nil || res.Skipped[SkipBadTime] != 1 {
		t.Fatalf("want the record skipped as %q, got %v %v", SkipBadTime, res, err)
	}
	odd := strings.Replace(oneRecord, `"science"`, `"sciencePlus"`, 1)
	res, err = ParseJSONSummary([]byte(odd))
	if err != nil || res.Warnings[`unknown observation_class "sciencePlus"`] != 1 {
		t.Fatalf("want a counted warning naming the column, got %v %v", res, err)
	}
}

func FuzzParseJSONSummary(f *testing.F) {
	f.Add([]byte(oneRecord))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"results_truncated":true}]`))
	f.Add([]byte(`<!DOCTYPE html><title>x</title>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseJSONSummary(b)
		archivetest.Check(t, res, err)
	})
}

func FuzzParseProgramInfo(f *testing.F) {
	f.Add([]byte(programPage))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseProgramInfo(b)
	})
}

func BenchmarkNormalizeGemini(b *testing.B) {
	body := archivetest.Read(b, "testdata/m101.json")
	b.SetBytes(int64(len(body)))
	archivetest.Normalize(b, body, ParseJSONSummary)
}

// BenchmarkDecodeOnlyGemini is the peer of BenchmarkNormalizeGemini: the
// same body decoded by encoding/json into generic values, without
// normalization — the floor of any JSON-based connector.
func BenchmarkDecodeOnlyGemini(b *testing.B) {
	archivetest.DecodeJSON(b, archivetest.Read(b, "testdata/m101.json"), func(v []map[string]any) int { return len(v) })
}
