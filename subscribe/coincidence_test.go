package subscribe

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
)

var trig = time.Date(2024, 8, 24, 2, 14, 40, 0, time.UTC)

func coincSub(t *testing.T, js string) *Subscription {
	t.Helper()
	s, err := ParseSubscription([]byte(js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}

func obs(id, facility string, ra, dec, fov float64, start time.Time, dur time.Duration) activities.Activity {
	a := activities.Activity{ID: "t:" + id, Source: "t", Kind: activities.KindCompleted, Facility: facility, Start: start, End: start.Add(dur), Revision: 1}
	a.Target.SetPosition(ra, dec)
	a.Target.FOVRadius = fov
	return a
}

func grb(id string, ra, dec, r float64, at time.Time) alerts.Alert {
	return alerts.Alert{ID: "gcn:" + id, Source: "gcn", Status: alerts.StatusActive, Mission: "Fermi", EventType: "grb",
		TriggerTime: at, Localization: alerts.CircleAt(ra, dec, r), Revision: 1}
}

func pairs(ms []CoincidenceMatch) []string {
	var out []string
	for _, m := range ms {
		a := "-"
		if m.Activity != nil {
			a = m.Activity.ID
		}
		out = append(out, m.Subscription.ID+"|"+a+"|"+m.Alert.ID)
	}
	slices.Sort(out)
	return out
}

func TestCoincidenceParseAndSchema(t *testing.T) {
	js := `{"id":"followup","criteria":{"facilities":["VLT UT4"],"alerts":{"missions":["Fermi"],"event_types":["grb"],"regions":[{"ra":30,"dec":-60,"radius":20}]},"coincidence":{"within_s":3600}}}`
	s := coincSub(t, js)
	if s.Criteria.Coincidence.WithinS != 3600 || s.Criteria.Alerts.Missions[0] != "Fermi" {
		t.Fatalf("%+v", s.Criteria)
	}
	sch := compiledSchema(t)
	v, _ := jsonschema.UnmarshalJSON(strings.NewReader(js))
	if err := sch.Validate(v); err != nil {
		t.Errorf("the schema refuses a coincidence subscription: %v", err)
	}
	bad := `{"id":"x","criteria":{"coincidence":{"within_s":-1}}}`
	v, _ = jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if sch.Validate(v) == nil {
		t.Error("the schema accepts within_s -1")
	}
	for _, tc := range []struct{ js, field string }{
		{bad, "criteria.coincidence.within_s"},
		{`{"id":"x","criteria":{"coincidence":{"within_s":1e9}}}`, "criteria.coincidence.within_s"},
		{`{"id":"x","criteria":{"facilities":["HST"],"alerts":{"missions":["Fermi"]}}}`, "criteria.alerts"},
		{`{"id":"x","criteria":{"alerts":{"regions":[{"ra":1,"dec":95,"radius":1}]}}}`, "criteria.alerts.regions[0]"},
		{`{"id":"x","criteria":{"alerts":{"missions":[" "]}}}`, "criteria.alerts.missions[0]"},
	} {
		_, err := ParseSubscription([]byte(tc.js))
		if err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: got %v, want an error naming %s", tc.js, err, tc.field)
		}
	}
	// A coincidence-only subscription is not empty: it needs no match_all.
	coincSub(t, `{"id":"y","criteria":{"coincidence":{"within_s":60}}}`)
	// Activity indexes refuse these criteria instead of ignoring them.
	if err := NewMatcher().Add(s); !errors.Is(err, ErrCoincidenceCriteria) {
		t.Errorf("Matcher.Add: %v", err)
	}
	if err := NewBruteForce().Add(s); !errors.Is(err, ErrCoincidenceCriteria) {
		t.Errorf("BruteForce.Add: %v", err)
	}
}

func TestCoincidenceEitherOrder(t *testing.T) {
	sub := coincSub(t, `{"id":"vlt","criteria":{"facilities":["VLT UT4"],"coincidence":{"within_s":3600}}}`)
	onlyAlerts := coincSub(t, `{"id":"grbs-south","criteria":{"alerts":{"event_types":["GRB"],"regions":[{"ra":30,"dec":-60,"radius":20}]}}}`)
	in := obs("in", "VLT UT4", 29.5, -63.5, 0.1, trig.Add(30*time.Minute), 10*time.Minute)      // 0.5° from the centre, 30 min after
	late := obs("late", "VLT UT4", 29.5, -63.5, 0.1, trig.Add(2*time.Hour), 10*time.Minute)     // outside the window
	far := obs("far", "VLT UT4", 40, -40, 0.1, trig.Add(10*time.Minute), 10*time.Minute)        // outside the localization
	wide := obs("wide", "VLT UT4", 29.24, -65.5, 1.2, trig.Add(-20*time.Minute), 5*time.Minute) // 1.88°: only its FOV reaches the 1° circle
	other := obs("other", "HST", 29.24, -63.62, 0.1, trig, time.Minute)                         // another facility
	during := obs("during", "VLT UT4", 29.24, -63.62, 0.01, trig.Add(-time.Hour), 2*time.Hour)  // the trigger inside the exposure
	al := grb("bn240812094", 29.24, -63.62, 1, trig)
	want := []string{"grbs-south|-|gcn:bn240812094", "vlt|t:during|gcn:bn240812094", "vlt|t:in|gcn:bn240812094", "vlt|t:wide|gcn:bn240812094"}

	for _, order := range []string{"activities first", "alert first"} {
		x := NewCoincidences()
		for _, s := range []*Subscription{sub, onlyAlerts} {
			if err := x.Add(s); err != nil {
				t.Fatal(err)
			}
		}
		var got []CoincidenceMatch
		acts := []activities.Activity{in, late, far, wide, other, during}
		if order == "alert first" {
			got = append(got, x.Alert(al)...)
		}
		for _, a := range acts {
			got = append(got, x.Activity(a)...)
		}
		if order == "activities first" {
			got = append(got, x.Alert(al)...)
		}
		if g := pairs(got); !slices.Equal(g, want) {
			t.Errorf("%s: fired %v, want %v", order, g, want)
		}
		for _, m := range got {
			if m.Activity != nil && m.Activity.ID == "t:in" && (m.Delta != 30*time.Minute || m.Separation > 3) {
				t.Errorf("%s: delta %s separation %v", order, m.Delta, m.Separation)
			}
			if m.Activity != nil && m.Activity.ID == "t:during" && m.Delta != 0 {
				t.Errorf("trigger inside the exposure: delta %s", m.Delta)
			}
		}
		// Replays and new revisions fire nothing twice.
		al2 := al
		al2.Revision = 2
		if again := append(x.Alert(al2), x.Activity(in)...); len(again) != 0 {
			t.Errorf("%s: fired again: %v", order, pairs(again))
		}
	}
}

func TestCoincidenceRetractionAndTests(t *testing.T) {
	x := NewCoincidences()
	x.Add(coincSub(t, `{"id":"any","criteria":{"coincidence":{"within_s":600}}}`))
	x.Add(coincSub(t, `{"id":"tests","criteria":{"alerts":{"include_tests":true}}}`))
	al := grb("r1", 10, 10, 2, trig)
	x.Alert(al)
	ret := al
	ret.Status, ret.Revision = alerts.StatusRetracted, 5
	x.Alert(ret)
	if got := x.Activity(obs("a", "X", 10, 10, 0, trig, time.Minute)); len(got) != 0 {
		t.Errorf("a retracted alert fired: %v", pairs(got))
	}
	test := grb("t1", 10, 10, 2, trig)
	test.Test = true
	got := pairs(x.Alert(test))
	if !slices.Equal(got, []string{"tests|-|gcn:t1"}) {
		t.Errorf("test alert fired %v, want only the subscription that includes tests", got)
	}
}

// TestCoincidenceOrderIndependent: random activities and alerts fed in
// two random orders fire the same set, and that set is what a direct check
// of every (subscription, activity, alert) gives.
func TestCoincidenceOrderIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var subs []*Subscription
	facilities := []string{"A", "B", "C"}
	for i := range 12 {
		js := fmt.Sprintf(`{"id":"s%d","criteria":{"coincidence":{"within_s":%d}`, i, 300+r.IntN(7200))
		if i%3 == 0 {
			js += fmt.Sprintf(`,"facilities":["%s"]`, facilities[r.IntN(3)])
		}
		if i%4 == 1 {
			js += `,"alerts":{"event_types":["grb"]}`
		}
		subs = append(subs, coincSub(t, js+`}}`))
	}
	var acts []activities.Activity
	for i := range 150 {
		// Near RA 0/360 and the pole as well as elsewhere.
		ra, dec := r.Float64()*360, r.Float64()*180-90
		if i%3 == 0 {
			ra, dec = 359+r.Float64()*2, r.Float64()*4-2
		}
		acts = append(acts, obs(fmt.Sprint(i), facilities[r.IntN(3)], ra, dec, r.Float64(), trig.Add(time.Duration(r.IntN(14400)-7200)*time.Second), time.Duration(r.IntN(3600))*time.Second))
	}
	var als []alerts.Alert
	for i := range 40 {
		ra, dec := r.Float64()*360, r.Float64()*180-90
		if i%3 == 0 {
			ra, dec = r.Float64()*2-1+360, r.Float64()*4-2
		}
		al := grb(fmt.Sprint("a", i), ra, dec, 1+r.Float64()*20, trig.Add(time.Duration(r.IntN(7200)-3600)*time.Second))
		if i%2 == 1 {
			al.EventType = "frb"
			al.Localization = &alerts.Localization{Shape: alerts.Ellipse, RA: alerts.NormalizeRA(ra), Dec: dec, SemiMajor: 10, SemiMinor: 3, PA: r.Float64() * 180}
		}
		als = append(als, al)
	}
	type ev struct {
		a  *activities.Activity
		al *alerts.Alert
	}
	var evs []ev
	for i := range acts {
		evs = append(evs, ev{a: &acts[i]})
	}
	for i := range als {
		evs = append(evs, ev{al: &als[i]})
	}
	run := func(seed uint64) []string {
		rr := rand.New(rand.NewPCG(seed, 1))
		order := slices.Clone(evs)
		rr.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		x := NewCoincidences()
		for _, s := range subs {
			x.Add(s)
		}
		var got []CoincidenceMatch
		for _, e := range order {
			if e.a != nil {
				got = append(got, x.Activity(*e.a)...)
			} else {
				got = append(got, x.Alert(*e.al)...)
			}
		}
		return pairs(got)
	}
	first, second := run(1), run(2)
	if !slices.Equal(first, second) {
		t.Fatalf("two orders fired different sets: %d vs %d", len(first), len(second))
	}
	// The direct check.
	var want []string
	for _, s := range subs {
		c := s.Criteria
		for _, a := range acts {
			if len(c.Facilities) > 0 && c.Facilities[0] != a.Facility {
				continue
			}
			for _, al := range als {
				if c.Alerts != nil && al.EventType != "grb" {
					continue
				}
				ra, dec, _ := a.Target.Position()
				if gap(a.Start, a.End, al.TriggerTime) <= time.Duration(c.Coincidence.WithinS*float64(time.Second)) && al.Localization.Overlaps(ra, dec, a.Target.FOVRadius) {
					want = append(want, s.ID+"|"+a.ID+"|"+al.ID)
				}
			}
		}
	}
	slices.Sort(want)
	if !slices.Equal(first, want) {
		t.Errorf("fired %d, the direct check gives %d", len(first), len(want))
	}
	if len(want) == 0 {
		t.Error("the random sample has no coincidence: the test checks nothing")
	}
	t.Logf("%d coincidences", len(want))
}

// TestCoincidencesPrefilterIsExact: the bounding-circle tests that rule
// out alert subscriptions and activities before the exact ones lose no
// match. Random cone and polygon subscriptions, activities and circle,
// ellipse and polygon alerts all over the sky (poles and RA 0 included)
// are matched by Coincidences and by a brute force over alertMatches and
// Localization.Overlaps; the two must agree.
func TestCoincidencesPrefilterIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	x := NewCoincidences()
	pos := func() (float64, float64) {
		if r.IntN(5) == 0 { // near a pole
			return r.Float64() * 360, math.Copysign(80+10*r.Float64(), r.Float64()-0.5)
		}
		return r.Float64() * 360, math.Asin(2*r.Float64()-1) * 180 / math.Pi
	}
	var alertSubs, coSubs []*Subscription
	for i := range 400 {
		ra, dec := pos()
		reg := Region{RA: ra, Dec: dec, Radius: 0.5 + 20*r.Float64()}
		if i%7 == 0 {
			reg = Region{Polygon: [][2]float64{{ra, dec}, {ra + 10, dec}, {ra + 5, math.Min(89, dec+8)}}}
		}
		s := &Subscription{ID: fmt.Sprint("a", i), Criteria: Criteria{Alerts: &AlertCriteria{Regions: []Region{reg}}}}
		if i%40 == 0 {
			s.ID = fmt.Sprint("c", i)
			s.Criteria = Criteria{Regions: []Region{{RA: 0, Dec: 0, Radius: 180}}, Coincidence: &Coincidence{WithinS: 7200}}
			coSubs = append(coSubs, s)
		} else {
			alertSubs = append(alertSubs, s)
		}
		if err := x.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	var acts []activities.Activity
	for i := range 300 {
		ra, dec := pos()
		a := obs(fmt.Sprint("o", i), "T", ra, dec, 3*r.Float64(), t0, time.Hour)
		acts = append(acts, a)
		if ms := x.Activity(a); len(ms) != 0 {
			t.Fatalf("an activity before any alert fired: %v", ms)
		}
	}
	fired := 0
	for i := range 150 {
		ra, dec := pos()
		al := grb(fmt.Sprint("g", i), ra, dec, 0.1+15*r.Float64(), t0.Add(30*time.Minute))
		switch i % 3 {
		case 1:
			al.Localization = &alerts.Localization{Shape: alerts.Ellipse, RA: ra, Dec: dec, SemiMajor: 1 + 10*r.Float64(), SemiMinor: 0.5, PA: 360 * r.Float64()}
		case 2:
			al.Localization = &alerts.Localization{Shape: alerts.Polygon, RA: ra, Dec: dec,
				Vertices: [][2]float64{{ra - 4, dec - 3}, {ra + 4, dec - 3}, {ra, math.Min(89.5, dec+5)}}}
		}
		got := map[string]bool{}
		for _, m := range x.Alert(al) {
			k := m.Subscription.ID
			if m.Activity != nil {
				k += " " + m.Activity.ID
			}
			got[k] = true
		}
		exp := map[string]bool{}
		for _, s := range alertSubs {
			if alertMatches(s.Criteria.Alerts, &al) {
				exp[s.ID] = true
			}
		}
		for _, s := range coSubs {
			for _, a := range acts {
				if ra, dec, _ := a.Target.Position(); al.Localization.Overlaps(ra, dec, a.Target.FOVRadius) {
					exp[s.ID+" "+a.ID] = true
				}
			}
		}
		if d := cmp.Diff(exp, got); d != "" {
			t.Fatalf("alert %v (-brute force +Coincidences):\n%s", al.Localization, d)
		}
		fired += len(got)
	}
	if fired == 0 {
		t.Fatal("nothing fired: the comparison compares nothing")
	}
	t.Logf("%d matches, all found", fired)
}
