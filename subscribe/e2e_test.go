package subscribe

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/internal/loadavg"
)

// TestEndToEndLatency measures the time from an activity entering the
// feed (Feed.Ingest) to its signed webhook reaching a receiver on
// loopback, with 10⁵ subscriptions of the benchmark mix in the matcher
// (10⁴ under the race detector or -short), through the durable outbox on
// SQLite. The target is p99 < 50 ms: the test logs the latencies (with
// the load average) and checks that every notification arrives, once and
// correctly signed; it asserts no timing, which on a shared machine
// measures the scheduler more than the code.
func TestEndToEndLatency(t *testing.T) {
	nSubs, nActs := 100_000, 300
	if raceEnabled || testing.Short() {
		nSubs, nActs = 10_000, 100
	}
	r := newReceiver(t, NewSecret())
	m := NewMatcher()
	buildBench(t, m, nSubs)
	for i := range 5 {
		if err := m.Add(webhookSub(fmt.Sprintf("e2e%d", i), r.srv.URL, r.secrets, Criteria{Programmes: []string{"E2E-*"}})); err != nil {
			t.Fatal(err)
		}
	}
	store := openTestStore(t)
	feed := activities.NewFeed(activities.FeedOptions{})
	d, _ := NewDispatcher(DispatcherOptions{Store: store, Index: m, Webhooks: NewWebhookSender(WebhookOptions{AllowPrivate: true}), Workers: 8})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go d.Consume(ctx, feed)
	go d.Run(ctx)

	var mu sync.Mutex
	sent := map[string]time.Time{}
	var lat []time.Duration
	arrived := make(chan struct{}, 5*nActs)
	r.onFirst = func(key string) {
		mu.Lock()
		if s, ok := sent[key]; ok {
			lat = append(lat, time.Since(s))
		}
		mu.Unlock()
		arrived <- struct{}{}
	}
	for i := range nActs {
		a := testActivity(1000 + i)
		a.Programme.ID = fmt.Sprintf("E2E-%d", i)
		mu.Lock()
		now := time.Now()
		for k := range 5 {
			sent[IdempotencyKey(fmt.Sprintf("e2e%d", k), a.ID, a.Revision)] = now
		}
		mu.Unlock()
		if _, err := feed.Ingest(ctx, a); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			select {
			case <-arrived:
			case <-time.After(10 * time.Second):
				t.Fatalf("activity %d: notifications not received", i)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(lat)
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	t.Logf("%d subscriptions, %d notifications: feed → webhook latency p50 %s, p99 %s, max %s", m.Len(), len(lat), p50, p99, lat[len(lat)-1])
	if u, total, bad := r.counts(); u != 5*nActs || bad != 0 {
		t.Errorf("received %d unique (%d total, %d bad signatures), want %d", u, total, bad, 5*nActs)
	}
	met := "met"
	if p99 >= 50*time.Millisecond {
		met = "not met"
	}
	t.Logf("target p99 < 50 ms %s (load average %s on %d CPUs, race detector %v)", met, loadavg.String(), runtime.NumCPU(), raceEnabled)
}
