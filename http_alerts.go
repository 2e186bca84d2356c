package arcsecond

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/arcsecond-go/arcsecond/alerts"
)

// alertRoutes adds the alert endpoints: GET /api/alerts, GET
// /api/alerts/{id}, and the live streams /alerts/live (WebSocket) and
// /alerts/events (server-sent events).
func (n *Node) alertRoutes(mux *http.ServeMux, handle func(string, http.HandlerFunc)) {
	handle("GET /api/alerts", n.listAlerts)
	handle("GET /api/alerts/{id}", n.getAlert)
	mux.HandleFunc("GET /alerts/live", n.alertsWebsocket) // long-lived: counted apart
	mux.HandleFunc("GET /alerts/events", n.alertsSSE)
}

// alertQuery is the query string of GET /api/alerts and the alert
// streams: mission, event_type, start/end (trigger time, RFC 3339),
// ra/dec (a point the localization must hold), include_retracted,
// include_tests, limit and cursor.
type alertQuery struct {
	alerts.Query
	// after is the cursor's (trigger time, ID): the page starts after it.
	afterT  time.Time
	afterID string
	cursor  bool
}

func parseAlertQuery(r *http.Request) (aq alertQuery, field string, err error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return aq, "", fmt.Errorf("malformed query string: %v", err)
	}
	q := &aq.Query
	q.Mission, q.EventType = v.Get("mission"), v.Get("event_type")
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"start", &q.From}, {"end", &q.To}} {
		if s := v.Get(p.name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return aq, p.name, fmt.Errorf("%s %q is not an RFC 3339 time", p.name, s)
			}
			*p.dst = t
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return aq, "end", errors.New("end is before start")
	}
	for _, p := range []struct {
		name string
		dst  *bool
	}{{"include_retracted", &q.IncludeRetracted}, {"include_tests", &q.IncludeTests}} {
		if s := v.Get(p.name); s != "" {
			b, err := strconv.ParseBool(s)
			if err != nil {
				return aq, p.name, fmt.Errorf("%s %q is not true or false", p.name, s)
			}
			*p.dst = b
		}
	}
	if ra, dec := v.Get("ra"), v.Get("dec"); ra != "" || dec != "" {
		var pos [2]float64
		for i, p := range []struct{ name, s string }{{"ra", ra}, {"dec", dec}} {
			f, err := strconv.ParseFloat(p.s, 64)
			if err != nil {
				return aq, p.name, fmt.Errorf("a position needs ra and dec in degrees; %s %q is not a number", p.name, p.s)
			}
			pos[i] = f
		}
		switch {
		case !(pos[0] >= 0 && pos[0] < 360):
			return aq, "ra", fmt.Errorf("ra %v is not in [0, 360)", pos[0])
		case !(pos[1] >= -90 && pos[1] <= 90):
			return aq, "dec", fmt.Errorf("dec %v is not in [-90, 90]", pos[1])
		}
		q.Contains = &pos
	}
	q.Limit = 100
	if s := v.Get("limit"); s != "" {
		l, err := strconv.Atoi(s)
		if err != nil || l < 1 || l > 1000 {
			return aq, "limit", fmt.Errorf("limit %q is not a number from 1 to 1000", s)
		}
		q.Limit = l
	}
	if c := v.Get("cursor"); c != "" {
		if aq.afterT, aq.afterID, err = decodeAlertCursor(c); err != nil {
			return aq, "cursor", err
		}
		aq.cursor = true
	}
	return aq, "", nil
}

// The cursor of GET /api/alerts is the (trigger time, ID) of the last
// alert of a page, base64url-encoded.
func encodeAlertCursor(a *alerts.Alert) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(a.TriggerTime.UnixNano(), 10) + " " + a.ID))
}

func decodeAlertCursor(c string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		if ts, id, ok := strings.Cut(string(b), " "); ok {
			if ns, err := strconv.ParseInt(ts, 10, 64); err == nil && id != "" {
				return time.Unix(0, ns).UTC(), id, nil
			}
		}
	}
	return time.Time{}, "", fmt.Errorf("cursor %q is not one this server returned", c)
}

// alertPage is the answer of GET /api/alerts.
type alertPage struct {
	Alerts []alerts.Alert `json:"alerts"`
	// Next is the cursor of the next page, empty on the last one.
	Next string `json:"next"`
}

func (n *Node) findAlerts(ctx context.Context, aq alertQuery) (alertPage, error) {
	q := aq.Query
	limit := q.Limit
	q.Limit = 0
	if aq.cursor && (q.From.IsZero() || q.From.Before(aq.afterT)) {
		q.From = aq.afterT // the store sorts by trigger time then ID
	}
	all, err := n.alerts.store.Find(ctx, q)
	if err != nil {
		return alertPage{}, err
	}
	if aq.cursor {
		i := 0
		for i < len(all) && (all[i].TriggerTime.Equal(aq.afterT) && all[i].ID <= aq.afterID) {
			i++
		}
		all = all[i:]
	}
	page := alertPage{Alerts: all}
	if len(all) > limit {
		page.Alerts = all[:limit]
		page.Next = encodeAlertCursor(&page.Alerts[limit-1])
	}
	if page.Alerts == nil {
		page.Alerts = []alerts.Alert{}
	}
	return page, nil
}

func (n *Node) listAlerts(w http.ResponseWriter, r *http.Request) {
	aq, field, err := parseAlertQuery(r)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	page, err := n.findAlerts(r.Context(), aq)
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "listing alerts failed"})
		n.log.Error("find alerts", "err", err)
		return
	}
	writeJSON(w, 200, page)
}

func (n *Node) getAlert(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a, ok, err := n.alerts.store.Get(r.Context(), id)
	switch {
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "reading the alert failed"})
	case !ok:
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no alert %q", id)})
	default:
		writeJSON(w, 200, a)
	}
}

// liveAlertQuery parses the filters of the alert streams (the paging
// parameters do not apply; retracted alerts are always streamed, as they
// are news).
func liveAlertQuery(r *http.Request) (alerts.Query, string, error) {
	aq, field, err := parseAlertQuery(r)
	q := aq.Query
	q.Limit, q.IncludeRetracted = 0, true
	return q, field, err
}

// alertsWebsocket streams alerts at /alerts/live: one JSON alert per text
// message, each new event or revision from the moment of connection,
// filtered as GET /api/alerts. A client too slow to keep up is
// disconnected (close code 1008) and may reconnect.
func (n *Node) alertsWebsocket(w http.ResponseWriter, r *http.Request) {
	q, field, err := liveAlertQuery(r)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	if n.stopping.Load() {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "shutting down"})
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	n.metrics.liveClients.WithLabelValues("alerts-websocket").Inc()
	defer n.metrics.liveClients.WithLabelValues("alerts-websocket").Dec()
	ch := n.alerts.live.subscribe()
	defer n.alerts.live.unsubscribe(ch)
	ctx := c.CloseRead(r.Context())
	wsStream(n, ctx, c, ch, "alerts-websocket", 10*time.Second, func(a alerts.Alert) ([]byte, bool) {
		if !q.Matches(&a) {
			return nil, false
		}
		b, err := json.Marshal(a)
		return b, err == nil
	})
}

// alertsSSE streams alerts as server-sent events ("event: alert"), with
// the same filters as the WebSocket.
func (n *Node) alertsSSE(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "streaming unsupported"})
		return
	}
	q, field, err := liveAlertQuery(r)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	n.metrics.liveClients.WithLabelValues("alerts-sse").Inc()
	defer n.metrics.liveClients.WithLabelValues("alerts-sse").Dec()
	ch := n.alerts.live.subscribe()
	defer n.alerts.live.unsubscribe(ch)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(200)
	fl.Flush()
	// Writes are not checked: the stream ends with the request's context.
	send := func(msg string) bool {
		io.WriteString(w, msg)
		fl.Flush()
		return true
	}
	sseStream(n, r.Context(), ch, "alerts-sse", send, func(a alerts.Alert) (string, bool) {
		if !q.Matches(&a) {
			return "", false
		}
		b, _ := json.Marshal(a)
		return fmt.Sprintf("event: alert\ndata: %s\n\n", b), true
	})
}
