package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Schedule says how often a feed polls a source and for what window.
// Zero fields take the defaults given.
type Schedule struct {
	// Interval between successful polls (default 5 minutes).
	Interval time.Duration
	// Jitter is the largest random delay added to each wait (default a
	// tenth of Interval), so that many feeds do not poll in step.
	Jitter time.Duration
	// Lookback and Lookahead set the polled window around the poll time:
	// [now-Lookback, now+Lookahead) (defaults 24 h and 24 h).
	Lookback, Lookahead time.Duration
	// Timeout bounds one poll (default 2 minutes).
	Timeout time.Duration
	// MinBackoff and MaxBackoff bound the wait after a failed poll: it
	// starts at MinBackoff and doubles with each consecutive failure, up to
	// MaxBackoff (defaults 30 s and 1 h), with full jitter.
	MinBackoff, MaxBackoff time.Duration
}

func (s Schedule) withDefaults() Schedule {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&s.Interval, 5*time.Minute)
	if s.Jitter < 0 {
		s.Jitter = 0
	} else if s.Jitter == 0 {
		s.Jitter = s.Interval / 10
	}
	def(&s.Lookback, 24*time.Hour)
	def(&s.Lookahead, 24*time.Hour)
	def(&s.Timeout, 2*time.Minute)
	def(&s.MinBackoff, 30*time.Second)
	def(&s.MaxBackoff, time.Hour)
	if s.MaxBackoff < s.MinBackoff {
		s.MaxBackoff = s.MinBackoff
	}
	return s
}

// FeedOptions configures a Feed. The zero value is usable: an in-memory
// store, the default logger discarded, the system clock.
type FeedOptions struct {
	// Store keeps what the feed has seen (default NewMemoryStore()). The
	// feed does not close it.
	Store Store
	// Logger receives poll results and failures (default: discarded).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Bus, when set, receives what polls list instead of the feed's own
	// Ingest: several instances publish to a shared bus (which drops the
	// duplicates two pollers send) and each feeds what the bus delivers to
	// Ingest. Nil keeps everything in process.
	Bus Bus
	// Lease, when set, is asked before every poll whether this instance
	// may poll the source, so that among several instances one polls each
	// source at a time. Nil polls every source here.
	Lease Leaser
}

// Bus carries polled activities between instances of a feed. Publish must
// be safe for concurrent use.
type Bus interface {
	Publish(ctx context.Context, acts []Activity) error
}

// Leaser grants the right to poll a source. Hold reports whether this
// instance holds the source's lease (acquiring or renewing it as needed).
type Leaser interface {
	Hold(ctx context.Context, source string) (bool, error)
}

// Feed runs sources on schedules, de-duplicates what they list by ID and
// revision through its Store, and fans every new activity or new revision
// out to its subscribers. It is safe for concurrent use.
type Feed struct {
	store  Store
	log    *slog.Logger
	now    func() time.Time
	bus    Bus
	lease  Leaser
	ingest sync.Mutex // serializes Put + fan-out, so every subscriber sees Seq order

	mu      sync.Mutex
	sources map[string]*polled
	order   []string
	running bool
	runCtx  context.Context
	wg      sync.WaitGroup
	subs    map[*Subscription]struct{}
	wake    chan struct{} // closed and replaced whenever entries are recorded
	nAnn    uint64
}

type polled struct {
	src    Source
	sched  Schedule
	mu     sync.Mutex
	health SourceHealth
}

// NewFeed returns a feed with no sources.
func NewFeed(o FeedOptions) *Feed {
	if o.Store == nil {
		o.Store = NewMemoryStore()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Feed{store: o.Store, log: o.Logger, now: o.Now, bus: o.Bus, lease: o.Lease, sources: map[string]*polled{},
		subs: map[*Subscription]struct{}{}, wake: make(chan struct{})}
}

// Store returns the feed's store.
func (f *Feed) Store() Store { return f.store }

// Add registers a source with its schedule. A source added while the feed
// runs starts polling at once. Names must be unique.
func (f *Feed) Add(src Source, s Schedule) error {
	if src == nil || src.Name() == "" {
		return errors.New("activities: Feed.Add: source is nil or has no name")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	name := src.Name()
	if _, dup := f.sources[name]; dup {
		return fmt.Errorf("activities: Feed.Add: a source named %q is already added", name)
	}
	p := &polled{src: src, sched: s.withDefaults(), health: SourceHealth{Name: name, State: StatePending}}
	f.sources[name] = p
	f.order = append(f.order, name)
	if f.running {
		f.start(p)
	}
	return nil
}

// Run polls every source on its schedule until ctx is done, then waits for
// the polls under way to end and returns nil. It returns an error if the
// feed is already running.
func (f *Feed) Run(ctx context.Context) error {
	f.mu.Lock()
	if f.running {
		f.mu.Unlock()
		return errors.New("activities: Feed.Run called twice")
	}
	f.running, f.runCtx = true, ctx
	for _, name := range f.order {
		f.start(f.sources[name])
	}
	f.mu.Unlock()
	<-ctx.Done()
	f.wg.Wait()
	f.mu.Lock()
	f.running = false
	f.mu.Unlock()
	return nil
}

// start launches p's poll loop; f.mu is held.
func (f *Feed) start(p *polled) {
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		f.loop(f.runCtx, p)
	}()
}

func (f *Feed) loop(ctx context.Context, p *polled) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if f.lease != nil {
			held, err := f.lease.Hold(ctx, p.src.Name())
			if err != nil || !held {
				if err != nil {
					f.log.Warn("lease", "source", p.src.Name(), "err", err)
				}
				p.standby(err)
				t.Reset(p.sched.Interval / 4)
				continue
			}
		}
		_, err := f.poll(ctx, p)
		if ctx.Err() != nil {
			return
		}
		t.Reset(p.nextWait(err))
	}
}

// nextWait is the delay before the next poll, and records it in the health.
func (p *polled) nextWait(err error) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	var d time.Duration
	if err == nil {
		d = p.sched.Interval
		if p.sched.Jitter > 0 {
			d += rand.N(p.sched.Jitter)
		}
	} else {
		ceil := p.sched.MinBackoff
		for i := 1; i < p.health.ConsecutiveFailures && ceil < p.sched.MaxBackoff; i++ {
			ceil *= 2
		}
		ceil = min(ceil, p.sched.MaxBackoff)
		// Full jitter, never below half the ceiling so a failing source
		// really backs off.
		d = ceil/2 + rand.N(ceil/2+1)
	}
	p.health.NextPoll = time.Now().Add(d)
	return d
}

// PollResult is what one poll of a source did.
type PollResult struct {
	Source string
	// Listed activities, of which Invalid were rejected by Validate and
	// Announced were new or newer revisions.
	Listed, Invalid, Announced int
	Duration                   time.Duration
}

// Poll polls the named source once, now, outside its schedule.
func (f *Feed) Poll(ctx context.Context, name string) (PollResult, error) {
	f.mu.Lock()
	p, ok := f.sources[name]
	f.mu.Unlock()
	if !ok {
		return PollResult{}, fmt.Errorf("activities: no source named %q", name)
	}
	return f.poll(ctx, p)
}

func (f *Feed) poll(ctx context.Context, p *polled) (PollResult, error) {
	name := p.src.Name()
	res := PollResult{Source: name}
	began := time.Now()
	now := f.now()
	w := Window{Start: now.Add(-p.sched.Lookback), End: now.Add(p.sched.Lookahead)}
	pctx, cancel := context.WithTimeout(ctx, p.sched.Timeout)
	defer cancel()
	var batch []Activity
	var err error
	for a, e := range p.src.Activities(pctx, w) {
		if e != nil {
			err = WrapError(name, e)
			break
		}
		res.Listed++
		if verr := a.Validate(); verr != nil || a.Source != name {
			res.Invalid++
			if verr == nil {
				verr = fmt.Errorf("source %q, want %q", a.Source, name)
			}
			f.log.Warn("invalid activity skipped", "source", name, "id", a.ID, "err", verr)
			continue
		}
		batch = append(batch, a)
	}
	// What was listed before a failure is still good: keep it.
	if len(batch) > 0 {
		var ierr error
		if f.bus != nil {
			ierr = f.bus.Publish(ctx, batch)
		} else {
			res.Announced, ierr = f.Ingest(ctx, batch...)
		}
		if ierr != nil && err == nil {
			err = ierr
		}
	}
	res.Duration = time.Since(began)
	if err != nil && ctx.Err() != nil {
		// Stopped by the caller (the feed shutting down), not failed: the
		// source's health keeps what its last complete poll said.
		return res, fmt.Errorf("activities: poll of %s stopped: %w", name, ctx.Err())
	}
	p.record(res, err, began)
	if err != nil {
		f.log.Warn("poll failed", "source", name, "listed", res.Listed, "err", err)
	} else {
		f.log.Info("polled", "source", name, "listed", res.Listed, "announced", res.Announced, "invalid", res.Invalid, "took", res.Duration)
	}
	return res, err
}

// Ingest records activities that did not come from a polled source (a
// replay, another instance, a push API) exactly as a poll would: it sorts
// them by start time, keeps the new ones and new revisions, and announces
// those. It returns how many were announced. Activities must be valid.
func (f *Feed) Ingest(ctx context.Context, acts ...Activity) (int, error) {
	for i := range acts {
		if err := acts[i].Validate(); err != nil {
			return 0, fmt.Errorf("activities: Ingest: %s: %w", acts[i].ID, err)
		}
	}
	sorted := slices.Clone(acts)
	slices.SortStableFunc(sorted, func(a, b Activity) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return 0
	})
	f.ingest.Lock()
	defer f.ingest.Unlock()
	entries, err := f.store.Put(ctx, sorted)
	if err != nil {
		return 0, err
	}
	if len(entries) > 0 {
		f.publish(entries)
	}
	return len(entries), nil
}

// SourceState summarizes a source's health.
type SourceState string

// Source states.
const (
	StatePending SourceState = "pending" // not polled yet
	StateOK      SourceState = "ok"      // last poll succeeded
	StateFailing SourceState = "failing" // last poll failed; backing off
	StateStandby SourceState = "standby" // another instance holds the lease
)

// SourceHealth is the polling record of one source.
type SourceHealth struct {
	Name                string
	State               SourceState
	LastPoll            time.Time // start of the last poll
	LastSuccess         time.Time
	LastError           string
	ConsecutiveFailures int
	NextPoll            time.Time
	Polls, Failures     uint64
	Listed, Announced   uint64 // totals
	Invalid             uint64 // activities rejected by Validate
	LastDuration        time.Duration
}

func (p *polled) record(r PollResult, err error, began time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := &p.health
	h.LastPoll = began
	h.Polls++
	h.Listed += uint64(r.Listed)
	h.Announced += uint64(r.Announced)
	h.Invalid += uint64(r.Invalid)
	h.LastDuration = r.Duration
	if err != nil {
		h.State = StateFailing
		h.Failures++
		h.ConsecutiveFailures++
		h.LastError = err.Error()
		return
	}
	h.State = StateOK
	h.ConsecutiveFailures = 0
	h.LastError = ""
	h.LastSuccess = began
}

func (p *polled) standby(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.health.State = StateStandby
	if err != nil {
		p.health.LastError = err.Error()
	}
	p.health.NextPoll = time.Now().Add(p.sched.Interval / 4)
}

// Health returns the health of every source, in the order they were added.
func (f *Feed) Health() []SourceHealth {
	f.mu.Lock()
	ps := make([]*polled, 0, len(f.order))
	for _, n := range f.order {
		ps = append(ps, f.sources[n])
	}
	f.mu.Unlock()
	out := make([]SourceHealth, len(ps))
	for i, p := range ps {
		p.mu.Lock()
		out[i] = p.health
		p.mu.Unlock()
	}
	return out
}
