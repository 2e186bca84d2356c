package arcsecond

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// TestActivitiesBandAndInside lists activities by band and by a point
// inside a footprint over the REST API (each answer checked against the
// OpenAPI document by ts.do), and checks the 400s name the parameter.
func TestActivitiesBandAndInside(t *testing.T) {
	st := activities.NewMemoryStore()
	mk := func(id string, ra, dec, fov float64, bp *activities.Bandpass, fps ...activities.Footprint) activities.Activity {
		a := activities.Activity{ID: "t:" + id, Source: "t", Kind: activities.KindCompleted, Facility: "F",
			Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Bandpass: bp, Footprints: fps}
		a.Target.SetPosition(ra, dec)
		a.Target.FOVRadius = fov
		return a
	}
	xray := activities.Bandpass{Min: 0.12 * activities.Nanometre, Max: 4 * activities.Nanometre} // 0.3–10 keV
	vis := activities.Bandpass{Min: 400 * activities.Nanometre, Max: 700 * activities.Nanometre}
	acts := []activities.Activity{
		// a footprint across RA 0/360, wider than the field of view
		mk("wrap", 0.1, 0, 0.05, &xray, activities.Footprint{Polygon: [][2]float64{{359.5, -1}, {0.5, -1}, {0.5, 1}, {359.5, 1}}}),
		// a footprint around the north pole
		mk("pole", 0, 90, 0, &vis, activities.Footprint{Polygon: [][2]float64{{0, 89}, {90, 89}, {180, 89}, {270, 89}}}),
		// no footprint: a circle of 1°
		mk("circle", 100, 20, 1, nil),
	}
	if _, err := st.Put(context.Background(), acts); err != nil {
		t.Fatal(err)
	}
	ts := startNode(t, NodeOptions{Store: st})
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"band=xray", []string{"t:wrap"}},
		{"band=X-ray", []string{"t:wrap"}},
		{"band=soft-xray", []string{"t:wrap"}},
		{"band=optical", []string{"t:pole"}},
		{"band=radio", nil},
		{"inside=359.6,0.5", []string{"t:wrap"}},
		{"inside=0.4,-0.9", []string{"t:wrap"}},
		{"inside=200,89.5", []string{"t:pole"}},
		{"inside=200,88.5", nil},
		{"inside=100.5,20.5", []string{"t:circle"}},
		{"inside=102,20", nil},
		{"inside=359.6,0.5&band=optical", nil},
		{"band=&inside=", []string{"t:circle", "t:pole", "t:wrap"}},
	} {
		var page struct{ Activities []activities.Activity }
		ts.getJSON(t, "/api/activities?"+c.query, &page)
		var got []string
		for _, a := range page.Activities {
			got = append(got, a.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}
	for _, c := range []struct{ query, field string }{
		{"band=blue", "band"},
		{"inside=10", "inside"},
		{"inside=abc,1", "inside"},
		{"inside=10,95", "inside"},
		{"inside=360,0", "inside"},
		{"inside=NaN,0", "inside"},
		{"inside=1,2,3", "inside"},
	} {
		code, b := ts.do(t, "GET", "/api/activities?"+c.query, "")
		var e apiError
		if err := json.Unmarshal(b, &e); err != nil || code != 400 || e.Field != c.field || e.Error == "" {
			t.Errorf("?%s: %d %s, want 400 naming %s", c.query, code, b, c.field)
		}
	}
}

// FuzzActivitiesBandInside sends arbitrary band and inside values: 200 or
// 400, never anything else.
func FuzzActivitiesBandInside(f *testing.F) {
	h := fuzzServer(f)
	for _, s := range [][2]string{{"xray", "10,20"}, {"Near Infrared", "359.999,-90"}, {"", "0,0"}, {"uv", ",,"}, {"gamma", "1e400,0"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, band, inside string) {
		req := httptest.NewRequest("GET", "/api/activities", nil)
		v := req.URL.Query()
		v.Set("band", band)
		v.Set("inside", inside)
		req.URL.RawQuery = v.Encode()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("?%s: %d %s", req.URL.RawQuery, rec.Code, rec.Body)
		}
	})
}

// TestPageKeyBandInside checks that the page cache tells band and point
// queries apart from one another and from the unfiltered query.
func TestPageKeyBandInside(t *testing.T) {
	x, _ := activities.NamedBand("xray")
	o, _ := activities.NamedBand("optical")
	qs := []activities.Query{
		{},
		{Band: &x.Bandpass},
		{Band: &o.Bandpass},
		{Point: &activities.SkyPoint{RA: 1, Dec: 2}},
		{Point: &activities.SkyPoint{RA: 2, Dec: 1}},
		{Cone: &activities.Cone{RA: 1, Dec: 2, Radius: 3}},
		{Cone: &activities.Cone{RA: 1, Dec: 2, Radius: 3}, Point: &activities.SkyPoint{RA: 1, Dec: 2}},
	}
	seen := map[string]int{}
	for i, q := range qs {
		k := pageKey(q)
		if j, ok := seen[k]; ok {
			t.Errorf("queries %d and %d share the cache key %q", j, i, k)
		}
		seen[k] = i
	}
}
