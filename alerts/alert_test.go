package alerts

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func sample() Alert {
	return Alert{
		ID: "gcn:maxi:9995289617", Revision: Revision(SeqUpdate, 1, time.Date(2023, 2, 20, 9, 53, 39, 0, time.UTC)),
		Source: "gcn", Status: StatusActive, Mission: "MAXI", Instrument: "GSC", EventType: "grb",
		Names: []string{"GRB 230220A"}, Notice: "gcn.notices.maxi.unknown",
		TriggerTime:  time.Date(2023, 2, 20, 8, 56, 1, 0, time.UTC),
		Issued:       time.Date(2023, 2, 20, 9, 53, 39, 0, time.UTC),
		Localization: &Localization{Shape: Ellipse, RA: 346.56, Dec: 18.61, SemiMajor: 0.22, SemiMinor: 0.19, PA: 153, Containment: 0.9},
		SkyMap:       &SkyMap{Format: "healpix", URL: "https://example.org/map.fits"},
		Significance: Significance{SNR: Float(7.2), FAR: Float(1e-5)},
		Links:        []Link{{Title: "archive", URL: "https://heasarc.gsfc.nasa.gov/"}},
	}
}

func compiled(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("alert.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("alert.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJSONRoundTripAndSchema(t *testing.T) {
	sch := compiled(t)
	poly := sample()
	poly.Localization = &Localization{Shape: Polygon, RA: 346.5, Dec: 18.6, Vertices: [][2]float64{{345.72, 19.547}, {345.464, 19.29}, {347.309, 17.634}, {347.566, 17.889}}}
	poly.SkyMap = nil
	bare := Alert{ID: "gcn:x:1", Source: "gcn", Status: StatusRetracted, Mission: "X", TriggerTime: time.Unix(1e9, 0).UTC()}
	for _, a := range []Alert{sample(), poly, bare} {
		if err := a.Validate(); err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s does not validate against the schema: %v\n%s", a.ID, err, b)
		}
		var back Alert
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(a, back); d != "" {
			t.Errorf("round trip (-want +got):\n%s", d)
		}
	}
}

func TestSchemaRejects(t *testing.T) {
	sch := compiled(t)
	good, _ := json.Marshal(sample())
	for name, edit := range map[string]func(m map[string]any){
		"no id":        func(m map[string]any) { delete(m, "id") },
		"bad status":   func(m map[string]any) { m["status"] = "maybe" },
		"dec > 90":     func(m map[string]any) { m["localization"].(map[string]any)["dec"] = 91.0 },
		"unknown":      func(m map[string]any) { m["colour"] = "red" },
		"bad shape":    func(m map[string]any) { m["localization"].(map[string]any)["shape"] = "blob" },
		"p_astro > 1":  func(m map[string]any) { m["significance"].(map[string]any)["p_astro"] = 2.0 },
		"skymap other": func(m map[string]any) { m["skymap"].(map[string]any)["format"] = "png" },
	} {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, _ := json.Marshal(m)
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if sch.Validate(v) == nil {
			t.Errorf("%s: the schema accepted %s", name, b)
		}
	}
}

func TestValidateNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(a *Alert)
	}{
		{"id", func(a *Alert) { a.ID = "" }},
		{"id", func(a *Alert) { a.ID = "other:1" }},
		{"source", func(a *Alert) { a.Source = "" }},
		{"status", func(a *Alert) { a.Status = "" }},
		{"mission", func(a *Alert) { a.Mission = " " }},
		{"trigger_time", func(a *Alert) { a.TriggerTime = time.Time{} }},
		{"revision", func(a *Alert) { a.Revision = -1 }},
		{"localization.dec", func(a *Alert) { a.Localization.Dec = -91 }},
		{"localization.ra", func(a *Alert) { a.Localization.RA = 360 }},
		{"localization.semi_minor", func(a *Alert) { a.Localization.SemiMinor = 1 }},
		{"localization.shape", func(a *Alert) { a.Localization.Shape = "blob" }},
		{"localization.vertices", func(a *Alert) { a.Localization.Shape = Polygon }},
		{"localization.containment", func(a *Alert) { a.Localization.Containment = 1.5 }},
		{"skymap.format", func(a *Alert) { a.SkyMap.Format = "png" }},
		{"skymap.url", func(a *Alert) { a.SkyMap.URL = "/relative" }},
		{"significance.far", func(a *Alert) { a.Significance.FAR = Float(-1) }},
		{"links[0].url", func(a *Alert) { a.Links[0].URL = "nowhere" }},
	} {
		a := sample()
		tc.edit(&a)
		err := a.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a FieldError", tc.field, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.field+":") {
			t.Errorf("%s: error %q does not name the field", tc.field, err)
		}
	}
}

func TestContains(t *testing.T) {
	for _, tc := range []struct {
		name    string
		l       *Localization
		ra, dec float64
		want    bool
	}{
		{"circle inside", CircleAt(10, 20, 1), 10.5, 20.5, true},
		{"circle outside", CircleAt(10, 20, 1), 11.2, 20, false},
		{"circle across RA 0", CircleAt(359.8, 0, 0.5), 0.2, 0, true},
		{"circle at the pole", CircleAt(0, 89.5, 1), 180, 89.7, true},
		{"circle radius 0 holds its centre", CircleAt(12, -4, 0), 12, -4, true},
		// An ellipse 2° × 0.5° with its major axis north–south (PA 0).
		{"ellipse along major", &Localization{Shape: Ellipse, RA: 100, Dec: 0, SemiMajor: 2, SemiMinor: 0.5}, 100, 1.9, true},
		{"ellipse beyond minor", &Localization{Shape: Ellipse, RA: 100, Dec: 0, SemiMajor: 2, SemiMinor: 0.5}, 100.7, 0, false},
		// The same ellipse turned east–west (PA 90).
		{"ellipse turned, along", &Localization{Shape: Ellipse, RA: 100, Dec: 0, SemiMajor: 2, SemiMinor: 0.5, PA: 90}, 101.9, 0, true},
		{"ellipse turned, across", &Localization{Shape: Ellipse, RA: 100, Dec: 0, SemiMajor: 2, SemiMinor: 0.5, PA: 90}, 100, 0.7, false},
		{"ellipse across RA 0", &Localization{Shape: Ellipse, RA: 0.5, Dec: 10, SemiMajor: 2, SemiMinor: 1, PA: 90}, 359.0, 10, true},
		// MAXI's rectangle for GRB 230220A (gcn-schema maxi/gsc.unknown.rectangle example).
		{"polygon centre", &Localization{Shape: Polygon, Vertices: [][2]float64{{345.72, 19.547}, {345.464, 19.29}, {347.309, 17.634}, {347.566, 17.889}}}, 346.56, 18.61, true},
		{"polygon outside", &Localization{Shape: Polygon, Vertices: [][2]float64{{345.72, 19.547}, {345.464, 19.29}, {347.309, 17.634}, {347.566, 17.889}}}, 345.0, 18.0, false},
		{"polygon clockwise across RA 0", &Localization{Shape: Polygon, Vertices: [][2]float64{{359, -1}, {359, 1}, {1, 1}, {1, -1}}}, 0.2, 0.1, true},
		{"polygon across RA 0, outside", &Localization{Shape: Polygon, Vertices: [][2]float64{{359, -1}, {359, 1}, {1, 1}, {1, -1}}}, 180, 0, false},
		{"degenerate polygon", &Localization{Shape: Polygon, Vertices: [][2]float64{{1, 1}, {1, 1}, {1, 1}}}, 1, 1, false},
		{"nil", nil, 0, 0, false},
		{"bad dec", CircleAt(0, 0, 180), 0, 95, false},
	} {
		if got := tc.l.Contains(tc.ra, tc.dec); got != tc.want {
			t.Errorf("%s: Contains(%v, %v) = %v, want %v", tc.name, tc.ra, tc.dec, got, tc.want)
		}
	}
}

func TestRevisionOrder(t *testing.T) {
	t0 := time.Date(2024, 8, 24, 2, 14, 54, 0, time.UTC)
	seq := []int64{
		Revision(SeqInitial, 1, t0),
		Revision(SeqInitial, 2, t0.Add(-time.Hour)), // a later record number outranks an earlier issue time
		Revision(SeqUpdate, 0, time.Time{}),
		Revision(SeqUpdate, 7, t0),
		Revision(SeqRetraction, 0, time.Time{}),
	}
	for i := 1; i < len(seq); i++ {
		if seq[i] <= seq[i-1] {
			t.Errorf("revision %d (%d) does not outrank %d (%d)", i, seq[i], i-1, seq[i-1])
		}
	}
	if r1, r2 := Revision(SeqUpdate, 3, t0), Revision(SeqUpdate, 3, t0.Add(0)); r1 != r2 {
		t.Errorf("revision is not deterministic: %d then %d", r1, r2)
	}
}

func FuzzUnmarshalValidate(f *testing.F) {
	good, _ := json.Marshal(sample())
	f.Add(good)
	f.Add([]byte(`{"localization":{"shape":"polygon","ra":1,"dec":2,"vertices":[[0,0],[1,0],[0,1]]}}`))
	f.Add([]byte(`{"trigger_time":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a Alert
		if err := json.Unmarshal(b, &a); err != nil {
			return
		}
		err := a.Validate()
		in := a.Localization.Contains(10, 10)
		a.Localization.Overlaps(10, 10, 1.5)
		if ra, dec, r, ok := a.Localization.Bound(); ok && in && separation(ra, dec, 10, 10) > r+1e-6 {
			t.Fatalf("%v contains (10, 10), outside its bound (%v, %v, %v)", a.Localization, ra, dec, r)
		}
		if lo, hi, ok := a.Localization.DecRange(); ok && in && (10 < lo || 10 > hi) {
			t.Fatalf("%v contains (10, 10), outside its declinations [%v, %v]", a.Localization, lo, hi)
		}
		if err != nil {
			return
		}
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("a valid alert does not encode: %v", err)
		}
		var back Alert
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("its encoding does not decode: %v", err)
		}
		if err := back.Validate(); err != nil {
			t.Fatalf("it no longer validates after a round trip: %v", err)
		}
	})
}

func TestOverlaps(t *testing.T) {
	ell := &Localization{Shape: Ellipse, RA: 100, Dec: 0, SemiMajor: 2, SemiMinor: 0.5}
	poly := &Localization{Shape: Polygon, Vertices: [][2]float64{{359, -1}, {359, 1}, {1, 1}, {1, -1}}}
	for _, tc := range []struct {
		name            string
		l               *Localization
		ra, dec, radius float64
		want            bool
	}{
		{"circle, fov reaches it", CircleAt(10, 0, 1), 11.8, 0, 1, true},
		{"circle, fov short", CircleAt(10, 0, 1), 12.2, 0, 1, false},
		{"ellipse beside the minor axis, fov reaches", ell, 100.9, 0, 0.5, true},
		{"ellipse beside the minor axis, fov short", ell, 101.2, 0, 0.5, false},
		{"polygon edge within the fov", poly, 2.4, 0, 1.5, true},
		{"polygon edge beyond the fov", poly, 2.6, 0, 1.5, false},
		{"polygon corner within the fov", poly, 1.5, 1.5, 0.8, true},
		{"radius 0 is Contains", poly, 0, 0, 0, true},
	} {
		if got := tc.l.Overlaps(tc.ra, tc.dec, tc.radius); got != tc.want {
			t.Errorf("%s: Overlaps(%v, %v, %v) = %v", tc.name, tc.ra, tc.dec, tc.radius, got)
		}
	}
	// Every point within the radius of the ellipse overlaps, and none 3%
	// beyond: sample the boundary, step outwards along the normal.
	for k := 0; k < 360; k += 5 {
		th := float64(k) * math.Pi / 180
		// A point on the boundary in the tangent plane (x east, y north;
		// major axis north for PA 0), then r further along the normal.
		x, y := ell.SemiMinor*math.Sin(th), ell.SemiMajor*math.Cos(th)
		nx, ny := x/(ell.SemiMinor*ell.SemiMinor), y/(ell.SemiMajor*ell.SemiMajor)
		n := math.Hypot(nx, ny)
		const r = 0.3
		px, py := x+r*0.99*nx/n, y+r*0.99*ny/n
		if !ell.Overlaps(100+px, py, r) {
			t.Errorf("point %.3f, %.3f within %v of the ellipse is not overlapped", px, py, r)
		}
		qx, qy := x+r*1.03*nx/n, y+r*1.03*ny/n
		if ell.Overlaps(100+qx, qy, r) {
			t.Errorf("point %.3f, %.3f beyond %v of the ellipse is overlapped", qx, qy, r)
		}
	}
}

// TestBounds: every position a localization contains lies within the
// circle Bound returns and the declinations DecRange returns, for
// circles, ellipses and polygons (across RA 0 and around a pole
// included), checked on random positions near each.
func TestBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	locs := []*Localization{
		CircleAt(10, 20, 3), CircleAt(359.5, -89, 4), CircleAt(180, 88, 5),
		{Shape: Ellipse, RA: 346.56, Dec: 18.61, SemiMajor: 0.22, SemiMinor: 0.19, PA: 153},
		{Shape: Ellipse, RA: 0.5, Dec: 70, SemiMajor: 12, SemiMinor: 3, PA: 40},
		{Shape: Polygon, RA: 0.5, Dec: 89.5, Vertices: [][2]float64{{0, 89}, {120, 89}, {240, 89}}},
		{Shape: Polygon, RA: 0, Dec: 0, Vertices: [][2]float64{{355, -5}, {5, -5}, {5, 5}, {355, 5}}},
		{Shape: Polygon, RA: 100, Dec: -30, Vertices: [][2]float64{{90, -40}, {120, -35}, {110, -20}, {95, -25}}},
	}
	for _, l := range locs {
		ra, dec, radius, ok := l.Bound()
		lo, hi, ok2 := l.DecRange()
		if !ok || !ok2 {
			t.Fatalf("%v: no bound", l)
		}
		inside, spread := 0, math.Min(60, 4*radius)
		for range 20000 {
			pr, pd := l.RA+(r.Float64()-0.5)*spread, math.Max(-90, math.Min(90, l.Dec+(r.Float64()-0.5)*spread))
			if math.Abs(pd) > 80 { // near a pole, any RA
				pr = r.Float64() * 360
			}
			if !l.Contains(NormalizeRA(pr), pd) {
				continue
			}
			inside++
			if s := separation(ra, dec, NormalizeRA(pr), pd); s > radius+1e-9 {
				t.Errorf("%v contains (%v, %v), %v° from the bound's centre (%v, %v), beyond its radius %v", l, pr, pd, s, ra, dec, radius)
			}
			if pd < lo || pd > hi {
				t.Errorf("%v contains (%v, %v), outside its declinations [%v, %v]", l, pr, pd, lo, hi)
			}
		}
		if inside == 0 {
			t.Errorf("%v: no random position inside: the check checks nothing", l)
		}
	}
	if _, _, _, ok := (*Localization)(nil).Bound(); ok {
		t.Error("a nil localization has a bound")
	}
	if _, _, _, ok := (&Localization{Shape: Polygon, Vertices: [][2]float64{{0, 0}}}).Bound(); ok {
		t.Error("a one-vertex polygon has a bound")
	}
}
