package activities_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/activities"
)

func sample() activities.Activity {
	a := activities.Activity{
		ID: activities.NewID("eso", "MUSE.2026-11-20T01:02:03.456"), Source: "eso",
		Kind: activities.KindCompleted, Observatory: "Paranal", Facility: "VLT UT4",
		Instrument: "MUSE", Mode: "WFM-NOAO-N", Filter: "",
		Programme: activities.Programme{ID: "110.D-0123", Title: "A survey", PI: "Müller", Investigators: []string{"Smith"}, Type: "Science"},
		Start:     time.Date(2026, 11, 20, 1, 2, 3, 456e6, time.UTC),
		End:       time.Date(2026, 11, 20, 1, 12, 3, 456e6, time.UTC),
		Exposure:  activities.Float(600), DatasetID: "MUSE.2026-11-20T01:02:03.456",
		Links:    []activities.Link{{Title: "archive", URL: "https://archive.eso.org/datalink/links?ID=ivo://eso.org/ID?MUSE.2026-11-20T01:02:03.456"}},
		Revision: activities.Revision(activities.KindCompleted, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)),
	}
	a.Target.Name = "NGC 1068"
	a.Target.SetPosition(40.669629, -0.013281)
	a.Target.FOVRadius = 0.0083
	return a
}

func TestJSONRoundTripAndNames(t *testing.T) {
	a := sample()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "source", "kind", "observatory", "facility", "instrument", "mode", "filter", "programme", "target", "start", "end", "exposure_s", "dataset_id", "links", "revision"} {
		if _, ok := m[k]; !ok {
			t.Errorf("encoding lacks %q: %s", k, b)
		}
	}
	tg := m["target"].(map[string]any)
	for _, k := range []string{"name", "ra", "dec", "fov_radius"} {
		if _, ok := tg[k]; !ok {
			t.Errorf("target lacks %q", k)
		}
	}
	pr := m["programme"].(map[string]any)
	for _, k := range []string{"id", "title", "pi", "investigators", "type"} {
		if _, ok := pr[k]; !ok {
			t.Errorf("programme lacks %q", k)
		}
	}
	if m["start"] != "2026-11-20T01:02:03.456Z" {
		t.Errorf("start encoded as %v, want RFC 3339 UTC", m["start"])
	}
	var back activities.Activity
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(a, back); d != "" {
		t.Fatalf("round trip changed the activity (-want +got):\n%s", d)
	}
}

func TestUnknownsEncodeAsNull(t *testing.T) {
	a := activities.Activity{ID: "x:1", Source: "x", Kind: activities.KindPlanned, Facility: "Swift"}
	b, _ := json.Marshal(a)
	s := string(b)
	for _, want := range []string{`"ra":null`, `"dec":null`, `"start":null`, `"end":null`, `"exposure_s":null`, `"links":[]`} {
		if !strings.Contains(s, want) {
			t.Errorf("encoding %s lacks %s", s, want)
		}
	}
	if err := a.Validate(); err != nil {
		t.Errorf("minimal activity rejected: %v", err)
	}
}

func TestNonUTCTimesEncodeInUTC(t *testing.T) {
	a := sample()
	a.Start = a.Start.In(time.FixedZone("CLT", -3*3600))
	b, _ := json.Marshal(a)
	if !strings.Contains(string(b), `"start":"2026-11-20T01:02:03.456Z"`) {
		t.Fatalf("start not encoded in UTC: %s", b)
	}
}

func TestValidateNamesTheField(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		field string
		edit  func(a *activities.Activity)
	}{
		{"target.dec", func(a *activities.Activity) { a.Target.Dec = activities.Float(90.5) }},
		{"target.dec", func(a *activities.Activity) { a.Target.Dec = activities.Float(-91) }},
		{"target.dec", func(a *activities.Activity) { a.Target.Dec = &nan }},
		{"target.ra", func(a *activities.Activity) { a.Target.RA = activities.Float(360) }},
		{"target.ra", func(a *activities.Activity) { a.Target.RA = activities.Float(math.Inf(1)) }},
		{"target", func(a *activities.Activity) { a.Target.RA = nil }},
		{"target.fov_radius", func(a *activities.Activity) { a.Target.FOVRadius = -1 }},
		{"target.fov_radius", func(a *activities.Activity) { a.Target.FOVRadius = nan }},
		{"target.region", func(a *activities.Activity) { a.Target.Region = [][2]float64{{1, 2}, {3, 4}} }},
		{"target.region[1]", func(a *activities.Activity) { a.Target.Region = [][2]float64{{1, 2}, {3, 95}, {5, 6}} }},
		{"end", func(a *activities.Activity) { a.End = a.Start.Add(-time.Second) }},
		{"facility", func(a *activities.Activity) { a.Facility = "  " }},
		{"id", func(a *activities.Activity) { a.ID = "" }},
		{"id", func(a *activities.Activity) { a.ID = "gemini:x" }},
		{"source", func(a *activities.Activity) { a.Source = "" }},
		{"kind", func(a *activities.Activity) { a.Kind = "done" }},
		{"exposure_s", func(a *activities.Activity) { a.Exposure = activities.Float(-1) }},
		{"exposure_s", func(a *activities.Activity) { a.Exposure = &nan }},
		{"links[0].url", func(a *activities.Activity) { a.Links[0].URL = "/relative" }},
		{"revision", func(a *activities.Activity) { a.Revision = -1 }},
	}
	for _, tc := range cases {
		a := sample()
		tc.edit(&a)
		err := a.Validate()
		var fe *activities.FieldError
		if err == nil || !errors.As(err, &fe) {
			t.Errorf("%s: Validate() = %v, want a FieldError", tc.field, err)
			continue
		}
		found := false
		for _, e := range unjoin(err) {
			if errors.As(e, &fe) && fe.Field == tc.field {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: error %q does not name the field", tc.field, err)
		}
	}
	good := sample()
	if err := good.Validate(); err != nil {
		t.Fatalf("sample rejected: %v", err)
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestRevisionGrowsAlongLife(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := activities.Revision(activities.KindPlanned, t0.Add(48*time.Hour))
	c := activities.Revision(activities.KindCompleted, t0)
	if !(c > p) {
		t.Fatalf("completed revision %d not above planned %d", c, p)
	}
	if activities.Revision(activities.KindPlanned, t0.Add(time.Hour)) <= activities.Revision(activities.KindPlanned, t0) {
		t.Fatal("a later update of the same kind does not raise the revision")
	}
}

func TestSetPositionNormalizesRA(t *testing.T) {
	var tg activities.Target
	tg.SetPosition(-0.5, 10)
	if ra, dec, ok := tg.Position(); !ok || ra != 359.5 || dec != 10 {
		t.Fatalf("Position() = %v %v %v", ra, dec, ok)
	}
}

func FuzzDecodeAndValidate(f *testing.F) {
	b, _ := json.Marshal(sample())
	f.Add(b)
	f.Add([]byte(`{"id":"x:1","source":"x","kind":"planned","facility":"HST","target":{"name":"","ra":null,"dec":null},"start":null,"end":null,"revision":0}`))
	f.Add([]byte(`{"target":{"ra":1e400}}`))
	f.Add([]byte(`{"start":"2026-13-45T99:00:00Z"}`))
	v2, _ := json.Marshal(sampleV2())
	f.Add(v2)
	f.Add([]byte(`{"id":"x:1","source":"x","kind":"unscheduled","facility":"HST","schema_version":2,"pointing":{"ra":359.99,"dec":-90,"roll":null},"bandpass":{"min_wavelength_m":1e-300,"max_wavelength_m":1e300},"footprints":[{"polygon":[[0,0],[1,1],[2,0]]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a activities.Activity
		if err := json.Unmarshal(data, &a); err != nil {
			return
		}
		err := a.Validate()
		_ = a.String()
		if err != nil {
			return
		}
		// A valid activity must survive its own encoding unchanged.
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("valid activity does not encode: %v", err)
		}
		var back activities.Activity
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("own encoding does not decode: %v\n%s", err, out)
		}
		if err := back.Validate(); err != nil {
			t.Fatalf("valid activity invalid after a round trip: %v", err)
		}
	})
}

func TestSourceErrorNamesTheSourceOnce(t *testing.T) {
	err := activities.WrapError("eso", errors.New("eso: schema drift in column \"exp_start\""))
	if got := err.Error(); got != `eso: schema drift in column "exp_start"` {
		t.Fatalf("got %q", got)
	}
	err = activities.WrapError("eso", errors.New("timeout"))
	if got := err.Error(); got != "eso: timeout" {
		t.Fatalf("got %q", got)
	}
	var se *activities.SourceError
	if !errors.As(err, &se) || se.Source != "eso" {
		t.Fatal("not a SourceError")
	}
}
