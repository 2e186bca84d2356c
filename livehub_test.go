package arcsecond

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

func hubFeed() *activities.Feed {
	return activities.NewFeed(activities.FeedOptions{Store: activities.NewMemoryStore()})
}

func ingestN(t *testing.T, f *activities.Feed, from, n int) {
	t.Helper()
	if _, err := f.Ingest(context.Background(), synthetic(from, n)...); err != nil {
		t.Fatal(err)
	}
}

// receive takes n entries from c, failing after a few seconds.
func receive(t *testing.T, c *liveClient, n int) []*liveEntry {
	t.Helper()
	var got []*liveEntry
	for len(got) < n {
		select {
		case e, ok := <-c.ch:
			if !ok {
				t.Fatalf("channel closed after %d of %d entries", len(got), n)
			}
			got = append(got, e)
		case <-time.After(5 * time.Second):
			t.Fatalf("%d of %d entries after 5s", len(got), n)
		}
	}
	return got
}

// idOf decodes the activity ID of a live entry.
func idOf(t *testing.T, e *liveEntry) string {
	t.Helper()
	var a activities.Activity
	if err := json.Unmarshal(e.json, &a); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// Every client gets the entries its filter keeps, in order; an entry sent
// to several clients is encoded once and shared.
func TestLiveHubFanOut(t *testing.T) {
	f := hubFeed()
	var h liveHub
	all := h.join(f, 16, nil)
	defer h.leave(all)
	even := h.join(f, 16, func(a *activities.Activity) bool { return a.Start.Minute()%2 == 0 })
	defer h.leave(even)
	ingestN(t, f, 0, 6)
	got := receive(t, all, 6)
	for i, e := range got {
		if want := "syn:" + string(rune('0'+i)); idOf(t, e) != want {
			t.Errorf("entry %d is %s, want %s", i, idOf(t, e), want)
		}
	}
	gotEven := receive(t, even, 3)
	for i, e := range gotEven {
		if e != got[2*i] {
			t.Errorf("the even client's entry %d (%s) is not the shared encoding of %s", i, idOf(t, e), idOf(t, got[2*i]))
		}
	}
	if ev, want := got[1].event(), "id: 2\nevent: activity\ndata: "+string(got[1].json)+"\n\n"; ev != want {
		t.Errorf("event %q, want %q", ev, want)
	}
}

// A client whose queue overflows has its channel closed after what it
// holds; the others are not held back.
func TestLiveHubDropsSlowClient(t *testing.T) {
	f := hubFeed()
	var h liveHub
	slow := h.join(f, 2, nil)
	defer h.leave(slow)
	fast := h.join(f, 16, nil)
	defer h.leave(fast)
	ingestN(t, f, 0, 5)
	receive(t, fast, 5)
	receive(t, slow, 2)
	select {
	case e, ok := <-slow.ch:
		if ok {
			t.Fatalf("the slow client got %s after its queue overflowed", idOf(t, e))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the slow client's channel is still open")
	}
	ingestN(t, f, 5, 1)
	if id := idOf(t, receive(t, fast, 1)[0]); id != "syn:5" {
		t.Errorf("the fast client got %s, want syn:5", id)
	}
}

// A client joining while entries recorded before it are on their way to
// the hub does not get them: a stream starts at the moment of connection.
func TestLiveHubStartsAtJoin(t *testing.T) {
	f := hubFeed()
	var h liveHub
	first := h.join(f, 16, nil)
	defer h.leave(first)
	h.mu.Lock() // the hub cannot dispatch: what is recorded waits in its subscription
	ingestN(t, f, 0, 3)
	late := h.joinLocked(f, 16, nil)
	h.mu.Unlock()
	defer h.leave(late)
	ingestN(t, f, 3, 1)
	if got := receive(t, first, 4); idOf(t, got[0]) != "syn:0" {
		t.Errorf("the first client's first entry is %s, want syn:0", idOf(t, got[0]))
	}
	if id := idOf(t, receive(t, late, 1)[0]); id != "syn:3" {
		t.Errorf("the late client's first entry is %s, want syn:3 (recorded after it joined)", id)
	}
}

// The last client to leave ends the hub's subscription (the feed no longer
// waits on it); the next to join starts it again.
func TestLiveHubStopsWithoutClients(t *testing.T) {
	f := hubFeed()
	var h liveHub
	c := h.join(f, 4, nil)
	h.leave(c)
	if h.sub != nil {
		t.Fatal("the hub is subscribed with no client")
	}
	if _, ok := <-c.ch; ok {
		t.Error("a client's channel is open after leave")
	}
	ingestN(t, f, 0, 200) // would block on a hub subscription nobody reads
	c = h.join(f, 4, nil)
	defer h.leave(c)
	ingestN(t, f, 200, 1)
	if id := idOf(t, receive(t, c, 1)[0]); id != "syn:200" {
		t.Errorf("after rejoining: %s, want syn:200", id)
	}
}
