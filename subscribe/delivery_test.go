package subscribe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

func TestSignVerifyRotation(t *testing.T) {
	old, new := NewSecret(), NewSecret()
	body := []byte(`{"a":1}`)
	now := time.Unix(1_800_000_000, 0)
	sig, err := Sign("msg_1", now, body, old, new)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Fields(sig)); n != 2 {
		t.Fatalf("%d signatures, want 2", n)
	}
	h := http.Header{}
	h.Set(HeaderID, "msg_1")
	h.Set(HeaderTimestamp, fmt.Sprint(now.Unix()))
	h.Set(HeaderSignature, sig)
	for _, s := range []string{old, new} {
		if err := Verify(h, body, now, time.Minute, s); err != nil {
			t.Errorf("receiver with one of the two secrets: %v", err)
		}
	}
	if err := Verify(h, body, now, time.Minute, NewSecret()); !errors.Is(err, ErrSignature) {
		t.Errorf("foreign secret: %v", err)
	}
	if err := Verify(h, []byte(`{"a":2}`), now, time.Minute, old); !errors.Is(err, ErrSignature) {
		t.Errorf("tampered body: %v", err)
	}
	if err := Verify(h, body, now.Add(10*time.Minute), 5*time.Minute, old); !errors.Is(err, ErrSignature) {
		t.Errorf("stale timestamp: %v", err)
	}
	// A known vector: the Standard Webhooks specification's example.
	h = http.Header{}
	h.Set(HeaderID, "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set(HeaderTimestamp, "1614265330")
	h.Set(HeaderSignature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	if err := Verify(h, []byte(`{"test": 2432232314}`), time.Unix(1614265330, 0), time.Minute, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); err != nil {
		t.Errorf("specification vector: %v", err)
	}
}

func TestForbiddenAddresses(t *testing.T) {
	for _, c := range []struct {
		addr string
		bad  bool
	}{
		{"127.0.0.1", true}, {"::1", true}, {"10.1.2.3", true}, {"172.16.0.1", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"fe80::1", true}, {"fd00:ec2::254", true}, {"fc00::1", true},
		{"100.64.0.1", true}, {"0.0.0.0", true}, {"::ffff:127.0.0.1", true}, {"224.0.0.1", true},
		{"8.8.8.8", false}, {"2001:4860:4860::8888", false}, {"134.171.0.1", false},
	} {
		if got := forbidden(netip.MustParseAddr(c.addr)); got != c.bad {
			t.Errorf("%s: forbidden %v, want %v", c.addr, got, c.bad)
		}
	}
	// At dial time: a loopback receiver is refused without AllowPrivate,
	// also through a name that resolves to it.
	r := newReceiver(t, NewSecret())
	w := NewWebhookSender(WebhookOptions{})
	for _, u := range []string{r.srv.URL, strings.Replace(r.srv.URL, "127.0.0.1", "localhost", 1)} {
		err := w.Send(context.Background(), u, "msg_x", []byte(`{}`), r.secrets, time.Now())
		var de *DeliveryError
		if !errors.Is(err, ErrForbiddenAddress) || !errors.As(err, &de) || de.Retryable {
			t.Errorf("%s: got %v, want a non-retryable ErrForbiddenAddress", u, err)
		}
	}
	if u, _, _ := r.counts(); u != 0 {
		t.Error("the receiver was reached")
	}
}

// Redirects are not followed at all: see TestWebhookRedirectIsNotDelivered.
func TestResponseCap(t *testing.T) {
	r := newReceiver(t, NewSecret())
	big := newHTTPServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(500)
		for range 100 {
			w.Write(make([]byte, 1<<20))
		}
	})
	start := time.Now()
	err := NewWebhookSender(WebhookOptions{AllowPrivate: true, MaxResponse: 1024}).Send(context.Background(), big, "msg_x", []byte(`{}`), r.secrets, time.Now())
	var de *DeliveryError
	if !errors.As(err, &de) || de.Status != 500 || !de.Retryable || len(de.Error()) > 1200 || time.Since(start) > 5*time.Second {
		t.Errorf("huge 500 response: %v", err)
	}
}

func openTestStore(t testing.TB) *SQLiteOutbox {
	db, err := sqlitedb.Open(filepath.Join(t.TempDir(), "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := NewSQLiteOutbox(db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func webhookSub(id, url string, secrets []string, crit Criteria) *Subscription {
	return &Subscription{ID: id, Criteria: crit, Delivery: Delivery{Webhook: &WebhookTarget{URL: url, Secrets: secrets}}}
}

func testActivity(i int) activities.Activity {
	a := activities.Activity{
		ID: activities.NewID("eso", fmt.Sprintf("obs%d", i)), Source: "eso", Kind: activities.KindStarted,
		Facility: "VLT UT4", Instrument: "MUSE", Programme: activities.Programme{ID: "0104.D-0123(A)", PI: "Müller, K."},
		Target: activities.Target{Name: "NGC 1068"}, Start: t0.Add(time.Duration(i) * time.Minute),
	}
	a.Target.SetPosition(40.6696, -0.0133)
	a.Target.FOVRadius = 0.02
	a.Revision = activities.Revision(a.Kind, time.Time{})
	return a
}

func waitFor(t testing.TB, d time.Duration, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestDispatcherRetriesThenDelivers: 503, then 429 with Retry-After, then
// a network-level success; one delivery recorded, idempotent re-handling.
func TestDispatcherRetriesThenDelivers(t *testing.T) {
	r := newReceiver(t, NewSecret(), NewSecret())
	r.fail = func(n int) (int, http.Header) {
		switch n {
		case 1:
			return 503, nil
		case 2:
			return 429, http.Header{"Retry-After": {"1"}}
		}
		return 0, nil
	}
	m := NewMatcher()
	if err := m.Add(webhookSub("w1", r.srv.URL, r.secrets, Criteria{Instruments: []string{"MUSE"}})); err != nil {
		t.Fatal(err)
	}
	store := openTestStore(t)
	d, _ := NewDispatcher(DispatcherOptions{Store: store, Index: m, Webhooks: NewWebhookSender(WebhookOptions{AllowPrivate: true}),
		BaseBackoff: 20 * time.Millisecond, Poll: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error)
	go func() { done <- d.Run(ctx) }()
	a := testActivity(1)
	start := time.Now()
	for range 3 { // handled three times: still one notification
		if _, err := d.Handle(ctx, &a, 0); err != nil {
			t.Fatal(err)
		}
	}
	var ns []Notification
	waitFor(t, 10*time.Second, "delivery", func() bool {
		ns, _ = store.List(context.Background(), StateDelivered, 10)
		return len(ns) == 1
	})
	if el := time.Since(start); el < time.Second {
		t.Errorf("delivered after %s: Retry-After: 1 was not honoured", el)
	}
	cancel()
	<-done
	u, total, bad := r.counts()
	if u != 1 || total != 1 || bad != 0 {
		t.Errorf("unique %d total %d bad signatures %d, want 1 1 0", u, total, bad)
	}
	if len(ns) != 1 || ns[0].Attempts != 3 || ns[0].Key != IdempotencyKey("w1", a.ID, a.Revision) {
		t.Errorf("delivered rows %+v, want one after 3 attempts", ns)
	}
}

func TestDispatcherDeadLetterAndRedeliver(t *testing.T) {
	r := newReceiver(t, NewSecret())
	var failing atomic.Bool
	failing.Store(true)
	r.fail = func(n int) (int, http.Header) {
		if failing.Load() {
			return 500, nil
		}
		return 0, nil
	}
	gone := newReceiver(t, NewSecret())
	gone.fail = func(int) (int, http.Header) { return 410, nil }
	m := NewMatcher()
	m.Add(webhookSub("w500", r.srv.URL, r.secrets, Criteria{Instruments: []string{"MUSE"}}))
	m.Add(webhookSub("w410", gone.srv.URL, gone.secrets, Criteria{Instruments: []string{"MUSE"}}))
	store := openTestStore(t)
	d, _ := NewDispatcher(DispatcherOptions{Store: store, Index: m, Webhooks: NewWebhookSender(WebhookOptions{AllowPrivate: true}),
		BaseBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, MaxAttempts: 4, Poll: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go d.Run(ctx)
	a := testActivity(2)
	d.Handle(ctx, &a, 0)
	var dead []Notification
	waitFor(t, 10*time.Second, "dead letters", func() bool {
		dead, _ = store.List(ctx, StateDead, 10)
		return len(dead) == 2
	})
	for _, n := range dead {
		switch n.Subscription {
		case "w500":
			if n.Attempts != 4 || !strings.Contains(n.LastError, "HTTP 500") {
				t.Errorf("w500 dead after %d attempts (%s), want 4", n.Attempts, n.LastError)
			}
		case "w410":
			if n.Attempts != 1 || !strings.Contains(n.LastError, "HTTP 410") {
				t.Errorf("w410 dead after %d attempts (%s), want 1: 410 is not retried", n.Attempts, n.LastError)
			}
		}
	}
	failing.Store(false)
	for _, n := range dead {
		if n.Subscription == "w500" {
			if err := store.Redeliver(ctx, n.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	d.Wake()
	waitFor(t, 10*time.Second, "redelivery", func() bool { u, _, _ := r.counts(); return u == 1 })
}

func TestDispatcherRateLimit(t *testing.T) {
	r := newReceiver(t, NewSecret())
	m := NewMatcher()
	s := webhookSub("slow", r.srv.URL, r.secrets, Criteria{Instruments: []string{"MUSE"}})
	s.Delivery.RatePerHour = 2
	m.Add(s)
	store := openTestStore(t)
	d, _ := NewDispatcher(DispatcherOptions{Store: store, Index: m, Webhooks: NewWebhookSender(WebhookOptions{AllowPrivate: true}), Poll: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go d.Run(ctx)
	for i := range 5 {
		a := testActivity(10 + i)
		d.Handle(ctx, &a, 0)
	}
	waitFor(t, 5*time.Second, "two deliveries", func() bool { u, _, _ := r.counts(); return u == 2 })
	// The dispatcher visits the other three rows and defers them; on a
	// loaded machine that may take a while, so wait for it rather than
	// sleeping a fixed time.
	var pending []Notification
	waitFor(t, 10*time.Second, "three rate-limited rows", func() bool {
		pending, _ = store.List(ctx, StatePending, 10)
		if len(pending) != 3 {
			return false
		}
		for _, p := range pending {
			if p.LastError != "rate limited" {
				return false
			}
		}
		return true
	})
	if u, _, _ := r.counts(); u != 2 {
		t.Errorf("%d delivered within the burst, want 2 (rate 2/hour)", u)
	}
	for _, p := range pending {
		if p.Attempts != 0 || time.Until(p.NextAt) < 20*time.Minute {
			t.Errorf("pending %+v, want rate-limited rows with no attempt, due in about 30 min", p)
		}
	}
}

func TestHub(t *testing.T) {
	h := NewHub()
	m := NewMatcher()
	m.Add(&Subscription{ID: "live1", Owner: "ann", Criteria: Criteria{Instruments: []string{"MUSE"}}, Delivery: Delivery{Live: true}})
	m.Add(&Subscription{ID: "live2", Owner: "bob", Criteria: Criteria{Facilities: []string{"VLT UT4"}}, Delivery: Delivery{Live: true}})
	d, _ := NewDispatcher(DispatcherOptions{Store: openTestStore(t), Index: m, Hub: h})
	ann := h.Connect(4, func(e *LiveEvent) bool { return e.Owner == "ann" })
	all := h.Connect(1, nil)
	a := testActivity(3)
	if n, err := d.Handle(context.Background(), &a, 0); err != nil || n != 0 {
		t.Fatalf("Handle: %d, %v (live events are not stored)", n, err)
	}
	e := <-ann.C()
	if e.Subscription != "live1" || e.Activity.ID != a.ID || len(e.Reasons) != 1 {
		t.Errorf("ann got %+v", e)
	}
	select {
	case e := <-ann.C():
		t.Errorf("ann got bob's event %+v", e)
	default:
	}
	if all.Dropped() != 1 {
		t.Errorf("buffer-1 connection dropped %d, want 1", all.Dropped())
	}
	ann.Close()
	all.Close()
	if h.Len() != 0 {
		t.Error("connections left")
	}
}

// TestPayloadEncoderIsPayloadJSON checks that the payloads Handle encodes,
// the activity encoded once for all its notifications, are byte for byte
// what json.Marshal gives the documented Payload: random activities (with
// footprints, pointings, HTML-escaped and non-ASCII strings) and the
// reasons subscriptions matched them for.
func TestPayloadEncoderIsPayloadJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 18))
	m := NewMatcher()
	for i := range 2000 {
		if err := m.Add(randomSub(r, i)); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 12, 7, 22, 0, 0, 123456789, time.UTC)
	n := 0
	for i := range 300 {
		a := randomActivity(r, i)
		if i%3 == 0 {
			a.Target.Name = `<Ω & "Centauri">` + a.Target.Name
			a.Programme.Title = "Süß\u2028\t<b>"
		}
		var enc payloadEncoder
		for _, mt := range m.Match(&a) {
			want, err := json.Marshal(Payload{Type: "activity.matched", Timestamp: at, Data: PayloadData{Subscription: mt.Subscription.ID, Activity: a, Reasons: mt.Reasons}})
			if err != nil {
				t.Fatal(err)
			}
			got, err := enc.encode("activity.matched", at, mt.Subscription.ID, &a, mt.Reasons)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("activity %d, subscription %s:\n got %s\nwant %s", i, mt.Subscription.ID, got, want)
			}
			n++
		}
	}
	if n < 1000 {
		t.Fatalf("only %d payloads compared", n)
	}
}

// BenchmarkDispatcherHandle times Handle for an activity 1,000 webhook
// subscriptions match: matching, encoding 1,000 payloads and recording
// them in the SQLite outbox in one transaction (no delivery: the
// dispatcher does not run).
func BenchmarkDispatcherHandle(b *testing.B) {
	m := NewMatcher()
	for i := range 1000 {
		s := &Subscription{ID: fmt.Sprintf("s%d", i), Criteria: Criteria{Facilities: []string{"VLT"}},
			Delivery: Delivery{Webhook: &WebhookTarget{URL: fmt.Sprintf("https://example.org/hook/%d", i), Secrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}}}
		if err := m.Add(s); err != nil {
			b.Fatal(err)
		}
	}
	d, err := NewDispatcher(DispatcherOptions{Store: openTestStore(b), Index: m})
	if err != nil {
		b.Fatal(err)
	}
	a := activities.Activity{Source: "eso", Kind: activities.Kinds()[0], Facility: "VLT", Instrument: "MUSE",
		Programme: activities.Programme{ID: "109.23AB.001", PI: "Smith, J.", Title: "A survey"}, Target: activities.Target{Name: "NGC 1234"}}
	a.Target.SetPosition(123.4, -45.6)
	i := 0
	for b.Loop() {
		i++
		a.ID = activities.NewID("eso", fmt.Sprint(i))
		if n, err := d.Handle(context.Background(), &a, 0); err != nil || n != 1000 {
			b.Fatalf("Handle: %d recorded, %v", n, err)
		}
	}
}
