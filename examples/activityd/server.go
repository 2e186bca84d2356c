package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/arcsecond-go/arcsecond"
	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"

	// The connectors the server can run, registered by name.
	_ "github.com/arcsecond-go/arcsecond/connectors/gemini"
	_ "github.com/arcsecond-go/arcsecond/connectors/hst"
	_ "github.com/arcsecond-go/arcsecond/connectors/jsonl"
	_ "github.com/arcsecond-go/arcsecond/connectors/swift"
)

type server struct {
	cfg      config
	log      *slog.Logger
	store    activities.Store
	feed     *activities.Feed
	sources  []activities.Source
	stopping atomic.Bool
	started  time.Time
}

func newServer(ctx context.Context, c config, log *slog.Logger) (*server, error) {
	s := &server{cfg: c, log: log, started: time.Now()}
	var err error
	if c.db == ":memory:" {
		s.store = activities.NewMemoryStore()
	} else if s.store, err = activities.OpenSQLite(c.db); err != nil {
		return nil, err
	}
	s.feed = activities.NewFeed(activities.FeedOptions{Store: s.store, Logger: log})
	if c.replay {
		srcs, err := newReplaySources(c.replayDir, c.speed)
		if err != nil {
			s.store.Close()
			return nil, err
		}
		for _, src := range srcs {
			s.sources = append(s.sources, src)
			sched := activities.Schedule{Interval: 500 * time.Millisecond, Jitter: -1, MinBackoff: time.Second, MaxBackoff: 10 * time.Second}
			if err := s.feed.Add(src, sched); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	names := connectors.Names()
	if c.sources != "" {
		names = strings.Split(c.sources, ",")
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "jsonl" && c.sources == "" {
			continue // needs a URL; only when asked for
		}
		src, err := connectors.Open(n, connectors.Config{})
		if err != nil {
			s.store.Close()
			return nil, fmt.Errorf("%w: --source: %v", errUsage, err)
		}
		s.sources = append(s.sources, src)
		if err := s.feed.Add(src, activities.Schedule{Interval: c.interval}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *server) sourceNames() []string {
	var out []string
	for _, src := range s.sources {
		out = append(out, src.Name())
	}
	return out
}

func (s *server) runFeed(ctx context.Context) { s.feed.Run(ctx) }

func (s *server) beginShutdown() { s.stopping.Store(true) }

func (s *server) drain(ctx context.Context) {}

func (s *server) close() { s.store.Close() }

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/activities", s.listActivities)
	mux.HandleFunc("GET /api/activities/{id}", s.getActivity)
	mux.HandleFunc("GET /api/sources", s.listSources)
	mux.HandleFunc("GET /activities/events", s.sse)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.HandleFunc("GET /api/version", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"version": arcsecond.Version})
	})
	return mux
}

// apiError is the body of every 4xx and 5xx answer.
type apiError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func badRequest(w http.ResponseWriter, field, format string, a ...any) {
	writeJSON(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf(format, a...), Field: field})
}

// parseQuery turns the query string of GET /api/activities into a Query.
func parseQuery(r *http.Request) (activities.Query, string, error) {
	v := r.URL.Query()
	q := activities.Query{
		Source: v.Get("source"), Facility: v.Get("facility"), Instrument: v.Get("instrument"),
		Kind: activities.Kind(v.Get("kind")), Cursor: v.Get("cursor"),
	}
	if q.Kind != "" && !q.Kind.Valid() {
		return q, "kind", fmt.Errorf("kind %q is not one of planned, started, completed, archived", q.Kind)
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"start", &q.Window.Start}, {"end", &q.Window.End}} {
		if s := v.Get(p.name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return q, p.name, fmt.Errorf("%s %q is not an RFC 3339 time", p.name, s)
			}
			*p.dst = t
		}
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return q, "limit", fmt.Errorf("limit %q is not a number from 1 to 1000", s)
		}
		q.Limit = n
	}
	if ra, dec, rad := v.Get("ra"), v.Get("dec"), v.Get("radius"); ra != "" || dec != "" || rad != "" {
		var c activities.Cone
		for _, p := range []struct {
			name, s string
			dst     *float64
		}{{"ra", ra, &c.RA}, {"dec", dec, &c.Dec}, {"radius", rad, &c.Radius}} {
			f, err := strconv.ParseFloat(p.s, 64)
			if err != nil {
				return q, p.name, fmt.Errorf("a cone needs ra, dec and radius in degrees; %s %q is not a number", p.name, p.s)
			}
			*p.dst = f
		}
		if err := c.Validate(); err != nil {
			return q, "cone", err
		}
		q.Cone = &c
	}
	return q, "", nil
}

func (s *server) listActivities(w http.ResponseWriter, r *http.Request) {
	q, field, err := parseQuery(r)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	page, err := s.store.Find(r.Context(), q)
	if err != nil {
		if strings.Contains(err.Error(), "cursor") {
			badRequest(w, "cursor", "%v", err)
			return
		}
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "listing activities failed"})
		s.log.Error("find", "err", err)
		return
	}
	acts := page.Activities
	if acts == nil {
		acts = []activities.Activity{}
	}
	writeJSON(w, 200, map[string]any{"activities": acts, "next": page.Next})
}

func (s *server) getActivity(w http.ResponseWriter, r *http.Request) {
	a, err := s.store.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, activities.ErrNotFound) {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no activity %q", r.PathValue("id"))})
		return
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "reading the activity failed"})
		return
	}
	writeJSON(w, 200, a)
}

// sourceJSON is the health of a source as the API shows it.
type sourceJSON struct {
	Name                string    `json:"name"`
	State               string    `json:"state"`
	LastPoll            time.Time `json:"last_poll,omitzero"`
	LastSuccess         time.Time `json:"last_success,omitzero"`
	NextPoll            time.Time `json:"next_poll,omitzero"`
	LastError           string    `json:"last_error,omitempty"`
	ConsecutiveFailures int       `json:"consecutive_failures"`
	Polls               uint64    `json:"polls"`
	Failures            uint64    `json:"failures"`
	Listed              uint64    `json:"listed"`
	Announced           uint64    `json:"announced"`
	Invalid             uint64    `json:"invalid"`
	LastDurationMS      float64   `json:"last_duration_ms"`
}

func (s *server) listSources(w http.ResponseWriter, r *http.Request) {
	var out []sourceJSON
	for _, h := range s.feed.Health() {
		out = append(out, sourceJSON{
			Name: h.Name, State: string(h.State), LastPoll: h.LastPoll, LastSuccess: h.LastSuccess, NextPoll: h.NextPoll,
			LastError: h.LastError, ConsecutiveFailures: h.ConsecutiveFailures, Polls: h.Polls, Failures: h.Failures,
			Listed: h.Listed, Announced: h.Announced, Invalid: h.Invalid, LastDurationMS: float64(h.LastDuration.Microseconds()) / 1000,
		})
	}
	writeJSON(w, 200, map[string]any{"sources": out})
}

func (s *server) ready(w http.ResponseWriter, r *http.Request) {
	if s.stopping.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "stopping"})
		return
	}
	if _, err := s.store.LastSeq(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "store unavailable"})
		return
	}
	writeJSON(w, 200, map[string]string{"status": "ready"})
}

// sse streams activities as server-sent events, one JSON activity per
// event, optionally filtered by source, facility and instrument.
func (s *server) sse(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "streaming unsupported"})
		return
	}
	q, field, err := parseQuery(r)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	sub := s.feed.Subscribe(activities.SubscribeOptions{Buffer: 256, Policy: activities.Disconnect, Filter: queryFilter(q)})
	defer sub.Close()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(200)
	fl.Flush()
	keep := time.NewTicker(15 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		case e, ok := <-sub.C():
			if !ok {
				return
			}
			b, _ := json.Marshal(e.Activity)
			fmt.Fprintf(w, "id: %d\nevent: activity\ndata: %s\n\n", e.Seq, b)
			fl.Flush()
		}
	}
}

// queryFilter turns a query into a subscription filter (the cursor and
// limit do not apply to live streams).
func queryFilter(q activities.Query) func(*activities.Activity) bool {
	if q.Source == "" && q.Facility == "" && q.Instrument == "" && q.Kind == "" && q.Cone == nil {
		return nil
	}
	return func(a *activities.Activity) bool {
		switch {
		case q.Source != "" && a.Source != q.Source,
			q.Facility != "" && !strings.EqualFold(a.Facility, q.Facility),
			q.Instrument != "" && !strings.EqualFold(a.Instrument, q.Instrument),
			q.Kind != "" && a.Kind != q.Kind,
			q.Cone != nil && !q.Cone.Overlaps(a):
			return false
		}
		return true
	}
}
