package arcsecond

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// TestQueryAgreement is a property test: on random activities and random
// queries (windows at the activities' boundaries, cones, attributes), the
// REST listing — Store.Find of the memory and SQLite stores, paged to the
// end — returns exactly the activities the live streams' filter,
// Query.Match, lets through.
func TestQueryAgreement(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(14, 22))
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	// Times on a coarse grid, so that windows often begin or end exactly
	// where activities do.
	at := func() time.Time { return base.Add(time.Duration(rng.IntN(40)) * 15 * time.Minute) }
	sources := []string{"eso", "gemini", "swift"}
	facilities := []string{"VLT UT1", "vlt ut1", "Gemini-North", "GEMINI-NORTH", "Été", "été", "Swift"}
	kinds := []activities.Kind{activities.KindPlanned, activities.KindStarted, activities.KindCompleted, activities.KindArchived}

	var acts []activities.Activity
	for i := range 600 {
		src := sources[rng.IntN(len(sources))]
		a := activities.Activity{
			ID: fmt.Sprintf("%s:%d", src, i), Source: src, Kind: kinds[rng.IntN(len(kinds))],
			Facility: facilities[rng.IntN(len(facilities))], Instrument: facilities[rng.IntN(len(facilities))],
			Revision: 1,
		}
		switch rng.IntN(6) {
		case 0: // no time at all
		case 1, 2: // an instant: no end
			a.Start = at()
		default:
			a.Start = at()
			a.End = a.Start.Add(time.Duration(rng.IntN(12)) * 15 * time.Minute)
		}
		if rng.IntN(4) > 0 {
			ra, dec := rng.Float64()*360, rng.Float64()*180-90
			if rng.IntN(3) == 0 {
				ra = 359.5 + rng.Float64()*0.5 // near RA 0/360
			}
			a.Target.RA, a.Target.Dec = &ra, &dec
			a.Target.FOVRadius = rng.Float64() * 2
		}
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		acts = append(acts, a)
	}
	mem := activities.NewMemoryStore()
	db, sq, _, err := openSQLite(filepath.Join(t.TempDir(), "q.db"), true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []activities.Store{mem, sq} {
		if _, err := s.Put(ctx, acts); err != nil {
			t.Fatal(err)
		}
	}
	stores := []struct {
		name string
		s    activities.Store
	}{{"memory", mem}, {"sqlite", sq}}

	for i := range 400 {
		var q activities.Query
		if rng.IntN(2) == 0 {
			q.Window.Start = at()
		}
		if rng.IntN(2) == 0 {
			q.Window.End = at()
			if !q.Window.Start.IsZero() && q.Window.End.Before(q.Window.Start) {
				q.Window.Start, q.Window.End = q.Window.End, q.Window.Start
			}
		}
		if rng.IntN(4) == 0 {
			q.Source = sources[rng.IntN(len(sources))]
		}
		if rng.IntN(4) == 0 {
			q.Facility = facilities[rng.IntN(len(facilities))]
		}
		if rng.IntN(6) == 0 {
			q.Instrument = facilities[rng.IntN(len(facilities))]
		}
		if rng.IntN(5) == 0 {
			q.Kind = kinds[rng.IntN(len(kinds))]
		}
		if rng.IntN(3) == 0 {
			q.Cone = &activities.Cone{RA: rng.Float64() * 360, Dec: rng.Float64()*180 - 90, Radius: 1 + rng.Float64()*40}
		}
		q.Limit = 1 + rng.IntN(60)

		var live []string
		for j := range acts {
			if q.Match(&acts[j]) {
				live = append(live, acts[j].ID)
			}
		}
		slices.Sort(live)
		for _, st := range stores {
			var rest []string
			qq := q
			for page := 0; ; page++ {
				p, err := st.s.Find(ctx, qq)
				if err != nil {
					t.Fatalf("query %d %+v: %s: %v", i, q, st.name, err)
				}
				for _, a := range p.Activities {
					rest = append(rest, a.ID)
				}
				if p.Next == "" {
					break
				}
				if page > len(acts) {
					t.Fatalf("%s: pagination does not end", st.name)
				}
				qq.Cursor = p.Next
			}
			slices.Sort(rest)
			if !slices.Equal(rest, live) {
				t.Fatalf("query %d %+v (cone %+v): %s store lists %d activities, Match accepts %d\nstore only: %v\nMatch only: %v",
					i, q, q.Cone, st.name, len(rest), len(live), minus(rest, live), minus(live, rest))
			}
		}
	}
}

// TestQueryWindowNoEnd pins the documented window semantics: an activity
// with no end is an instant at its start.
func TestQueryWindowNoEnd(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	q := activities.Query{Window: activities.Window{Start: t0, End: t0.Add(time.Hour)}}
	for _, c := range []struct {
		start, end time.Time
		want       bool
	}{
		{t0.Add(-time.Minute), time.Time{}, false},        // started before, no end: an instant before the window
		{t0.Add(-time.Minute), t0.Add(time.Minute), true}, // spans the window's start
		{t0, time.Time{}, true},                           // at the window's start
		{t0.Add(time.Hour), time.Time{}, false},           // at its end: the window is half-open
		{time.Time{}, time.Time{}, false},                 // no time: never in a window
	} {
		a := activities.Activity{Start: c.start, End: c.end}
		if got := q.Match(&a); got != c.want {
			t.Errorf("[%v, %v]: Match %v, want %v", c.start, c.end, got, c.want)
		}
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out
}
