// Package cluster runs the project's whole pipeline — feed, matcher,
// dispatcher — as several instances sharing one NATS JetStream server, in
// one process: the harness of the multi-instance chaos test and benchmark,
// and the reference for wiring activities/jetstream and subscribe/jetstream
// together.
//
// Each Node follows the activity stream into its own feed and store, polls
// the sources whose lease it holds, matches every activity against the
// subscriptions and enqueues the notifications in the shared work queue,
// where the copies of the other nodes are dropped; any node delivers any
// due notification.
//
//	srv, _ := cluster.StartServer(dir)
//	defer srv.Shutdown()
//	n, err := cluster.Start(ctx, cluster.Config{URL: srv.ClientURL(), Name: "node-1",
//		Store: store, Sources: sources, Subscriptions: subs})
//	...
//	n.Kill() // as a crash: connection closed without draining
package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond/activities"
	actjs "github.com/arcsecond-go/arcsecond/activities/jetstream"
	"github.com/arcsecond-go/arcsecond/subscribe"
	subjs "github.com/arcsecond-go/arcsecond/subscribe/jetstream"
)

// StartServer runs an embedded NATS server with JetStream storing in dir,
// listening on a free loopback port.
func StartServer(dir string) (*server.Server, error) {
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	if err != nil {
		return nil, fmt.Errorf("cluster: nats-server: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		return nil, errors.New("cluster: nats-server did not start within 10 s")
	}
	return s, nil
}

// Config describes one instance.
type Config struct {
	// URL of the NATS server (required).
	URL string
	// Name of the instance, stable across its restarts (required).
	Name string
	// Store is the instance's activity store; pass the same one to a
	// restarted instance (it stands for the instance's disk). Default: a
	// new in-memory store.
	Store activities.Store
	// Sources are polled on Schedule by whichever instance holds their lease.
	Sources  []activities.Source
	Schedule activities.Schedule
	// Subscriptions are matched by every instance.
	Subscriptions []*subscribe.Subscription
	// Webhooks sends the notifications (default: a sender allowed to reach
	// loopback addresses, 5 s timeout).
	Webhooks *subscribe.WebhookSender
	// LeaseTTL is the poll lease (default 1 s); Lease the notification
	// claim (default 1 s).
	LeaseTTL, Lease time.Duration
	// Poll, BaseBackoff, MaxBackoff, MaxAttempts and Workers configure the
	// dispatcher (defaults 20 ms, 20 ms, 200 ms, 30, 8).
	Poll, BaseBackoff, MaxBackoff time.Duration
	MaxAttempts, Workers          int
	// NoPoll leaves the sources out: activities come from elsewhere (the
	// benchmark publishes to the bus itself).
	NoPoll bool
}

// Node is one running instance.
type Node struct {
	name    string
	nc      *nats.Conn
	feed    *activities.Feed
	cluster *actjs.Cluster
	outbox  *subjs.Store
	disp    *subscribe.Dispatcher
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	mu      sync.Mutex
	errs    []error
	once    sync.Once
	killed  atomic.Bool
}

// Start connects an instance and runs its feed, its follower of the
// activity stream, its dispatcher's consumer and its deliveries until
// Kill or Stop.
func Start(ctx context.Context, c Config) (*Node, error) {
	if c.URL == "" || c.Name == "" {
		return nil, errors.New("cluster: Config.URL and Config.Name are required")
	}
	if c.Store == nil {
		c.Store = activities.NewMemoryStore()
	}
	if c.Webhooks == nil {
		c.Webhooks = subscribe.NewWebhookSender(subscribe.WebhookOptions{AllowPrivate: true, Timeout: 5 * time.Second})
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = time.Second
	}
	if c.Lease <= 0 {
		c.Lease = time.Second
	}
	if c.Poll <= 0 {
		c.Poll = 20 * time.Millisecond
	}
	if c.BaseBackoff <= 0 {
		c.BaseBackoff = 20 * time.Millisecond
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 200 * time.Millisecond
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 30
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	// No reconnection: a lost connection is a dead instance here.
	nc, err := nats.Connect(c.URL, nats.Name(c.Name), nats.NoReconnect())
	if err != nil {
		return nil, fmt.Errorf("cluster: %s: connecting: %w", c.Name, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("cluster: %s: %w", c.Name, err)
	}
	cl, err := actjs.Open(ctx, js, actjs.Options{Instance: c.Name, LeaseTTL: c.LeaseTTL, AckWait: 2 * c.LeaseTTL})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("cluster: %s: %w", c.Name, err)
	}
	out, err := subjs.Open(ctx, js, subjs.Options{Instance: c.Name, Lease: c.Lease})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("cluster: %s: %w", c.Name, err)
	}
	m := subscribe.NewMatcher()
	for _, s := range c.Subscriptions {
		if err := m.Add(s); err != nil {
			nc.Close()
			return nil, fmt.Errorf("cluster: %s: subscription %s: %w", c.Name, s.ID, err)
		}
	}
	n := &Node{name: c.Name, nc: nc, cluster: cl, outbox: out}
	d, err := subscribe.NewDispatcher(subscribe.DispatcherOptions{
		Store: out, Index: m, Webhooks: c.Webhooks, Workers: c.Workers, MaxAttempts: c.MaxAttempts,
		BaseBackoff: c.BaseBackoff, MaxBackoff: c.MaxBackoff, Lease: c.Lease, Poll: c.Poll,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("cluster: %s: %w", c.Name, err)
	}
	n.disp = d
	n.feed = activities.NewFeed(activities.FeedOptions{Store: c.Store, Bus: cl.Bus(), Lease: cl.Lease()})
	if !c.NoPoll {
		for _, s := range c.Sources {
			if err := n.feed.Add(s, c.Schedule); err != nil {
				nc.Close()
				return nil, fmt.Errorf("cluster: %s: %w", c.Name, err)
			}
		}
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n.cancel = cancel
	n.run(runCtx, "feed", func(ctx context.Context) error { return n.feed.Run(ctx) })
	n.run(runCtx, "follow", func(ctx context.Context) error { return cl.Follow(ctx, n.feed) })
	n.run(runCtx, "consume", func(ctx context.Context) error { return d.Consume(ctx, n.feed) })
	n.run(runCtx, "deliver", func(ctx context.Context) error { return d.Run(ctx) })
	return n, nil
}

// run runs one of the instance's loops, recording how it ended unless the
// instance was being stopped.
func (n *Node) run(ctx context.Context, what string, f func(context.Context) error) {
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		err := f(ctx)
		if err != nil && ctx.Err() == nil && !n.killed.Load() {
			n.mu.Lock()
			n.errs = append(n.errs, fmt.Errorf("%s: %s: %w", n.name, what, err))
			n.mu.Unlock()
		}
	}()
}

// Name is the instance's name.
func (n *Node) Name() string { return n.name }

// Feed is the instance's feed.
func (n *Node) Feed() *activities.Feed { return n.feed }

// Cluster is the instance's handle on the activity stream and leases.
func (n *Node) Cluster() *actjs.Cluster { return n.cluster }

// Outbox is the instance's handle on the shared notification queue.
func (n *Node) Outbox() *subjs.Store { return n.outbox }

// Err returns the errors that ended any of the instance's loops while it
// was running (nil when none did).
func (n *Node) Err() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return errors.Join(n.errs...)
}

// Kill stops the instance as a crash would: its connection is closed
// without draining (no acknowledgement, no lease renewal gets out), then
// its loops are stopped. Its claims and leases expire on the server.
func (n *Node) Kill() {
	n.once.Do(func() {
		n.killed.Store(true)
		n.nc.Close()
		n.cancel()
		n.wg.Wait()
	})
}

// Stop stops the instance cleanly: its loops end, in-flight outcomes are
// recorded, then the connection is drained.
func (n *Node) Stop() {
	n.once.Do(func() {
		n.cancel()
		n.wg.Wait()
		n.outbox.Close()
		n.nc.Drain()
	})
}
