package arcsecond

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond/activities"
	arcjs "github.com/arcsecond-go/arcsecond/activities/jetstream"
	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/catalogs/resolve"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/gcn"
	"github.com/arcsecond-go/arcsecond/subscribe"
	subjs "github.com/arcsecond-go/arcsecond/subscribe/jetstream"
)

// NodeOptions configure a [Node]. The zero value is a node with no
// source, nothing kept across restarts, and no e-mail.
type NodeOptions struct {
	// Sources are polled on Schedule.
	Sources []activities.Source
	// Connectors names registered connectors (see [connectors.Names]) to
	// open with [connectors.Open] and poll on Schedule. One that cannot be
	// opened for want of configuration (a service URL, a token) does not
	// stop the node: it is listed by [Node.Sources] and GET /api/sources
	// with the state [StateNotConfigured] and the error, which names what
	// it needs.
	Connectors []string
	// Schedule of Sources and Connectors; a zero Interval is 5 minutes.
	Schedule activities.Schedule

	// Replay, when set, adds the recorded replies of connectors/recorded
	// as sources, played as if live (see [ReplayOptions]).
	Replay *ReplayOptions

	// DBPath is the SQLite database file keeping the activities, the
	// subscriptions, their match history and the delivery outbox across
	// restarts. Empty: nothing is kept; the activities, subscriptions and
	// match history are held in memory, and the outbox (unless given) in a
	// database in a temporary folder that Close removes.
	DBPath string
	// Store, when set, keeps the activities instead of the database (the
	// node does not close it).
	Store activities.Store
	// Outbox, when set, keeps the notifications to deliver instead of the
	// database (the node does not close it). The match history shows
	// delivery states when it is a [subscribe.Inspector]; /metrics counts
	// notifications when it is a [subscribe.Counter].
	Outbox subscribe.Store
	// Subscriptions are added when the node starts (replacing stored ones
	// with the same ID), as if POSTed to /api/subscriptions.
	Subscriptions []*subscribe.Subscription

	// SMTP sends e-mail deliveries when SMTP.Addr is set.
	SMTP subscribe.MailerOptions
	// Webhooks sends webhook deliveries (default: a sender with a 10 s
	// timeout, refusing private addresses unless AllowPrivateWebhooks).
	Webhooks *subscribe.WebhookSender
	// AllowPrivateWebhooks lets the default webhook sender reach loopback
	// and private addresses (tests, in-house use).
	AllowPrivateWebhooks bool
	// Dispatch tunes the deliveries (zero fields: the defaults of
	// subscribe.DispatcherOptions, except Poll 250 ms and MaxBackoff 10 min).
	Dispatch DispatchOptions
	// DrainTimeout bounds how long Run, once its context is done, waits
	// for the notifications already due (default 10 s; negative: no wait).
	DrainTimeout time.Duration

	// Hardening (see the package documentation). AllowedOrigins are the
	// origins ("https://app.example.org") besides the node's own from
	// which browsers may send state-changing requests. MaxSubscriptions
	// caps the number of subscriptions (default 10,000; negative: no cap).
	// PageCacheBytes bounds the cache of activity listings (default 8 MiB;
	// negative: no cache).
	AllowedOrigins   []string
	MaxSubscriptions int
	PageCacheBytes   int
	// LiveBuffer is how many activities a live stream (WebSocket, SSE)
	// holds for a client that has not taken them yet; beyond, the client
	// is disconnected and may reconnect (default DefaultLiveBuffer, 64).
	// Each costs about 420 bytes per open stream, allocated when it opens;
	// a larger buffer tolerates larger bursts of announcements.
	LiveBuffer int

	// UnsubscribeSecret signs the one-click unsubscribe links of e-mails,
	// which point at PublicURL + "/api/unsubscribe"; both are needed for
	// the links.
	UnsubscribeSecret string
	PublicURL         string

	// NATS, when set, makes the node one of several instances sharing a
	// JetStream feed (activities/jetstream).
	NATS *NATSOptions

	// Auth, when set, turns on accounts, API keys and authorization (see
	// [AuthOptions]); without it the API is open to anyone who reaches it.
	Auth *AuthOptions

	// GCN, when set, consumes GCN notices (see [gcn.NewSource]): their
	// activities go to the feed, their alerts to the alert store.
	GCN *gcn.Options

	// Resolver, when set, resolves the names GET /api/astro/lookup does
	// not find in the embedded catalogues (for example a
	// [resolve.Sesame] behind a [resolve.Cache]); nil: catalogues only,
	// no network.
	Resolver resolve.Resolver

	// Logger receives the node's logs (default: none). The feed's
	// per-poll records are logged at debug level.
	Logger *slog.Logger
}

// DispatchOptions tune the deliveries; see [subscribe.DispatcherOptions].
type DispatchOptions struct {
	Workers, MaxAttempts                 int
	Poll, BaseBackoff, MaxBackoff, Lease time.Duration
}

// NATSOptions connect a node to a NATS JetStream server shared with other
// instances: every polled activity goes through the shared stream, each
// source is polled by one instance at a time, and every instance follows
// the stream into its own store.
type NATSOptions struct {
	// URL of the server, used when Conn is nil.
	URL string
	// Conn is an open connection to use (the node does not close it).
	Conn *nats.Conn
	// Instance is this instance's unique, stable name (default host-pid).
	Instance string
	// LeaseTTL is how long a source's poll lease lasts (default: that of
	// activities/jetstream).
	LeaseTTL time.Duration
	// SharedOutbox sends the notifications through the shared JetStream
	// work queue (subscribe/jetstream), so that each is delivered by one
	// instance, instead of the node's own outbox. ClaimLease is its
	// claim lease.
	SharedOutbox bool
	ClaimLease   time.Duration
}

// Node is a whole arcsecond node: the live feed polling its sources into a
// store, the subscription matcher, the durable deliveries (webhooks,
// e-mail) and, through [Node.Handler], the REST API, live streams, metrics
// and dashboard. Create one with [NewNode], run it with [Node.Run], serve
// its Handler with any http.Server, and Close it when Run has returned.
type Node struct {
	opts  NodeOptions
	log   *slog.Logger
	tmp   string // the temporary database's folder
	store activities.Store
	db    *sql.DB // the node's database, nil when it keeps nothing
	auth  *nodeAuth
	owned []func() error // closed by Close, last first

	feed         *activities.Feed
	sources      []activities.Source
	replay       []*replaySource
	unconfigured []SourceStatus

	outbox     subscribe.Store
	subs       subscriptionStore
	index      *recordingIndex
	hub        *subscribe.Hub
	dispatcher *subscribe.Dispatcher
	subsMu     sync.Mutex                         // serializes create/delete
	paused     map[string]*subscribe.Subscription // by key, out of the matcher (guarded by subsMu)
	webhooks   *subscribe.WebhookSender           // the dispatcher's, for test deliveries
	mailer     *subscribe.Mailer                  // the dispatcher's (nil without SMTP)
	testLimit  *auth.Limiter                      // test deliveries, per subscription
	metrics    *metrics
	cluster    *arcjs.Cluster
	pages      pageCache
	alerts     *nodeAlerts // node_alerts.go
	timeouts   timeouts
	live       liveHub // livehub.go

	stopping    atomic.Bool
	done        chan struct{} // closed when shutdown begins
	doneOnce    sync.Once
	running     atomic.Bool
	handler     http.Handler
	handlerOnce sync.Once
	errMu       sync.Mutex
	errs        []error // of loops stopped early
}

// NewNode opens the node's stores and sources. It starts nothing: call Run.
func NewNode(ctx context.Context, o NodeOptions) (_ *Node, err error) {
	n := &Node{opts: o, log: o.Logger, done: make(chan struct{})}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	defer func() {
		if err != nil {
			n.Close()
		}
	}()
	if _, err := csrfGuard(o.AllowedOrigins, nil); err != nil {
		return nil, err
	}
	n.pages.max = o.PageCacheBytes
	if err := n.openStores(ctx); err != nil {
		return nil, err
	}
	if err := n.openAuth(ctx); err != nil {
		return nil, err
	}
	n.metrics = newMetrics(n)
	if err := n.openNATS(ctx); err != nil {
		return nil, err
	}
	if n.index, n.paused, err = newRecordingIndex(ctx, n.subs, n.metrics, n.keyed); err != nil {
		return nil, fmt.Errorf("arcsecond: database %s: %w", o.DBPath, err)
	}
	for _, s := range o.Subscriptions {
		if err := n.putSubscription(ctx, s, true); err != nil {
			return nil, fmt.Errorf("arcsecond: subscription %q: %w", s.ID, err)
		}
	}
	if err := n.newDispatcher(); err != nil {
		return nil, err
	}
	if err := n.openAlerts(ctx); err != nil {
		return nil, err
	}
	fo := activities.FeedOptions{Store: n.store, Logger: slog.New(quietPolls{n.log.Handler()})}
	if n.cluster != nil {
		fo.Bus, fo.Lease = n.cluster.Bus(), n.cluster.Lease()
	}
	n.feed = activities.NewFeed(fo)
	if err := n.addSources(); err != nil {
		return nil, err
	}
	return n, nil
}

// openStores opens the database at DBPath, or with none keeps the
// activities, subscriptions and match history in memory and the outbox
// (when not given) in a temporary database.
func (n *Node) openStores(ctx context.Context) error {
	o := n.opts
	n.store, n.outbox = o.Store, o.Outbox
	needOutbox := o.Outbox == nil && !(o.NATS != nil && o.NATS.SharedOutbox)
	path := o.DBPath
	if path == "" {
		n.subs = newMemorySubscriptions()
		if n.store == nil {
			n.store = activities.NewMemoryStore()
		}
		if !needOutbox {
			return nil
		}
		var err error
		if n.tmp, err = os.MkdirTemp("", "arcsecond-node-"); err != nil {
			return fmt.Errorf("arcsecond: %w", err)
		}
		path = filepath.Join(n.tmp, "outbox.db")
	}
	db, store, outbox, err := openSQLite(path, n.store == nil, needOutbox)
	if err != nil {
		return fmt.Errorf("arcsecond: database %s: %w", path, err)
	}
	n.owned = append(n.owned, db.Close)
	if store != nil {
		n.store = store
	}
	if outbox != nil {
		n.outbox = outbox
	}
	if o.DBPath != "" {
		n.db = db
		if n.subs, err = newSQLSubscriptions(ctx, db); err != nil {
			return fmt.Errorf("arcsecond: database %s: %w", path, err)
		}
	}
	return nil
}

func (n *Node) openNATS(ctx context.Context) error {
	no := n.opts.NATS
	if no == nil {
		return nil
	}
	nc := no.Conn
	if nc == nil {
		var err error
		if nc, err = nats.Connect(no.URL, nats.Name("arcsecond")); err != nil {
			return fmt.Errorf("arcsecond: NATS %s: %w", no.URL, err)
		}
		n.owned = append(n.owned, func() error { nc.Close(); return nil })
	}
	js, err := natsjs.New(nc)
	if err != nil {
		return fmt.Errorf("arcsecond: NATS: %w", err)
	}
	inst := no.Instance
	if inst == "" {
		host, _ := os.Hostname()
		inst = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	ao := arcjs.Options{Instance: inst, LeaseTTL: no.LeaseTTL}
	if no.LeaseTTL > 0 {
		ao.AckWait = 2 * no.LeaseTTL
	}
	if n.cluster, err = arcjs.Open(ctx, js, ao); err != nil {
		return fmt.Errorf("arcsecond: NATS: %w", err)
	}
	if no.SharedOutbox && n.opts.Outbox == nil {
		out, err := subjs.Open(ctx, js, subjs.Options{Instance: inst, Lease: no.ClaimLease})
		if err != nil {
			return fmt.Errorf("arcsecond: NATS: %w", err)
		}
		n.outbox = out
		n.owned = append(n.owned, out.Close)
	}
	return nil
}

func (n *Node) newDispatcher() error {
	o := n.opts
	deliveryLog := newSampledLog(n.log, deliveryWarnings, time.Second)
	do := subscribe.DispatcherOptions{
		Store: n.outbox, Index: n.index, Hub: n.hub, Webhooks: o.Webhooks,
		Workers: o.Dispatch.Workers, MaxAttempts: o.Dispatch.MaxAttempts, Lease: o.Dispatch.Lease,
		Poll: o.Dispatch.Poll, BaseBackoff: o.Dispatch.BaseBackoff, MaxBackoff: o.Dispatch.MaxBackoff,
		Logf: func(format string, args ...any) { deliveryLog.warn("delivery", "msg", fmt.Sprintf(format, args...)) },
		// Payloads name a subscription by the ID its owner gave it, not
		// by the node's owner-qualified key (subkeys.go).
		Name: func(s *subscribe.Subscription) string { return n.publicID(s.Owner, s.ID) },
	}
	if do.Webhooks == nil {
		do.Webhooks = subscribe.NewWebhookSender(subscribe.WebhookOptions{AllowPrivate: o.AllowPrivateWebhooks, Timeout: 10 * time.Second})
	}
	if do.Poll <= 0 {
		do.Poll = 250 * time.Millisecond
	}
	if do.MaxBackoff <= 0 {
		do.MaxBackoff = 10 * time.Minute
	}
	if o.SMTP.Addr != "" {
		mo := o.SMTP
		if mo.From == "" {
			mo.From = "arcsecond@localhost"
		}
		if o.UnsubscribeSecret != "" && o.PublicURL != "" {
			mo.UnsubscribeURL = strings.TrimRight(o.PublicURL, "/") + "/api/unsubscribe"
			mo.UnsubscribeKey = []byte(o.UnsubscribeSecret)
		}
		var err error
		if do.Mailer, err = subscribe.NewMailer(mo); err != nil {
			return fmt.Errorf("arcsecond: SMTP: %w", err)
		}
	}
	n.hub = subscribe.NewHub()
	do.Hub = n.hub
	n.webhooks, n.mailer = do.Webhooks, do.Mailer
	n.testLimit = auth.NewLimiter(testDeliveryRate, testDeliveryBurst)
	d, err := subscribe.NewDispatcher(do)
	if err != nil {
		return fmt.Errorf("arcsecond: %w", err)
	}
	n.dispatcher = d
	return nil
}

func (n *Node) addSources() error {
	sched := n.opts.Schedule
	if sched.Interval <= 0 {
		sched.Interval = 5 * time.Minute
	}
	if r := n.opts.Replay; r != nil {
		srcs, err := newReplaySources(*r, n.log)
		if err != nil {
			return err
		}
		for _, src := range srcs {
			n.replay = append(n.replay, src)
			if err := n.add(src, replaySchedule); err != nil {
				return err
			}
		}
	}
	for _, src := range n.opts.Sources {
		if err := n.add(src, sched); err != nil {
			return err
		}
	}
	for _, name := range n.opts.Connectors {
		name = strings.TrimSpace(name)
		src, err := connectors.Open(name, connectors.Config{})
		if err != nil {
			n.log.Warn("source not configured", "source", name, "err", err)
			n.unconfigured = append(n.unconfigured, SourceStatus{Name: name, State: StateNotConfigured, LastError: err.Error()})
			continue
		}
		if err := n.add(src, sched); err != nil {
			return err
		}
	}
	return nil
}

func (n *Node) add(src activities.Source, s activities.Schedule) error {
	if err := n.feed.Add(src, s); err != nil {
		return fmt.Errorf("arcsecond: %w", err)
	}
	n.sources = append(n.sources, src)
	return nil
}

// Feed is the node's live feed: subscribe to it, ingest activities.
func (n *Node) Feed() *activities.Feed { return n.feed }

// SourceNames lists the sources the node polls.
func (n *Node) SourceNames() []string {
	var out []string
	for _, s := range n.sources {
		out = append(out, s.Name())
	}
	return out
}

// Run runs the feed, the matcher and the deliveries until ctx is done,
// then stops polling and matching, ends the live streams, drains the
// notifications already due (for up to DrainTimeout) and returns. It
// returns the errors that stopped any of its loops early.
func (n *Node) Run(ctx context.Context) error {
	if !n.running.CompareAndSwap(false, true) {
		return errors.New("arcsecond: Node.Run called twice")
	}
	var bg, delivery sync.WaitGroup
	loop := func(wg *sync.WaitGroup, ctx context.Context, what string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && ctx.Err() == nil {
				n.log.Error(what+" stopped", "err", err)
				n.errMu.Lock()
				n.errs = append(n.errs, fmt.Errorf("arcsecond: %s: %w", what, err))
				n.errMu.Unlock()
			}
		}()
	}
	// The deliveries have their own context, so that they can be drained
	// once the feed and the matcher have stopped.
	dctx, stopDeliveries := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDeliveries()
	loop(&delivery, dctx, "delivery", n.dispatcher.Run)
	loop(&bg, ctx, "feed", n.feed.Run)
	loop(&bg, ctx, "matching", func(ctx context.Context) error { return n.dispatcher.Consume(ctx, n.feed) })
	if n.alerts.gcn != nil {
		loop(&bg, ctx, "gcn", n.consumeGCN)
	}
	if n.cluster != nil {
		loop(&bg, ctx, "following the NATS stream", func(ctx context.Context) error { return n.cluster.Follow(ctx, n.feed) })
	}
	<-ctx.Done()
	n.beginShutdown()
	bg.Wait()
	n.drain()
	stopDeliveries()
	delivery.Wait()
	return n.Err()
}

func (n *Node) beginShutdown() {
	n.stopping.Store(true)
	n.doneOnce.Do(func() { close(n.done) })
}

// drain waits for the notifications due within a second to be delivered,
// for up to DrainTimeout.
func (n *Node) drain() {
	d := n.opts.DrainTimeout
	if d < 0 {
		return
	}
	if d == 0 {
		d = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		due, err := n.pendingDue(ctx)
		if err != nil || due == 0 {
			return
		}
		n.dispatcher.Wake()
		select {
		case <-ctx.Done():
			n.log.Warn("shutdown: deliveries left pending", "count", due)
			return
		case <-tick.C:
		}
	}
}

// pendingDue counts the pending notifications due within a second.
func (n *Node) pendingDue(ctx context.Context) (int, error) {
	ns, err := n.outbox.List(ctx, subscribe.StatePending, 10000)
	if err != nil {
		return 0, err
	}
	c := 0
	limit := time.Now().Add(time.Second)
	for _, x := range ns {
		if x.NextAt.Before(limit) {
			c++
		}
	}
	return c, nil
}

// Close releases what NewNode opened (call it after Run has returned).
func (n *Node) Close() error {
	n.beginShutdown()
	var errs []error
	for i := len(n.owned) - 1; i >= 0; i-- {
		if err := n.owned[i](); err != nil {
			errs = append(errs, err)
		}
	}
	n.owned = nil
	if n.tmp != "" {
		if err := os.RemoveAll(n.tmp); err != nil {
			errs = append(errs, err)
		}
		n.tmp = ""
	}
	return errors.Join(errs...)
}

// Handler serves the node's HTTP interface; see the package documentation
// for its endpoints.
func (n *Node) Handler() http.Handler {
	n.handlerOnce.Do(func() { n.handler = n.routes() })
	return n.handler
}

// Err returns the errors that have stopped any of the node's loops early
// while it was running (nil when none did).
func (n *Node) Err() error {
	n.errMu.Lock()
	defer n.errMu.Unlock()
	return errors.Join(n.errs...)
}

// Outbox is the node's delivery outbox.
func (n *Node) Outbox() subscribe.Store { return n.outbox }

// Cluster is the node's handle on the shared JetStream feed and leases,
// nil without NATSOptions.
func (n *Node) Cluster() *arcjs.Cluster { return n.cluster }
