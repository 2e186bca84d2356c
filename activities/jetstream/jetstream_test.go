package jetstream_test

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/arcsecond-go/arcsecond/activities"
	arcjs "github.com/arcsecond-go/arcsecond/activities/jetstream"
	"github.com/arcsecond-go/arcsecond/internal/natsx/natstest"
)

// pollWatch records who polls each source and catches two instances polling
// the same source at once.
type pollWatch struct {
	mu        sync.Mutex
	active    map[string]string // source -> instance polling it now
	overlaps  []string
	lastBy    map[string]string
	pollsBy   map[string]map[string]int
	totalPoll atomic.Int64
}

func newWatch() *pollWatch {
	return &pollWatch{active: map[string]string{}, lastBy: map[string]string{}, pollsBy: map[string]map[string]int{}}
}

type watchedSource struct {
	name, instance string
	w              *pollWatch
	n              int
}

func (s *watchedSource) Name() string { return s.name }
func (s *watchedSource) Activities(ctx context.Context, _ activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		s.w.mu.Lock()
		if other, busy := s.w.active[s.name]; busy {
			s.w.overlaps = append(s.w.overlaps, fmt.Sprintf("%s polled by %s while %s polls it", s.name, s.instance, other))
		}
		s.w.active[s.name] = s.instance
		s.w.lastBy[s.name] = s.instance
		if s.w.pollsBy[s.name] == nil {
			s.w.pollsBy[s.name] = map[string]int{}
		}
		s.w.pollsBy[s.name][s.instance]++
		s.w.mu.Unlock()
		s.w.totalPoll.Add(1)
		time.Sleep(5 * time.Millisecond) // a poll takes time
		defer func() {
			s.w.mu.Lock()
			delete(s.w.active, s.name)
			s.w.mu.Unlock()
		}()
		for i := range s.n {
			a := activities.Activity{
				ID: activities.NewID(s.name, fmt.Sprintf("obs-%d", i)), Source: s.name, Kind: activities.KindCompleted,
				Facility: "HST", Start: time.Date(2026, 11, 20, 0, i, 0, 0, time.UTC), Revision: 1,
			}
			if !yield(a, nil) {
				return
			}
		}
	}
}

type instance struct {
	name   string
	feed   *activities.Feed
	cl     *arcjs.Cluster
	nc     *nats.Conn
	cancel context.CancelFunc
	done   sync.WaitGroup
}

const leaseTTL = time.Second

func startInstance(t *testing.T, url, name string, w *pollWatch, sources []string) *instance {
	t.Helper()
	nc, js := natstest.Connect(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	cl, err := arcjs.Open(ctx, js, arcjs.Options{Instance: name, LeaseTTL: leaseTTL})
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{name: name, cl: cl, nc: nc, cancel: cancel}
	in.feed = activities.NewFeed(activities.FeedOptions{Bus: cl.Bus(), Lease: cl.Lease()})
	for _, s := range sources {
		in.feed.Add(&watchedSource{name: s, instance: name, w: w, n: 20},
			activities.Schedule{Interval: 100 * time.Millisecond, Jitter: -1, Timeout: 300 * time.Millisecond, MinBackoff: 100 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	}
	in.done.Add(2)
	go func() { defer in.done.Done(); in.feed.Run(ctx) }()
	go func() {
		defer in.done.Done()
		if err := cl.Follow(ctx, in.feed); err != nil {
			t.Errorf("%s: follow: %v", name, err)
		}
	}()
	return in
}

// kill stops the instance as a crash would: it stops renewing its leases
// and drops its connection.
func (in *instance) kill() {
	in.cancel()
	in.done.Wait()
	in.nc.Close()
}

func TestThreeInstancesPollEachSourceOnceAndFailOver(t *testing.T) {
	srv := natstest.StartServer(t)
	sources := []string{"eso", "gemini", "hst", "swift"}
	w := newWatch()
	var ins []*instance
	for i := range 3 {
		ins = append(ins, startInstance(t, srv.ClientURL(), fmt.Sprintf("node-%d", i+1), w, sources))
	}
	defer func() {
		for _, in := range ins {
			if in != nil {
				in.kill()
			}
		}
	}()
	// Every instance's feed receives every activity exactly once, though
	// the stream carries them once per poll.
	wantEach := len(sources) * 20
	natstest.WaitFor(t, 20*time.Second, func() bool {
		for _, in := range ins {
			if in.feed.Announced() < uint64(wantEach) {
				return false
			}
		}
		return true
	}, "every instance to receive every activity")
	time.Sleep(500 * time.Millisecond)
	for _, in := range ins {
		if n := in.feed.Announced(); n != uint64(wantEach) {
			t.Errorf("%s announced %d activities, want %d", in.name, n, wantEach)
		}
	}
	// One holder per source at a time.
	w.mu.Lock()
	overlaps := append([]string(nil), w.overlaps...)
	pollsBy := fmt.Sprint(w.pollsBy)
	w.mu.Unlock()
	if len(overlaps) > 0 {
		t.Fatalf("sources polled by two instances at once: %v", overlaps)
	}
	t.Logf("polls by source and instance: %s", pollsBy)

	// Kill the holder of "hst": another instance takes over within the
	// lease time (plus a poll interval).
	ctx := context.Background()
	holder, err := ins[0].cl.Holder(ctx, "hst")
	if err != nil || holder == "" {
		t.Fatalf("no holder of hst: %q %v", holder, err)
	}
	var victim int
	for i, in := range ins {
		if in.name == holder {
			victim = i
		}
	}
	killed := time.Now()
	ins[victim].kill()
	ins[victim] = nil
	var took time.Duration
	natstest.WaitFor(t, 10*time.Second, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		if by := w.lastBy["hst"]; by != holder && by != "" {
			took = time.Since(killed)
			return true
		}
		return false
	}, "another instance to poll hst")
	if took > leaseTTL+time.Second {
		t.Errorf("fail-over took %v, lease TTL %v", took, leaseTTL)
	}
	w.mu.Lock()
	newHolder := w.lastBy["hst"]
	w.mu.Unlock()
	t.Logf("killed %s; hst polled again by %s after %v (lease %v)", holder, newHolder, took.Round(time.Millisecond), leaseTTL)
	time.Sleep(300 * time.Millisecond)
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.overlaps) > 0 {
		t.Fatalf("sources polled by two instances at once after fail-over: %v", w.overlaps)
	}
}

func TestBusDropsDuplicatesFromTwoPollers(t *testing.T) {
	srv := natstest.StartServer(t)
	_, js := natstest.Connect(t, srv.ClientURL())
	ctx := context.Background()
	cl, err := arcjs.Open(ctx, js, arcjs.Options{Instance: "a"})
	if err != nil {
		t.Fatal(err)
	}
	a := activities.Activity{ID: "hst:x", Source: "hst", Kind: activities.KindPlanned, Facility: "HST", Revision: 1}
	for range 3 {
		if err := cl.Bus().Publish(ctx, []activities.Activity{a}); err != nil {
			t.Fatal(err)
		}
	}
	a.Revision = 2
	cl.Bus().Publish(ctx, []activities.Activity{a})
	st, _ := js.Stream(ctx, "ARCSECOND_ACTIVITIES")
	info, _ := st.Info(ctx)
	if info.State.Msgs != 2 {
		t.Fatalf("stream holds %d messages, want 2 (one per revision)", info.State.Msgs)
	}
	if _, err := arcjs.Open(ctx, js, arcjs.Options{Instance: "bad.name"}); err == nil {
		t.Fatal("instance name with a dot accepted")
	}
}
