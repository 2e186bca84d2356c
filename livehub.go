package arcsecond

import (
	"encoding/json"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/arcsecond-go/arcsecond/activities"
)

// liveHub fans the feed's entries out to the clients of the live streams
// (WebSocket and server-sent events): it holds one subscription to the
// feed, encodes each entry once, and queues for each client a pointer to
// the shared encoding. A subscription per client held a channel of
// LiveBuffer entries (an activity by value, about half a kilobyte) for
// each of them: 15 MB for 500 clients, allocated whether they read or not.
//
// The hub runs while it has clients: the first to join subscribes it to
// the feed, the last to leave ends the subscription.
type liveHub struct {
	mu         sync.Mutex
	clients    map[*liveClient]struct{}
	sub        *activities.Subscription // nil while there is no client
	published  *atomic.Uint64           // entries the feed has routed to sub (counted by its Filter)
	dispatched uint64                   // entries taken from sub
}

// liveClient is one client's queue.
type liveClient struct {
	ch     chan *liveEntry // closed when the client falls behind or leaves
	filter func(*activities.Activity) bool
	skip   uint64 // entries recorded before the client joined, still on their way to the hub
	closed bool
}

// liveEntry is an entry encoded for the live streams; shared by every
// client it goes to: do not modify.
type liveEntry struct {
	seq     uint64
	json    []byte // the activity in the REST encoding
	sseOnce sync.Once
	sse     string // the server-sent event, made on first use
}

// event is the entry as a server-sent event.
func (e *liveEntry) event() string {
	e.sseOnce.Do(func() {
		e.sse = "id: " + strconv.FormatUint(e.seq, 10) + "\nevent: activity\ndata: " + string(e.json) + "\n\n"
	})
	return e.sse
}

// join registers a client that receives the entries the feed records from
// now on that filter (nil: all) keeps, with a queue of buffer entries: a
// client whose queue overflows has its channel closed. Call leave when done.
func (h *liveHub) join(feed *activities.Feed, buffer int, filter func(*activities.Activity) bool) *liveClient {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.joinLocked(feed, buffer, filter)
}

// joinLocked is join with h.mu held.
func (h *liveHub) joinLocked(feed *activities.Feed, buffer int, filter func(*activities.Activity) bool) *liveClient {
	if h.sub == nil {
		// Block: the hub never waits on a client, so it holds the feed
		// back only for the time it takes to encode an entry and queue
		// it. The filter keeps everything; it counts, on the feed's
		// goroutine and in order, what the feed has sent the hub, so that
		// a client joining while entries are in the subscription's buffer
		// skips them (see skip). Each subscription has its own count: the
		// feed may still call an ended one's filter.
		published := new(atomic.Uint64)
		h.published, h.dispatched = published, 0
		h.sub = feed.Subscribe(activities.SubscribeOptions{Buffer: buffer, Policy: activities.Block,
			Filter: func(*activities.Activity) bool { published.Add(1); return true }})
		go h.run(h.sub)
	}
	if h.clients == nil {
		h.clients = map[*liveClient]struct{}{}
	}
	c := &liveClient{ch: make(chan *liveEntry, buffer), filter: filter, skip: h.published.Load() - h.dispatched}
	h.clients[c] = struct{}{}
	return c
}

// leave unregisters c; the last client to leave ends the hub's
// subscription.
func (h *liveHub) leave(c *liveClient) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !c.closed {
		c.closed = true
		close(c.ch)
	}
	delete(h.clients, c)
	if len(h.clients) == 0 && h.sub != nil {
		h.sub.Close()
		h.sub = nil
	}
}

// run dispatches the entries of sub until it is closed.
func (h *liveHub) run(sub *activities.Subscription) {
	for e := range sub.C() {
		h.dispatch(sub, &e)
	}
}

// dispatch queues e for every client that wants it; a client whose queue
// is full is disconnected (its channel closed).
func (h *liveHub) dispatch(sub *activities.Subscription, e *activities.Entry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sub != sub {
		return // left in the buffer of a subscription since ended
	}
	h.dispatched++
	var le *liveEntry
	encoded := false
	for c := range h.clients {
		if c.skip > 0 {
			c.skip--
			continue
		}
		if c.filter != nil && !c.filter(&e.Activity) {
			continue
		}
		if !encoded {
			encoded = true
			if b, err := json.Marshal(e.Activity); err == nil {
				le = &liveEntry{seq: e.Seq, json: b}
			}
		}
		if le == nil {
			continue // not encodable: skipped for all
		}
		select {
		case c.ch <- le:
		default:
			c.closed = true
			close(c.ch)
			delete(h.clients, c)
		}
	}
}
