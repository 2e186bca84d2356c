package subscribe

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
)

// TestHandleCoincidences: coincidence and alert matches become one
// notification per channel and (subscription, activity, alert), whatever
// the alert's revision, with their own keys and payload types; an e-mail
// renders the alert and the activity.
func TestHandleCoincidences(t *testing.T) {
	ctx := context.Background()
	store := openTestStore(t)
	d, err := NewDispatcher(DispatcherOptions{Store: store, Index: NewMatcher()})
	if err != nil {
		t.Fatal(err)
	}
	trig := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	al := alerts.Alert{ID: "gcn:fermi:1", Revision: 1, Source: "gcn", Status: alerts.StatusActive, Mission: "Fermi", EventType: "grb",
		TriggerTime: trig, Localization: alerts.CircleAt(10, 20, 2)}
	act := activities.Activity{ID: "swift:1", Revision: 3, Source: "swift", Kind: activities.KindStarted, Facility: "Swift", Start: trig}
	act.Target.SetPosition(10.5, 20)
	co := &Subscription{ID: "co", Delivery: Delivery{Webhook: &WebhookTarget{URL: "https://example.org/hook"}, Email: &EmailTarget{To: "ops@example.org"}}}
	only := &Subscription{ID: "grb", Delivery: Delivery{Webhook: &WebhookTarget{URL: "https://example.org/hook"}}}
	live := &Subscription{ID: "live", Delivery: Delivery{Live: true}}
	ms := []CoincidenceMatch{
		{Subscription: co, Activity: &act, Alert: &al, Delta: 90 * time.Second, Separation: 0.47},
		{Subscription: only, Alert: &al},
		{Subscription: live, Alert: &al},
	}
	n, err := d.HandleCoincidences(ctx, ms)
	if err != nil || n != 3 {
		t.Fatalf("HandleCoincidences: %d, %v; want 3 notifications", n, err)
	}
	// A later revision of the same alert: the same coincidences, nothing new.
	al2 := al
	al2.Revision = 2
	ms[0].Alert, ms[1].Alert = &al2, &al2
	if n, err := d.HandleCoincidences(ctx, ms); err != nil || n != 0 {
		t.Errorf("again: %d, %v; want 0", n, err)
	}
	ns, err := store.ByKey(ctx, CoincidenceKey("co", "swift:1", "gcn:fermi:1"))
	if err != nil || len(ns) != 2 {
		t.Fatalf("ByKey(co): %v %v", ns, err)
	}
	var p AlertPayload
	if err := json.Unmarshal(ns[0].Payload, &p); err != nil {
		t.Fatal(err)
	}
	if p.Type != TypeCoincidence || p.Data.Activity == nil || p.Data.Activity.ID != "swift:1" || p.Data.Alert.ID != al.ID || *p.Data.DeltaS != 90 || *p.Data.SeparationDeg != 0.47 {
		t.Errorf("coincidence payload: %+v", p)
	}
	if ns[0].ActivityID != "swift:1" || ns[0].Revision != 3 {
		t.Errorf("coincidence notification: %+v", ns[0])
	}
	ns, _ = store.ByKey(ctx, CoincidenceKey("grb", "", "gcn:fermi:1"))
	p = AlertPayload{}
	if len(ns) != 1 || json.Unmarshal(ns[0].Payload, &p) != nil || p.Type != TypeAlertMatched || p.Data.Activity != nil || ns[0].ActivityID != al.ID {
		t.Errorf("alert notification: %+v %+v", ns, p)
	}
	if CoincidenceKey("co", "swift:1", "gcn:fermi:1") == IdempotencyKey("co", "swift:1", 3) {
		t.Error("a coincidence key equals an activity key")
	}
	e, err := composeNotification([]Notification{{Key: "msg_1", Subscription: "co", Target: "ops@example.org", Payload: mustPayload(t, store, "co")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gcn:fermi:1", "Swift", "90 s from the trigger", "0.4700°"} {
		if !strings.Contains(e.Text+e.Subject, want) {
			t.Errorf("e-mail lacks %q:\n%s\n%s", want, e.Subject, e.Text)
		}
	}
}

func mustPayload(t *testing.T, store *SQLiteOutbox, sub string) []byte {
	ns, err := store.ByKey(context.Background(), CoincidenceKey(sub, "swift:1", "gcn:fermi:1"))
	if err != nil || len(ns) == 0 {
		t.Fatalf("ByKey: %v %v", ns, err)
	}
	return ns[0].Payload
}

// TestEqualFoldKey: the mission index's key agrees with strings.EqualFold,
// which alertMatches applies.
func TestEqualFoldKey(t *testing.T) {
	words := []string{"MAXI", "maxi", " Maxi ", "Fermi", "FERMİ", "fermi", "\u212Aelvin", "kelvin", "Straße", "STRASSE", "ſwift", "Swift", "σ", "Σ", "ς", ""}
	for _, a := range words {
		for _, b := range words {
			eq := strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
			if (equalFoldKey(a) == equalFoldKey(b)) != eq {
				t.Errorf("equalFoldKey(%q) == equalFoldKey(%q) is %v, EqualFold %v", a, b, !eq, eq)
			}
		}
	}
}

// TestAlertSubscriptionReplaced: replacing or removing an alert
// subscription updates the mission index.
func TestAlertSubscriptionReplaced(t *testing.T) {
	x := NewCoincidences()
	sub := func(missions ...string) *Subscription {
		return &Subscription{ID: "a", Criteria: Criteria{Alerts: &AlertCriteria{Missions: missions}}}
	}
	alert := func(id, mission string) alerts.Alert {
		return alerts.Alert{ID: id, Revision: 1, Source: "gcn", Status: alerts.StatusActive, Mission: mission, TriggerTime: time.Unix(1.7e9, 0)}
	}
	if err := x.Add(sub("Fermi")); err != nil {
		t.Fatal(err)
	}
	if ms := x.Alert(alert("1", "FERMI")); len(ms) != 1 {
		t.Errorf("Fermi alert: %d matches", len(ms))
	}
	if err := x.Add(sub("MAXI")); err != nil {
		t.Fatal(err)
	}
	if ms := x.Alert(alert("2", "Fermi")); len(ms) != 0 {
		t.Errorf("Fermi alert after the replacement: %d matches", len(ms))
	}
	if ms := x.Alert(alert("3", "maxi")); len(ms) != 1 {
		t.Errorf("MAXI alert: %d matches", len(ms))
	}
	if err := x.Add(sub()); err != nil {
		t.Fatal(err)
	}
	if ms := x.Alert(alert("4", "IceCube")); len(ms) != 1 {
		t.Errorf("any-mission subscription: %d matches", len(ms))
	}
	x.Remove("a")
	if ms := x.Alert(alert("5", "IceCube")); len(ms) != 0 || len(x.byMission) != 0 {
		t.Errorf("after Remove: %d matches, index %v", len(ms), x.byMission)
	}
}
