package cluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond/activities"
	actjs "github.com/arcsecond-go/arcsecond/activities/jetstream"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// BenchmarkPipeline measures the whole pipeline end to end — activities
// published to the activity stream, followed into each instance's feed,
// matched, enqueued in the shared work queue, delivered as signed webhooks
// to a loopback receiver — with 1 and with 3 instances in this process,
// against one embedded nats-server:
//
//   - burst: 1000 activities published as fast as possible (batches of 50);
//     notifs/s and acts/s are the throughput, p50/p99 the latency from an
//     activity's publication to the first arrival of each of its
//     notifications, under saturation;
//   - in-process: the peer without NATS, one process as today: the
//     activities go to Feed.Ingest, the outbox is subscribe's SQLite one
//     (a file in a temporary directory);
//   - paced: 300 activities at 100 per second (batches of 5 every 50 ms);
//     the latency below saturation.
//
// Run with -benchtime=1x: each iteration is one whole workload on a fresh
// server. The receiver is in the same process and its CPU is counted.
func BenchmarkPipeline(b *testing.B) {
	for _, mode := range []string{"burst", "paced"} {
		for _, n := range []int{0, 1, 3} {
			name := fmt.Sprintf("%s/instances=%d", mode, n)
			if n == 0 {
				name = mode + "/in-process"
			}
			b.Run(name, func(b *testing.B) {
				var res []result
				for range b.N {
					res = append(res, runWorkload(b, n, mode))
				}
				r := res[len(res)-1]
				b.ReportMetric(r.notifsPerSec, "notifs/s")
				b.ReportMetric(r.actsPerSec, "acts/s")
				b.ReportMetric(float64(r.p50.Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(r.p99.Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(r.dups), "dup-deliveries")
			})
		}
	}
}

type result struct {
	notifsPerSec, actsPerSec float64
	p50, p99                 time.Duration
	dups                     int
}

func runWorkload(b *testing.B, instances int, mode string) result {
	b.StopTimer()
	ctx := context.Background()
	srv, err := StartServer(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown()
	rcv := newReceiver(b, 0)
	subs := testSubscriptions(rcv.srv.URL, rcv.secret)
	var publish func([]activities.Activity) error
	if instances == 0 {
		stop, pub := inProcess(b, subs)
		defer stop()
		publish = pub
	}
	var nodes []*Node
	for i := range instances {
		n, err := Start(ctx, Config{URL: srv.ClientURL(), Name: fmt.Sprintf("node-%d", i+1), Subscriptions: subs, NoPoll: true, Lease: 10 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		nodes = append(nodes, n)
	}
	defer func() {
		for _, n := range nodes {
			n.Stop()
		}
	}()
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	inj, err := actjs.Open(ctx, js, actjs.Options{Instance: "injector"})
	if err != nil {
		b.Fatal(err)
	}
	if publish == nil {
		publish = func(acts []activities.Activity) error { return inj.Bus().Publish(ctx, acts) }
	}

	total, batch, gap := 1000, 50, time.Duration(0)
	if mode == "paced" {
		total, batch, gap = 300, 5, 50*time.Millisecond
	}
	r := rand.New(rand.NewPCG(11, 11))
	acts := make([]activities.Activity, total)
	for i := range acts {
		acts[i] = testActivity("bench", i, activities.KindStarted, r)
	}
	want, err := expected(subs, acts)
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	published := map[string]time.Time{}
	b.StartTimer()
	began := time.Now()
	next := began
	for i := 0; i < total; i += batch {
		if gap > 0 {
			time.Sleep(time.Until(next))
			next = next.Add(gap)
		}
		now := time.Now()
		mu.Lock()
		for _, a := range acts[i : i+batch] {
			published[a.ID] = now
		}
		mu.Unlock()
		if err := publish(acts[i : i+batch]); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.After(2 * time.Minute)
	for rcv.unique() < len(want) {
		select {
		case <-rcv.notify:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			b.Fatalf("%d of %d notifications after 2 min", rcv.unique(), len(want))
		}
	}
	b.StopTimer()
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	var last time.Time
	lat := make([]time.Duration, 0, len(rcv.first))
	for id, at := range rcv.first {
		if at.After(last) {
			last = at
		}
		lat = append(lat, at.Sub(published[rcv.actOf[id]]))
	}
	slices.Sort(lat)
	elapsed := last.Sub(began).Seconds()
	return result{
		notifsPerSec: float64(len(want)) / elapsed, actsPerSec: float64(total) / elapsed,
		p50: lat[len(lat)/2], p99: lat[(len(lat)*99)/100], dups: rcv.arrived - len(rcv.first),
	}
}

// inProcess runs today's single-process pipeline: a feed with its own
// Ingest, a dispatcher on subscribe's SQLite outbox.
func inProcess(b *testing.B, subs []*subscribe.Subscription) (stop func(), publish func([]activities.Activity) error) {
	db, err := sqlitedb.Open(filepath.Join(b.TempDir(), "outbox.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	out, err := subscribe.NewSQLiteOutbox(db)
	if err != nil {
		b.Fatal(err)
	}
	m := subscribe.NewMatcher()
	for _, s := range subs {
		if err := m.Add(s); err != nil {
			b.Fatal(err)
		}
	}
	d, err := subscribe.NewDispatcher(subscribe.DispatcherOptions{Store: out, Index: m, Workers: 8, Poll: 20 * time.Millisecond,
		Lease: 10 * time.Second, Webhooks: subscribe.NewWebhookSender(subscribe.WebhookOptions{AllowPrivate: true, Timeout: 5 * time.Second})})
	if err != nil {
		b.Fatal(err)
	}
	feed := activities.NewFeed(activities.FeedOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); d.Consume(ctx, feed) }()
	go func() { defer wg.Done(); d.Run(ctx) }()
	return func() { cancel(); wg.Wait() },
		func(acts []activities.Activity) error { _, err := feed.Ingest(ctx, acts...); return err }
}
