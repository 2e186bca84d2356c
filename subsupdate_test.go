package arcsecond

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

// runNode runs s's node (its dispatcher) until the test ends.
func runNode(t *testing.T, s *authServer) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.node.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func publishLine(id string) string {
	return `{"id": "myobs:` + id + `", "source": "myobs", "kind": "planned", "facility": "Obs 1m", "start": "2026-11-20T00:00:00Z", "end": "2026-11-20T00:10:00Z", "revision": 1}` + "\n"
}

func TestSubscriptionUpdateAndPause(t *testing.T) {
	s := newAuthServerWith(t, NodeOptions{Auth: &AuthOptions{}, AllowPrivateWebhooks: true})
	runNode(t, s)
	h := newHookRecorder(t)
	var created subscribe.Subscription
	json.Unmarshal(s.want("alice", "POST", "/api/subscriptions", `{"id": "w", "criteria": {"sources": ["eso"]}, "delivery": {"webhook": {"url": "`+h.URL+`"}}}`, 201), &created)
	secret := created.Delivery.Webhook.Secrets
	if len(secret) != 1 || !strings.HasPrefix(secret[0], "whsec_") || strings.Contains(secret[0], "…") {
		t.Fatalf("created: %+v", created)
	}

	// PUT: validated as POST, the owner's only, the path's ID.
	s.want("bob", "PUT", "/api/subscriptions/w", `{"match_all": true}`, 404)
	s.want("alice", "PUT", "/api/subscriptions/nope", `{"match_all": true}`, 404)
	s.want("alice", "PUT", "/api/subscriptions/w", `{"id": "v", "match_all": true}`, 400)
	s.want("alice", "PUT", "/api/subscriptions/w", `{"criteria": {"kinds": ["bogus"]}}`, 400)
	s.want("alice", "PUT", "/api/subscriptions/w", `{"criteria": {"sources": ["myobs"]}, "bogus": 1}`, 400)
	s.want("rita", "PUT", "/api/subscriptions/w", `{"match_all": true}`, 403)
	if b := s.want("alice", "GET", "/api/subscriptions/w", "", 200); !strings.Contains(string(b), `"eso"`) {
		t.Fatalf("a refused PUT changed the subscription: %s", b)
	}
	b := s.want("alice", "PUT", "/api/subscriptions/w", `{"owner": "bob", "criteria": {"sources": ["myobs"]}, "delivery": {"webhook": {"url": "`+h.URL+`"}}}`, 200)
	var up subscribe.Subscription
	json.Unmarshal(b, &up)
	if up.ID != "w" || up.Owner != "alice" || !slices.Equal(up.Criteria.Sources, []string{"myobs"}) || strings.Contains(string(b), secret[0]) {
		t.Fatalf("PUT answered %s", b)
	}
	// The webhook kept its secret (the body gave none).
	if got, _ := s.node.lookup(s.node.subKey("alice", "w")); got == nil || !slices.Equal(got.Delivery.Webhook.Secrets, secret) {
		t.Fatalf("the secret after PUT: %+v", got)
	}

	// Paused, it matches nothing; resumed, it matches what arrives next.
	s.want("bob", "POST", "/api/subscriptions/w/pause", "", 404)
	if b := s.want("alice", "POST", "/api/subscriptions/w/pause", "", 200); !strings.Contains(string(b), `"paused":true`) {
		t.Fatalf("pause answered %s", b)
	}
	s.want("alice", "POST", "/api/subscriptions/w/pause", "", 200) // idempotent
	if b := s.want("alice", "GET", "/api/subscriptions", "", 200); !strings.Contains(string(b), `"paused":true`) {
		t.Fatalf("the list does not show it paused: %s", b)
	}
	// A paused subscription can still be replaced, and stays paused.
	if b := s.want("alice", "PUT", "/api/subscriptions/w", `{"criteria": {"sources": ["myobs"], "facilities": ["Obs 1m"]}, "delivery": {"webhook": {"url": "`+h.URL+`"}}}`, 200); !strings.Contains(string(b), `"paused":true`) {
		t.Fatalf("PUT of a paused one answered %s", b)
	}
	// A second subscription, never paused, shows when the node has matched
	// p1: publishing only stores it, and resuming before the node reaches it
	// would let it match.
	h2 := newHookRecorder(t)
	s.want("alice", "POST", "/api/subscriptions", `{"id": "witness", "criteria": {"sources": ["myobs"]}, "delivery": {"webhook": {"url": "`+h2.URL+`"}}}`, 201)
	const nd = "application/x-ndjson"
	if st, b := s.call("obs", "POST", "/api/activities", nd, publishLine("p1")); st != 200 {
		t.Fatalf("publish: %d %s", st, b)
	}
	waitFor(t, "the node to match p1", 10*time.Second, func() bool {
		var wit struct{ Matches []MatchRecord }
		json.Unmarshal(s.want("alice", "GET", "/api/subscriptions/witness/matches", "", 200), &wit)
		return len(wit.Matches) == 1 && wit.Matches[0].Activity == "myobs:p1"
	})
	if b := s.want("alice", "POST", "/api/subscriptions/w/resume", "", 200); strings.Contains(string(b), `"paused"`) {
		t.Fatalf("resume answered %s", b)
	}
	if st, b := s.call("obs", "POST", "/api/activities", nd, publishLine("p2")); st != 200 {
		t.Fatalf("publish: %d %s", st, b)
	}
	waitFor(t, "the delivery after resuming", 10*time.Second, func() bool { ids, _ := h.got(); return len(ids) >= 1 })
	// p1, matched while paused, matched nothing.
	var hist struct{ Matches []MatchRecord }
	json.Unmarshal(s.want("alice", "GET", "/api/subscriptions/w/matches", "", 200), &hist)
	if len(hist.Matches) != 1 || hist.Matches[0].Activity != "myobs:p2" {
		t.Fatalf("matches: %+v", hist.Matches)
	}
	if acts := h.activities(); !slices.Equal(acts, []string{"myobs:p2"}) {
		t.Errorf("the webhook received %v, want myobs:p2 only", acts)
	}
	// Delete takes a paused one too.
	s.want("alice", "POST", "/api/subscriptions/w/pause", "", 200)
	s.want("alice", "DELETE", "/api/subscriptions/w", "", 204)
	s.want("alice", "GET", "/api/subscriptions/w", "", 404)
	s.want("alice", "POST", "/api/subscriptions/w/resume", "", 404)
}
