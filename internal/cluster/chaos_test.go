package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// streamVersions reads every activity version the activity stream holds.
func streamVersions(ctx context.Context, url string) ([]activities.Activity, error) {
	nc, err := nats.Connect(url)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	st, err := js.Stream(ctx, "ARCSECOND_ACTIVITIES")
	if err != nil {
		return nil, err
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, err
	}
	var out []activities.Activity
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			return nil, fmt.Errorf("activity stream message %d: %w", seq, err)
		}
		var a activities.Activity
		if err := json.Unmarshal(m.Data, &a); err != nil {
			return nil, fmt.Errorf("activity stream message %d: %w", seq, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// TestChaos kills and restarts instances at random while activities flow
// from replayed sources, webhooks fail now and then, and checks at the end
// that every notification reached the receiver (exactly once after
// de-duplication by webhook-id) and every instance recorded every activity.
func TestChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("chaos test: skipped in -short mode")
	}
	srv, err := StartServer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	ctx := context.Background()
	rcv := newReceiver(t, 0.1)
	subs := testSubscriptions(rcv.srv.URL, rcv.secret)
	const nSources, perSource = 4, 60
	sources := replaySources(nSources, perSource, 150*time.Millisecond)
	var srcs []activities.Source
	for _, s := range sources {
		srcs = append(srcs, s)
	}
	sched := activities.Schedule{Interval: 100 * time.Millisecond, Jitter: -1, Timeout: 300 * time.Millisecond,
		MinBackoff: 100 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}
	names := []string{"node-1", "node-2", "node-3"}
	stores := map[string]*activities.MemoryStore{} // the instances' disks
	nodes := map[string]*Node{}
	start := func(name string) {
		if stores[name] == nil {
			stores[name] = activities.NewMemoryStore()
		}
		n, err := Start(ctx, Config{URL: srv.ClientURL(), Name: name, Store: stores[name], Sources: srcs, Schedule: sched, Subscriptions: subs})
		if err != nil {
			t.Fatal(err)
		}
		nodes[name] = n
	}
	for _, name := range names {
		start(name)
	}
	defer func() {
		for _, n := range nodes {
			if n != nil {
				n.Kill()
			}
		}
	}()

	// Chaos while the sources release their activities.
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	t.Logf("chaos seed %d (set CHAOS_SEED to replay the schedule)", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	var kills, restarts int
	var journal []string
	chaosEnd := time.Now().Add(time.Duration(perSource+3) * 150 * time.Millisecond)
	for time.Now().Before(chaosEnd) {
		time.Sleep(time.Duration(300+r.IntN(600)) * time.Millisecond)
		var alive, dead []string
		for _, name := range names {
			if nodes[name] != nil {
				alive = append(alive, name)
			} else {
				dead = append(dead, name)
			}
		}
		if len(dead) > 0 && (len(alive) == 1 || r.IntN(2) == 0) {
			name := dead[r.IntN(len(dead))]
			start(name)
			restarts++
			journal = append(journal, "+"+name)
			continue
		}
		if len(alive) >= 2 {
			name := alive[r.IntN(len(alive))]
			if err := nodes[name].Err(); err != nil {
				t.Errorf("before kill: %v", err)
			}
			nodes[name].Kill()
			nodes[name] = nil
			kills++
			journal = append(journal, "-"+name)
		}
	}
	for _, name := range names {
		if nodes[name] == nil {
			start(name)
			restarts++
			journal = append(journal, "+"+name)
		}
	}
	t.Logf("chaos: %d kills, %d restarts: %s", kills, restarts, strings.Join(journal, " "))

	// Every instance ends with every activity at its final revision.
	final := map[string]activities.Activity{}
	for _, s := range sources {
		for id, a := range s.final() {
			final[id] = a
		}
	}
	missing := func() string {
		for _, name := range names {
			for id, a := range final {
				got, err := stores[name].Get(ctx, id)
				if err != nil || got.Revision != a.Revision {
					return fmt.Sprintf("%s lacks %s revision %d", name, id, a.Revision)
				}
			}
		}
		return ""
	}
	waitUntil(t, 30*time.Second, func() bool { return missing() == "" }, func() string { return missing() })

	// Every notification of every final revision arrives. Those of a
	// revision superseded before an instance's dispatcher read it may not
	// (a durable feed subscription that catches up sees each activity once,
	// at its latest revision, as with one instance); those that arrive
	// must be notifications of versions in the stream.
	versions, err := streamVersions(ctx, srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	allowed, err := expected(subs, versions)
	if err != nil {
		t.Fatal(err)
	}
	want, err := expected(subs, mapValues(final))
	if err != nil {
		t.Fatal(err)
	}
	lacking := func() []string {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		var out []string
		for k := range want {
			if rcv.count[k] == 0 {
				out = append(out, k)
			}
		}
		sort.Strings(out)
		return out
	}
	waitUntil(t, 45*time.Second, func() bool { return len(lacking()) == 0 }, func() string {
		l := lacking()
		o := nodes[names[0]].Outbox()
		dead, _ := o.List(ctx, subscribe.StateDead, 100)
		pend, _ := o.List(ctx, subscribe.StatePending, 100)
		var why []string
		for _, n := range dead {
			why = append(why, fmt.Sprintf("dead %s: %s", n.Key, n.LastError))
		}
		for _, n := range pend {
			why = append(why, fmt.Sprintf("pending %s attempts %d next %v: %s", n.Key, n.Attempts, time.Until(n.NextAt).Round(time.Millisecond), n.LastError))
		}
		return fmt.Sprintf("%d of %d notifications not received, e.g. %v; queue: %v", len(l), len(want), l[:min(3, len(l))], why)
	})
	// Nothing is left in the queue (a late fast-path copy may still be
	// settling: wait for it).
	waitUntil(t, 10*time.Second, func() bool {
		p, err := nodes[names[0]].Outbox().Pending(ctx)
		return err == nil && p == 0
	}, func() string {
		p, _ := nodes[names[0]].Outbox().Pending(ctx)
		return fmt.Sprintf("%d notifications still queued", p)
	})
	for _, n := range nodes {
		if err := n.Err(); err != nil {
			t.Errorf("instance failed: %v", err)
		}
	}

	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if len(rcv.bad) > 0 {
		t.Errorf("%d rejected requests, e.g. %s", len(rcv.bad), rcv.bad[0])
	}
	var unexpected []string
	dups := 0
	intermediate := 0
	for k, c := range rcv.count {
		if !want[k] {
			intermediate++
		}
		if !allowed[k] {
			unexpected = append(unexpected, k)
		}
		dups += c - 1
	}
	if len(unexpected) > 0 {
		t.Errorf("%d notifications nobody asked for, e.g. %s", len(unexpected), unexpected[0])
	}
	t.Logf("%d activities (%d versions in the stream): %d notifications of final revisions expected, all received; "+
		"%d of the %d of superseded revisions received; %d duplicate deliveries (%.1f%% of %d accepted), dropped by webhook-id; %d webhook 503s served",
		len(final), len(versions), len(want), intermediate, len(allowed)-len(want), dups, 100*float64(dups)/float64(rcv.arrived), rcv.arrived, rcv.failed)
}

func mapValues(m map[string]activities.Activity) []activities.Activity {
	out := make([]activities.Activity, 0, len(m))
	for _, a := range m {
		out = append(out, a)
	}
	return out
}

func waitUntil(t *testing.T, d time.Duration, cond func() bool, what func() string) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out after %v: %s", d, what())
}

var _ = subscribe.StatePending
