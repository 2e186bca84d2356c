package subscribe

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func inspectNote(key string, ch Channel, now time.Time) Notification {
	return Notification{
		Key: key, Channel: ch, Subscription: "s1", Target: "ops@example.org",
		ActivityID: "eso:1", Revision: 1, Payload: []byte(`{}`), NextAt: now, Created: now,
	}
}

func TestSQLiteOutboxInspector(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	var store Store = s
	in, ok := store.(Inspector)
	if !ok {
		t.Fatal("*SQLiteOutbox does not implement Inspector")
	}

	if cs, err := in.Counts(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("counts of an empty outbox: %v %v", cs, err)
	}

	now := time.Unix(1700000000, 0).UTC()
	ns := []Notification{
		inspectNote("k1", ChannelWebhook, now), // delivered
		inspectNote("k1", ChannelEmail, now),   // dead
		inspectNote("k2", ChannelWebhook, now), // dead, then redelivered
		inspectNote("k3", ChannelWebhook, now), // pending
		inspectNote("k4", ChannelDigest, now),  // pending
		inspectNote("k5", ChannelDigest, now),  // pending, after a retry
	}
	ids, err := s.Enqueue(ctx, ns, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Delivered(ctx, ids[0], now); err != nil {
		t.Fatal(err)
	}
	if err := s.Dead(ctx, ids[1], "550 no such user"); err != nil {
		t.Fatal(err)
	}
	if err := s.Dead(ctx, ids[2], "410 Gone"); err != nil {
		t.Fatal(err)
	}
	if err := s.Redeliver(ctx, ids[2], now); err != nil {
		t.Fatal(err)
	}
	if err := s.Retry(ctx, ids[5], now.Add(time.Minute), "503", true); err != nil {
		t.Fatal(err)
	}

	cs, err := in.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Count{
		{ChannelDigest, StatePending, 2},
		{ChannelEmail, StateDead, 1},
		{ChannelWebhook, StateDelivered, 1},
		{ChannelWebhook, StatePending, 2},
	}
	if !reflect.DeepEqual(cs, want) {
		t.Errorf("counts\n got %v\nwant %v", cs, want)
	}

	// k1: one notification per channel, sorted by channel.
	got, err := in.ByKey(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("ByKey(k1): %d notifications, want 2: %+v", len(got), got)
	}
	if g := got[0]; g.ID != ids[1] || g.Channel != ChannelEmail || g.State != StateDead || g.Attempts != 1 ||
		g.LastError != "550 no such user" || g.Target != "ops@example.org" || g.Key != "k1" {
		t.Errorf("ByKey(k1)[0] = %+v", g)
	}
	if g := got[1]; g.ID != ids[0] || g.Channel != ChannelWebhook || g.State != StateDelivered || g.Attempts != 1 || g.LastError != "" {
		t.Errorf("ByKey(k1)[1] = %+v", g)
	}
	// k2 after Redeliver: pending again, attempts reset, last error kept.
	got, err = in.ByKey(ctx, "k2")
	if err != nil || len(got) != 1 {
		t.Fatalf("ByKey(k2): %+v %v", got, err)
	}
	if g := got[0]; g.State != StatePending || g.Attempts != 0 || g.LastError != "410 Gone" || !g.NextAt.Equal(now) {
		t.Errorf("ByKey(k2) = %+v", g)
	}
	got, err = in.ByKey(ctx, "k5")
	if err != nil || len(got) != 1 || got[0].Attempts != 1 || got[0].LastError != "503" || !got[0].NextAt.Equal(now.Add(time.Minute)) {
		t.Errorf("ByKey(k5) = %+v %v", got, err)
	}

	// An unknown key is an empty result, not an error.
	if got, err := in.ByKey(ctx, "nope"); err != nil || len(got) != 0 {
		t.Errorf("ByKey(nope) = %+v %v", got, err)
	}

	// A cancelled context fails both.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if cs, err := in.Counts(cctx); err == nil {
		t.Errorf("Counts with a cancelled context: %v, no error", cs)
	}
	if got, err := in.ByKey(cctx, "k1"); err == nil {
		t.Errorf("ByKey with a cancelled context: %+v, no error", got)
	}
}
