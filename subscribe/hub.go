package subscribe

import (
	"sync"
	"sync/atomic"

	"github.com/arcsecond-go/arcsecond/activities"
)

// LiveEvent is a match published on the live hub.
type LiveEvent struct {
	Subscription string              `json:"subscription"`
	Owner        string              `json:"owner,omitempty"`
	Key          string              `json:"key"`
	Activity     activities.Activity `json:"activity"`
	Reasons      []Reason            `json:"reasons"`
}

// Hub fans live events out to connections (WebSocket, SSE...). Each
// connection has its own filter and buffer; a connection that falls behind
// loses events rather than slowing the others (see [LiveConn.Dropped]).
type Hub struct {
	mu    sync.RWMutex
	conns map[*LiveConn]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{conns: map[*LiveConn]struct{}{}} }

// LiveConn is one connection's view of the hub.
type LiveConn struct {
	hub     *Hub
	ch      chan LiveEvent
	filter  func(*LiveEvent) bool
	dropped atomic.Uint64
	once    sync.Once
}

// Connect registers a connection that receives the events filter accepts
// (all when nil) on a channel of the given buffer (default 64).
func (h *Hub) Connect(buffer int, filter func(*LiveEvent) bool) *LiveConn {
	if buffer <= 0 {
		buffer = 64
	}
	c := &LiveConn{hub: h, ch: make(chan LiveEvent, buffer), filter: filter}
	h.mu.Lock()
	h.conns[c] = struct{}{}
	h.mu.Unlock()
	return c
}

// C is the connection's channel, closed by Close.
func (c *LiveConn) C() <-chan LiveEvent { return c.ch }

// Dropped counts the events lost because the buffer was full.
func (c *LiveConn) Dropped() uint64 { return c.dropped.Load() }

// Close unregisters the connection and closes its channel.
func (c *LiveConn) Close() {
	c.once.Do(func() {
		c.hub.mu.Lock()
		delete(c.hub.conns, c)
		close(c.ch)
		c.hub.mu.Unlock()
	})
}

// Publish offers e to every connection whose filter accepts it, without
// blocking.
func (h *Hub) Publish(e LiveEvent) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.conns {
		if c.filter != nil && !c.filter(&e) {
			continue
		}
		select {
		case c.ch <- e:
		default:
			c.dropped.Add(1)
		}
	}
}

// Len is the number of connections.
func (h *Hub) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.conns)
}
