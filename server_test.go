package arcsecond

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// testServer is a node served on a loopback port.
type testServer struct {
	node *Node
	base string
	logs *syncBuffer
	stop func() error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startNode runs a node with o (logging into the test's buffer), serves
// its handler on a loopback port, and stops both at the end of the test.
func startNode(t testing.TB, o NodeOptions) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	n, err := NewNode(context.Background(), o)
	if err != nil {
		t.Fatalf("NewNode: %v\n%s", err, logs)
	}
	hs := httptest.NewServer(n.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- n.Run(ctx) }()
	var once sync.Once
	var stopErr error
	ts := &testServer{node: n, base: hs.URL, logs: logs}
	ts.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-ran:
			case <-time.After(30 * time.Second):
				stopErr = fmt.Errorf("the node did not stop")
			}
			hs.Close()
			stopErr = errors.Join(stopErr, n.Close())
		})
		return stopErr
	}
	t.Cleanup(func() {
		if err := ts.stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
		if t.Failed() {
			t.Logf("node logs:\n%s", logs)
		}
	})
	return ts
}

func (ts *testServer) do(t testing.TB, method, path string, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, ts.base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkAPI(t, req, []byte(body), resp, b)
	return resp.StatusCode, b
}

func (ts *testServer) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	code, b := ts.do(t, "GET", path, "")
	if code != 200 {
		t.Fatalf("GET %s: %d %s", path, code, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, b)
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// totalReplayed counts the activities the shipped recorded replies hold
// (distinct IDs).
func totalReplayed(t testing.TB) int {
	srcs, err := newReplaySources(ReplayOptions{}, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, s := range srcs {
		for _, it := range s.items {
			ids[it.a.ID] = true
		}
	}
	return len(ids)
}

// TestReplayEndToEnd drives a replaying node through its handler like a
// user: a webhook
// subscription created through the API, a WebSocket client, REST calls.
func TestReplayEndToEnd(t *testing.T) {
	// The webhook receiver, checking the Standard Webhooks signature.
	var mu sync.Mutex
	var secret string
	got := map[string]subscribe.Payload{}
	bad := 0
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if err := subscribe.Verify(r.Header, b, time.Now(), 5*time.Minute, secret); err != nil {
			bad++
			http.Error(w, err.Error(), 400)
			return
		}
		var p subscribe.Payload
		if err := json.Unmarshal(b, &p); err != nil {
			bad++
			http.Error(w, err.Error(), 400)
			return
		}
		got[r.Header.Get(subscribe.HeaderID)] = p
	}))
	defer recv.Close()

	want := totalReplayed(t)
	db := filepath.Join(t.TempDir(), "activityd.db")
	ts := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 6000, Wait: 2 * time.Second}, DBPath: db, AllowPrivateWebhooks: true})

	// A subscription to the Swift observations, delivered by webhook.
	code, b := ts.do(t, "POST", "/api/subscriptions", fmt.Sprintf(`{"id": "swift-watch",
		"criteria": {"sources": ["swift"]}, "delivery": {"webhook": {"url": %q}}}`, recv.URL+"/hook"))
	if code != http.StatusCreated {
		t.Fatalf("POST /api/subscriptions: %d %s", code, b)
	}
	var created subscribe.Subscription
	if err := json.Unmarshal(b, &created); err != nil || created.Delivery.Webhook == nil || len(created.Delivery.Webhook.Secrets) != 1 {
		t.Fatalf("created subscription %s (%v): want one generated secret", b, err)
	}
	mu.Lock()
	secret = created.Delivery.Webhook.Secrets[0]
	mu.Unlock()

	// A WebSocket client for everything, and one filtered to gemini.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	wsURL := "ws" + strings.TrimPrefix(ts.base, "http") + "/activities/live"
	all, _, err := websocket.Dial(ctx, wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer all.CloseNow()
	gem, _, err := websocket.Dial(ctx, wsURL+"?source=gemini", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer gem.CloseNow()
	read := func(c *websocket.Conn, n int, check func(a activities.Activity)) map[string]bool {
		ids := map[string]bool{}
		for len(ids) < n {
			typ, msg, err := c.Read(ctx)
			if err != nil {
				t.Fatalf("WebSocket read after %d distinct activities of %d: %v", len(ids), n, err)
			}
			if typ != websocket.MessageText {
				t.Fatalf("message type %v", typ)
			}
			var a activities.Activity
			if err := json.Unmarshal(msg, &a); err != nil {
				t.Fatalf("WebSocket message %s: %v", msg, err)
			}
			if err := a.Validate(); err != nil {
				t.Fatalf("WebSocket activity %s: %v", msg, err)
			}
			check(a)
			ids[a.ID] = true
		}
		return ids
	}
	allIDs := read(all, want, func(activities.Activity) {})
	gemIDs := read(gem, 89, func(a activities.Activity) {
		if a.Source != "gemini" {
			t.Errorf("filtered WebSocket got a %s activity", a.Source)
		}
	})
	if len(allIDs) != want || len(gemIDs) != 89 {
		t.Errorf("WebSocket: %d activities (want %d), %d gemini (want 89)", len(allIDs), want, len(gemIDs))
	}

	// REST: the same activities, paginated, one by one, filtered.
	var ids []string
	next := ""
	for page := 0; ; page++ {
		var p struct {
			Activities []activities.Activity `json:"activities"`
			Next       string                `json:"next"`
		}
		ts.getJSON(t, "/api/activities?limit=50&cursor="+next, &p)
		for _, a := range p.Activities {
			ids = append(ids, a.ID)
		}
		if next = p.Next; next == "" {
			break
		}
		if page > 100 {
			t.Fatal("pagination does not end")
		}
	}
	if len(ids) != want {
		t.Errorf("REST listed %d activities, want %d", len(ids), want)
	}
	for _, id := range ids {
		if !allIDs[id] {
			t.Errorf("REST lists %s, the WebSocket did not send it", id)
		}
	}
	var one activities.Activity
	ts.getJSON(t, "/api/activities/"+ids[0], &one)
	if one.ID != ids[0] {
		t.Errorf("GET one: %s", one.ID)
	}
	var hst struct{ Activities []activities.Activity }
	ts.getJSON(t, "/api/activities?source=hst-mast&limit=1000", &hst)
	if len(hst.Activities) != 4 {
		t.Errorf("source=hst-mast: %d activities, want 4", len(hst.Activities))
	}
	var cone struct{ Activities []activities.Activity }
	ts.getJSON(t, "/api/activities?ra=210.8&dec=54.35&radius=1&limit=1000", &cone) // M101
	if len(cone.Activities) < 89 {
		t.Errorf("cone round M101: %d activities, want >= 89 (the gemini ones)", len(cone.Activities))
	}
	for _, a := range cone.Activities {
		if a.Target.RA == nil || astro.Separation(astro.Deg(*a.Target.RA), astro.Deg(*a.Target.Dec), astro.Deg(210.8), astro.Deg(54.35)).Deg() > 1.5 {
			t.Errorf("cone round M101 lists %s at %v", a.ID, a.Target)
		}
	}

	// Sources and their health.
	var srcs struct{ Sources []SourceStatus }
	ts.getJSON(t, "/api/sources", &srcs)
	names := map[string]bool{}
	for _, s := range srcs.Sources {
		names[s.Name] = true
		if s.State != "ok" || s.Polls == 0 {
			t.Errorf("source %+v", s)
		}
	}
	for _, n := range []string{"gemini", "hst-mast", "hst-timeline", "swift"} {
		if !names[n] {
			t.Errorf("source %s missing from /api/sources: %v", n, names)
		}
	}

	// The webhook fired for every Swift observation (9; the as-flown
	// revision of 6 of them may come as a second notification or, when the
	// matcher reads the store after both were recorded, alone), signed, and
	// the history says so.
	defer func() {
		if t.Failed() {
			_, b := ts.do(t, "GET", "/api/subscriptions/swift-watch/matches", "")
			_, m := ts.do(t, "GET", "/metrics", "")
			var lines []string
			for _, l := range strings.Split(string(m), "\n") {
				if strings.HasPrefix(l, "activityd_") {
					lines = append(lines, l)
				}
			}
			t.Logf("matches: %.2000s\nmetrics:\n%s", b, strings.Join(lines, "\n"))
		}
	}()
	waitFor(t, "the Swift webhooks", 30*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		acts := map[string]bool{}
		for _, p := range got {
			acts[p.Data.Activity.ID] = true
		}
		return len(acts) == 9
	})
	mu.Lock()
	for _, p := range got {
		if p.Data.Subscription != "swift-watch" || p.Data.Activity.Source != "swift" || p.Type != "activity.matched" {
			t.Errorf("webhook payload %+v", p)
		}
	}
	if bad > 0 {
		t.Errorf("%d webhook requests failed verification", bad)
	}
	mu.Unlock()
	var hist struct {
		Matches []MatchRecord `json:"matches"`
	}
	waitFor(t, "delivered states in the history", 10*time.Second, func() bool {
		ts.getJSON(t, "/api/subscriptions/swift-watch/matches", &hist)
		for _, m := range hist.Matches {
			if len(m.Deliveries) != 1 || m.Deliveries[0].State != "delivered" {
				return false
			}
		}
		return len(hist.Matches) >= 9
	})

	// Metrics.
	code, b = ts.do(t, "GET", "/metrics", "")
	for _, m := range []string{`activityd_source_polls_total{source="gemini"}`, `activityd_subscription_matches_total{source="swift"}`,
		`activityd_notifications{channel="webhook",state="delivered"}`, `activityd_http_requests_total{code="201",route="POST /api/subscriptions"} 1`} {
		if code != 200 || !bytes.Contains(b, []byte(m)) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
	for _, p := range []string{"/healthz", "/readyz", "/", "/dashboard.js", "/api/version"} {
		if code, b := ts.do(t, "GET", p, ""); code != 200 {
			t.Errorf("GET %s: %d %s", p, code, b)
		}
	}

	// Delete, and a restart keeps the subscriptions that remain.
	ts.do(t, "POST", "/api/subscriptions", `{"id": "m101", "criteria": {"targets": ["M 101"]}}`)
	if code, b := ts.do(t, "DELETE", "/api/subscriptions/swift-watch", ""); code != 204 {
		t.Errorf("DELETE: %d %s", code, b)
	}
	if code, _ := ts.do(t, "DELETE", "/api/subscriptions/swift-watch", ""); code != 404 {
		t.Errorf("second DELETE: %d", code)
	}
	all.Close(websocket.StatusNormalClosure, "")
	gem.Close(websocket.StatusNormalClosure, "")
	if err := ts.stop(); err != nil {
		t.Fatal(err)
	}
	ts2 := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 6000}, DBPath: db})
	var list struct{ Subscriptions []subscribe.Subscription }
	ts2.getJSON(t, "/api/subscriptions", &list)
	if len(list.Subscriptions) != 1 || list.Subscriptions[0].ID != "m101" {
		t.Errorf("after a restart: %+v", list.Subscriptions)
	}
}

// TestBadRequests: every bad request is a 4xx with a message (and the field
// when there is one), never a 500.
func TestBadRequests(t *testing.T) {
	ts := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 100000}})
	huge := `{"id": "x", "criteria": {"targets": ["` + strings.Repeat("a", 2<<20) + `"]}}`
	for _, c := range []struct {
		method, path, body string
		code               int
		field              string
	}{
		{"POST", "/api/subscriptions", `{"id": "x", "criteria": {`, 400, ""},
		{"POST", "/api/subscriptions", `not json`, 400, ""},
		{"POST", "/api/subscriptions", ``, 400, ""},
		{"POST", "/api/subscriptions", huge, 413, ""},
		{"POST", "/api/subscriptions", `{"id": "x", "criteria": {"sources": ["eso"]}, "colour": "red"}`, 400, "colour"},
		{"POST", "/api/subscriptions", `{"id": "x", "criteria": {"regions": [{"ra": 400, "dec": 0, "radius": 1}]}}`, 400, "criteria.regions[0].ra"},
		{"POST", "/api/subscriptions", `{"id": "x", "criteria": {"regions": [{"ra": 10, "dec": -91, "radius": 1}]}}`, 400, "criteria.regions[0].dec"},
		{"POST", "/api/subscriptions", `{"id": "x", "criteria": {}}`, 400, ""},
		{"POST", "/api/subscriptions", `{"id": "", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "x", "criteria": {"sources": ["eso"]}, "delivery": {"webhook": {"url": "ftp://x"}}}`, 400, "delivery.webhook.url"},
		{"POST", "/api/subscriptions", `[1, 2]`, 400, ""},
		{"POST", "/api/subscriptions", `{"id": ".", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "..", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "/", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "a/", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "/a", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "a//b", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "a/./b", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "a/../b", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "a\nb", "criteria": {"sources": ["eso"]}}`, 400, "id"},
		{"POST", "/api/subscriptions", `{"id": "x", "match_all": true, "delivery": {"webhook": {"url": "http://\u00ff\u0000/"}}}`, 400, "delivery.webhook.url"},
		{"POST", "/api/subscriptions", `{"id": "x", "match_all": true, "delivery": {"webhook": {"url": "http://127.0.0.1:9/h"}}}`, 400, "delivery.webhook.url"},
		{"POST", "/api/subscriptions", `{"id": "x", "match_all": true, "delivery": {"webhook": {"url": "http://[64:ff9b::a9fe:a9fe]/h"}}}`, 400, "delivery.webhook.url"},
		{"GET", "/api/activities?ra=400&dec=0&radius=1", "", 400, "cone"},
		{"GET", "/api/activities?ra=10&dec=95&radius=1", "", 400, "cone"},
		{"GET", "/api/activities?ra=abc&dec=0&radius=1", "", 400, "ra"},
		{"GET", "/api/activities?ra=10", "", 400, "dec"},
		{"GET", "/api/activities?ra=NaN&dec=0&radius=1", "", 400, "cone"},
		{"GET", "/api/activities?limit=0", "", 400, "limit"},
		{"GET", "/api/activities?limit=99999", "", 400, "limit"},
		{"GET", "/api/activities?kind=finished", "", 400, "kind"},
		{"GET", "/api/activities?start=yesterday", "", 400, "start"},
		{"GET", "/api/activities?start=2025-01-02T00:00:00Z&end=2025-01-01T00:00:00Z", "", 400, "end"},
		{"GET", "/api/activities?cursor=%zz", "", 400, ""},
		{"GET", "/api/activities?cursor=bm9wZQ", "", 400, "cursor"},
		{"GET", "/api/activities/nope:1", "", 404, ""},
		{"GET", "/api/subscriptions/nope", "", 404, ""},
		{"GET", "/api/subscriptions/nope/matches", "", 404, ""},
		{"GET", "/api/subscriptions/nope/matches?limit=x", "", 400, "limit"},
		{"DELETE", "/api/subscriptions/nope", "", 404, ""},
		{"GET", "/api/nothing", "", 404, ""},
		{"PUT", "/api/activities", "", 404, ""},
		{"POST", "/", "", 405, ""},
		{"GET", "/api/unsubscribe?s=x&t=y", "", 403, ""},
		{"GET", "/activities/live?kind=x", "", 400, "kind"},
		{"GET", "/activities/events?limit=-1", "", 400, "limit"},
		{"GET", "/activities/live", "", 426, ""}, // not an upgrade
	} {
		code, b := ts.do(t, c.method, c.path, c.body)
		name := c.method + " " + c.path
		if len(name) > 80 {
			name = name[:80]
		}
		if code != c.code {
			t.Errorf("%s %.60s: %d %.300s, want %d", name, c.body, code, b, c.code)
			continue
		}
		if code == 426 {
			continue
		}
		var e apiError
		if err := json.Unmarshal(b, &e); err != nil || e.Error == "" {
			t.Errorf("%s: body %s is not an error message (%v)", name, b, err)
		}
		if c.field != "" && e.Field != c.field {
			t.Errorf("%s %.60s: field %q, want %q (%s)", name, c.body, e.Field, c.field, e.Error)
		}
	}
}
