package activities_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

func recv(t *testing.T, s *activities.Subscription, n int) []activities.Entry {
	t.Helper()
	var out []activities.Entry
	timeout := time.After(5 * time.Second)
	for len(out) < n {
		select {
		case e, ok := <-s.C():
			if !ok {
				t.Fatalf("subscription closed after %d of %d entries (err %v)", len(out), n, s.Err())
			}
			out = append(out, e)
		case <-timeout:
			t.Fatalf("got %d of %d entries", len(out), n)
		}
	}
	return out
}

func TestFeedDeduplicatesAndOrdersByTime(t *testing.T) {
	ctx := context.Background()
	f := activities.NewFeed(activities.FeedOptions{})
	sub := f.Subscribe(activities.SubscribeOptions{Buffer: 100})
	defer sub.Close()
	// Out of time order, with a duplicate and a revision.
	batch := []activities.Activity{act(5, 1), act(2, 1), act(9, 1), act(2, 1)}
	if n, err := f.Ingest(ctx, batch...); err != nil || n != 3 {
		t.Fatalf("Ingest = %d, %v", n, err)
	}
	if n, _ := f.Ingest(ctx, act(5, 1), act(9, 1)); n != 0 {
		t.Fatalf("re-ingesting the same revisions announced %d", n)
	}
	if n, _ := f.Ingest(ctx, act(5, 2)); n != 1 {
		t.Fatalf("new revision announced %d", n)
	}
	got := recv(t, sub, 4)
	want := []string{"t:k002@1", "t:k005@1", "t:k009@1", "t:k005@2"}
	for i, e := range got {
		if s := e.Activity.ID + "@" + string(rune('0'+e.Activity.Revision)); s != want[i] {
			t.Fatalf("entry %d = %s, want %s", i, s, want[i])
		}
		if e.Seq != uint64(i+1) {
			t.Fatalf("entry %d has seq %d", i, e.Seq)
		}
	}
	select {
	case e := <-sub.C():
		t.Fatalf("unexpected extra entry %v", e)
	default:
	}
	if _, err := f.Ingest(ctx, activities.Activity{ID: "x"}); err == nil {
		t.Fatal("invalid activity ingested")
	}
}

func TestSlowConsumerPolicies(t *testing.T) {
	ctx := context.Background()
	f := activities.NewFeed(activities.FeedOptions{})
	drop := f.Subscribe(activities.SubscribeOptions{Buffer: 4, Policy: activities.DropOldest})
	disc := f.Subscribe(activities.SubscribeOptions{Buffer: 4, Policy: activities.Disconnect})
	block := f.Subscribe(activities.SubscribeOptions{Buffer: 4, Policy: activities.Block})
	var blockGot atomic.Int64
	blockDone := make(chan struct{})
	go func() {
		defer close(blockDone)
		for range block.C() {
			blockGot.Add(1)
			time.Sleep(time.Millisecond)
		}
	}()
	for i := range 20 {
		if _, err := f.Ingest(ctx, act(i, 1)); err != nil {
			t.Fatal(err)
		}
	}
	// DropOldest keeps the newest four and counts the rest.
	got := recv(t, drop, 4)
	if got[0].Activity.ID != "t:k016" || drop.Dropped() != 16 {
		t.Fatalf("DropOldest kept from %s, dropped %d", got[0].Activity.ID, drop.Dropped())
	}
	// Disconnect closed the subscription after its buffer filled.
	n := 0
	for range disc.C() {
		n++
	}
	if n != 4 || !errors.Is(disc.Err(), activities.ErrSlowConsumer) {
		t.Fatalf("Disconnect delivered %d, err %v", n, disc.Err())
	}
	// Block delivered everything: Ingest waited for the consumer, so all
	// twenty were in the channel or consumed when the loop above ended.
	block.Close()
	<-blockDone
	if g := blockGot.Load(); g != 20 {
		t.Fatalf("Block delivered %d of 20", g)
	}
	drop.Close()
	drop.Close() // idempotent
}

func TestDurableSubscriptionResumes(t *testing.T) {
	ctx := context.Background()
	f := activities.NewFeed(activities.FeedOptions{})
	for i := range 10 {
		f.Ingest(ctx, act(i, 1))
	}
	sub := f.Subscribe(activities.SubscribeOptions{Durable: true, After: 6, Buffer: 1})
	defer sub.Close()
	got := recv(t, sub, 4)
	if got[0].Seq != 7 || got[3].Seq != 10 {
		t.Fatalf("resumed at %d..%d, want 7..10", got[0].Seq, got[3].Seq)
	}
	// New entries follow without loss, even with a buffer of one.
	go func() {
		for i := 10; i < 60; i++ {
			f.Ingest(ctx, act(i, 1))
		}
	}()
	more := recv(t, sub, 50)
	for i, e := range more {
		if e.Seq != uint64(11+i) {
			t.Fatalf("entry %d has seq %d, want %d", i, e.Seq, 11+i)
		}
	}
	filtered := f.Subscribe(activities.SubscribeOptions{Durable: true, Filter: func(a *activities.Activity) bool { return a.Facility == "HST" }})
	defer filtered.Close()
	for _, e := range recv(t, filtered, 20) {
		if e.Activity.Facility != "HST" {
			t.Fatalf("filter let %s through", e.Activity.Facility)
		}
	}
}

// flaky is a source that fails while fail is set.
type flaky struct {
	name  string
	fail  atomic.Bool
	polls atomic.Int64
	acts  []activities.Activity

	mu    sync.Mutex
	times []time.Time // when each poll began (monotonic clock)
}

// gaps returns the times between consecutive polls.
func (s *flaky) gaps() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var g []time.Duration
	for i := 1; i < len(s.times); i++ {
		g = append(g, s.times[i].Sub(s.times[i-1]))
	}
	return g
}

func (s *flaky) Name() string { return s.name }
func (s *flaky) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		s.polls.Add(1)
		s.mu.Lock()
		s.times = append(s.times, time.Now())
		s.mu.Unlock()
		if s.fail.Load() {
			yield(activities.Activity{}, errors.New("503 Service Unavailable"))
			return
		}
		for _, a := range s.acts {
			if !yield(a, nil) {
				return
			}
		}
	}
}

func TestFeedRunsSourcesWithBackoffAndHealth(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	f := activities.NewFeed(activities.FeedOptions{Now: func() time.Time { return now }})
	good := &flaky{name: "t", acts: []activities.Activity{act(1, 1), act(2, 1)}}
	bad := &flaky{name: "bad"}
	bad.fail.Store(true)
	invalid := act(3, 1)
	invalid.Target.Dec = activities.Float(120)
	good.acts = append(good.acts, invalid)
	fast := activities.Schedule{Interval: 20 * time.Millisecond, Jitter: -1, MinBackoff: 40 * time.Millisecond, MaxBackoff: 80 * time.Millisecond}
	if err := f.Add(good, fast); err != nil {
		t.Fatal(err)
	}
	if err := f.Add(bad, fast); err != nil {
		t.Fatal(err)
	}
	if err := f.Add(good, fast); err == nil {
		t.Fatal("duplicate source name accepted")
	}
	sub := f.Subscribe(activities.SubscribeOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- f.Run(ctx) }()
	got := recv(t, sub, 2)
	if got[0].Activity.ID != "t:k001" || got[1].Activity.ID != "t:k002" {
		t.Fatalf("got %v", got)
	}
	// Let the failing source fail at least five times (a loaded machine
	// only makes this take longer).
	for deadline := time.Now().Add(30 * time.Second); bad.polls.Load() < 5; {
		if time.Now().After(deadline) {
			t.Fatalf("the failing source was polled %d times in 30 s", bad.polls.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	h := f.Health()
	if h[0].State != activities.StateOK || h[0].Announced != 2 || h[0].Invalid == 0 {
		t.Fatalf("good source health %+v", h[0])
	}
	if h[1].State != activities.StateFailing || h[1].ConsecutiveFailures == 0 || h[1].LastError == "" {
		t.Fatalf("failing source health %+v", h[1])
	}
	// The failing source backed off: after its n-th consecutive failure it
	// waits at least half of min(40 ms·2^(n-1), 80 ms) (full jitter, never
	// below half the ceiling), so from the second failure on every gap is
	// at least 40 ms, twice the 20 ms interval of a healthy source. A loaded
	// machine can only lengthen the gaps, so this lower bound holds there.
	for i, g := range bad.gaps() {
		if i >= 1 && g < 40*time.Millisecond {
			t.Fatalf("failing source polled again %v after failure %d: no backoff (gaps %v)", g, i+1, bad.gaps())
		}
	}
	if errMsg := h[1].LastError; errMsg[:4] != "bad:" {
		t.Fatalf("error %q does not name the source", errMsg)
	}
}

func TestPollNow(t *testing.T) {
	f := activities.NewFeed(activities.FeedOptions{Now: func() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }})
	src := &flaky{name: "t", acts: []activities.Activity{act(1, 1)}}
	f.Add(src, activities.Schedule{})
	r, err := f.Poll(context.Background(), "t")
	if err != nil || r.Listed != 1 || r.Announced != 1 {
		t.Fatalf("Poll = %+v, %v", r, err)
	}
	if _, err := f.Poll(context.Background(), "nope"); err == nil {
		t.Fatal("polling an unknown source succeeded")
	}
}

type recordingBus struct {
	got chan []activities.Activity
}

func (b *recordingBus) Publish(ctx context.Context, acts []activities.Activity) error {
	b.got <- acts
	return nil
}

type fixedLease struct{ held atomic.Bool }

func (l *fixedLease) Hold(ctx context.Context, source string) (bool, error) {
	return l.held.Load(), nil
}

func TestFeedPublishesToBusWhenLeased(t *testing.T) {
	bus := &recordingBus{got: make(chan []activities.Activity, 100)}
	lease := &fixedLease{}
	f := activities.NewFeed(activities.FeedOptions{Bus: bus, Lease: lease})
	src := &flaky{name: "t", acts: []activities.Activity{act(1, 1)}}
	f.Add(src, activities.Schedule{Interval: 20 * time.Millisecond, Jitter: -1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.Run(ctx)
	time.Sleep(100 * time.Millisecond)
	if n := src.polls.Load(); n != 0 {
		t.Fatalf("polled %d times without the lease", n)
	}
	if h := f.Health(); h[0].State != activities.StateStandby {
		t.Fatalf("state %s without the lease, want standby", h[0].State)
	}
	lease.held.Store(true)
	select {
	case acts := <-bus.got:
		if len(acts) != 1 || acts[0].ID != "t:k001" {
			t.Fatalf("bus got %v", acts)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nothing published to the bus once the lease was held")
	}
	if last, _ := f.Store().LastSeq(ctx); last != 0 {
		t.Fatalf("with a bus, polls must not ingest directly; store has %d", last)
	}
}

// cancelling is a source whose listing is interrupted by its caller: it
// cancels the poll's parent context, then reports the cancellation as a
// source would.
type cancelling struct {
	cancel context.CancelFunc
	fail   bool
}

func (s *cancelling) Name() string { return "c" }
func (s *cancelling) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		if s.fail {
			yield(activities.Activity{}, errors.New("503 Service Unavailable"))
			return
		}
		s.cancel()
		<-ctx.Done()
		yield(activities.Activity{}, ctx.Err())
	}
}

// TestPollStoppedByCallerIsNoFailure: a poll cut short because the feed
// (its caller) stops is not the source failing: the health keeps what the
// last complete poll said, and the error says the poll was stopped.
func TestPollStoppedByCallerIsNoFailure(t *testing.T) {
	f := activities.NewFeed(activities.FeedOptions{})
	src := &cancelling{fail: true}
	if err := f.Add(src, activities.Schedule{Interval: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Poll(context.Background(), "c"); err == nil {
		t.Fatal("the failing poll returned no error")
	}
	before := f.Health()[0]
	if before.State != activities.StateFailing || before.Failures != 1 {
		t.Fatalf("health after a real failure: %+v", before)
	}
	ctx, cancel := context.WithCancel(context.Background())
	src.cancel, src.fail = cancel, false
	_, err := f.Poll(ctx, "c")
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped") {
		t.Fatalf("err %v, want the poll stopped by context.Canceled", err)
	}
	after := f.Health()[0]
	if after.Failures != before.Failures || after.Polls != before.Polls || after.LastError != before.LastError {
		t.Fatalf("a stopped poll changed the health: before %+v, after %+v", before, after)
	}
}
