package arcsecond

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
	"github.com/arcsecond-go/arcsecond/connectors/gcn"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// testAlert is an active GBM alert at (ra, dec) with a circle of radius
// 2°, triggered at trig.
func testAlert(key string, rev int64, ra, dec float64, trig time.Time) alerts.Alert {
	return alerts.Alert{
		ID: alerts.NewID("gcn", "fermi-gbm:"+key), Revision: rev, Source: "gcn", Status: alerts.StatusActive,
		Mission: "Fermi", Instrument: "GBM", EventType: "grb", TriggerTime: trig,
		Localization: alerts.CircleAt(ra, dec, 2),
	}
}

// testActivity is a started Swift observation at (ra, dec) over [start,
// start+30 min], with a 0.2° field of view.
func testActivity(id string, ra, dec float64, start time.Time) activities.Activity {
	a := activities.Activity{
		ID: "swift:" + id, Source: "swift", Kind: activities.KindStarted, Facility: "Swift", Instrument: "XRT",
		Start: start, End: start.Add(30 * time.Minute), Revision: 1,
	}
	a.Target.Name = "field " + id
	a.Target.SetPosition(ra, dec)
	a.Target.FOVRadius = 0.2
	return a
}

// signedReceiver is a loopback webhook receiver that checks signatures and
// records the bodies it receives.
type signedReceiver struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	bodies [][]byte
	hdrIDs []string       // the webhook-id of each body
	ids    map[string]int // webhook-id → deliveries
	bad    []string
	got    chan []byte
}

func newSignedReceiver(t testing.TB) *signedReceiver {
	h := &signedReceiver{secret: subscribe.NewSecret(), ids: map[string]int{}, got: make(chan []byte, 1<<16)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		err := subscribe.Verify(r.Header, b, time.Now(), 5*time.Minute, h.secret)
		h.mu.Lock()
		if err != nil {
			h.bad = append(h.bad, err.Error())
		} else {
			h.bodies = append(h.bodies, b)
			h.hdrIDs = append(h.hdrIDs, r.Header.Get("webhook-id"))
			h.ids[r.Header.Get("webhook-id")]++
		}
		h.mu.Unlock()
		if err == nil {
			h.got <- b
		}
		w.WriteHeader(204)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *signedReceiver) payloads(t testing.TB) []subscribe.AlertPayload {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.bad) > 0 {
		t.Errorf("webhooks with bad signatures: %v", h.bad)
	}
	var out []subscribe.AlertPayload
	for _, b := range h.bodies {
		var p subscribe.AlertPayload
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatalf("webhook body: %v: %s", err, b)
		}
		out = append(out, p)
	}
	return out
}

// TestAlertsREST: revisions replace lower ones, a retraction is recorded,
// and GET /api/alerts filters by mission, event type, trigger time and a
// point inside the localization, page by page.
func TestAlertsREST(t *testing.T) {
	ts := startNode(t, NodeOptions{})
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	for i := range 5 {
		a := testAlert(fmt.Sprint(i), 1, float64(10*i+5), 20, t0.Add(time.Duration(i)*time.Hour))
		if i == 3 {
			a.Mission, a.EventType = "IceCube", "neutrino"
		}
		if ok, err := ts.node.IngestAlert(ctx, a); !ok || err != nil {
			t.Fatalf("IngestAlert %s: %v %v", a.ID, ok, err)
		}
	}
	// A newer revision moves alert 0; an older one changes nothing.
	upd := testAlert("0", 5, 100, -30, t0)
	if ok, err := ts.node.IngestAlert(ctx, upd); !ok || err != nil {
		t.Fatalf("update: %v %v", ok, err)
	}
	if ok, err := ts.node.IngestAlert(ctx, testAlert("0", 3, 5, 20, t0)); ok || err != nil {
		t.Fatalf("an older revision was stored: %v %v", ok, err)
	}
	ret := testAlert("1", alerts.Revision(alerts.SeqRetraction, 0, time.Time{}), 15, 20, t0.Add(time.Hour))
	ret.Status = alerts.StatusRetracted
	if ok, err := ts.node.IngestAlert(ctx, ret); !ok || err != nil {
		t.Fatalf("retraction: %v %v", ok, err)
	}
	if _, err := ts.node.IngestAlert(ctx, alerts.Alert{ID: "gcn:x"}); err == nil || !strings.Contains(err.Error(), "mission") {
		t.Errorf("an invalid alert: %v", err)
	}

	ids := func(path string) ([]string, string) {
		t.Helper()
		var page struct {
			Alerts []alerts.Alert
			Next   string
		}
		ts.getJSON(t, path, &page)
		var out []string
		for _, a := range page.Alerts {
			out = append(out, strings.TrimPrefix(a.ID, "gcn:fermi-gbm:"))
		}
		return out, page.Next
	}
	for _, c := range []struct{ path, want string }{
		{"/api/alerts", "0 2 3 4"},
		{"/api/alerts?include_retracted=true", "0 1 2 3 4"},
		{"/api/alerts?mission=fermi", "0 2 4"},
		{"/api/alerts?event_type=neutrino", "3"},
		{"/api/alerts?start=2026-12-01T04:00:00Z&end=2026-12-01T07:00:00Z", "2 3"},
		{"/api/alerts?ra=26&dec=21", "2"},
		{"/api/alerts?ra=100.5&dec=-30", "0"},
		{"/api/alerts?ra=5&dec=20", ""},
	} {
		got, _ := ids(c.path)
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("%s: %q, want %q", c.path, s, c.want)
		}
	}
	// Paging: two by two, through the cursor.
	var all []string
	path := "/api/alerts?include_retracted=true&limit=2"
	for pages := 0; ; pages++ {
		got, next := ids(path)
		all = append(all, got...)
		if next == "" {
			break
		}
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		path = "/api/alerts?include_retracted=true&limit=2&cursor=" + next
	}
	if s := strings.Join(all, " "); s != "0 1 2 3 4" {
		t.Errorf("pages: %q", s)
	}

	var a alerts.Alert
	ts.getJSON(t, "/api/alerts/gcn:fermi-gbm:1", &a)
	if a.Status != alerts.StatusRetracted {
		t.Errorf("alert 1: %v", a)
	}
	ts.getJSON(t, "/api/alerts/gcn:fermi-gbm:0", &a)
	if a.Revision != 5 || a.Localization.RA != 100 {
		t.Errorf("alert 0 is not its latest revision: %v", a)
	}
	if code, b := ts.do(t, "GET", "/api/alerts/gcn:nope", ""); code != 404 {
		t.Errorf("unknown alert: %d %s", code, b)
	}
	for _, q := range []string{"limit=0", "start=yesterday", "ra=1", "ra=400&dec=0", "include_tests=maybe", "cursor=zzz", "start=2026-12-02T00:00:00Z&end=2026-12-01T00:00:00Z"} {
		if code, b := ts.do(t, "GET", "/api/alerts?"+q, ""); code != 400 {
			t.Errorf("%s: %d %s", q, code, b)
		}
	}
}

// TestAlertsLive: the alert stream (SSE) carries new alerts and
// revisions, filtered, and not the replays of a revision already held.
func TestAlertsLive(t *testing.T) {
	ts := startNode(t, NodeOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.base+"/alerts/events?mission=Fermi", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("alert stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	waitFor(t, "the stream to subscribe", 5*time.Second, func() bool {
		ts.node.alerts.live.mu.Lock()
		defer ts.node.alerts.live.mu.Unlock()
		return len(ts.node.alerts.live.subs) == 1
	})
	t0 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	other := testAlert("x", 1, 1, 1, t0)
	other.Mission = "IceCube"
	for _, a := range []alerts.Alert{testAlert("a", 1, 1, 1, t0), other, testAlert("a", 1, 1, 1, t0), testAlert("a", 2, 2, 2, t0)} {
		if _, err := ts.node.IngestAlert(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	sc := bufio.NewScanner(resp.Body)
	var got []string
	for len(got) < 2 && sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			var a alerts.Alert
			if err := json.Unmarshal([]byte(d), &a); err != nil {
				t.Fatalf("%v: %s", err, d)
			}
			got = append(got, fmt.Sprintf("%s r%d", a.ID, a.Revision))
		}
	}
	if s := strings.Join(got, ", "); s != "gcn:fermi-gbm:a r1, gcn:fermi-gbm:a r2" {
		t.Errorf("streamed %q", s)
	}
}

// TestCoincidenceSubscriptions: a coincidence subscription and an alert
// subscription are accepted, fed with activities and alerts in either
// order, and notified through the outbox by signed webhooks once per
// (subscription, activity, alert), with the matches in the history.
func TestCoincidenceSubscriptions(t *testing.T) {
	hook := newSignedReceiver(t)
	ts := startNode(t, NodeOptions{AllowPrivateWebhooks: true, Dispatch: DispatchOptions{Poll: 50 * time.Millisecond}})
	ctx := context.Background()
	sub := func(id, criteria string) {
		body := fmt.Sprintf(`{"id": %q, "criteria": %s, "delivery": {"webhook": {"url": %q, "secrets": [%q]}}}`, id, criteria, hook.srv.URL, hook.secret)
		if code, b := ts.do(t, "POST", "/api/subscriptions", body); code != 201 {
			t.Fatalf("POST %s: %d %s", id, code, b)
		}
	}
	sub("co", `{"facilities": ["Swift"], "alerts": {"missions": ["Fermi"]}, "coincidence": {"within_s": 3600}}`)
	sub("grb", `{"alerts": {"event_types": ["grb"], "regions": [{"ra": 50, "dec": 20, "radius": 10}]}}`)
	sub("plain", `{"facilities": ["Swift"]}`)
	var got subscribe.Subscription
	ts.getJSON(t, "/api/subscriptions/co", &got)
	if got.Criteria.Coincidence == nil || got.Criteria.Coincidence.WithinS != 3600 {
		t.Errorf("GET the coincidence subscription: %+v", got.Criteria)
	}

	t0 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	// Activity first, then its alert: fires on the alert.
	if _, err := ts.node.Feed().Ingest(ctx, testActivity("1", 50, 20, t0)); err != nil {
		t.Fatal(err)
	}
	// The activity reaches the coincidence index through the matcher.
	waitFor(t, "the activity's webhook (plain)", 10*time.Second, func() bool {
		hook.mu.Lock()
		defer hook.mu.Unlock()
		return len(hook.bodies) == 1
	})
	if _, err := ts.node.IngestAlert(ctx, testAlert("A", 1, 50.5, 20, t0.Add(10*time.Minute))); err != nil {
		t.Fatal(err)
	}
	// Alert first, then an activity inside it: fires on the activity.
	if _, err := ts.node.IngestAlert(ctx, testAlert("B", 1, 200, -40, t0)); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.node.Feed().Ingest(ctx, testActivity("2", 200.3, -40.2, t0.Add(20*time.Minute))); err != nil {
		t.Fatal(err)
	}
	// Replays and a new revision of A: nothing new for (co, 1, A).
	if _, err := ts.node.IngestAlert(ctx, testAlert("A", 1, 50.5, 20, t0.Add(10*time.Minute))); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.node.IngestAlert(ctx, testAlert("A", 2, 50.4, 20, t0.Add(10*time.Minute))); err != nil {
		t.Fatal(err)
	}
	// Far from both in time: no coincidence.
	if _, err := ts.node.Feed().Ingest(ctx, testActivity("3", 200, -40, t0.Add(5*time.Hour))); err != nil {
		t.Fatal(err)
	}
	// want: plain ×3 (activities 1, 2, 3), co ×2 (1×A, 2×B), grb ×1 (A).
	waitFor(t, "six webhooks", 10*time.Second, func() bool {
		hook.mu.Lock()
		defer hook.mu.Unlock()
		return len(hook.bodies) >= 6
	})
	time.Sleep(300 * time.Millisecond) // a duplicate would show now
	var co []string
	alertOnly := 0
	for _, p := range hook.payloads(t) {
		switch p.Type {
		case subscribe.TypeCoincidence:
			if p.Data.Subscription != "co" || p.Data.Activity == nil || p.Data.DeltaS == nil || p.Data.SeparationDeg == nil {
				t.Errorf("coincidence payload: %+v", p.Data)
				continue
			}
			co = append(co, p.Data.Activity.ID+"×"+p.Data.Alert.ID)
		case subscribe.TypeAlertMatched:
			if p.Data.Subscription != "grb" || p.Data.Alert.ID != "gcn:fermi-gbm:A" || p.Data.Activity != nil {
				t.Errorf("alert payload: %+v", p.Data)
			}
			alertOnly++
		}
	}
	slices.Sort(co)
	hook.mu.Lock()
	total, dups := len(hook.bodies), 0
	for _, n := range hook.ids {
		dups += n - 1
	}
	hook.mu.Unlock()
	if strings.Join(co, " ") != "swift:1×gcn:fermi-gbm:A swift:2×gcn:fermi-gbm:B" || alertOnly != 1 || total != 6 || dups != 0 {
		t.Errorf("coincidences %v, alert matches %d, %d webhooks (%d duplicates); want 2, 1, 6, 0", co, alertOnly, total, dups)
	}
	var hist struct{ Matches []MatchRecord }
	ts.getJSON(t, "/api/subscriptions/co/matches", &hist)
	if len(hist.Matches) != 2 {
		t.Errorf("history of co: %+v", hist.Matches)
	}
	for _, m := range hist.Matches {
		if len(m.Reasons) != 1 || m.Reasons[0].Criterion != "coincidence" || len(m.Deliveries) != 1 || m.Deliveries[0].State != "delivered" {
			t.Errorf("history of co: %+v", m)
		}
	}
	// Deleting the subscription removes it from the coincidence index.
	if code, b := ts.do(t, "DELETE", "/api/subscriptions/co", ""); code != 204 {
		t.Fatalf("DELETE: %d %s", code, b)
	}
	if ts.node.index.Get("co") != nil || ts.node.index.co.Get("co") != nil {
		t.Error("the deleted subscription is still matched")
	}
}

// TestNodeGCNRestartMidBurst: a burst of GCN notices produced on a Kafka
// broker (in-process kfake) becomes coincidence webhooks; the node is
// stopped in the middle of the burst and a new one started on the same
// database and consumer group. Every (activity, alert) coincidence is
// then notified, each under one idempotency key (webhook-id), so that a
// receiver de-duplicating by it processes each exactly once — also those
// whose observation was made before the restart. (Killing the consumer
// process with SIGKILL mid-burst is connectors/gcn's TestKillMidBurst.)
func TestNodeGCNRestartMidBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a Kafka broker and two nodes")
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, benchTopic))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	addrs := c.ListenAddrs()
	hook := newSignedReceiver(t)
	db := filepath.Join(t.TempDir(), "node.db")
	opts := NodeOptions{
		DBPath: db, AllowPrivateWebhooks: true, Dispatch: DispatchOptions{Poll: 50 * time.Millisecond, Lease: 2 * time.Second},
		Subscriptions: []*subscribe.Subscription{{ID: "co", Criteria: subscribe.Criteria{
			Facilities: []string{"Swift"}, Alerts: &subscribe.AlertCriteria{Missions: []string{"MAXI"}}, Coincidence: &subscribe.Coincidence{WithinS: 3600},
		}, Delivery: subscribe.Delivery{Webhook: &subscribe.WebhookTarget{URL: hook.srv.URL, Secrets: []string{hook.secret}}}}},
		GCN:    &gcn.Options{Brokers: addrs, Topics: []string{benchTopic}, Group: "restart", NoAuth: true, Plaintext: true, HeartbeatTopic: "-", MaxPollRecords: 20},
		Logger: discardLogger(),
	}
	start := func() (*Node, func()) {
		n, err := NewNode(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		ran := make(chan error, 1)
		go func() { ran <- n.Run(ctx) }()
		return n, func() {
			cancel()
			select {
			case err := <-ran:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Error("the node did not stop")
			}
			n.Close()
		}
	}
	pairs := func() map[string]map[string]bool { // pair → webhook-ids
		hook.mu.Lock()
		defer hook.mu.Unlock()
		out := map[string]map[string]bool{}
		for i, b := range hook.bodies {
			var p subscribe.AlertPayload
			json.Unmarshal(b, &p)
			if p.Data.Activity == nil {
				continue
			}
			k := p.Data.Activity.ID + " " + p.Data.Alert.ID
			if out[k] == nil {
				out[k] = map[string]bool{}
			}
			out[k][hook.hdrIDs[i]] = true
		}
		return out
	}

	const total = 300
	node, stop := start()
	ctx := context.Background()
	t0 := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	// The observations matched before the alerts come.
	ingestObservations(t, node, total, t0)
	prod, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.ProducerLinger(0), kgo.DefaultProduceTopic(benchTopic))
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	var recs []*kgo.Record
	for i := range total {
		recs = append(recs, benchNotice(i, fmt.Sprintf("r%04d", i), t0))
	}
	// Half the burst, the node stopped while it works through it, the
	// other half produced while it is down.
	if err := prod.ProduceSync(ctx, recs[:total/2]...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a sixth of the coincidences", 60*time.Second, func() bool { return len(pairs()) >= total/6 })
	stop()
	before := len(pairs())
	if err := prod.ProduceSync(ctx, recs[total/2:]...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	_, stop = start()
	defer stop()
	deadline := time.Now().Add(90 * time.Second)
	for len(pairs()) < total && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a duplicate would show now
	got := pairs()
	for i := range total {
		k := fmt.Sprintf("swift:bench-%d gcn:maxi.gsc.unknown:r%04d", i, i)
		if len(got[k]) != 1 {
			t.Errorf("%s: notified under %d keys", k, len(got[k]))
		}
	}
	if len(got) != total {
		t.Errorf("%d coincidences notified, want %d", len(got), total)
	}
	hook.mu.Lock()
	received, dups := len(hook.bodies), 0
	for _, n := range hook.ids {
		dups += n - 1
	}
	hook.mu.Unlock()
	if received-dups != total {
		t.Errorf("%d webhooks, %d distinct webhook-ids: want %d after de-duplication", received, received-dups, total)
	}
	t.Logf("%d coincidences before the restart, %d webhooks in all, %d redelivered (same webhook-id)", before, received, dups)
}

// TestAlertsWebSocket: /alerts/live sends each new alert or revision that
// its filter selects (here a point inside the localization), retractions
// included, one JSON alert per message.
func TestAlertsWebSocket(t *testing.T) {
	ts := startNode(t, NodeOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.base, "http")+"/alerts/live?ra=50&dec=20", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	waitFor(t, "the stream to subscribe", 5*time.Second, func() bool {
		ts.node.alerts.live.mu.Lock()
		defer ts.node.alerts.live.mu.Unlock()
		return len(ts.node.alerts.live.subs) == 1
	})
	t0 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	ret := testAlert("in", alerts.Revision(alerts.SeqRetraction, 0, time.Time{}), 50.5, 20, t0)
	ret.Status = alerts.StatusRetracted
	for _, a := range []alerts.Alert{testAlert("out", 1, 200, 20, t0), testAlert("in", 1, 50.5, 20, t0), ret} {
		if _, err := ts.node.IngestAlert(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for len(got) < 2 {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("after %v: %v", got, err)
		}
		var a alerts.Alert
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		got = append(got, a.ID+" "+string(a.Status))
	}
	if s := strings.Join(got, ", "); s != "gcn:fermi-gbm:in active, gcn:fermi-gbm:in retracted" {
		t.Errorf("streamed %q", s)
	}
}

// TestNodeAlertsSurviveRestart: with a database, the node keeps its alerts
// in it (every revision): after a restart /api/alerts answers as before,
// a replayed notice notifies nothing, and an observation made after the
// restart coincides with an alert received before it.
func TestNodeAlertsSurviveRestart(t *testing.T) {
	hook := newSignedReceiver(t)
	opts := NodeOptions{DBPath: filepath.Join(t.TempDir(), "node.db"), AllowPrivateWebhooks: true, Dispatch: DispatchOptions{Poll: 50 * time.Millisecond},
		Subscriptions: []*subscribe.Subscription{{ID: "co", Criteria: subscribe.Criteria{
			Facilities: []string{"Swift"}, Alerts: &subscribe.AlertCriteria{Missions: []string{"Fermi"}}, Coincidence: &subscribe.Coincidence{WithinS: 3600},
		}, Delivery: subscribe.Delivery{Webhook: &subscribe.WebhookTarget{URL: hook.srv.URL, Secrets: []string{hook.secret}}}}}}
	ctx := context.Background()
	t0 := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
	ts := startNode(t, opts)
	for i := range 4 {
		if ok, err := ts.node.IngestAlert(ctx, testAlert(fmt.Sprint(i), 1, float64(40*i+10), 20, t0.Add(time.Duration(i)*time.Minute))); !ok || err != nil {
			t.Fatalf("IngestAlert %d: %v %v", i, ok, err)
		}
	}
	if ok, err := ts.node.IngestAlert(ctx, testAlert("0", 2, 12, 21, t0)); !ok || err != nil {
		t.Fatalf("update: %v %v", ok, err)
	}
	ret := testAlert("3", alerts.Revision(alerts.SeqRetraction, 0, time.Time{}), 130, 20, t0.Add(3*time.Minute))
	ret.Status = alerts.StatusRetracted
	if ok, err := ts.node.IngestAlert(ctx, ret); !ok || err != nil {
		t.Fatalf("retraction: %v %v", ok, err)
	}
	query := "/api/alerts?include_retracted=true"
	code, before := ts.do(t, "GET", query, "")
	if code != 200 {
		t.Fatalf("GET %s: %d %s", query, code, before)
	}
	if err := ts.stop(); err != nil {
		t.Fatal(err)
	}

	ts = startNode(t, opts)
	if code, after := ts.do(t, "GET", query, ""); code != 200 || !bytes.Equal(before, after) {
		t.Errorf("GET %s after the restart: %d\n%s\nbefore:\n%s", query, code, after, before)
	}
	revs, err := ts.node.Alerts().Revisions(ctx, testAlert("0", 1, 0, 0, t0).ID)
	if err != nil || len(revs) != 2 || revs[0].Revision != 1 || revs[1].Revision != 2 {
		t.Errorf("revisions of alert 0 after the restart: %v %v", revs, err)
	}
	// A replay of a notice received before: nothing new.
	if ok, err := ts.node.IngestAlert(ctx, testAlert("1", 1, 50, 20, t0.Add(time.Minute))); ok || err != nil {
		t.Errorf("a replayed alert was stored again: %v %v", ok, err)
	}
	// An observation inside alert 1 (received before the restart), and one
	// inside the retracted alert 3.
	if _, err := ts.node.Feed().Ingest(ctx, testActivity("late", 50.2, 20.1, t0), testActivity("retracted", 130, 20, t0)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the coincidence webhook", 10*time.Second, func() bool {
		hook.mu.Lock()
		defer hook.mu.Unlock()
		return len(hook.bodies) >= 1
	})
	time.Sleep(300 * time.Millisecond) // a second webhook would show now
	ps := hook.payloads(t)
	if len(ps) != 1 || ps[0].Type != subscribe.TypeCoincidence || ps[0].Data.Activity.ID != "swift:late" || ps[0].Data.Alert.ID != testAlert("1", 1, 0, 0, t0).ID {
		t.Errorf("webhooks after the restart: %+v", ps)
	}
}
