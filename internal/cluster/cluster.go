// Package cluster runs the project's whole pipeline — an arcsecond.Node:
// feed, matcher, dispatcher — as several instances sharing one NATS
// JetStream server, in one process: the harness of the multi-instance chaos
// test and benchmark.
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
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/arcsecond-go/arcsecond"
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

// Node is one running instance: an arcsecond.Node on a NATS connection of
// its own.
type Node struct {
	name   string
	nc     *nats.Conn
	node   *arcsecond.Node
	cancel context.CancelFunc
	ran    chan error
	once   sync.Once
	killed atomic.Bool
}

// Start connects an instance and runs its node — feed, follower of the
// activity stream, matcher and deliveries through the shared work queue —
// until Kill or Stop.
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
	c.LeaseTTL = cmp.Or(max(c.LeaseTTL, 0), time.Second)
	c.Lease = cmp.Or(max(c.Lease, 0), time.Second)
	c.Poll = cmp.Or(max(c.Poll, 0), 20*time.Millisecond)
	c.BaseBackoff = cmp.Or(max(c.BaseBackoff, 0), 20*time.Millisecond)
	c.MaxBackoff = cmp.Or(max(c.MaxBackoff, 0), 200*time.Millisecond)
	c.MaxAttempts = cmp.Or(max(c.MaxAttempts, 0), 30)
	c.Workers = cmp.Or(max(c.Workers, 0), 8)
	// No reconnection: a lost connection is a dead instance here.
	nc, err := nats.Connect(c.URL, nats.Name(c.Name), nats.NoReconnect())
	if err != nil {
		return nil, fmt.Errorf("cluster: %s: connecting: %w", c.Name, err)
	}
	o := arcsecond.NodeOptions{
		Store: c.Store, Schedule: c.Schedule, Subscriptions: c.Subscriptions, Webhooks: c.Webhooks,
		Dispatch: arcsecond.DispatchOptions{Workers: c.Workers, MaxAttempts: c.MaxAttempts, Poll: c.Poll,
			BaseBackoff: c.BaseBackoff, MaxBackoff: c.MaxBackoff, Lease: c.Lease},
		NATS: &arcsecond.NATSOptions{Conn: nc, Instance: c.Name, LeaseTTL: c.LeaseTTL, SharedOutbox: true, ClaimLease: c.Lease},
		// Stopping is not draining here: the other instances deliver.
		DrainTimeout: -1,
	}
	if !c.NoPoll {
		o.Sources = c.Sources
	}
	node, err := arcsecond.NewNode(ctx, o)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("cluster: %s: %w", c.Name, err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n := &Node{name: c.Name, nc: nc, node: node, cancel: cancel, ran: make(chan error, 1)}
	go func() { n.ran <- node.Run(runCtx) }()
	return n, nil
}

// Name is the instance's name.
func (n *Node) Name() string { return n.name }

// Feed is the instance's feed.
func (n *Node) Feed() *activities.Feed { return n.node.Feed() }

// Cluster is the instance's handle on the activity stream and leases.
func (n *Node) Cluster() *actjs.Cluster { return n.node.Cluster() }

// Outbox is the instance's handle on the shared notification queue.
func (n *Node) Outbox() *subjs.Store { return n.node.Outbox().(*subjs.Store) }

// Err returns the errors that ended any of the instance's loops while it
// was running (nil when none did, and after Kill).
func (n *Node) Err() error {
	if n.killed.Load() {
		return nil
	}
	return n.node.Err()
}

// Kill stops the instance as a crash would: its connection is closed
// without draining (no acknowledgement, no lease renewal gets out), then
// its loops are stopped. Its claims and leases expire on the server.
func (n *Node) Kill() {
	n.once.Do(func() {
		n.killed.Store(true)
		n.nc.Close()
		n.cancel()
		<-n.ran
		n.node.Close()
	})
}

// Stop stops the instance cleanly: its loops end, in-flight outcomes are
// recorded, then the connection is drained.
func (n *Node) Stop() {
	n.once.Do(func() {
		n.cancel()
		<-n.ran
		n.node.Close()
		n.nc.Drain()
	})
}
