package arcsecond

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

// hookRecorder is a webhook receiver recording the webhook-id, the
// data.subscription and the activity of what it receives.
type hookRecorder struct {
	mu   sync.Mutex
	ids  []string
	subs []string
	acts []string
	// status is what it answers (default 200); verify, when set, checks
	// each request's signature.
	status int
	verify []string
	bad    int // requests whose signature did not verify
	*httptest.Server
}

func newHookRecorder(t *testing.T) *hookRecorder {
	h := &hookRecorder{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var p subscribe.Payload
		json.Unmarshal(b, &p)
		h.mu.Lock()
		h.ids = append(h.ids, r.Header.Get(subscribe.HeaderID))
		h.subs = append(h.subs, p.Data.Subscription)
		h.acts = append(h.acts, p.Data.Activity.ID)
		if h.verify != nil && subscribe.Verify(r.Header, b, time.Now(), time.Minute, h.verify...) != nil {
			h.bad++
		}
		st := h.status
		h.mu.Unlock()
		if st != 0 {
			w.WriteHeader(st)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookRecorder) activities() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.acts...)
}

func (h *hookRecorder) got() (ids, subs []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.ids...), append([]string(nil), h.subs...)
}

// TestSubscriptionIDsPerOwner: bob has "x"; alice creating "x" is 201 (a
// 409 would tell her bob's exists), both deliver independently under
// distinct idempotency keys, and neither sees the other's.
func TestSubscriptionIDsPerOwner(t *testing.T) {
	s := newAuthServerWith(t, NodeOptions{Auth: &AuthOptions{}, AllowPrivateWebhooks: true})
	runNode(t, s)
	ha, hb := newHookRecorder(t), newHookRecorder(t)
	sub := func(url string) string {
		return `{"id": "x", "criteria": {"sources": ["myobs"]}, "delivery": {"webhook": {"url": "` + url + `"}}}`
	}
	s.want("bob", "POST", "/api/subscriptions", sub(hb.URL), 201)
	s.want("alice", "POST", "/api/subscriptions", sub(ha.URL), 201)
	s.want("alice", "POST", "/api/subscriptions", sub(ha.URL), 409) // her own "x" exists

	// Each sees only their own "x", with their own webhook URL.
	for who, url := range map[string]string{"alice": ha.URL, "bob": hb.URL} {
		b := s.want(who, "GET", "/api/subscriptions/x", "", 200)
		var got subscribe.Subscription
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if got.ID != "x" || got.Owner != who || got.Delivery.Webhook == nil || got.Delivery.Webhook.URL != url {
			t.Errorf("%s's x: %s", who, b)
		}
		if ids := subIDs(t, s.want(who, "GET", "/api/subscriptions", "", 200)); len(ids) != 1 || !strings.HasPrefix(ids[0], "x/"+who+"/") {
			t.Errorf("%s lists %v", who, ids)
		}
	}
	// Naming the other owner is 404 to a user, 200 to an admin.
	s.want("alice", "GET", "/api/subscriptions/x?owner=bob", "", 404)
	s.want("alice", "GET", "/api/subscriptions/x/matches?owner=bob", "", 404)
	s.want("alice", "DELETE", "/api/subscriptions/x?owner=bob", "", 404)
	s.want("root", "GET", "/api/subscriptions/x?owner=bob", "", 200)

	const nd = "application/x-ndjson"
	if st, b := s.call("obs", "POST", "/api/activities", nd, `{"id": "myobs:n1", "source": "myobs", "kind": "planned", "facility": "Obs 1m", "start": "2026-11-20T00:00:00Z", "end": "2026-11-20T00:10:00Z", "revision": 1}`+"\n"); st != 200 {
		t.Fatalf("publish: %d %s", st, b)
	}
	waitFor(t, "both webhooks", 10*time.Second, func() bool {
		a, _ := ha.got()
		b, _ := hb.got()
		return len(a) >= 1 && len(b) >= 1
	})
	aIDs, aSubs := ha.got()
	bIDs, bSubs := hb.got()
	if aIDs[0] == bIDs[0] {
		t.Errorf("alice's and bob's x share the idempotency key %q", aIDs[0])
	}
	// The payload names the subscription by the ID its owner knows.
	if aSubs[0] != "x" || bSubs[0] != "x" {
		t.Errorf("data.subscription: alice's %q, bob's %q, want x", aSubs[0], bSubs[0])
	}
	// Each one's match history shows only their own delivery.
	for who, url := range map[string]string{"alice": ha.URL, "bob": hb.URL} {
		var h struct {
			Subscription string
			Matches      []MatchRecord
		}
		waitFor(t, who+"'s delivery", 10*time.Second, func() bool {
			json.Unmarshal(s.want(who, "GET", "/api/subscriptions/x/matches", "", 200), &h)
			return len(h.Matches) == 1 && len(h.Matches[0].Deliveries) == 1 && h.Matches[0].Deliveries[0].State == "delivered"
		})
		if h.Subscription != "x" || h.Matches[0].Deliveries[0].Target != url {
			t.Errorf("%s's matches: %+v", who, h)
		}
	}
	// Alice deleting her "x" leaves bob's.
	s.want("alice", "DELETE", "/api/subscriptions/x", "", 204)
	s.want("alice", "GET", "/api/subscriptions/x", "", 404)
	s.want("bob", "GET", "/api/subscriptions/x", "", 200)
	if ids, _ := ha.got(); len(ids) != 1 {
		t.Errorf("alice's receiver got %d notifications, want 1", len(ids))
	}
}

// TestUnsubscribeLinkPerOwner: an e-mail's unsubscribe link names the
// subscription's key, so alice's link removes her "x", not bob's.
func TestUnsubscribeLinkPerOwner(t *testing.T) {
	const secret = "unsubscribe-secret"
	s := newAuthServerWith(t, NodeOptions{Auth: &AuthOptions{}, UnsubscribeSecret: secret})
	for _, who := range []string{"alice", "bob"} {
		s.want(who, "POST", "/api/subscriptions", `{"id": "x", "match_all": true, "delivery": {"email": {"to": "`+who+`@example.org"}}}`, 201)
	}
	key := s.node.subKey("alice", "x")
	if key == "x" {
		t.Fatal("alice's key is the bare ID")
	}
	tok := subscribe.UnsubscribeToken([]byte(secret), key)
	b := s.want("", "POST", "/api/unsubscribe?s="+url.QueryEscape(key)+"&t="+url.QueryEscape(tok), "", 200)
	if !strings.Contains(string(b), `"subscription":"x"`) {
		t.Errorf("unsubscribe answered %s", b)
	}
	s.want("alice", "GET", "/api/subscriptions/x", "", 404)
	s.want("bob", "GET", "/api/subscriptions/x", "", 200)
}

// TestSubscriptionKeysMigrated: a database written before IDs were scoped
// per owner (alice's "a1" stored under "a1") is rekeyed when the node opens
// it, match history included.
func TestSubscriptionKeysMigrated(t *testing.T) {
	s := newAuthServer(t, AuthOptions{})
	s.want("alice", "POST", "/api/subscriptions", aliceSub, 201)
	db := s.node.db
	if _, err := db.Exec(`UPDATE activityd_subscriptions SET id = 'a1' WHERE id = ?`, s.node.subKey("alice", "a1")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO activityd_matches (subscription, activity, revision, reasons, at) VALUES ('a1', 'eso:1', 1, '[]', 1)`); err != nil {
		t.Fatal(err)
	}
	s.hs.Close()
	s.node.Close()
	n, err := NewNode(context.Background(), NodeOptions{DBPath: s.db, Auth: &AuthOptions{}, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	s.node, s.hs = n, httptest.NewServer(n.Handler())
	t.Cleanup(s.hs.Close)
	s.want("alice", "GET", "/api/subscriptions/a1", "", 200)
	var h struct{ Matches []MatchRecord }
	json.Unmarshal(s.want("alice", "GET", "/api/subscriptions/a1/matches", "", 200), &h)
	if len(h.Matches) != 1 || h.Matches[0].Activity != "eso:1" {
		t.Errorf("the history after rekeying: %+v", h.Matches)
	}
	s.want("bob", "GET", "/api/subscriptions/a1", "", 404)
}
