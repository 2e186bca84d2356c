package arcsecond

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/arcsecond-go/arcsecond/activities"
)

// websocket streams activities at /activities/live: one JSON activity per
// text message, in the REST encoding, from the moment of connection;
// the query string filters them as for GET /api/activities (source,
// facility, instrument, kind, ra/dec/radius). A client too slow to keep up
// is disconnected (close code 1008) and may reconnect.
func (n *Node) websocket(w http.ResponseWriter, r *http.Request) {
	q, field, err := parseQuery(r)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	if n.stopping.Load() {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "shutting down"})
		return
	}
	streaming(w)
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept answered
	}
	defer c.CloseNow()
	n.metrics.liveClients.WithLabelValues("websocket").Inc()
	defer n.metrics.liveClients.WithLabelValues("websocket").Dec()
	lc := n.live.join(n.feed, n.liveBuffer(), liveFilter(q))
	defer n.live.leave(lc)
	ctx := c.CloseRead(r.Context()) // the client sends nothing; this handles its close and pings
	wsStream(n, ctx, c, lc.ch, "websocket", n.timeouts.write(), func(e *liveEntry) ([]byte, bool) { return e.json, true })
}

// sse streams activities as server-sent events, one JSON activity per
// event, with the same filters as the WebSocket.
func (n *Node) sse(w http.ResponseWriter, r *http.Request) {
	if _, ok := w.(http.Flusher); !ok {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "streaming unsupported"})
		return
	}
	q, field, err := parseQuery(r)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	n.metrics.liveClients.WithLabelValues("sse").Inc()
	defer n.metrics.liveClients.WithLabelValues("sse").Dec()
	lc := n.live.join(n.feed, n.liveBuffer(), liveFilter(q))
	defer n.live.leave(lc)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	// The same slow-consumer policy as the WebSocket's: disconnected when
	// its pending activities overflow, or when a write does not complete
	// in time.
	streaming(w)
	rc := http.NewResponseController(w)
	send := func(msg string) bool {
		rc.SetWriteDeadline(time.Now().Add(n.timeouts.write()))
		if _, err := io.WriteString(w, msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	w.WriteHeader(200)
	if rc.Flush() != nil {
		return
	}
	sseStream(n, r.Context(), lc.ch, "sse", send, func(e *liveEntry) (string, bool) { return e.event(), true })
}

// wsStream sends the messages of ch to the WebSocket c, encoded by encode
// (false skips one), until ctx ends, a ping or write fails (each write
// has writeTimeout), the node stops (close code 1001) or ch closes: the
// client fell behind (close code 1008). label names the stream in the
// metrics.
func wsStream[T any](n *Node, ctx context.Context, c *websocket.Conn, ch <-chan T, label string,
	writeTimeout time.Duration, encode func(T) ([]byte, bool)) {
	keep := time.NewTicker(30 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.done:
			c.Close(websocket.StatusGoingAway, "server shutting down")
			return
		case <-keep.C:
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := c.Ping(pctx)
			cancel()
			if err != nil {
				return
			}
		case v, ok := <-ch:
			if !ok {
				c.Close(websocket.StatusPolicyViolation, "too slow: reconnect")
				return
			}
			b, ok := encode(v)
			if !ok {
				continue
			}
			wctx, cancel := context.WithTimeout(ctx, writeTimeout)
			err := c.Write(wctx, websocket.MessageText, b)
			cancel()
			if err != nil {
				return
			}
			n.metrics.liveSent.WithLabelValues(label).Inc()
		}
	}
}

// sseStream sends the messages of ch as server-sent events, each the text
// event gives (false skips one), with a keep-alive comment every 15s,
// until ctx ends, the node stops, send reports a failed write or ch
// closes: the client fell behind and is told so. label names the stream
// in the metrics.
func sseStream[T any](n *Node, ctx context.Context, ch <-chan T, label string, send func(string) bool,
	event func(T) (string, bool)) {
	keep := time.NewTicker(15 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.done:
			return
		case <-keep.C:
			if !send(": keep-alive\n\n") {
				return
			}
		case v, ok := <-ch:
			if !ok {
				send("event: error\ndata: too slow: reconnect\n\n")
				return
			}
			msg, ok := event(v)
			if !ok {
				continue
			}
			if !send(msg) {
				return
			}
			n.metrics.liveSent.WithLabelValues(label).Inc()
		}
	}
}

// liveFilter turns a query into a subscription filter: Query.Match, the
// stores' own definition (the cursor and limit do not apply to live
// streams).
func liveFilter(q activities.Query) func(*activities.Activity) bool {
	if !q.Filters() {
		return nil
	}
	return q.Match
}
