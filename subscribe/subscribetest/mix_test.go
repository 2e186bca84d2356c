package subscribetest

import (
	"math"
	"reflect"
	"testing"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

func TestMixIsReproducible(t *testing.T) {
	for _, name := range Mixes {
		a, err := New(name, 7)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := New(name, 7)
		c, _ := New(name, 8)
		differ := 0
		for i := range 200 {
			if !reflect.DeepEqual(a.Subscription(i), b.Subscription(i)) {
				t.Fatalf("%s: subscription %d differs between two generators of one seed", name, i)
			}
			aa, ba := a.Activity(i), b.Activity(i)
			if !reflect.DeepEqual(aa, ba) {
				t.Fatalf("%s: activity %d differs between two generators of one seed", name, i)
			}
			if !reflect.DeepEqual(a.Subscription(i).Criteria, c.Subscription(i).Criteria) {
				differ++
			}
		}
		if differ < 150 {
			t.Errorf("%s: seeds 7 and 8 give %d different subscriptions of 200", name, differ)
		}
	}
	if _, err := New("other", 1); err == nil {
		t.Error("New accepted an unknown mix")
	}
}

// TestMixProportions checks the shares the package documents, within
// sampling error.
func TestMixProportions(t *testing.T) {
	const n = 20000
	near := func(got, want float64) bool { return math.Abs(got-want) < 0.02 }
	for _, name := range Mixes {
		m, _ := New(name, 1)
		var attrOnly, fac, instr, kinds, progs, edge int
		maxR := 0.0
		for i := range n {
			s := m.Subscription(i)
			c := &s.Criteria
			if err := s.Validate(); err != nil {
				t.Fatalf("%s: subscription %d: %v", name, i, err)
			}
			if len(c.Regions) == 0 {
				attrOnly++
				if len(c.Facilities) != 1 || len(c.Instruments) != 1 || len(c.Kinds) != 1 {
					t.Fatalf("%s: attribute-only subscription %d: %+v", name, i, c)
				}
				continue
			}
			r := c.Regions[0]
			maxR = max(maxR, r.Radius)
			if r.RA < 1.5 || r.RA > 358.5 || math.Abs(r.Dec) > 88 {
				edge++
			}
			if len(c.Facilities) > 0 {
				fac++
			}
			if len(c.Instruments) > 0 {
				instr++
			}
			if len(c.Kinds) > 0 {
				kinds++
			}
			if len(c.Programmes) > 0 {
				progs++
			}
		}
		cones := float64(n - attrOnly)
		switch name {
		case SkyOnly:
			if attrOnly+fac+instr+kinds+progs != 0 || maxR > 2 {
				t.Errorf("%s: criteria other than cones up to 2°: %d %d %d %d %d, radius up to %g", name, attrOnly, fac, instr, kinds, progs, maxR)
			}
		default:
			if !near(float64(attrOnly)/n, 0.08) || !near(float64(fac)/cones, 0.40) || !near(float64(instr)/cones, 0.30) ||
				!near(float64(kinds)/cones, 0.20) || !near(float64(progs)/cones, 0.15) {
				t.Errorf("%s: attribute-only %.3f; of the cones facilities %.3f, instruments %.3f, kinds %.3f, programmes %.3f",
					name, float64(attrOnly)/n, float64(fac)/cones, float64(instr)/cones, float64(kinds)/cones, float64(progs)/cones)
			}
			if want := map[MixName]float64{Clustered: 1, Narrow: 0.01}[name]; maxR > want {
				t.Errorf("%s: a cone of %g°, over %g°", name, maxR, want)
			}
		}
		// Targets are 15% near RA 0/360 or a pole, weighted by popularity:
		// expect a share of cones there of several percent.
		if f := float64(edge) / cones; f < 0.03 || f > 0.4 {
			t.Errorf("%s: %.3f of the cones near RA 0/360 or a pole", name, f)
		}
		for i := range 2000 {
			a := m.Activity(i)
			if err := a.Validate(); err != nil {
				t.Fatalf("%s: activity %d: %v", name, i, err)
			}
			maxFOV := map[MixName]float64{Clustered: 0.5, Narrow: 0.01, SkyOnly: 0.5}[name]
			if a.Target.FOVRadius > maxFOV || a.Target.FOVRadius <= 0 {
				t.Fatalf("%s: activity %d has a field of view of %g°", name, i, a.Target.FOVRadius)
			}
		}
	}
}

// TestMixCalibration checks the matches per activity of each mix against
// the figures issue 18 measured at 10⁶ subscriptions (20, 7 and 754),
// within a third: a tenth of the population (10⁵ subscriptions) is
// indexed, and its matches over 2,000 activities are scaled by ten (the
// expected number of matches is proportional to the population).
func TestMixCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 3 × 10⁵ subscriptions")
	}
	const n, nActs = 100_000, 2000
	want := map[MixName]float64{Clustered: 20, Narrow: 7, SkyOnly: 754}
	for _, name := range Mixes {
		m, _ := New(name, 1)
		x := subscribe.NewMatcher()
		for i := range n {
			if err := x.Add(m.Subscription(i)); err != nil {
				t.Fatal(err)
			}
		}
		var total, attrOnly int
		var hs []subscribe.Hit
		for i := range nActs {
			a := m.Activity(i)
			hs = x.AppendHits(hs[:0], &a)
			total += len(hs)
			for _, h := range hs {
				if len(h.Subscription().Criteria.Regions) == 0 {
					attrOnly++
				}
			}
		}
		scale := 1e6 / n / nActs
		got := float64(total) * scale
		t.Logf("%s: %.1f matches per activity at 10⁶ (%.1f through attribute-only subscriptions); issue 18: %g", name, got, float64(attrOnly)*scale, want[name])
		if got < want[name]*2/3 || got > want[name]*4/3 {
			t.Errorf("%s: %.1f matches per activity at 10⁶, want about %g", name, got, want[name])
		}
	}
}
