package subscribe

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
)

// TestFootprintMatching checks regions that only an activity's footprint
// meets (its field-of-view circle does not), across RA 0/360 and around
// the pole, in both matchers, with the footprint named in the reason.
func TestFootprintMatching(t *testing.T) {
	act := func(ra, dec, fov float64, fps ...activities.Footprint) *activities.Activity {
		a := &activities.Activity{ID: "s:1", Source: "s", Kind: activities.KindPlanned, Facility: "F", Footprints: fps}
		if !math.IsNaN(ra) {
			a.Target.SetPosition(ra, dec)
			a.Target.FOVRadius = fov
		}
		return a
	}
	nan := math.NaN()
	// 1° × 2° across RA 0, the target at its east edge with a small circle
	wrap := activities.Footprint{Name: "XRT", Polygon: [][2]float64{{359.5, -1}, {0.5, -1}, {0.5, 1}, {359.5, 1}}}
	// a square around the north pole down to Dec 80
	pole := activities.Footprint{Polygon: [][2]float64{{0, 80}, {90, 80}, {180, 80}, {270, 80}}}
	for _, c := range []struct {
		name   string
		region string
		a      *activities.Activity
		foot   string // the footprint in the reason; "" for the circle
		match  bool
	}{
		{"cone west of RA 0 in the footprint", `{"ra":359.6,"dec":0.5,"radius":0.05}`, act(0.45, 0, 0.02, wrap), "XRT", true},
		{"cone west of RA 0, no footprint", `{"ra":359.6,"dec":0.5,"radius":0.05}`, act(0.45, 0, 0.02), "", false},
		{"cone touching the footprint's west edge", `{"ra":359.4,"dec":0,"radius":0.2}`, act(0.45, 0, 0.02, wrap), "XRT", true},
		{"cone beyond the footprint's west edge", `{"ra":359.2,"dec":0,"radius":0.2}`, act(0.45, 0, 0.02, wrap), "", false},
		{"the circle still counts", `{"ra":0.5,"dec":0,"radius":0.1}`, act(0.45, 0, 0.02, wrap), "", true},
		{"polygon across RA 0 meeting the footprint", `{"polygon":[[359.2,0.8],[359.7,0.8],[359.7,1.5],[359.2,1.5]]}`, act(0.45, 0, 0.02, wrap), "XRT", true},
		{"polygon clear of it", `{"polygon":[[359.2,1.2],[359.7,1.2],[359.7,1.5],[359.2,1.5]]}`, act(0.45, 0, 0.02, wrap), "", false},
		{"cone at the pole, footprint without target position", `{"ra":45,"dec":89,"radius":0.1}`, act(nan, 0, 0, pole), "#0", true},
		{"cone in the footprint's corner, across RA 0", `{"ra":359.9,"dec":80.5,"radius":0.1}`, act(nan, 0, 0, pole), "#0", true},
		// the edges are great circles: between the corners at RA 270 and
		// 0 the edge reaches Dec 82.9 at RA 315
		{"cone under a great-circle edge", `{"ra":315,"dec":80.5,"radius":0.1}`, act(nan, 0, 0, pole), "", false},
		{"cone over a great-circle edge", `{"ra":315,"dec":83.1,"radius":0.1}`, act(nan, 0, 0, pole), "#0", true},
		{"cone below the footprint's edge", `{"ra":45,"dec":78,"radius":0.5}`, act(nan, 0, 0, pole), "", false},
		{"polygon round the pole", `{"polygon":[[10,85],[130,85],[250,85]]}`, act(nan, 0, 0, pole), "#0", true},
	} {
		sub, err := ParseSubscription([]byte(`{"id":"x","criteria":{"regions":[` + c.region + `]}}`))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, ix := range []Index{NewMatcher(), NewBruteForce()} {
			if err := ix.Add(sub); err != nil {
				t.Fatal(err)
			}
			// other subscriptions, so that the matcher's sky index has
			// more than one entry to look through
			for i := range 20 {
				if err := ix.Add(randomSub(rand.New(rand.NewPCG(5, uint64(i))), i)); err != nil {
					t.Fatal(err)
				}
			}
			var got *Match
			for _, m := range ix.Match(c.a) {
				if m.Subscription.ID == "x" {
					got = &m
				}
			}
			if (got != nil) != c.match {
				t.Errorf("%s: %T matched %v, want %v", c.name, ix, got != nil, c.match)
				continue
			}
			if got != nil {
				r := got.Reasons[len(got.Reasons)-1]
				if r.Criterion != "region" || r.Footprint != c.foot || r.DistanceDeg == nil {
					t.Errorf("%s: %T reason %+v, want footprint %q", c.name, ix, r, c.foot)
				}
			}
		}
	}
}
