// Package alertstest is the conformance suite of [alerts.Store]
// implementations: the memory store and alerts/sqlitestore run it from
// their tests, so that they keep revisions, answer and filter alike.
package alertstest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/alerts"
)

// Run runs the suite. newStore returns an empty store; it is called once
// per subtest.
func Run(t *testing.T, newStore func(t *testing.T) alerts.Store) {
	t.Helper()
	for _, c := range []struct {
		name string
		f    func(*testing.T, alerts.Store)
	}{
		{"Revisions", revisions},
		{"Find", find},
		{"NotShared", notShared},
		{"Refusals", refusals},
	} {
		t.Run(c.name, func(t *testing.T) { c.f(t, newStore(t)) })
	}
}

// Sample is a valid alert (an ellipse around 346.56, +18.61).
func Sample() alerts.Alert {
	return alerts.Alert{
		ID: "gcn:maxi:9995289617", Revision: alerts.Revision(alerts.SeqUpdate, 1, time.Date(2023, 2, 20, 9, 53, 39, 0, time.UTC)),
		Source: "gcn", Status: alerts.StatusActive, Mission: "MAXI", Instrument: "GSC", EventType: "grb",
		Names: []string{"GRB 230220A"}, Notice: "gcn.notices.maxi.unknown",
		TriggerTime:  time.Date(2023, 2, 20, 8, 56, 1, 0, time.UTC),
		Issued:       time.Date(2023, 2, 20, 9, 53, 39, 0, time.UTC),
		Localization: &alerts.Localization{Shape: alerts.Ellipse, RA: 346.56, Dec: 18.61, SemiMajor: 0.22, SemiMinor: 0.19, PA: 153, Containment: 0.9},
		SkyMap:       &alerts.SkyMap{Format: "healpix", URL: "https://example.org/map.fits"},
		Significance: alerts.Significance{SNR: alerts.Float(7.2), FAR: alerts.Float(1e-5)},
		Links:        []alerts.Link{{Title: "archive", URL: "https://heasarc.gsfc.nasa.gov/"}},
	}
}

func put(t *testing.T, s alerts.Store, a alerts.Alert, want bool) {
	t.Helper()
	ok, err := s.Put(context.Background(), a)
	if err != nil || ok != want {
		t.Fatalf("Put(%s r%d) = %v, %v; want %v", a.ID, a.Revision, ok, err, want)
	}
}

// revisions: the latest revision answers Get; every revision, the older
// ones arriving late included, is kept once, lowest first; a retraction
// is the event's latest state.
func revisions(t *testing.T, s alerts.Store) {
	ctx := context.Background()
	a := Sample()
	put(t, s, a, true)
	put(t, s, a, false) // replayed
	older := a
	older.Revision--
	older.Message = "an earlier notice, late"
	put(t, s, older, false)
	got, ok, err := s.Get(ctx, a.ID)
	if err != nil || !ok {
		t.Fatalf("Get: %v %v", ok, err)
	}
	if d := cmp.Diff(a, got); d != "" {
		t.Errorf("Get (-put +got):\n%s", d)
	}
	ret := alerts.Alert{ID: a.ID, Source: "gcn", Status: alerts.StatusRetracted, Mission: "MAXI", TriggerTime: a.TriggerTime,
		Revision: alerts.Revision(alerts.SeqRetraction, 2, time.Time{}), Message: "retracted"}
	put(t, s, ret, true)
	if got, ok, _ := s.Get(ctx, a.ID); !ok || got.Status != alerts.StatusRetracted {
		t.Errorf("Get after the retraction: %v %v", got, ok)
	}
	revs, err := s.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]alerts.Alert{older, a, ret}, revs); d != "" {
		t.Errorf("Revisions (-want +got):\n%s", d)
	}
	if revs, err := s.Revisions(ctx, "gcn:unknown"); err != nil || len(revs) != 0 {
		t.Errorf("Revisions of an unknown ID: %v %v", revs, err)
	}
	if _, ok, err := s.Get(ctx, "gcn:unknown"); ok || err != nil {
		t.Errorf("Get of an unknown ID: %v %v", ok, err)
	}
}

// find: Query's filters (mission case-insensitively, event type, trigger
// window, a position inside the localization, retracted and test alerts)
// over the latest revisions, by trigger time then ID, with Limit.
func find(t *testing.T, s alerts.Store) {
	ctx := context.Background()
	a := Sample()
	put(t, s, a, true)
	ret := alerts.Alert{ID: a.ID, Source: "gcn", Status: alerts.StatusRetracted, Mission: "MAXI", TriggerTime: a.TriggerTime,
		Revision: alerts.Revision(alerts.SeqRetraction, 2, time.Time{})}
	put(t, s, ret, true)
	test := Sample()
	test.ID, test.TriggerTime, test.Test = "gcn:maxi:2", a.TriggerTime.Add(time.Hour), true
	put(t, s, test, true)
	fermi := Sample()
	fermi.ID, fermi.Mission, fermi.EventType, fermi.TriggerTime = "gcn:fermi:3", "Fermi", "grb", a.TriggerTime.Add(2*time.Hour)
	fermi.Localization = alerts.CircleAt(10, -30, 5)
	put(t, s, fermi, true)
	frb := Sample()
	frb.ID, frb.Mission, frb.EventType, frb.TriggerTime = "gcn:chime:4", "CHIME", "frb", a.TriggerTime.Add(3*time.Hour)
	frb.Localization = &alerts.Localization{Shape: alerts.Polygon, RA: 0.5, Dec: 89.5, Vertices: [][2]float64{{0, 89}, {120, 89}, {240, 89}}}
	put(t, s, frb, true)
	nowhere := Sample()
	nowhere.ID, nowhere.TriggerTime, nowhere.Localization = "gcn:maxi:5", a.TriggerTime.Add(4*time.Hour), nil
	put(t, s, nowhere, true)
	for _, tc := range []struct {
		q    alerts.Query
		want []string
	}{
		{alerts.Query{}, []string{fermi.ID, frb.ID, nowhere.ID}},
		{alerts.Query{IncludeRetracted: true}, []string{a.ID, fermi.ID, frb.ID, nowhere.ID}},
		{alerts.Query{IncludeRetracted: true, IncludeTests: true}, []string{a.ID, test.ID, fermi.ID, frb.ID, nowhere.ID}},
		{alerts.Query{IncludeTests: true, Contains: &[2]float64{346.56, 18.61}}, []string{test.ID}},
		{alerts.Query{IncludeTests: true, Contains: &[2]float64{10, 10}}, nil},
		{alerts.Query{Contains: &[2]float64{12, -33}}, []string{fermi.ID}},
		{alerts.Query{Contains: &[2]float64{300, 89.9}}, []string{frb.ID}}, // across RA 0, around the pole
		{alerts.Query{IncludeTests: true, IncludeRetracted: true, Mission: "maxi", From: a.TriggerTime.Add(time.Minute)}, []string{test.ID, nowhere.ID}},
		{alerts.Query{Mission: "fermi"}, []string{fermi.ID}},
		{alerts.Query{EventType: "frb"}, []string{frb.ID}},
		{alerts.Query{EventType: "grb", IncludeTests: true}, []string{test.ID, fermi.ID, nowhere.ID}},
		{alerts.Query{From: fermi.TriggerTime, To: nowhere.TriggerTime}, []string{fermi.ID, frb.ID}},
		{alerts.Query{IncludeTests: true, IncludeRetracted: true, Limit: 1}, []string{a.ID}},
		{alerts.Query{Contains: &[2]float64{12, -33}, Limit: 1}, []string{fermi.ID}},
	} {
		res, err := s.Find(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range res {
			ids = append(ids, r.ID)
		}
		if d := cmp.Diff(tc.want, ids); d != "" {
			t.Errorf("Find(%+v) (-want +got):\n%s", tc.q, d)
		}
	}
}

// notShared: changing what Get returned does not change the store.
func notShared(t *testing.T, s alerts.Store) {
	ctx := context.Background()
	a := Sample()
	put(t, s, a, true)
	got, _, _ := s.Get(ctx, a.ID)
	got.Localization.RA = 0
	got.Names[0] = "changed"
	again, _, _ := s.Get(ctx, a.ID)
	if again.Localization.RA == 0 || again.Names[0] == "changed" {
		t.Error("a caller's change reached the store")
	}
}

// refusals: an alert without an ID, and a cancelled context.
func refusals(t *testing.T, s alerts.Store) {
	ctx := context.Background()
	if _, err := s.Put(ctx, alerts.Alert{}); err == nil {
		t.Error("an alert without an ID was stored")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Put(cctx, Sample()); err == nil {
		t.Error("Put ignored a cancelled context")
	}
	if _, err := s.Find(cctx, alerts.Query{}); err == nil {
		t.Error("Find ignored a cancelled context")
	}
}
