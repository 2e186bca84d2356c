package subscribe

import (
	"context"
	"strings"
	"testing"
)

// A digest's subject names the subscription by the name its payloads carry
// (DispatcherOptions.Name: the ID its owner gave it), not by the key the
// outbox knows it by: on a node with accounts that key is "owner:id".
func TestDigestSubjectNamesTheOwnersID(t *testing.T) {
	ctx := context.Background()
	m := NewMatcher()
	// The matcher holds the node's keyed copy: its ID is the key.
	m.Add(&Subscription{ID: "alice:nightly", Owner: "alice", Criteria: Criteria{Instruments: []string{"MUSE"}},
		Delivery: Delivery{Email: &EmailTarget{To: "alice@example.org", Digest: "1h"}}})
	store := openTestStore(t)
	d, err := NewDispatcher(DispatcherOptions{Store: store, Index: m,
		Name: func(s *Subscription) string { return strings.TrimPrefix(s.ID, s.Owner+":") }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		a := testActivity(200 + i)
		if n, err := d.Handle(ctx, &a, 0); err != nil || n != 1 {
			t.Fatalf("Handle: %d, %v; want 1 notification", n, err)
		}
	}
	ns, err := store.List(ctx, StatePending, 10)
	if err != nil || len(ns) != 3 {
		t.Fatalf("List: %d notifications, %v; want 3", len(ns), err)
	}
	for _, n := range ns {
		if n.Channel != ChannelDigest || n.Subscription != "alice:nightly" {
			t.Fatalf("notification %s: channel %s, subscription %q; want a digest of alice:nightly", n.Key, n.Channel, n.Subscription)
		}
	}
	e, err := composeNotification(ns)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[arcsecond] 3 new activities for nightly"; e.Subject != want {
		t.Errorf("subject %q, want %q", e.Subject, want)
	}
	if e.Subscription != "alice:nightly" {
		t.Errorf("the unsubscribe link names %q, want the key alice:nightly (the token is the key's)", e.Subscription)
	}
	// A stored payload without a name (none of this node's) falls back
	// to the key.
	for i := range ns {
		ns[i].Payload = []byte(`{"type": "activity.matched", "data": {"activity": {"id": "eso:x"}}}`)
	}
	if e, err := composeNotification(ns); err != nil || !strings.HasSuffix(e.Subject, "for alice:nightly") {
		t.Errorf("without a name: %q, %v", e.Subject, err)
	}
}
