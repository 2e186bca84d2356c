package subscribe

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// IdempotencyKey is the deterministic key of the notification of one
// (subscription, activity, revision): "msg_" and 32 hex digits of a
// SHA-256. Every attempt and every re-enqueueing carries the same key, so a
// receiver drops duplicates by it.
func IdempotencyKey(subscription, activityID string, revision int64) string {
	h := sha256.New()
	h.Write([]byte(subscription))
	h.Write([]byte{0})
	h.Write([]byte(activityID))
	h.Write([]byte{0})
	h.Write([]byte(strconv.FormatInt(revision, 10)))
	return "msg_" + hex.EncodeToString(h.Sum(nil)[:16])
}

// Payload is the JSON body of a webhook (and the stored form of every
// notification), following the Standard Webhooks {type, timestamp, data}
// envelope.
type Payload struct {
	Type      string      `json:"type"` // "activity.matched"
	Timestamp time.Time   `json:"timestamp"`
	Data      PayloadData `json:"data"`
}

// PayloadData is the activity in its documented encoding with the
// subscription and the reasons it matched.
type PayloadData struct {
	Subscription string              `json:"subscription"`
	Activity     activities.Activity `json:"activity"`
	Reasons      []Reason            `json:"reasons"`
}

// payloadEncoder encodes the payloads of one activity's notifications:
// the activity once, spliced into each (the bytes json.Marshal gives a
// Payload, which encodes its activity the same way every time).
type payloadEncoder struct {
	act json.RawMessage
}

// encode returns the JSON of Payload{typ, at, PayloadData{sub, a, rs}}.
func (e *payloadEncoder) encode(typ string, at time.Time, sub string, a *activities.Activity, rs []Reason) ([]byte, error) {
	if e.act == nil {
		b, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		e.act = b
	}
	type data struct {
		Subscription string          `json:"subscription"`
		Activity     json.RawMessage `json:"activity"`
		Reasons      []Reason        `json:"reasons"`
	}
	return json.Marshal(struct {
		Type      string    `json:"type"`
		Timestamp time.Time `json:"timestamp"`
		Data      data      `json:"data"`
	}{typ, at, data{sub, e.act, rs}})
}

// DispatcherOptions configures a [Dispatcher].
type DispatcherOptions struct {
	// Store is the outbox (required).
	Store Store
	// Index holds the subscriptions (required); it is read again at
	// delivery time, so secrets rotated or subscriptions removed meanwhile
	// are honoured.
	Index Index
	// Webhooks, Mailer and Hub deliver on their channels; a notification
	// for a channel without one is dead-lettered.
	Webhooks *WebhookSender
	Mailer   *Mailer
	Hub      *Hub
	// Workers is the number of concurrent deliveries (default 4).
	Workers int
	// MaxAttempts before a notification is dead-lettered (default 10).
	MaxAttempts int
	// BaseBackoff and MaxBackoff bound the jittered exponential backoff
	// between attempts (defaults 1 s and 1 h).
	BaseBackoff, MaxBackoff time.Duration
	// Lease is how long a claimed notification is hidden from other
	// workers (default 1 min); after a crash, its claims expire after it.
	Lease time.Duration
	// Poll is how often the store is checked for due notifications when
	// nothing wakes the dispatcher (default 1 s).
	Poll time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logf receives delivery failures (default: discarded).
	Logf func(format string, args ...any)
	// Name, when set, is the subscription's name in notification payloads
	// (data.subscription), for an Index that keys subscriptions by
	// something else than the ID their owner knows (default: s.ID).
	Name func(s *Subscription) string
}

// name is s's name in payloads.
func (d *Dispatcher) name(s *Subscription) string {
	if d.o.Name != nil {
		return d.o.Name(s)
	}
	return s.ID
}

// Dispatcher turns matches into notifications through the durable outbox
// and delivers them: at least once, with retries, backoff, per-subscription
// rate limits, e-mail digests and a dead-letter state.
type Dispatcher struct {
	o    DispatcherOptions
	wake chan struct{}
	fast chan Notification // recorded already claimed, for immediate delivery
	mu   sync.Mutex
	rate map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewDispatcher returns a dispatcher; call Run to deliver.
func NewDispatcher(o DispatcherOptions) (*Dispatcher, error) {
	if o.Store == nil || o.Index == nil {
		return nil, errors.New("subscribe: NewDispatcher: Store and Index are required")
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Hour
	}
	if o.Lease <= 0 {
		o.Lease = time.Minute
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return &Dispatcher{o: o, wake: make(chan struct{}, 1), fast: make(chan Notification, 1024), rate: map[string]*bucket{}}, nil
}

// Handle matches an activity, records its notifications in the outbox
// (with seq as the feed cursor when seq > 0, in the same transaction) and
// publishes live events. It returns the number of notifications recorded.
// Calling it again for the same activity and revision records nothing new.
func (d *Dispatcher) Handle(ctx context.Context, a *activities.Activity, seq uint64) (int, error) {
	matches := d.o.Index.Match(a)
	now := d.o.Now().UTC()
	var ns []Notification
	var live []LiveEvent
	var enc payloadEncoder
	for _, m := range matches {
		s := m.Subscription
		del := s.Delivery
		key := IdempotencyKey(s.ID, a.ID, a.Revision)
		if del.Webhook == nil && del.Email == nil {
			if del.Live {
				live = append(live, LiveEvent{Subscription: s.ID, Owner: s.Owner, Key: key, Activity: *a, Reasons: m.Reasons})
			}
			continue
		}
		body, err := enc.encode("activity.matched", now, d.name(s), a, m.Reasons)
		if err != nil {
			return 0, fmt.Errorf("subscribe: encoding notification for %s: %w", s.ID, err)
		}
		// Recorded already claimed (due after the lease) and handed to Run
		// at once; if the process dies first, the claim expires and a
		// later Claim delivers it.
		base := Notification{Key: key, Subscription: s.ID, ActivityID: a.ID, Revision: a.Revision, Payload: body, NextAt: now.Add(d.o.Lease), Created: now}
		ns = append(ns, channelNotifications(base, del, now)...)
		if del.Live {
			live = append(live, LiveEvent{Subscription: s.ID, Owner: s.Owner, Key: key, Activity: *a, Reasons: m.Reasons})
		}
	}
	recorded := 0
	if len(ns) > 0 || seq > 0 {
		var err error
		if recorded, err = d.enqueue(ctx, ns, seq, now); err != nil {
			return recorded, err
		}
	}
	if d.o.Hub != nil {
		for _, e := range live {
			d.o.Hub.Publish(e)
		}
	}
	return recorded, nil
}

// channelNotifications makes base one notification per channel of del.
func channelNotifications(base Notification, del Delivery, now time.Time) []Notification {
	var ns []Notification
	if w := del.Webhook; w != nil {
		n := base
		n.Channel, n.Target = ChannelWebhook, w.URL
		ns = append(ns, n)
	}
	if e := del.Email; e != nil {
		n := base
		n.Channel, n.Target = ChannelEmail, e.To
		if e.Digest != "" {
			p, _ := time.ParseDuration(e.Digest)
			n.Channel = ChannelDigest
			n.NextAt = now.Truncate(p).Add(p)
		}
		ns = append(ns, n)
	}
	return ns
}

// enqueue records ns (and the cursor seq when > 0) in the outbox and hands
// the new ones to Run at once. It returns the number recorded.
//
// The notifications are made recorded already claimed (due after the
// lease) and handed to Run as far as its queue has room; the others, when
// Run is behind, are recorded due now, for Claim, in the same transaction:
// a burst costs one transaction, not one more per notification.
func (d *Dispatcher) enqueue(ctx context.Context, ns []Notification, seq uint64, now time.Time) (int, error) {
	room := cap(d.fast) - len(d.fast)
	for i := range ns {
		if ns[i].Channel == ChannelDigest {
			continue
		}
		if room > 0 {
			room--
		} else {
			ns[i].NextAt = now
		}
	}
	ids, err := d.o.Store.Enqueue(ctx, ns, seq)
	if err != nil {
		return 0, err
	}
	recorded, behind := 0, false
	for i, id := range ids {
		if id == 0 {
			continue
		}
		recorded++
		n := ns[i]
		n.ID, n.State = id, StatePending
		if n.Channel == ChannelDigest {
			continue
		}
		if !n.NextAt.After(now) {
			behind = true // recorded due now
			continue
		}
		select {
		case d.fast <- n:
		default:
			// Another call took the room meanwhile: make it due now.
			if err := d.o.Store.Retry(ctx, id, now, "", false); err != nil {
				return recorded, err
			}
			behind = true
		}
	}
	if behind {
		d.Wake()
	}
	return recorded, nil
}

// CheckTarget refuses a subscription whose webhook the dispatcher's
// sender would never reach (see WebhookSender.CheckTarget): call it when a
// subscription is created, to answer with a validation error at once
// rather than dead-letter every notification later.
func (d *Dispatcher) CheckTarget(s *Subscription) error { return d.o.Webhooks.CheckTarget(s) }

// Wake makes Run check the outbox now.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Consume follows a feed with a durable subscription starting after the
// cursor saved in the outbox, and handles every entry, until ctx is done
// or the subscription ends. A restarted program resumes where the last one
// stopped: an entry is acknowledged (its Seq saved) in the transaction
// that records its notifications.
func (d *Dispatcher) Consume(ctx context.Context, feed *activities.Feed) error {
	after, err := d.o.Store.Cursor(ctx)
	if err != nil {
		return err
	}
	sub := feed.Subscribe(activities.SubscribeOptions{Durable: true, After: after, Buffer: 256})
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e, ok := <-sub.C():
			if !ok {
				if err := sub.Err(); err != nil {
					return fmt.Errorf("subscribe: feed subscription: %w", err)
				}
				return nil
			}
			if _, err := d.Handle(ctx, &e.Activity, e.Seq); err != nil {
				return err
			}
		}
	}
}

// Run delivers due notifications until ctx is done.
func (d *Dispatcher) Run(ctx context.Context) error {
	// With a Store that marks many deliveries in one transaction, the
	// workers' marks go through one goroutine that records those queued
	// together at once (group commit: one durable write, not one each).
	var marks chan int64
	if bd, ok := d.o.Store.(deliveredBatcher); ok {
		marks = make(chan int64, 4*d.o.Workers)
		flushed := make(chan struct{})
		go func() {
			defer close(flushed)
			d.markDelivered(bd, marks)
		}()
		defer func() { close(marks); <-flushed }() // after the workers
	}
	sem := make(chan struct{}, d.o.Workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	timer := time.NewTimer(d.o.Poll)
	defer timer.Stop()
	// The store is claimed from at start, every Poll, when woken, and
	// again as long as a claim returns notifications; not after each
	// notification handed over by enqueue (a write transaction each).
	claimDue := true
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		start := func(group []Notification) bool {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				d.deliver(ctx, group, marks)
			}()
			return true
		}
		select {
		case n := <-d.fast:
			if !start([]Notification{n}) {
				return ctx.Err()
			}
			continue
		default:
		}
		if claimDue {
			ns, err := d.o.Store.Claim(ctx, d.o.Now(), d.o.Lease, 4*d.o.Workers)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				d.o.Logf("subscribe: %v", err)
			}
			for _, group := range groupDigests(ns) {
				if !start(group) {
					return ctx.Err()
				}
			}
			if len(ns) > 0 {
				continue
			}
			claimDue = false
			timer.Reset(d.o.Poll)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case n := <-d.fast:
			if !start([]Notification{n}) {
				return ctx.Err()
			}
		case <-d.wake:
			claimDue = true
		case <-timer.C:
			claimDue = true
		}
	}
}

// groupDigests puts the digest notifications of one subscription and
// mailbox in one group, and every other notification in a group of its own.
func groupDigests(ns []Notification) [][]Notification {
	var out [][]Notification
	idx := map[string]int{}
	for _, n := range ns {
		if n.Channel != ChannelDigest {
			out = append(out, []Notification{n})
			continue
		}
		k := n.Subscription + "\x00" + n.Target
		if i, ok := idx[k]; ok {
			out[i] = append(out[i], n)
			continue
		}
		idx[k] = len(out)
		out = append(out, []Notification{n})
	}
	return out
}

// allow takes a token from the subscription's bucket, or says how long to
// wait for one.
func (d *Dispatcher) allow(s *Subscription, now time.Time) (bool, time.Duration) {
	r := s.Delivery.RatePerHour
	if r <= 0 {
		return true, 0
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	perSec := float64(r) / 3600
	b := d.rate[s.ID]
	if b == nil {
		b = &bucket{tokens: float64(r), last: now}
		d.rate[s.ID] = b
	}
	b.tokens = min(float64(r), b.tokens+now.Sub(b.last).Seconds()*perSec)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / perSec * float64(time.Second))
}

// backoff is the jittered exponential delay before attempt n+1 (n ≥ 1):
// uniformly in [d/2, d] with d = base·2^(n−1), capped at MaxBackoff.
func (d *Dispatcher) backoff(n int) time.Duration {
	b := d.o.BaseBackoff
	for i := 1; i < n && b < d.o.MaxBackoff; i++ {
		b *= 2
	}
	b = min(b, d.o.MaxBackoff)
	return b/2 + time.Duration(rand.Int64N(int64(b/2)+1))
}

// deliveredBatcher is a Store that marks many notifications delivered in
// one transaction (SQLiteOutbox).
type deliveredBatcher interface {
	DeliveredAll(ctx context.Context, ids []int64, at time.Time) error
}

// markDelivered records the marks sent on marks until it is closed: each
// time, the first and all those queued behind it, in one call.
func (d *Dispatcher) markDelivered(bd deliveredBatcher, marks <-chan int64) {
	var ids []int64
	for id := range marks {
		ids = append(ids[:0], id)
	drain:
		for len(ids) < 512 {
			select {
			case id, ok := <-marks:
				if !ok {
					break drain
				}
				ids = append(ids, id)
			default:
				break drain
			}
		}
		if err := bd.DeliveredAll(context.Background(), ids, d.o.Now()); err != nil {
			d.o.Logf("subscribe: %v", err)
		}
	}
}

// deliver sends a group of notifications; with marks non-nil, the
// deliveries are marked through it (see Run).
func (d *Dispatcher) deliver(ctx context.Context, group []Notification, marks chan<- int64) {
	sendCtx := ctx
	// Outcomes are recorded even when ctx ends during the attempt, so that a
	// delivered notification is not sent again after a clean shutdown.
	ctx = context.WithoutCancel(ctx)
	first := group[0]
	now := d.o.Now()
	store := d.o.Store
	fail := func(text string) {
		for _, n := range group {
			if err := store.Dead(ctx, n.ID, text); err != nil {
				d.o.Logf("subscribe: %v", err)
			}
		}
	}
	s := d.o.Index.Get(first.Subscription)
	if s == nil {
		fail("subscription removed")
		return
	}
	if ok, wait := d.allow(s, now); !ok {
		for _, n := range group {
			if err := store.Retry(ctx, n.ID, now.Add(wait), "rate limited", false); err != nil {
				d.o.Logf("subscribe: %v", err)
			}
		}
		return
	}
	var err error
	switch first.Channel {
	case ChannelWebhook:
		if d.o.Webhooks == nil || s.Delivery.Webhook == nil {
			fail("no webhook sender or webhook target")
			return
		}
		err = d.o.Webhooks.Send(sendCtx, first.Target, first.Key, first.Payload, s.Delivery.Webhook.Secrets, now)
	case ChannelEmail, ChannelDigest:
		if d.o.Mailer == nil {
			fail("no mailer")
			return
		}
		var e Email
		e, err = composeNotification(group)
		if err == nil {
			err = d.o.Mailer.Send(sendCtx, e, now)
		}
	default:
		fail(fmt.Sprintf("unknown channel %q", first.Channel))
		return
	}
	for _, n := range group {
		d.record(ctx, n, err, now, marks)
	}
}

func (d *Dispatcher) record(ctx context.Context, n Notification, err error, now time.Time, marks chan<- int64) {
	store := d.o.Store
	var serr error
	switch {
	case err == nil && marks != nil:
		marks <- n.ID
	case err == nil:
		serr = store.Delivered(ctx, n.ID, d.o.Now())
	default:
		d.o.Logf("subscribe: delivering %s to %s (attempt %d): %v", n.Key, redact(n.Target), n.Attempts+1, err)
		var de *DeliveryError
		retry := errors.As(err, &de) && de.Retryable && n.Attempts+1 < d.o.MaxAttempts
		if !retry {
			serr = store.Dead(ctx, n.ID, err.Error())
			break
		}
		wait := d.backoff(n.Attempts + 1)
		if de.RetryAfter > wait {
			wait = de.RetryAfter
		}
		serr = store.Retry(ctx, n.ID, now.Add(wait), err.Error(), true)
	}
	if serr != nil && ctx.Err() == nil {
		d.o.Logf("subscribe: %v", serr)
	}
}

// composeNotification renders one notification, or a digest of several,
// as an e-mail.
func composeNotification(group []Notification) (Email, error) {
	var b strings.Builder
	var subject, name string
	for i, n := range group {
		var p Payload
		if err := json.Unmarshal(n.Payload, &p); err != nil {
			return Email{}, fmt.Errorf("decoding stored notification %s: %w", n.Key, err)
		}
		if i == 0 {
			name = cmp.Or(p.Data.Subscription, n.Subscription)
		}
		if i > 0 {
			b.WriteString("\n")
		}
		if strings.HasPrefix(p.Type, "alert.") {
			s, err := composeAlert(&b, n.Payload)
			if err != nil {
				return Email{}, fmt.Errorf("decoding stored notification %s: %w", n.Key, err)
			}
			subject = s
			continue
		}
		a := &p.Data.Activity
		b.WriteString(a.String() + "\n")
		if a.Programme.ID != "" {
			fmt.Fprintf(&b, "  programme %s", a.Programme.ID)
			if a.Programme.PI != "" {
				fmt.Fprintf(&b, " (PI %s)", a.Programme.PI)
			}
			b.WriteString("\n")
		}
		for _, r := range p.Data.Reasons {
			fmt.Fprintf(&b, "  matched %s: %s", r.Criterion, r.Value)
			if r.DistanceDeg != nil {
				fmt.Fprintf(&b, " (%.4f° away)", *r.DistanceDeg)
			}
			b.WriteString("\n")
		}
		for _, l := range a.Links {
			fmt.Fprintf(&b, "  %s: %s\n", l.Title, l.URL)
		}
		if len(group) == 1 {
			subject = fmt.Sprintf("[arcsecond] %s %s", a.Facility, a.Kind)
			if a.Target.Name != "" {
				subject += ": " + a.Target.Name
			}
		}
	}
	first := group[0]
	if len(group) > 1 {
		subject = digestSubject(len(group), name)
	}
	return Email{
		To: first.Target, Subject: strings.NewReplacer("\r", " ", "\n", " ").Replace(subject), Text: b.String(),
		MessageID: first.Key + "@arcsecond", Subscription: first.Subscription,
	}, nil
}
