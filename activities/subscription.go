package activities

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// SlowPolicy says what a live subscription does when its consumer falls
// behind and its buffer is full.
type SlowPolicy int

const (
	// DropOldest discards the oldest buffered entry to make room, and counts
	// it in Dropped. The feed never waits for the consumer. The default.
	DropOldest SlowPolicy = iota
	// Block makes the feed wait for the consumer: every subscriber then
	// sees every entry, and a stuck consumer stalls the whole feed. Use it
	// only for consumers that are always fast.
	Block
	// Disconnect closes the subscription (Err reports ErrSlowConsumer); the
	// consumer may resubscribe from its last Seq with After.
	Disconnect
)

// ErrSlowConsumer is reported by Subscription.Err after a Disconnect.
var ErrSlowConsumer = errors.New("activities: subscription closed: consumer too slow")

// SubscribeOptions configures a subscription.
type SubscribeOptions struct {
	// Buffer is the channel's capacity (default 64).
	Buffer int
	// Policy applies to live subscriptions when the buffer is full.
	Policy SlowPolicy
	// Filter, when set, keeps only the activities it returns true for. It
	// runs on the feed's goroutine: keep it fast.
	Filter func(*Activity) bool
	// Durable makes a subscription that reads the store from After on,
	// then follows new entries as they are recorded. It never drops: the
	// consumer sets the pace and the store is its buffer, so it also
	// catches up after a restart — the consumer persists the Seq of the
	// last entry it handled and passes it back as After.
	Durable bool
	// After is the Seq after which a durable subscription starts (0: from
	// the beginning of the store).
	After uint64
}

// Subscription is a consumer's view of a feed. Read entries from C until it
// is closed; call Close when done.
type Subscription struct {
	feed    *Feed
	ch      chan Entry
	opts    SubscribeOptions
	dropped atomic.Uint64
	once    sync.Once
	done    chan struct{}
	err     atomic.Pointer[error]
	sendMu  sync.RWMutex // see send
	closed  bool
}

// C delivers the entries, in Seq order. It is closed when the
// subscription ends (Close, Disconnect, or a durable subscription's store
// failure; see Err).
func (s *Subscription) C() <-chan Entry { return s.ch }

// Dropped counts entries discarded under DropOldest.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Err reports why the subscription ended, or nil while it runs and after
// Close.
func (s *Subscription) Err() error {
	if p := s.err.Load(); p != nil {
		return *p
	}
	return nil
}

// Close ends the subscription and closes C. It is safe to call more than
// once and from any goroutine.
func (s *Subscription) Close() {
	s.once.Do(func() {
		close(s.done)
		if !s.opts.Durable {
			s.feed.mu.Lock()
			delete(s.feed.subs, s)
			s.feed.mu.Unlock()
			s.sendMu.Lock()
			s.closed = true
			close(s.ch)
			s.sendMu.Unlock()
		}
	})
}

// Subscribe returns a subscription to the entries the feed records from
// now on (or, when Durable, from After on).
func (f *Feed) Subscribe(o SubscribeOptions) *Subscription {
	if o.Buffer <= 0 {
		o.Buffer = 64
	}
	s := &Subscription{feed: f, ch: make(chan Entry, o.Buffer), opts: o, done: make(chan struct{})}
	if o.Durable {
		go s.follow()
		return s
	}
	f.mu.Lock()
	f.subs[s] = struct{}{}
	f.mu.Unlock()
	return s
}

// follow feeds a durable subscription from the store.
func (s *Subscription) follow() {
	defer close(s.ch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	cursor := s.opts.After
	for {
		wake := s.feed.wakeChan()
		entries, err := s.feed.store.Since(ctx, cursor, 512)
		if err != nil {
			if ctx.Err() == nil {
				s.err.Store(&err)
			}
			return
		}
		for _, e := range entries {
			cursor = e.Seq
			if s.opts.Filter != nil && !s.opts.Filter(&e.Activity) {
				continue
			}
			select {
			case s.ch <- e:
			case <-s.done:
				return
			}
		}
		if len(entries) > 0 {
			continue
		}
		select {
		case <-wake:
		case <-s.done:
			return
		}
	}
}

func (f *Feed) wakeChan() chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.wake
}

// publish fans entries out to the live subscriptions and wakes the durable
// ones; f.ingest is held, so entries arrive in Seq order.
func (f *Feed) publish(entries []Entry) {
	f.mu.Lock()
	close(f.wake)
	f.wake = make(chan struct{})
	f.nAnn += uint64(len(entries))
	subs := make([]*Subscription, 0, len(f.subs))
	for s := range f.subs {
		subs = append(subs, s)
	}
	f.mu.Unlock()
	for _, s := range subs {
		for i := range entries {
			e := &entries[i]
			if s.opts.Filter != nil && !s.opts.Filter(&e.Activity) {
				continue
			}
			if !s.send(*e) {
				break
			}
		}
	}
}

// send delivers e under the subscription's policy; false when the
// subscription is gone. Senders hold sendMu for reading, so Close, which
// takes it for writing after signalling done, never closes the channel
// under a sender.
func (s *Subscription) send(e Entry) bool {
	s.sendMu.RLock()
	if s.closed {
		s.sendMu.RUnlock()
		return false
	}
	ok, slow := s.trySend(e)
	s.sendMu.RUnlock()
	if slow {
		err := ErrSlowConsumer
		s.err.Store(&err)
		s.Close()
	}
	return ok
}

func (s *Subscription) trySend(e Entry) (ok, slow bool) {
	select {
	case s.ch <- e:
		return true, false
	default:
	}
	switch s.opts.Policy {
	case Block:
		select {
		case s.ch <- e:
			return true, false
		case <-s.done:
			return false, false
		}
	case Disconnect:
		return false, true
	}
	for { // DropOldest
		select {
		case s.ch <- e:
			return true, false
		default:
		}
		select {
		case <-s.ch:
			s.dropped.Add(1)
		default:
		}
	}
}

// Announced is the number of entries the feed has recorded and announced
// since it was created.
func (f *Feed) Announced() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nAnn
}
