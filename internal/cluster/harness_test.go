package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// receiver is a loopback webhook receiver: it verifies signatures and that
// the webhook-id is the idempotency key of the payload, fails a share of
// the requests with 503 (before recording them), and counts arrivals by
// webhook-id.
type receiver struct {
	srv      *httptest.Server
	secret   string
	failRate float64

	mu      sync.Mutex
	rng     *rand.Rand
	first   map[string]time.Time // webhook-id -> first arrival
	count   map[string]int       // webhook-id -> arrivals
	actOf   map[string]string    // webhook-id -> activity ID
	bad     []string             // rejected requests
	failed  int                  // 503s served
	arrived int                  // accepted requests, duplicates included
	notify  chan struct{}
}

func newReceiver(tb testing.TB, failRate float64) *receiver {
	r := &receiver{secret: subscribe.NewSecret(), failRate: failRate, rng: rand.New(rand.NewPCG(1, 2)),
		first: map[string]time.Time{}, count: map[string]int{}, actOf: map[string]string{}, notify: make(chan struct{}, 1)}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	tb.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	now := time.Now()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id := req.Header.Get(subscribe.HeaderID)
	reject := func(format string, args ...any) {
		r.mu.Lock()
		r.bad = append(r.bad, fmt.Sprintf(format, args...))
		r.mu.Unlock()
		http.Error(w, "rejected", http.StatusUnauthorized)
	}
	if err := subscribe.Verify(req.Header, body, now, 5*time.Minute, r.secret); err != nil {
		reject("%s: signature: %v", id, err)
		return
	}
	var p subscribe.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		reject("%s: payload: %v", id, err)
		return
	}
	if k := subscribe.IdempotencyKey(p.Data.Subscription, p.Data.Activity.ID, p.Data.Activity.Revision); k != id {
		reject("webhook-id %s is not the idempotency key %s of the payload", id, k)
		return
	}
	r.mu.Lock()
	if r.failRate > 0 && r.rng.Float64() < r.failRate {
		r.failed++
		r.mu.Unlock()
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	if _, ok := r.first[id]; !ok {
		r.first[id] = now
		r.actOf[id] = p.Data.Activity.ID
	}
	r.count[id]++
	r.arrived++
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
	w.WriteHeader(http.StatusNoContent)
}

// unique is the number of distinct webhook-ids received.
func (r *receiver) unique() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.first)
}

// event is one version of an activity, released by its source at a step.
type event struct {
	step int
	act  activities.Activity
}

// replaySource lists, at each poll, the latest released version of each of
// its activities; the released count grows with time (step = elapsed /
// every).
type replaySource struct {
	name   string
	events []event
	start  time.Time
	every  time.Duration
}

func (s *replaySource) Name() string { return s.name }

func (s *replaySource) step() int { return int(time.Since(s.start) / s.every) }

func (s *replaySource) Activities(ctx context.Context, _ activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		cur := map[string]activities.Activity{}
		var order []string
		k := s.step()
		for _, e := range s.events {
			if e.step > k {
				break
			}
			if _, ok := cur[e.act.ID]; !ok {
				order = append(order, e.act.ID)
			}
			cur[e.act.ID] = e.act
		}
		for _, id := range order {
			if !yield(cur[id], nil) {
				return
			}
		}
	}
}

// final is the last version of every activity of the source.
func (s *replaySource) final() map[string]activities.Activity {
	out := map[string]activities.Activity{}
	for _, e := range s.events {
		out[e.act.ID] = e.act
	}
	return out
}

var facilities = []string{"VLT UT1", "VLT UT4", "Gemini North", "HST", "Swift"}
var instruments = []string{"FORS2", "MUSE", "GMOS-N", "WFC3/UVIS", "XRT"}

// activity i of a source, in one of two kinds (revisions).
func testActivity(source string, i int, kind activities.Kind, r *rand.Rand) activities.Activity {
	f := i % len(facilities)
	a := activities.Activity{
		ID: activities.NewID(source, fmt.Sprintf("obs-%d", i)), Source: source, Kind: kind,
		Facility: facilities[f], Instrument: instruments[f],
		Programme: activities.Programme{ID: fmt.Sprintf("P%03d", i%7), PI: []string{"Müller, K.", "Smith, J.", "Ngata, R."}[i%3]},
		Target:    activities.Target{Name: fmt.Sprintf("NGC %d", 1000+r.IntN(50))},
		Start:     time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
	}
	a.Target.SetPosition(r.Float64()*360, r.Float64()*120-60)
	a.Revision = activities.Revision(kind, time.Time{})
	return a
}

// replaySources makes n sources of per activities each, released over
// steps; every fifth activity is released again later as completed.
func replaySources(n, per int, every time.Duration) []*replaySource {
	r := rand.New(rand.NewPCG(7, 7))
	start := time.Now()
	var out []*replaySource
	for s := range n {
		src := &replaySource{name: fmt.Sprintf("src%d", s), start: start, every: every}
		for i := range per {
			a := testActivity(src.name, i, activities.KindStarted, r)
			src.events = append(src.events, event{step: i, act: a})
			if i%5 == 0 {
				b := a
				b.Kind = activities.KindCompleted
				b.Revision = activities.Revision(b.Kind, time.Time{})
				src.events = append(src.events, event{step: i + 3, act: b})
			}
		}
		sort.SliceStable(src.events, func(i, j int) bool { return src.events[i].step < src.events[j].step })
		out = append(out, src)
	}
	return out
}

// testSubscriptions are webhook subscriptions to the receiver: one matches
// everything, the others a part.
func testSubscriptions(url, secret string) []*subscribe.Subscription {
	hook := func(id string, c subscribe.Criteria, all bool) *subscribe.Subscription {
		return &subscribe.Subscription{ID: id, Criteria: c, MatchAll: all,
			Delivery: subscribe.Delivery{Webhook: &subscribe.WebhookTarget{URL: url, Secrets: []string{secret}}}}
	}
	return []*subscribe.Subscription{
		hook("all", subscribe.Criteria{}, true),
		hook("muse", subscribe.Criteria{Instruments: []string{"MUSE"}}, false),
		hook("hst-completed", subscribe.Criteria{Facilities: []string{"HST"}, Kinds: []activities.Kind{activities.KindCompleted}}, false),
		hook("mueller", subscribe.Criteria{Observers: []string{"Muller"}}, false),
		hook("north", subscribe.Criteria{Regions: []subscribe.Region{{RA: 180, Dec: 30, Radius: 40}}}, false),
		hook("ngc101x", subscribe.Criteria{Targets: []string{"NGC 101?"}}, false),
	}
}

// expected returns the idempotency keys of the notifications that the
// activities (all versions) must produce.
func expected(subs []*subscribe.Subscription, acts []activities.Activity) (map[string]bool, error) {
	m := subscribe.NewMatcher()
	for _, s := range subs {
		if err := m.Add(s); err != nil {
			return nil, err
		}
	}
	want := map[string]bool{}
	for i := range acts {
		for _, mt := range m.Match(&acts[i]) {
			want[subscribe.IdempotencyKey(mt.Subscription.ID, acts[i].ID, acts[i].Revision)] = true
		}
	}
	return want, nil
}
