// Package storetest is the conformance suite of [activities.Store]
// implementations: every store (the memory store, activities/sqlitestore)
// runs it from its tests, so they all de-duplicate, number, filter and page
// alike.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
)

// Run runs the suite. newStore returns an empty store, which the suite
// closes; it is called once per subtest.
func Run(t *testing.T, newStore func(t *testing.T) activities.Store) {
	t.Helper()
	for _, c := range []struct {
		name string
		f    func(*testing.T, func(*testing.T) activities.Store)
	}{
		{"PutDeduplicates", putDeduplicates},
		{"FindFiltersAndPages", findFiltersAndPages},
		{"Closed", closed},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.f(t, func(t *testing.T) activities.Store {
				s := newStore(t)
				t.Cleanup(func() { s.Close() })
				return s
			})
		})
	}
}

// Act returns the test activity number i in its revision rev: a completed
// observation one minute after the previous one, on one of three
// facilities, with a position and a field of view.
func Act(i int, rev int64) activities.Activity {
	a := activities.Activity{
		ID: activities.NewID("t", fmt.Sprintf("k%03d", i)), Source: "t", Kind: activities.KindCompleted,
		Facility: []string{"VLT UT4", "HST", "Swift"}[i%3], Instrument: []string{"MUSE", "WFC3/UVIS", "XRT"}[i%3],
		Start:    time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		Revision: rev,
	}
	a.End = a.Start.Add(30 * time.Second)
	a.Target.SetPosition(float64(i%360), float64(i%90)-45)
	a.Target.FOVRadius = 0.1
	return a
}

// closed checks that a closed store refuses writes and that Close can be
// called twice.
func closed(t *testing.T, newStore func(t *testing.T) activities.Store) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Put(ctx, []activities.Activity{Act(1, 1)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, []activities.Activity{Act(2, 1)}); !errors.Is(err, activities.ErrClosed) {
		t.Errorf("Put after Close = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func putDeduplicates(t *testing.T, newStore func(t *testing.T) activities.Store) {
	ctx := context.Background()
	{
		s := newStore(t)
		{
			e, err := s.Put(ctx, []activities.Activity{Act(1, 1), Act(2, 1), Act(1, 1)})
			if err != nil || len(e) != 2 || e[0].Seq != 1 || e[1].Seq != 2 {
				t.Fatalf("first Put = %v, %v", e, err)
			}
			e, _ = s.Put(ctx, []activities.Activity{Act(1, 1), Act(2, 0)})
			if len(e) != 0 {
				t.Fatalf("same or lower revisions recorded: %v", e)
			}
			e, _ = s.Put(ctx, []activities.Activity{Act(1, 2), Act(3, 1)})
			if len(e) != 2 || e[0].Seq != 3 || e[0].Activity.Revision != 2 {
				t.Fatalf("new revision not recorded: %v", e)
			}
			since, err := s.Since(ctx, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range since {
				ids = append(ids, fmt.Sprintf("%d:%s@%d", e.Seq, e.Activity.ID, e.Activity.Revision))
			}
			want := "[2:t:k002@1 3:t:k001@2 4:t:k003@1]"
			if fmt.Sprint(ids) != want {
				t.Fatalf("Since(0) = %v, want %s", ids, want)
			}
			if last, _ := s.LastSeq(ctx); last != 4 {
				t.Fatalf("LastSeq = %d", last)
			}
			if a, err := s.Get(ctx, "t:k001"); err != nil || a.Revision != 2 {
				t.Fatalf("Get = %v, %v", a, err)
			}
			if _, err := s.Get(ctx, "t:nope"); !errors.Is(err, activities.ErrNotFound) {
				t.Fatalf("Get unknown = %v", err)
			}
		}
	}
}

func findFiltersAndPages(t *testing.T, newStore func(t *testing.T) activities.Store) {
	ctx := context.Background()
	var all []activities.Activity
	for i := range 250 {
		all = append(all, Act(i, 1))
	}
	noStart := Act(999, 1)
	noStart.Start, noStart.End = time.Time{}, time.Time{}
	all = append(all, noStart)
	// Every third activity (the Swift ones) observes in X-rays; every
	// fifth has a footprint: a box 1° on a side (RA/Dec corners) around
	// its position, wider than its 0.1° field of view, across RA 0/360
	// for the first.
	xray := activities.Bandpass{Min: 0.1 * activities.Nanometre, Max: 5 * activities.Nanometre}
	for i := range all[:250] {
		if i%3 == 2 {
			all[i].Bandpass = &xray
		}
		if i%5 == 0 {
			ra, dec, _ := all[i].Target.Position()
			var poly [][2]float64
			for _, d := range [4][2]float64{{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}} {
				poly = append(poly, [2]float64{math.Mod(ra+d[0]+360, 360), dec + d[1]})
			}
			all[i].Footprints = []activities.Footprint{{Name: "box", Polygon: poly}}
		}
	}
	cone := &activities.Cone{RA: 10, Dec: -35, Radius: 2}
	optical, _ := activities.NamedBand("optical")
	xrayBand, _ := activities.NamedBand("xray")
	{
		s := newStore(t)
		{
			if _, err := s.Put(ctx, all); err != nil {
				t.Fatal(err)
			}
			queries := []activities.Query{
				{},
				{Facility: "hst"},
				{Instrument: "MUSE", Kind: activities.KindCompleted},
				{Window: activities.Window{Start: all[10].Start, End: all[20].Start}},
				{Cone: cone},
				{Source: "other"},
				{Band: &xrayBand.Bandpass},
				{Band: &optical.Bandpass},
				{Point: &activities.SkyPoint{RA: 359.7, Dec: -44.7}}, // in the footprint of 0, across RA 0
				{Point: &activities.SkyPoint{RA: 10.3, Dec: -34.7}},  // in the footprint of 10, outside its circle
				{Point: &activities.SkyPoint{RA: 11.05, Dec: -34}},   // in the circle of 11 (no footprint)
				{Point: &activities.SkyPoint{RA: 12.3, Dec: -33}},    // outside the circle of 12 (no footprint)
				{Band: &xrayBand.Bandpass, Facility: "hst"},
			}
			// The oracle's answers to the band and point queries, counted by
			// hand, so that a wrong oracle cannot agree with a wrong store.
			counts := map[int]int{6: 83, 7: 0, 8: 1, 9: 1, 10: 1, 11: 0, 12: 0}
			for qi, q := range queries {
				// Oracle: brute force over all, in Find order.
				var want []string
				order := append([]activities.Activity(nil), all[:250]...)
				slices.Reverse(order) // newest start first, unknown start last
				order = append(order, noStart)
				for _, a := range order {
					if matchOracle(q, &a) {
						want = append(want, a.ID)
					}
				}
				if n, ok := counts[qi]; ok && len(want) != n {
					t.Errorf("query %d: the oracle keeps %d activities, want %d", qi, len(want), n)
				}
				var got []string
				q.Limit = 7
				for pages := 0; ; pages++ {
					p, err := s.Find(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					for _, a := range p.Activities {
						got = append(got, a.ID)
					}
					if p.Next == "" || pages > 100 {
						break
					}
					q.Cursor = p.Next
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("query %d: got %d %v\nwant %d %v", qi, len(got), got, len(want), want)
				}
			}
			if _, err := s.Find(ctx, activities.Query{Cursor: "%%%"}); err == nil {
				t.Error("malformed cursor accepted")
			}
			if _, err := s.Find(ctx, activities.Query{Cone: &activities.Cone{RA: 0, Dec: 95, Radius: 1}}); err == nil {
				t.Error("cone with dec 95 accepted")
			}
			if _, err := s.Find(ctx, activities.Query{Point: &activities.SkyPoint{RA: 0, Dec: -91}}); err == nil {
				t.Error("point with dec -91 accepted")
			}
			if _, err := s.Find(ctx, activities.Query{Band: &activities.Bandpass{Min: 2, Max: 1}}); err == nil {
				t.Error("band with min above max accepted")
			}
		}
	}
}

func matchOracle(q activities.Query, a *activities.Activity) bool {
	if q.Source != "" && q.Source != a.Source {
		return false
	}
	if q.Facility != "" && q.Facility != "hst" {
		panic("oracle knows only hst")
	}
	if q.Facility == "hst" && a.Facility != "HST" {
		return false
	}
	if q.Instrument != "" && a.Instrument != q.Instrument {
		return false
	}
	if !q.Window.Start.IsZero() {
		end := a.End
		if end.IsZero() { // no end: an instant at its start
			end = a.Start
		}
		if a.Start.IsZero() || end.Before(q.Window.Start) || !a.Start.Before(q.Window.End) {
			return false
		}
	}
	if q.Band != nil {
		// X-rays are the Swift activities; no activity is optical.
		if q.Band.Min > 1e-8 || a.Facility != "Swift" {
			return false
		}
	}
	if q.Point != nil {
		ra, dec, _ := a.Target.Position()
		if len(a.Footprints) > 0 {
			// the box: RA within 0.5° (across 0/360), Dec within 0.5°
			dra := math.Abs(math.Mod(q.Point.RA-ra+540, 360) - 180)
			if dra >= 0.5 || math.Abs(q.Point.Dec-dec) >= 0.5 {
				return false
			}
		} else if astro.Separation(astro.Angle(ra)*astro.Degree, astro.Angle(dec)*astro.Degree, astro.Angle(q.Point.RA)*astro.Degree, astro.Angle(q.Point.Dec)*astro.Degree).Deg() > a.Target.FOVRadius {
			return false
		}
	}
	if q.Cone != nil {
		ra, dec, _ := a.Target.Position()
		if astro.Separation(astro.Angle(ra)*astro.Degree, astro.Angle(dec)*astro.Degree, astro.Angle(q.Cone.RA)*astro.Degree, astro.Angle(q.Cone.Dec)*astro.Degree).Deg() > q.Cone.Radius+a.Target.FOVRadius {
			return false
		}
	}
	return true
}
