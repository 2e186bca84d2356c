package arcsecond

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

func TestSubscriptionTestDelivery(t *testing.T) {
	s := newAuthServerWith(t, NodeOptions{Auth: &AuthOptions{}, AllowPrivateWebhooks: true})
	h := newHookRecorder(t)
	var created subscribe.Subscription
	json.Unmarshal(s.want("alice", "POST", "/api/subscriptions", `{"id": "t", "match_all": true, "delivery": {"webhook": {"url": "`+h.URL+`"}}}`, 201), &created)
	h.mu.Lock()
	h.verify = created.Delivery.Webhook.Secrets
	h.mu.Unlock()
	s.want("alice", "POST", "/api/subscriptions", `{"id": "quiet", "match_all": true}`, 201)

	type answer struct {
		Subscription string
		Deliveries   []TestDelivery
	}
	test := func(who, path string, status int) answer {
		t.Helper()
		var a answer
		json.Unmarshal(s.want(who, "POST", path, "", status), &a)
		return a
	}
	test("bob", "/api/subscriptions/t/test", 404)
	test("rita", "/api/subscriptions/t/test", 403)
	test("alice", "/api/subscriptions/quiet/test", 409)

	// Delivered, signed with the subscription's secret, marked as a test.
	a := test("alice", "/api/subscriptions/t/test", 200)
	if a.Subscription != "t" || len(a.Deliveries) != 1 || !a.Deliveries[0].OK || a.Deliveries[0].Target != h.URL || a.Deliveries[0].Reason != "" {
		t.Fatalf("test answered %+v", a)
	}
	h.mu.Lock()
	acts, bad := append([]string(nil), h.acts...), h.bad
	h.status = http.StatusGone
	h.mu.Unlock()
	if len(acts) != 1 || !strings.HasPrefix(acts[0], "test:") || bad != 0 {
		t.Fatalf("the receiver got %v (%d unverified)", acts, bad)
	}
	// A refusal is reported with its status and a fixed reason.
	a = test("alice", "/api/subscriptions/t/test", 200)
	if d := a.Deliveries[0]; d.OK || d.Status != http.StatusGone || d.Reason != "the receiver refused the delivery" {
		t.Fatalf("refused test answered %+v", a)
	}
	// The admin sees the outcome, not alice's URL.
	if b := s.want("root", "POST", "/api/subscriptions/t/test?owner=alice", "", 200); strings.Contains(string(b), h.URL) {
		t.Fatalf("the admin was shown alice's URL: %s", b)
	}
	// Rate-limited: a burst of 3, then 429 with Retry-After.
	st, b := s.call("alice", "POST", "/api/subscriptions/t/test", "", "")
	if st != http.StatusTooManyRequests {
		t.Fatalf("a 4th test: %d %s", st, b)
	}
	// Nothing was recorded as a match.
	var hist struct{ Matches []MatchRecord }
	json.Unmarshal(s.want("alice", "GET", "/api/subscriptions/t/matches", "", 200), &hist)
	if len(hist.Matches) != 0 {
		t.Errorf("a test delivery was recorded as a match: %+v", hist.Matches)
	}
}

// TestSubscriptionTestDeliveryGuard: the test goes through the address
// guard like a real delivery.
func TestSubscriptionTestDeliveryGuard(t *testing.T) {
	s := newAuthServer(t, AuthOptions{})
	// Created with the guard off would be refused at creation; store one
	// directly, as a node whose policy changed would hold it.
	sub := &subscribe.Subscription{ID: "g", Owner: "alice", MatchAll: true, Delivery: subscribe.Delivery{Webhook: &subscribe.WebhookTarget{URL: "http://127.0.0.1:1/hook", Secrets: []string{subscribe.NewSecret()}}}}
	if err := s.node.putSubscription(t.Context(), sub, false); err != nil {
		t.Fatal(err)
	}
	var a struct{ Deliveries []TestDelivery }
	json.Unmarshal(s.want("alice", "POST", "/api/subscriptions/g/test", "", 200), &a)
	if len(a.Deliveries) != 1 || a.Deliveries[0].OK || !strings.Contains(a.Deliveries[0].Reason, "not allowed") {
		t.Fatalf("guarded test answered %+v", a)
	}
}
