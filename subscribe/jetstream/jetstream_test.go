package jetstream_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/arcsecond-go/arcsecond/internal/natsx/natstest"
	"github.com/arcsecond-go/arcsecond/subscribe"
	subjs "github.com/arcsecond-go/arcsecond/subscribe/jetstream"
)

func open(t *testing.T, url, instance string, lease time.Duration) (*subjs.Store, *nats.Conn) {
	t.Helper()
	nc, js := natstest.Connect(t, url)
	s, err := subjs.Open(context.Background(), js, subjs.Options{Instance: instance, Lease: lease})
	if err != nil {
		t.Fatal(err)
	}
	return s, nc
}

func note(key string, next time.Time) subscribe.Notification {
	return subscribe.Notification{
		Key: key, Channel: subscribe.ChannelWebhook, Subscription: "s1", Target: "http://127.0.0.1:1/hook",
		ActivityID: "eso:1", Revision: 2, Payload: []byte(`{"type":"activity.matched"}`), NextAt: next, Created: next,
	}
}

func TestEnqueueDropsCopiesOfOtherInstances(t *testing.T) {
	srv := natstest.StartServer(t)
	ctx := context.Background()
	a, _ := open(t, srv.ClientURL(), "a", 300*time.Millisecond)
	b, _ := open(t, srv.ClientURL(), "b", 300*time.Millisecond)
	now := time.Now()
	// Both instances match the same activity; a's copy is stored first and
	// claimed by a (due after the lease), b's is dropped by the server.
	n := note("msg_1", now.Add(300*time.Millisecond))
	ids, err := a.Enqueue(ctx, []subscribe.Notification{n}, 7)
	if err != nil || len(ids) != 1 || ids[0] == 0 {
		t.Fatalf("a: ids %v, err %v", ids, err)
	}
	ids2, err := b.Enqueue(ctx, []subscribe.Notification{n, note("msg_2", now)}, 9)
	if err != nil || len(ids2) != 2 || ids2[0] != 0 || ids2[1] == 0 {
		t.Fatalf("b: ids %v, err %v (want the copy of msg_1 dropped)", ids2, err)
	}
	if c, _ := a.Cursor(ctx); c != 7 {
		t.Errorf("a's cursor %d, want 7", c)
	}
	if c, _ := b.Cursor(ctx); c != 9 {
		t.Errorf("b's cursor %d, want 9", c)
	}
	// msg_2 is due now; msg_1 is not before its claim expires.
	got, err := claimUntil(t, b, time.Now(), 1)
	if err != nil || len(got) != 1 || got[0].Key != "msg_2" {
		t.Fatalf("claim: %v %v, want msg_2 only", got, err)
	}
	if err := b.Delivered(ctx, got[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	// a never delivers msg_1 (it "crashed"): after the lease, b claims it.
	var late []subscribe.Notification
	natstest.WaitFor(t, 3*time.Second, func() bool {
		late, err = b.Claim(ctx, time.Now(), time.Minute, 10)
		return err == nil && len(late) == 1
	}, "msg_1 to reach b after a's claim expired")
	if late[0].Key != "msg_1" || late[0].Revision != 2 || late[0].ActivityID != "eso:1" || string(late[0].Payload) != string(n.Payload) {
		t.Fatalf("claimed %+v", late[0])
	}
	if err := b.Delivered(ctx, late[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	// a's fast path finishing late is harmless: the message is gone.
	if err := a.Delivered(ctx, ids[0], time.Now()); err != nil {
		t.Fatalf("late delivered: %v", err)
	}
	if p, _ := a.Pending(ctx); p != 0 {
		t.Fatalf("%d pending after delivery, want 0", p)
	}
}

func TestClaimedByDeadInstanceGoesToAnother(t *testing.T) {
	srv := natstest.StartServer(t)
	ctx := context.Background()
	// The lease is long enough that a loaded machine does not let it lapse
	// between a's claim and b's first try (it did at 300 ms).
	a, anc := open(t, srv.ClientURL(), "a", 1500*time.Millisecond)
	b, _ := open(t, srv.ClientURL(), "b", 1500*time.Millisecond)
	if _, err := a.Enqueue(ctx, []subscribe.Notification{note("msg_x", time.Now())}, 0); err != nil {
		t.Fatal(err)
	}
	// A claim fetches without waiting: the consumer may hand the message
	// over a moment after the enqueue returns.
	var got []subscribe.Notification
	var err error
	natstest.WaitFor(t, 5*time.Second, func() bool {
		got, err = a.Claim(ctx, time.Now(), time.Minute, 10)
		return err != nil || len(got) > 0
	}, "a's claim")
	if err != nil || len(got) != 1 {
		t.Fatalf("a claim: %v %v", got, err)
	}
	if again, _ := b.Claim(ctx, time.Now(), time.Minute, 10); len(again) != 0 {
		t.Fatalf("b claimed %d notifications held by a", len(again))
	}
	anc.Close() // a dies holding the claim
	natstest.WaitFor(t, 15*time.Second, func() bool {
		got, err = b.Claim(ctx, time.Now(), time.Minute, 10)
		return err == nil && len(got) == 1
	}, "the claim to expire")
	if got[0].Key != "msg_x" {
		t.Fatalf("claimed %q", got[0].Key)
	}
}

func TestRetryDeadRedeliver(t *testing.T) {
	srv := natstest.StartServer(t)
	ctx := context.Background()
	s, _ := open(t, srv.ClientURL(), "a", time.Second)
	if _, err := s.Enqueue(ctx, []subscribe.Notification{note("msg_r", time.Now())}, 0); err != nil {
		t.Fatal(err)
	}
	var got []subscribe.Notification
	var err error
	natstest.WaitFor(t, 5*time.Second, func() bool {
		got, err = s.Claim(ctx, time.Now(), time.Minute, 10)
		return err != nil || len(got) > 0
	}, "the first claim")
	if err != nil || len(got) != 1 {
		t.Fatalf("claim: %v %v", got, err)
	}
	if err := s.Retry(ctx, got[0].ID, time.Now().Add(200*time.Millisecond), "503 Service Unavailable", true); err != nil {
		t.Fatal(err)
	}
	if early, _ := s.Claim(ctx, time.Now(), time.Minute, 10); len(early) != 0 {
		t.Fatal("retry claimed before it is due")
	}
	natstest.WaitFor(t, 3*time.Second, func() bool {
		got, err = s.Claim(ctx, time.Now(), time.Minute, 10)
		return err == nil && len(got) == 1
	}, "the retry to come due")
	if got[0].Attempts != 1 || got[0].LastError != "503 Service Unavailable" {
		t.Fatalf("after retry: attempts %d, error %q", got[0].Attempts, got[0].LastError)
	}
	// A rate-limited retry keeps the count.
	if err := s.Retry(ctx, got[0].ID, time.Now(), "rate limited", false); err != nil {
		t.Fatal(err)
	}
	natstest.WaitFor(t, 3*time.Second, func() bool {
		got, err = s.Claim(ctx, time.Now(), time.Minute, 10)
		return err == nil && len(got) == 1
	}, "the rate-limited retry")
	if got[0].Attempts != 1 {
		t.Fatalf("rate-limited retry counted: attempts %d", got[0].Attempts)
	}
	if err := s.Dead(ctx, got[0].ID, "410 Gone"); err != nil {
		t.Fatal(err)
	}
	dead, err := s.List(ctx, subscribe.StateDead, 10)
	if err != nil || len(dead) != 1 || dead[0].Attempts != 2 || dead[0].LastError != "410 Gone" || dead[0].State != subscribe.StateDead {
		t.Fatalf("dead list: %+v %v", dead, err)
	}
	if p, _ := s.List(ctx, subscribe.StatePending, 10); len(p) != 0 {
		t.Fatalf("dead notification still pending: %+v", p)
	}
	if err := s.Redeliver(ctx, dead[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.Redeliver(ctx, dead[0].ID, time.Now()); err == nil {
		t.Fatal("redelivered a dead notification twice")
	}
	p, err := s.List(ctx, subscribe.StatePending, 10)
	if err != nil || len(p) != 1 || p[0].Attempts != 0 || p[0].Key != "msg_r" {
		t.Fatalf("pending after redeliver: %+v %v", p, err)
	}
	got, _ = claimUntil(t, s, time.Now(), 1)
	if len(got) != 1 {
		t.Fatalf("redelivered notification not claimable: %v", got)
	}
	if err := s.Delivered(ctx, got[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.List(ctx, subscribe.StateDelivered, 10); !errors.Is(err, subjs.ErrNotKept) {
		t.Fatalf("list delivered: %v", err)
	}
	if _, err := s.List(ctx, "lost", 10); err == nil {
		t.Fatal("unknown state accepted")
	}
	if err := s.Retry(ctx, 12345, time.Now(), "", true); err == nil {
		t.Fatal("retry of an unknown notification accepted")
	}
}

func TestCounts(t *testing.T) {
	srv := natstest.StartServer(t)
	ctx := context.Background()
	s, _ := open(t, srv.ClientURL(), "a", time.Minute)
	var store subscribe.Store = s
	c, ok := store.(subscribe.Counter)
	if !ok {
		t.Fatal("*Store does not implement subscribe.Counter")
	}
	if _, ok := store.(subscribe.Inspector); ok {
		t.Fatal("*Store implements subscribe.Inspector; update the package documentation")
	}
	if cs, err := c.Counts(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("counts of an empty outbox: %v %v", cs, err)
	}
	now := time.Now()
	email := note("msg_e", now)
	email.Channel, email.Target = subscribe.ChannelEmail, "ops@example.org"
	digest := note("msg_d", now.Add(time.Hour)) // deferred by Claim
	digest.Channel, digest.Target = subscribe.ChannelDigest, "ops@example.org"
	if _, err := s.Enqueue(ctx, []subscribe.Notification{note("msg_1", now), note("msg_2", now), note("msg_3", now), email, digest}, 0); err != nil {
		t.Fatal(err)
	}
	got, err := claimUntil(t, s, now, 4)
	if err != nil || len(got) != 4 {
		t.Fatalf("claim: %+v %v", got, err)
	}
	byKey := map[string]int64{}
	for _, n := range got {
		byKey[n.Key] = n.ID
	}
	// msg_1 delivered (dropped), msg_2 dead, msg_3 claimed (still pending),
	// msg_e dead then redelivered, msg_d deferred.
	if err := s.Delivered(ctx, byKey["msg_1"], now); err != nil {
		t.Fatal(err)
	}
	if err := s.Dead(ctx, byKey["msg_2"], "410 Gone"); err != nil {
		t.Fatal(err)
	}
	if err := s.Dead(ctx, byKey["msg_e"], "550 no such user"); err != nil {
		t.Fatal(err)
	}
	dead, err := s.List(ctx, subscribe.StateDead, 10)
	if err != nil || len(dead) != 2 {
		t.Fatalf("dead list: %+v %v", dead, err)
	}
	for _, n := range dead {
		if n.Key == "msg_e" {
			if err := s.Redeliver(ctx, n.ID, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := []subscribe.Count{
		{Channel: subscribe.ChannelDigest, State: subscribe.StatePending, N: 1},
		{Channel: subscribe.ChannelEmail, State: subscribe.StatePending, N: 1},
		{Channel: subscribe.ChannelWebhook, State: subscribe.StateDead, N: 1},
		{Channel: subscribe.ChannelWebhook, State: subscribe.StatePending, N: 1},
	}
	// The work queue drops acknowledged messages as it processes the acks.
	cs, err := c.Counts(ctx)
	for end := time.Now().Add(3 * time.Second); (err != nil || !reflect.DeepEqual(cs, want)) && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
		cs, err = c.Counts(ctx)
	}
	if err != nil || !reflect.DeepEqual(cs, want) {
		t.Fatalf("counts\n got %v %v\nwant %v", cs, err, want)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if cs, err := c.Counts(cctx); err == nil {
		t.Errorf("Counts with a cancelled context: %v, no error", cs)
	}
}

func TestOpenRejectsBadOptions(t *testing.T) {
	srv := natstest.StartServer(t)
	_, js := natstest.Connect(t, srv.ClientURL())
	for _, o := range []subjs.Options{{}, {Instance: "a.b"}, {Instance: "a b"}, {Instance: "a", DuplicateWindow: time.Hour, MaxAge: time.Minute}} {
		if _, err := subjs.Open(context.Background(), js, o); err == nil {
			t.Errorf("Open(%+v) accepted", o)
		}
	}
}

// claimUntil claims until it holds want notifications or 5 s have passed,
// and returns what it holds: a claim fetches without waiting, and the
// consumer may hand messages over a moment after the enqueue returns.
func claimUntil(t *testing.T, s *subjs.Store, now time.Time, want int) ([]subscribe.Notification, error) {
	t.Helper()
	var all []subscribe.Notification
	for deadline := time.Now().Add(5 * time.Second); ; {
		got, err := s.Claim(context.Background(), now, time.Minute, 10)
		all = append(all, got...)
		if err != nil || len(all) >= want || time.Now().After(deadline) {
			return all, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}
