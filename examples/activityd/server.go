package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond"
	"github.com/arcsecond-go/arcsecond/activities"
	arcjs "github.com/arcsecond-go/arcsecond/activities/jetstream"
	"github.com/arcsecond-go/arcsecond/activities/sqlitestore"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
	"github.com/arcsecond-go/arcsecond/subscribe"

	// The connectors the server can run, registered by name.
	_ "github.com/arcsecond-go/arcsecond/connectors/gemini"
	_ "github.com/arcsecond-go/arcsecond/connectors/hst"
	_ "github.com/arcsecond-go/arcsecond/connectors/jsonl"
	_ "github.com/arcsecond-go/arcsecond/connectors/swift"
)

type server struct {
	cfg      config
	log      *slog.Logger
	db       *sql.DB
	tmpDir   string // the database's folder with --db :memory:
	store    activities.Store
	feed     *activities.Feed
	sources  []activities.Source
	replay   []*replaySource
	stopping atomic.Bool
	started  time.Time

	outbox     subscribe.Store // inspected through subscribe.Counter and subscribe.Inspector when it offers them
	index      *recordingIndex
	hub        *subscribe.Hub
	dispatcher *subscribe.Dispatcher
	subsMu     sync.Mutex // serializes create/delete
	metrics    *metrics
	nc         *nats.Conn
	cluster    *arcjs.Cluster

	bg             sync.WaitGroup // feed, consumer
	delivery       sync.WaitGroup // dispatcher
	stopDeliveries context.CancelFunc
	done           chan struct{} // closed when shutdown begins
	pages          pageCache
	doneOnce       sync.Once
}

func newServer(ctx context.Context, c config, log *slog.Logger) (_ *server, err error) {
	s := &server{cfg: c, log: log, started: time.Now(), done: make(chan struct{})}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	path := c.db
	if path == ":memory:" {
		if s.tmpDir, err = os.MkdirTemp("", "activityd-"); err != nil {
			return nil, err
		}
		path = filepath.Join(s.tmpDir, "activityd.db")
	}
	if s.db, err = sqlitedb.Open(path); err != nil {
		return nil, fmt.Errorf("--db %s: %w", c.db, err)
	}
	if s.store, err = sqlitestore.New(s.db); err != nil {
		return nil, fmt.Errorf("--db %s: %w", c.db, err)
	}
	if s.outbox, err = subscribe.NewSQLiteOutbox(s.db); err != nil {
		return nil, fmt.Errorf("--db %s: %w", c.db, err)
	}
	s.metrics = newMetrics(s)
	if s.index, err = newRecordingIndex(ctx, s.db, s.metrics); err != nil {
		return nil, fmt.Errorf("--db %s: %w", c.db, err)
	}
	s.hub = subscribe.NewHub()
	do := subscribe.DispatcherOptions{
		Store: s.outbox, Index: s.index, Hub: s.hub,
		Webhooks: subscribe.NewWebhookSender(subscribe.WebhookOptions{AllowPrivate: c.allowPriv, Timeout: 10 * time.Second}),
		Poll:     250 * time.Millisecond, BaseBackoff: time.Second, MaxBackoff: 10 * time.Minute,
		Logf: func(format string, args ...any) { log.Warn("delivery", "msg", fmt.Sprintf(format, args...)) },
	}
	if c.smtpAddr != "" {
		mo := subscribe.MailerOptions{Addr: c.smtpAddr, From: c.smtpFrom}
		if c.dataSecret != "" && c.publicURL != "" {
			mo.UnsubscribeURL = strings.TrimRight(c.publicURL, "/") + "/api/unsubscribe"
			mo.UnsubscribeKey = []byte(c.dataSecret)
		}
		if do.Mailer, err = subscribe.NewMailer(mo); err != nil {
			return nil, fmt.Errorf("%w: --smtp: %v", errUsage, err)
		}
	}
	if s.dispatcher, err = subscribe.NewDispatcher(do); err != nil {
		return nil, err
	}
	// Every poll is logged at debug level; failures stay warnings.
	fo := activities.FeedOptions{Store: s.store, Logger: slog.New(quietPolls{log.Handler()})}
	if c.natsURL != "" {
		if s.nc, err = nats.Connect(c.natsURL, nats.Name("activityd")); err != nil {
			return nil, fmt.Errorf("--nats %s: %w", c.natsURL, err)
		}
		js, err := natsjs.New(s.nc)
		if err != nil {
			return nil, fmt.Errorf("--nats %s: %w", c.natsURL, err)
		}
		host, _ := os.Hostname()
		inst := c.instance
		if inst == "" {
			inst = fmt.Sprintf("%s-%d", host, os.Getpid())
		}
		if s.cluster, err = arcjs.Open(ctx, js, arcjs.Options{Instance: inst}); err != nil {
			return nil, fmt.Errorf("--nats %s: %w", c.natsURL, err)
		}
		fo.Bus, fo.Lease = s.cluster.Bus(), s.cluster.Lease()
	}
	s.feed = activities.NewFeed(fo)
	if c.replay {
		srcs, err := newReplaySources(c.replayDir, c.speed, c.replayWait, log)
		if err != nil {
			return nil, err
		}
		for _, src := range srcs {
			s.sources = append(s.sources, src)
			s.replay = append(s.replay, src)
			sched := activities.Schedule{Interval: 250 * time.Millisecond, Jitter: -1, MinBackoff: time.Second, MaxBackoff: 10 * time.Second}
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

// start runs the feed, the dispatcher's consumer (matching every recorded
// entry) and its deliveries. The deliveries have their own context so that
// shutdown can drain them after the feed has stopped.
func (s *server) start(ctx context.Context) {
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.stopDeliveries = cancel
	s.delivery.Add(1)
	go func() {
		defer s.delivery.Done()
		s.dispatcher.Run(dctx)
	}()
	s.bg.Add(2)
	go func() {
		defer s.bg.Done()
		s.feed.Run(ctx)
	}()
	go func() {
		defer s.bg.Done()
		if err := s.dispatcher.Consume(ctx, s.feed); err != nil && ctx.Err() == nil {
			s.log.Error("matching stopped", "err", err)
		}
	}()
	if s.cluster != nil {
		s.bg.Add(1)
		go func() {
			defer s.bg.Done()
			if err := s.cluster.Follow(ctx, s.feed); err != nil && ctx.Err() == nil {
				s.log.Error("following the NATS stream stopped", "err", err)
			}
		}()
	}
}

func (s *server) beginShutdown() {
	s.stopping.Store(true)
	s.doneOnce.Do(func() { close(s.done) })
}

// drain waits for the feed and the matcher to stop (their context is done),
// then for the notifications already due to be delivered, until ctx ends.
func (s *server) drain(ctx context.Context) {
	s.bg.Wait()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		due, err := s.pendingDue(ctx)
		if err != nil || due == 0 {
			break
		}
		s.dispatcher.Wake()
		select {
		case <-ctx.Done():
			s.log.Warn("shutdown: deliveries left pending", "count", due)
			goto stop
		case <-tick.C:
		}
	}
stop:
	if s.stopDeliveries != nil {
		s.stopDeliveries()
	}
	s.delivery.Wait()
}

// pendingDue counts the pending notifications due within a second.
func (s *server) pendingDue(ctx context.Context) (int, error) {
	ns, err := s.outbox.List(ctx, subscribe.StatePending, 10000)
	if err != nil {
		return 0, err
	}
	n := 0
	limit := time.Now().Add(time.Second)
	for _, x := range ns {
		if x.NextAt.Before(limit) {
			n++
		}
	}
	return n, nil
}

func (s *server) close() {
	if s.nc != nil {
		s.nc.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
}

// maxBody caps request bodies.
const maxBody = 1 << 20

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, s.metrics.instrument(pattern, h)) }
	handle("GET /api/activities", s.listActivities)
	handle("GET /api/activities/{id}", s.getActivity)
	handle("GET /api/sources", s.listSources)
	handle("GET /api/subscriptions", s.listSubscriptions)
	handle("POST /api/subscriptions", s.createSubscription)
	handle("GET /api/subscriptions/{id}", s.getSubscription)
	handle("DELETE /api/subscriptions/{id}", s.deleteSubscription)
	handle("GET /api/subscriptions/{id}/matches", s.subscriptionMatches)
	handle("GET /api/unsubscribe", s.unsubscribe)
	handle("POST /api/unsubscribe", s.unsubscribe)
	handle("GET /api/version", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"version": arcsecond.Version})
	})
	mux.HandleFunc("GET /activities/live", s.websocket) // long-lived: counted apart
	mux.HandleFunc("GET /activities/events", s.sse)
	handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	handle("GET /readyz", s.ready)
	mux.Handle("GET /metrics", s.metrics.handler())
	dash := dashboard()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/"):
			writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no API endpoint %s %s", r.Method, r.URL.Path)})
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, apiError{Error: fmt.Sprintf("method %s not allowed on %s", r.Method, r.URL.Path)})
		default:
			dash.ServeHTTP(w, r)
		}
	})
	return recoverer(s.log, mux)
}

// recoverer answers 500 to a panicking handler instead of dropping the
// connection, and logs the panic.
func recoverer(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "path", r.URL.Path, "panic", v)
				writeJSON(w, http.StatusInternalServerError, apiError{Error: "internal error"})
			}
		}()
		h.ServeHTTP(w, r)
	})
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
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return activities.Query{}, "", fmt.Errorf("malformed query string: %v", err)
	}
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
	if !q.Window.Start.IsZero() && !q.Window.End.IsZero() && q.Window.End.Before(q.Window.Start) {
		return q, "end", errors.New("end is before start")
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
		switch {
		case !(c.RA >= 0 && c.RA < 360):
			return q, "cone", fmt.Errorf("ra %v is not in [0, 360)", c.RA)
		case !(c.Dec >= -90 && c.Dec <= 90):
			return q, "cone", fmt.Errorf("dec %v is not in [-90, 90]", c.Dec)
		case !(c.Radius > 0 && c.Radius <= 180):
			return q, "cone", fmt.Errorf("radius %v is not in (0, 180]", c.Radius)
		}
		q.Cone = &c
	}
	return q, "", nil
}

// pageCache keeps encoded answers of GET /api/activities until the feed
// records anything new: dashboards and pollers ask the same few questions.
type pageCache struct {
	mu    sync.Mutex
	seq   uint64
	pages map[string][]byte
}

const pageCacheSize = 1024

func (c *pageCache) get(seq uint64, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq != seq {
		c.seq, c.pages = seq, nil
	}
	b, ok := c.pages[key]
	return b, ok
}

func (c *pageCache) put(seq uint64, key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq != seq {
		return
	}
	if c.pages == nil || len(c.pages) >= pageCacheSize {
		c.pages = map[string][]byte{}
	}
	c.pages[key] = b
}

func (s *server) listActivities(w http.ResponseWriter, r *http.Request) {
	q, field, err := parseQuery(r)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	seq := s.feed.Announced()
	key := r.URL.RawQuery
	if b, ok := s.pages.get(seq, key); ok {
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
		return
	}
	page, err := s.store.Find(r.Context(), q)
	if err != nil {
		if strings.Contains(err.Error(), "cursor") {
			badRequest(w, "cursor", "%v", err)
			return
		}
		if r.Context().Err() != nil {
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
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"activities": acts, "next": page.Next}); err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "encoding activities failed"})
		return
	}
	s.pages.put(seq, key, buf.Bytes())
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
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
	Replay              *bool     `json:"replay_done,omitempty"`
}

func (s *server) listSources(w http.ResponseWriter, r *http.Request) {
	out := []sourceJSON{}
	done := map[string]bool{}
	for _, rs := range s.replay {
		done[rs.name] = rs.done()
	}
	for _, h := range s.feed.Health() {
		sj := sourceJSON{
			Name: h.Name, State: string(h.State), LastPoll: h.LastPoll, LastSuccess: h.LastSuccess, NextPoll: h.NextPoll,
			LastError: h.LastError, ConsecutiveFailures: h.ConsecutiveFailures, Polls: h.Polls, Failures: h.Failures,
			Listed: h.Listed, Announced: h.Announced, Invalid: h.Invalid, LastDurationMS: float64(h.LastDuration.Microseconds()) / 1000,
		}
		if d, ok := done[h.Name]; ok {
			sj.Replay = &d
		}
		out = append(out, sj)
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

// quietPolls logs the feed's "polled" records at debug level.
type quietPolls struct{ slog.Handler }

func (q quietPolls) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "polled" && r.Level == slog.LevelInfo {
		r.Level = slog.LevelDebug
		if !q.Handler.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
	}
	return q.Handler.Handle(ctx, r)
}

func (q quietPolls) WithAttrs(as []slog.Attr) slog.Handler {
	return quietPolls{q.Handler.WithAttrs(as)}
}
func (q quietPolls) WithGroup(n string) slog.Handler { return quietPolls{q.Handler.WithGroup(n)} }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
