package activities_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/arcsecond-go/arcsecond/activities"
)

func sampleV2() activities.Activity {
	a := sample()
	a.Kind = activities.KindAborted
	a.Fidelity = activities.FidelityHigh
	p, _ := activities.NewPointing(40.7, -0.02, activities.Float(123.5))
	a.Pointing = &p
	fps, _ := activities.Rectangle("field", 0.1, 0.1).Place(p)
	a.Footprints = fps
	bp, _ := activities.BandpassFromEnergy(0.5*activities.KiloElectronVolt, 7*activities.KiloElectronVolt)
	a.Bandpass = &bp
	return a
}

func schemaValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(activities.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("activity.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("activity.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func schemaErr(t *testing.T, s *jsonschema.Schema, b []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(v)
}

func TestV2RoundTrip(t *testing.T) {
	a := sampleV2()
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"schema_version":2`, `"fidelity":"high"`, `"pointing":{"ra":40.7,"dec":-0.02,"roll":123.5}`,
		`"footprints":[{"name":"field","polygon":[[`, `"bandpass":{"min_wavelength_m":1.77`, `"kind":"aborted"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("encoding lacks %s:\n%s", want, b)
		}
	}
	var back activities.Activity
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(a, back); d != "" {
		t.Fatalf("round trip changed the activity (-want +got):\n%s", d)
	}
	if err := schemaErr(t, schemaValidator(t), b); err != nil {
		t.Fatalf("schema refuses a version-2 activity: %v\n%s", err, b)
	}
}

// A version-1 activity is written exactly as before: no member of
// version 2 appears, so stored and recorded documents do not change.
func TestV1EncodingUnchanged(t *testing.T) {
	b, _ := json.Marshal(sample())
	for _, k := range []string{"schema_version", "fidelity", "pointing", "footprints", "bandpass"} {
		if strings.Contains(string(b), `"`+k+`"`) {
			t.Errorf("version-1 activity encodes %q: %s", k, b)
		}
	}
	const want = `{"id":"eso:MUSE.2026-11-20T01:02:03.456","source":"eso","kind":"completed","observatory":"Paranal","facility":"VLT UT4","instrument":"MUSE","mode":"WFM-NOAO-N","filter":"","programme":{"id":"110.D-0123","title":"A survey","pi":"Müller","investigators":["Smith"],"type":"Science"},"target":{"name":"NGC 1068","ra":40.669629,"dec":-0.013281,"fov_radius":0.0083},"start":"2026-11-20T01:02:03.456Z","end":"2026-11-20T01:12:03.456Z","exposure_s":600,"dataset_id":"MUSE.2026-11-20T01:02:03.456","links":[{"title":"archive","url":"https://archive.eso.org/datalink/links?ID=ivo://eso.org/ID?MUSE.2026-11-20T01:02:03.456"}],"revision":216172783908923808}`
	if string(b) != want {
		t.Fatalf("version-1 encoding changed:\n got %s\nwant %s", b, want)
	}
}

func TestSchemaVersions(t *testing.T) {
	s := schemaValidator(t)
	v1 := `{"id":"x:1","source":"x","kind":"planned","facility":"HST","target":{"name":"","ra":null,"dec":null},"start":null,"end":null,"revision":0}`
	with := func(extra string) []byte { return []byte(strings.TrimSuffix(v1, "}") + "," + extra + "}") }
	cases := []struct {
		name  string
		doc   []byte
		valid bool
	}{
		{"version 1 document", []byte(v1), true},
		{"explicit version 1", with(`"schema_version":1`), true},
		{"pointing with version 2", with(`"schema_version":2,"pointing":{"ra":1,"dec":2,"roll":null}`), true},
		{"pointing without version", with(`"pointing":{"ra":1,"dec":2}`), false},
		{"bandpass under version 1", with(`"schema_version":1,"bandpass":{"min_wavelength_m":1e-9,"max_wavelength_m":2e-9}`), false},
		{"zero bandpass", with(`"schema_version":2,"bandpass":{"min_wavelength_m":0,"max_wavelength_m":2e-9}`), false},
		{"footprint of two vertices", with(`"schema_version":2,"footprints":[{"polygon":[[1,2],[3,4]]}]`), false},
		{"footprint vertex at ra 360", with(`"schema_version":2,"footprints":[{"polygon":[[1,2],[3,4],[360,5]]}]`), false},
		{"fidelity medium", with(`"schema_version":2,"fidelity":"medium"`), false},
		{"roll 360", with(`"schema_version":2,"pointing":{"ra":1,"dec":2,"roll":360}`), false},
		{"version 3", with(`"schema_version":3`), false},
	}
	for _, c := range cases {
		err := schemaErr(t, s, c.doc)
		if (err == nil) != c.valid {
			t.Errorf("%s: schema error %v, want valid=%v", c.name, err, c.valid)
		}
	}
	ab := strings.Replace(v1, `"planned"`, `"aborted"`, 1)
	if schemaErr(t, s, []byte(ab)) == nil {
		t.Error("kind aborted accepted without schema_version 2")
	}
	ab = strings.Replace(string(with(`"schema_version":2`)), `"planned"`, `"unscheduled"`, 1)
	if err := schemaErr(t, s, []byte(ab)); err != nil {
		t.Errorf("kind unscheduled with schema_version 2 refused: %v", err)
	}
}

func TestDecodeRefusesUnknownVersion(t *testing.T) {
	var a activities.Activity
	err := json.Unmarshal([]byte(`{"id":"x:1","source":"x","kind":"planned","facility":"HST","schema_version":9}`), &a)
	var fe *activities.FieldError
	if !errors.As(err, &fe) || fe.Field != "schema_version" {
		t.Fatalf("got %v, want a FieldError on schema_version", err)
	}
}

func TestValidateV2NamesTheField(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		field string
		edit  func(a *activities.Activity)
	}{
		{"fidelity", func(a *activities.Activity) { a.Fidelity = "medium" }},
		{"pointing.ra", func(a *activities.Activity) { a.Pointing.RA = 360 }},
		{"pointing.dec", func(a *activities.Activity) { a.Pointing.Dec = nan }},
		{"pointing.roll", func(a *activities.Activity) { a.Pointing.Roll = activities.Float(-1) }},
		{"footprints[0].polygon", func(a *activities.Activity) { a.Footprints[0].Polygon = a.Footprints[0].Polygon[:2] }},
		{"footprints[0].polygon[2]", func(a *activities.Activity) { a.Footprints[0].Polygon[2][1] = 91 }},
		{"bandpass", func(a *activities.Activity) { a.Bandpass.Min = 0 }},
		{"bandpass", func(a *activities.Activity) { a.Bandpass.Min, a.Bandpass.Max = a.Bandpass.Max, a.Bandpass.Min }},
		{"kind", func(a *activities.Activity) { a.Kind = "cancelled" }},
	}
	for _, tc := range cases {
		a := sampleV2()
		tc.edit(&a)
		err := a.Validate()
		found := false
		for _, e := range unjoin(err) {
			var fe *activities.FieldError
			if errors.As(e, &fe) && fe.Field == tc.field {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: Validate() = %v, does not name the field", tc.field, err)
		}
	}
	a := sampleV2()
	a.Kind = "cancelled"
	if err := a.Validate(); err == nil || !strings.Contains(err.Error(), "aborted, unscheduled") {
		t.Errorf("kind error does not list the kinds: %v", err)
	}
}

func TestNewKindsRankAboveVersion1(t *testing.T) {
	for i, k := range []activities.Kind{activities.KindPlanned, activities.KindStarted, activities.KindCompleted, activities.KindArchived} {
		if activities.KindRank(k) != i {
			t.Fatalf("rank of %s changed to %d", k, activities.KindRank(k))
		}
	}
	p := activities.Revision(activities.KindStarted, sample().Updated)
	for _, k := range []activities.Kind{activities.KindAborted, activities.KindUnscheduled} {
		if !k.Valid() || activities.Revision(k, sample().Start) <= p {
			t.Errorf("%s does not replace a started record", k)
		}
	}
}
