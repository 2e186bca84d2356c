package subscribe

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestDeliveredAll: SQLiteOutbox.DeliveredAll marks the notifications it
// names delivered in one transaction and reports an unknown ID, the
// others still marked.
func TestDeliveredAll(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	now := time.Now().UTC()
	var ns []Notification
	for _, k := range []string{"msg_a", "msg_b", "msg_c"} {
		ns = append(ns, Notification{Key: k, Channel: ChannelWebhook, Subscription: "s", Target: "https://example.org/hook", ActivityID: "x", Payload: []byte(`{}`), NextAt: now, Created: now})
	}
	ids, err := s.Enqueue(ctx, ns, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = s.DeliveredAll(ctx, []int64{ids[0], ids[2], 999999}, now)
	if err == nil || !strings.Contains(err.Error(), "999999") {
		t.Fatalf("DeliveredAll with an unknown ID: %v", err)
	}
	delivered, err := s.List(ctx, StateDelivered, 10)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := s.List(ctx, StatePending, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(delivered) != 2 || delivered[0].ID != ids[0] || delivered[1].ID != ids[2] || delivered[0].Attempts != 1 {
		t.Errorf("delivered: %+v", delivered)
	}
	if len(pending) != 1 || pending[0].ID != ids[1] {
		t.Errorf("pending: %+v", pending)
	}
}

// TestDispatcherGroupsDeliveredMarks: with a SQLiteOutbox, the
// dispatcher's marks go through DeliveredAll, and every notification a
// burst delivers ends delivered, once.
func TestDispatcherGroupsDeliveredMarks(t *testing.T) {
	r := newReceiver(t, NewSecret())
	store := openTestStore(t)
	idx := NewMatcher()
	if err := idx.Add(webhookSub("muse", r.srv.URL, r.secrets, Criteria{Instruments: []string{"MUSE"}})); err != nil {
		t.Fatal(err)
	}
	d, err := NewDispatcher(DispatcherOptions{Store: store, Index: idx, Webhooks: NewWebhookSender(WebhookOptions{AllowPrivate: true}), Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	stop := runDispatcher(t, d)
	const n = 200
	for i := range n {
		a := testActivity(i)
		if _, err := d.Handle(context.Background(), &a, 0); err != nil {
			t.Fatal(err)
		}
	}
	waitDelivered(t, store, r, n, 30*time.Second)
	stop()
}

// runDispatcher runs d.Run until the test calls the function it returns.
func runDispatcher(t *testing.T, d *Dispatcher) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Run: %v", err)
		}
	}
}

// waitDelivered waits until store has n notifications marked delivered
// and checks that the receiver got each once, verified.
func waitDelivered(t *testing.T, store Store, r *receiver, n int, timeout time.Duration) {
	t.Helper()
	waitFor(t, timeout, "every notification marked delivered", func() bool {
		ns, err := store.List(context.Background(), StateDelivered, 2*n)
		return err == nil && len(ns) == n
	})
	if unique, total, bad := r.counts(); unique != n || total != n || bad != 0 {
		t.Errorf("receiver: %d distinct, %d in all, %d bad; want %d, %d, 0", unique, total, bad, n, n)
	}
}

// TestHandleWhenRunIsBehind: an activity matching more webhook
// subscriptions than Run's queue holds is recorded in one go, the
// notifications the queue has room for claimed (due after the lease) and
// the others due now for Claim, in the one transaction that records them
// (no call of Retry each); Run, started afterwards, delivers every one of
// them once.
func TestHandleWhenRunIsBehind(t *testing.T) {
	r := newReceiver(t, NewSecret())
	store := &retryCounter{SQLiteOutbox: openTestStore(t)}
	idx := NewMatcher()
	const n = 1100
	for i := range n {
		if err := idx.Add(webhookSub(fmt.Sprintf("s%04d", i), r.srv.URL, r.secrets, Criteria{Instruments: []string{"MUSE"}})); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC()
	d, err := NewDispatcher(DispatcherOptions{Store: store, Index: idx, Webhooks: NewWebhookSender(WebhookOptions{AllowPrivate: true}),
		Workers: 8, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	room := cap(d.fast)
	a := testActivity(1)
	if got, err := d.Handle(context.Background(), &a, 0); err != nil || got != n {
		t.Fatalf("Handle: %d recorded, %v; want %d", got, err, n)
	}
	if c := store.retries.Load(); c != 0 {
		t.Errorf("Handle called Retry %d times: one transaction each", c)
	}
	pending, err := store.List(context.Background(), StatePending, 2*n)
	if err != nil {
		t.Fatal(err)
	}
	due := 0
	for _, p := range pending {
		if !p.NextAt.After(now) {
			due++
		}
	}
	if len(pending) != n || due != n-room || len(d.fast) != room {
		t.Fatalf("%d pending, %d of them due now, %d handed to Run; want %d, %d, %d", len(pending), due, len(d.fast), n, n-room, room)
	}
	stop := runDispatcher(t, d)
	waitDelivered(t, store, r, n, 60*time.Second)
	stop()
}

// retryCounter is a SQLiteOutbox counting the calls of Retry.
type retryCounter struct {
	*SQLiteOutbox
	retries atomic.Int64
}

func (s *retryCounter) Retry(ctx context.Context, id int64, next time.Time, errText string, countAttempt bool) error {
	s.retries.Add(1)
	return s.SQLiteOutbox.Retry(ctx, id, next, errText, countAttempt)
}
