package arcsecond

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// storeOnly hides every method of an outbox but those of subscribe.Store,
// as an outbox that offers no inspection would.
type storeOnly struct{ subscribe.Store }

// TestOutboxInspection: the match history and the outbox gauges come from
// the outbox through subscribe.Inspector and subscribe.Counter; an outbox
// without them gives a 501 and no gauges.
func TestOutboxInspection(t *testing.T) {
	ctx := context.Background()
	s, err := NewNode(ctx, NodeOptions{Replay: &ReplayOptions{Speed: 1000}, AllowPrivateWebhooks: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	do := func(method, path, body string) (int, string) {
		t.Helper()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		b, _ := io.ReadAll(rec.Result().Body)
		return rec.Code, string(b)
	}
	if code, b := do("POST", "/api/subscriptions", `{"id": "w", "criteria": {"sources": ["swift"]}, "delivery": {"webhook": {"url": "http://127.0.0.1:1/hook"}, "email": {"to": "ops@example.org"}}}`); code != 201 {
		t.Fatalf("POST: %d %s", code, b)
	}
	// A recorded match, and its notifications: one delivered, one dead.
	now := time.Now()
	s.subs.recordMatch(subscribe.Match{Subscription: s.index.Get("w")}, &activities.Activity{ID: "swift:1", Revision: 2}, now)
	key := subscribe.IdempotencyKey("w", "swift:1", 2)
	ids, err := s.outbox.Enqueue(ctx, []subscribe.Notification{
		{Key: key, Channel: subscribe.ChannelWebhook, Subscription: "w", Target: "http://127.0.0.1:1/hook", ActivityID: "swift:1", Revision: 2, Payload: []byte(`{}`), NextAt: now, Created: now},
		{Key: key, Channel: subscribe.ChannelEmail, Subscription: "w", Target: "ops@example.org", ActivityID: "swift:1", Revision: 2, Payload: []byte(`{}`), NextAt: now, Created: now},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.outbox.Delivered(ctx, ids[0], now); err != nil {
		t.Fatal(err)
	}
	if err := s.outbox.Dead(ctx, ids[1], "550 no such user"); err != nil {
		t.Fatal(err)
	}

	code, b := do("GET", "/api/subscriptions/w/matches", "")
	if code != 200 {
		t.Fatalf("matches: %d %s", code, b)
	}
	var hist struct{ Matches []MatchRecord }
	if err := json.Unmarshal([]byte(b), &hist); err != nil {
		t.Fatal(err)
	}
	want := []DeliveryState{
		{Channel: "email", Target: "ops@example.org", State: "dead", Attempts: 1, LastError: "550 no such user"},
		{Channel: "webhook", Target: "http://127.0.0.1:1/hook", State: "delivered", Attempts: 1},
	}
	if len(hist.Matches) != 1 || hist.Matches[0].Activity != "swift:1" || len(hist.Matches[0].Deliveries) != 2 ||
		hist.Matches[0].Deliveries[0] != want[0] || hist.Matches[0].Deliveries[1] != want[1] {
		t.Errorf("matches: %s", b)
	}
	code, b = do("GET", "/metrics", "")
	for _, m := range []string{`activityd_notifications{channel="email",state="dead"} 1`, `activityd_notifications{channel="webhook",state="delivered"} 1`} {
		if code != 200 || !strings.Contains(b, m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}

	// An outbox that cannot be inspected.
	s.outbox = storeOnly{s.outbox}
	code, b = do("GET", "/api/subscriptions/w/matches", "")
	var e apiError
	if code != http.StatusNotImplemented || json.Unmarshal([]byte(b), &e) != nil || !strings.Contains(e.Error, "subscribe.Inspector") {
		t.Errorf("matches without an Inspector: %d %s", code, b)
	}
	code, b = do("GET", "/metrics", "")
	if code != 200 || strings.Contains(b, "activityd_notifications") || !strings.Contains(b, "activityd_http_requests_total") {
		t.Errorf("/metrics without a Counter: %d\n%s", code, b)
	}
}
