package arcsecond

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
)

// TestDashboardBands checks GET /bands.json, the named bands the
// dashboard's band filter offers: every band of activities.Bands, with its
// wavelength range in metres and its aliases, so that the page filters as
// GET /api/activities?band= does.
func TestDashboardBands(t *testing.T) {
	ts := startNode(t, NodeOptions{})
	resp, err := http.Get(ts.base + "/bands.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /bands.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got bandList
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := activities.Bands()
	if len(got.Bands) != len(want) {
		t.Fatalf("%d bands, want %d", len(got.Bands), len(want))
	}
	for i, b := range want {
		g := got.Bands[i]
		if g.Name != b.Name || g.Min != float64(b.Bandpass.Min) || g.Max != float64(b.Bandpass.Max) || len(g.Aliases) != len(b.Aliases) || g.Source == "" {
			t.Errorf("band %d: %+v, want %s %v–%v aliases %v", i, g, b.Name, b.Bandpass.Min, b.Bandpass.Max, b.Aliases)
		}
		for _, alias := range g.Aliases {
			if nb, ok := activities.NamedBand(alias); !ok || nb.Name != b.Name {
				t.Errorf("alias %q of %s names %q", alias, b.Name, nb.Name)
			}
		}
	}
}
