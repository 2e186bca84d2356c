// Package jetstream is a subscribe.Store — the dispatcher's durable outbox —
// on NATS JetStream, shared by several instances of a server so that each
// notification is delivered once although every instance matches every
// activity.
//
// Notifications live on a work-queue stream (default
// "ARCSECOND_NOTIFICATIONS"). Enqueue publishes each one with the message ID
// idempotency key + "/" + channel, so the copies that several instances'
// matchers produce for one activity collapse into one message on the server
// (within Options.DuplicateWindow); only the instance whose copy was stored
// gets a non-zero ID back and delivers it at once. Claim fetches from one
// durable pull consumer shared by all instances (explicit acks, AckWait =
// Options.Lease): a message claimed by an instance that dies is redelivered
// to another after the lease. Delivered acknowledges (the work queue drops
// the message); Retry and Dead republish the notification with its attempt
// count and last error (to the work stream, due at the retry time, or to the
// dead-letter stream "ARCSECOND_NOTIFICATIONS_DEAD") and then drop the old
// message; Redeliver moves a dead one back. Each instance's feed cursor is
// kept in a key-value bucket under the instance's name.
//
// IDs are stream sequences: those of pending notifications are sequences of
// the work stream, those List returns for StateDead are sequences of the
// dead-letter stream (what Redeliver takes). Delivered notifications are not
// kept: List(StateDelivered) reports ErrNotKept.
//
// The store implements subscribe.Counter (Counts reads the streams'
// per-subject message counts) but not subscribe.Inspector: the streams are
// not indexed by idempotency key, so ByKey would have to read every message.
//
//	nc, _ := nats.Connect(url)
//	js, _ := jetstream.New(nc)
//	out, err := subjs.Open(ctx, js, subjs.Options{Instance: "node-1", Lease: time.Minute})
//	defer out.Close()
//	d, err := subscribe.NewDispatcher(subscribe.DispatcherOptions{Store: out, Lease: time.Minute, ...})
//	go d.Consume(ctx, feed) // feed: this instance's feed, with a persistent activities.Store
//	go d.Run(ctx)
//
// The cursor is a sequence of the instance's own feed store: keep that store
// across restarts (SQLite), or give a new store a new Instance name. An
// instance that starts with no cursor handles the whole feed again; the
// notifications of activities older than the duplicate window are then sent
// again (with the same idempotency key, which receivers de-duplicate on).
package jetstream

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond/internal/natsx"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// ErrNotKept is returned by List for delivered notifications, which the
// work queue drops once acknowledged.
var ErrNotKept = errors.New("subscribe/jetstream: delivered notifications are not kept")

// Options configures the outbox. Zero fields take the defaults.
type Options struct {
	// Instance names this instance's cursor; unique among the instances
	// and stable across its restarts (required).
	Instance string
	// Stream is the work-queue stream (default "ARCSECOND_NOTIFICATIONS"),
	// Subject its subject prefix (default "arcsecond.notifications"; each
	// notification is published on <prefix>.<channel>).
	Stream, Subject string
	// DeadStream is the dead-letter stream (default Stream + "_DEAD"), on
	// subjects <Subject>-dead.<channel>.
	DeadStream string
	// Consumer is the durable consumer shared by the instances (default
	// "dispatch").
	Consumer string
	// CursorBucket is the key-value bucket of the instances' feed cursors
	// (default "arcsecond_cursors").
	CursorBucket string
	// Lease is the consumer's AckWait: how long a claimed notification is
	// hidden from the other instances (default 1 min). Set the
	// dispatcher's Lease to the same value; Claim ignores its lease
	// argument.
	Lease time.Duration
	// DuplicateWindow is how long the server remembers notification IDs
	// to drop the copies other instances enqueue (default 10 min).
	DuplicateWindow time.Duration
	// MaxAge bounds how long an undelivered notification is kept (default
	// 30 days; 0 keeps the default, not forever).
	MaxAge time.Duration
	// Replicas of the streams and bucket in a clustered server (default 1).
	Replicas int
	// Timeout bounds each exchange with the server (default 10 s), also
	// when the caller's context has none (the dispatcher records outcomes
	// with a context that is never cancelled).
	Timeout time.Duration
}

func (o *Options) defaults() error {
	if o.Instance == "" {
		return errors.New("subscribe/jetstream: Options.Instance is required (it names the instance's feed cursor)")
	}
	if strings.ContainsAny(o.Instance, ".*> \t\r\n") {
		return fmt.Errorf("subscribe/jetstream: instance name %q may not hold '.', '*', '>' or white space", o.Instance)
	}
	if o.Stream == "" {
		o.Stream = "ARCSECOND_NOTIFICATIONS"
	}
	if o.Subject == "" {
		o.Subject = "arcsecond.notifications"
	}
	if o.DeadStream == "" {
		o.DeadStream = o.Stream + "_DEAD"
	}
	if o.Consumer == "" {
		o.Consumer = "dispatch"
	}
	if o.CursorBucket == "" {
		o.CursorBucket = "arcsecond_cursors"
	}
	if o.Lease <= 0 {
		o.Lease = time.Minute
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = 10 * time.Minute
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 30 * 24 * time.Hour
	}
	if o.DuplicateWindow > o.MaxAge {
		return fmt.Errorf("subscribe/jetstream: DuplicateWindow %v is longer than MaxAge %v", o.DuplicateWindow, o.MaxAge)
	}
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	return nil
}

// Store is the outbox on JetStream. It implements subscribe.Store and is
// safe for concurrent use.
type Store struct {
	js      jetstream.JetStream
	o       Options
	work    jetstream.Stream
	dead    jetstream.Stream
	cons    jetstream.Consumer
	cursors jetstream.KeyValue

	mu     sync.Mutex
	held   map[int64]jetstream.Msg // claimed through the consumer, not yet settled
	cursor uint64                  // last cursor written
	closed bool
}

var (
	_ subscribe.Store   = (*Store)(nil)
	_ subscribe.Counter = (*Store)(nil)
)

// Open creates (or updates) the work-queue stream, the dead-letter stream,
// the shared consumer and the cursor bucket.
func Open(ctx context.Context, js jetstream.JetStream, o Options) (*Store, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	work, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        o.Stream,
		Description: "arcsecond notifications to deliver (work queue)",
		Subjects:    []string{o.Subject + ".>"},
		Retention:   jetstream.WorkQueuePolicy,
		MaxAge:      o.MaxAge,
		Duplicates:  o.DuplicateWindow,
		Storage:     jetstream.FileStorage,
		Replicas:    o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("subscribe/jetstream: creating stream %s: %w", o.Stream, err)
	}
	dead, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        o.DeadStream,
		Description: "arcsecond notifications whose delivery failed for good",
		Subjects:    []string{o.Subject + "-dead.>"},
		Retention:   jetstream.LimitsPolicy,
		MaxAge:      o.MaxAge,
		Duplicates:  o.DuplicateWindow,
		Storage:     jetstream.FileStorage,
		Replicas:    o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("subscribe/jetstream: creating stream %s: %w", o.DeadStream, err)
	}
	cons, err := work.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:     o.Consumer,
		Description: "arcsecond dispatchers (shared by all instances)",
		AckPolicy:   jetstream.AckExplicitPolicy,
		AckWait:     o.Lease,
		// Attempts are counted in the message headers (Retry republishes),
		// so the server never gives up on a message by itself: deferred
		// messages (digests, backoff) are re-fetched and postponed.
		MaxDeliver:    -1,
		MaxAckPending: 100000,
		Replicas:      o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("subscribe/jetstream: creating consumer %s: %w", o.Consumer, err)
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      o.CursorBucket,
		Description: "arcsecond dispatcher feed cursors: instance -> feed sequence",
		History:     1,
		Replicas:    o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("subscribe/jetstream: creating cursor bucket %s: %w", o.CursorBucket, err)
	}
	return &Store{js: js, o: o, work: work, dead: dead, cons: cons, cursors: kv, held: map[int64]jetstream.Msg{}}, nil
}

// Close forgets the claims this instance holds (they expire after the
// lease and go to another instance). It does not close the connection.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = map[int64]jetstream.Msg{}
	s.closed = true
	return nil
}

// Message headers carrying a notification's fields; the body is its payload.
const (
	hKey        = "Arc-Key"
	hChannel    = "Arc-Channel"
	hSub        = "Arc-Subscription"
	hTarget     = "Arc-Target"
	hActivity   = "Arc-Activity"
	hRevision   = "Arc-Revision"
	hAttempts   = "Arc-Attempts"
	hNotBefore  = "Arc-Not-Before"
	hLastError  = "Arc-Last-Error"
	hCreated    = "Arc-Created"
	maxErrBytes = 1024
)

// MsgID is the JetStream message ID under which a notification is first
// enqueued: its idempotency key and channel.
func MsgID(n *subscribe.Notification) string { return n.Key + "/" + string(n.Channel) }

func (s *Store) message(subject string, n *subscribe.Notification, id string) *nats.Msg {
	h := nats.Header{}
	h.Set(jetstream.MsgIDHeader, id)
	h.Set(hKey, n.Key)
	h.Set(hChannel, string(n.Channel))
	h.Set(hSub, n.Subscription)
	h.Set(hTarget, n.Target)
	h.Set(hActivity, n.ActivityID)
	h.Set(hRevision, strconv.FormatInt(n.Revision, 10))
	h.Set(hAttempts, strconv.Itoa(n.Attempts))
	h.Set(hNotBefore, n.NextAt.UTC().Format(time.RFC3339Nano))
	if n.LastError != "" {
		e := n.LastError
		if len(e) > maxErrBytes {
			e = e[:maxErrBytes]
		}
		h.Set(hLastError, strings.NewReplacer("\r", " ", "\n", " ").Replace(e))
	}
	h.Set(hCreated, n.Created.UTC().Format(time.RFC3339Nano))
	return &nats.Msg{Subject: subject + "." + token(string(n.Channel)), Header: h, Data: n.Payload}
}

// token makes a channel name safe as one subject token; an empty name
// becomes "_", so that the subject still has its last token.
func token(s string) string {
	if s == "" {
		return "_"
	}
	return natsx.Token(s)
}

// decode reads a notification back from a message's headers and body.
func decode(h nats.Header, data []byte, seq uint64, state subscribe.State) (subscribe.Notification, error) {
	n := subscribe.Notification{
		ID: int64(seq), Key: h.Get(hKey), Channel: subscribe.Channel(h.Get(hChannel)), Subscription: h.Get(hSub),
		Target: h.Get(hTarget), ActivityID: h.Get(hActivity), Payload: data, State: state, LastError: h.Get(hLastError),
	}
	if n.Key == "" || n.Channel == "" || n.Subscription == "" {
		return n, fmt.Errorf("subscribe/jetstream: message %d is not a notification (missing %s, %s or %s header)", seq, hKey, hChannel, hSub)
	}
	var err error
	if n.Revision, err = strconv.ParseInt(h.Get(hRevision), 10, 64); err != nil {
		return n, fmt.Errorf("subscribe/jetstream: message %d: bad %s header: %w", seq, hRevision, err)
	}
	if n.Attempts, err = strconv.Atoi(h.Get(hAttempts)); err != nil || n.Attempts < 0 {
		return n, fmt.Errorf("subscribe/jetstream: message %d: bad %s header %q", seq, hAttempts, h.Get(hAttempts))
	}
	if n.NextAt, err = time.Parse(time.RFC3339Nano, h.Get(hNotBefore)); err != nil {
		return n, fmt.Errorf("subscribe/jetstream: message %d: bad %s header: %w", seq, hNotBefore, err)
	}
	if n.Created, err = time.Parse(time.RFC3339Nano, h.Get(hCreated)); err != nil {
		return n, fmt.Errorf("subscribe/jetstream: message %d: bad %s header: %w", seq, hCreated, err)
	}
	return n, nil
}

// publish sends messages and waits for the server's acknowledgements,
// within Options.Timeout.
func (s *Store) publish(ctx context.Context, msgs []*nats.Msg) ([]*jetstream.PubAck, error) {
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	acks, err := natsx.PublishAll(ctx, s.js, msgs)
	if err != nil {
		return nil, fmt.Errorf("subscribe/jetstream: %w", err)
	}
	return acks, nil
}

// Enqueue implements subscribe.Store: a notification another instance (or
// an earlier run) already enqueued within the duplicate window gets ID 0.
// The cursor is sent (without waiting for its acknowledgement) once the
// notifications are stored, so a crash in between replays them and the
// server drops the copies; Cursor may therefore lag a little behind the
// last Enqueue after a crash, never run ahead of it.
func (s *Store) Enqueue(ctx context.Context, ns []subscribe.Notification, cursor uint64) ([]int64, error) {
	ids := make([]int64, len(ns))
	if len(ns) > 0 {
		msgs := make([]*nats.Msg, len(ns))
		for i := range ns {
			msgs[i] = s.message(s.o.Subject, &ns[i], MsgID(&ns[i]))
		}
		acks, err := s.publish(ctx, msgs)
		if err != nil {
			return nil, err
		}
		for i, a := range acks {
			if !a.Duplicate {
				ids[i] = int64(a.Sequence)
			}
		}
	}
	if cursor > 0 {
		s.mu.Lock()
		newer := cursor > s.cursor
		if newer {
			s.cursor = cursor
		}
		s.mu.Unlock()
		if newer {
			// Not awaited: the notifications before it are stored, and a
			// cursor update lost in a crash only makes the next run
			// enqueue them again (the server drops the copies).
			if _, err := s.js.PublishAsync("$KV."+s.o.CursorBucket+"."+s.o.Instance, []byte(strconv.FormatUint(cursor, 10))); err != nil {
				return nil, fmt.Errorf("subscribe/jetstream: saving cursor of %s: %w", s.o.Instance, err)
			}
		}
	}
	return ids, nil
}

// Cursor implements subscribe.Store: this instance's last feed sequence.
func (s *Store) Cursor(ctx context.Context) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	// Let this connection's cursor updates land first.
	select {
	case <-s.js.PublishAsyncComplete():
	case <-ctx.Done():
		return 0, fmt.Errorf("subscribe/jetstream: reading cursor of %s: %w", s.o.Instance, ctx.Err())
	}
	e, err := s.cursors.Get(ctx, s.o.Instance)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("subscribe/jetstream: reading cursor of %s: %w", s.o.Instance, err)
	}
	v, err := strconv.ParseUint(string(e.Value()), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("subscribe/jetstream: cursor of %s is not a number: %q", s.o.Instance, e.Value())
	}
	s.mu.Lock()
	s.cursor = max(s.cursor, v)
	s.mu.Unlock()
	return v, nil
}

// Claim implements subscribe.Store: it fetches up to limit notifications
// from the shared consumer without waiting. One not yet due (a retry's
// backoff, a digest's period, or one enqueued by an instance that is
// delivering it itself) is handed back to the server until it is due. The
// lease is the consumer's AckWait (Options.Lease), not the argument.
func (s *Store) Claim(ctx context.Context, now time.Time, _ time.Duration, limit int) ([]subscribe.Notification, error) {
	if limit <= 0 {
		return nil, nil
	}
	batch, err := s.cons.FetchNoWait(limit)
	if err != nil {
		return nil, fmt.Errorf("subscribe/jetstream: claiming: %w", err)
	}
	var out []subscribe.Notification
	for m := range batch.Messages() {
		md, err := m.Metadata()
		if err != nil {
			m.Term()
			continue
		}
		n, err := decode(m.Headers(), m.Data(), md.Sequence.Stream, subscribe.StatePending)
		if err != nil {
			m.TermWithReason(err.Error()) // no instance can use it
			continue
		}
		if wait := n.NextAt.Sub(now); wait > 0 {
			m.NakWithDelay(wait)
			continue
		}
		s.mu.Lock()
		s.held[n.ID] = m
		s.mu.Unlock()
		out = append(out, n)
	}
	if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, jetstream.ErrNoMessages) {
		return out, fmt.Errorf("subscribe/jetstream: claiming: %w", err)
	}
	return out, nil
}

// take returns the claimed message of a notification, or nil when this
// instance enqueued it and delivers it without having claimed it.
func (s *Store) take(id int64) jetstream.Msg {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.held[id]
	delete(s.held, id)
	return m
}

// settle drops a notification from the work queue: an ack when claimed,
// a delete by sequence otherwise (a message already gone is fine).
func (s *Store) settle(ctx context.Context, id int64, m jetstream.Msg) error {
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	if m != nil {
		if err := m.DoubleAck(ctx); err != nil {
			return fmt.Errorf("subscribe/jetstream: acknowledging %d: %w", id, err)
		}
		return nil
	}
	if err := s.work.DeleteMsg(ctx, uint64(id)); err != nil && !gone(err) {
		return fmt.Errorf("subscribe/jetstream: removing %d: %w", id, err)
	}
	return nil
}

// errNoMessageToDelete is the server's error code for deleting a message
// that is not (or no longer) in the stream.
const errNoMessageToDelete = 10057

// gone reports whether err says that the message is not in the stream.
func gone(err error) bool {
	var ae *jetstream.APIError
	if errors.As(err, &ae) && (ae.ErrorCode == errNoMessageToDelete || ae.ErrorCode == jetstream.JSErrCodeMessageNotFound) {
		return true
	}
	// DeleteMsg flattens the server's error into text.
	return errors.Is(err, jetstream.ErrMsgNotFound) ||
		errors.Is(err, jetstream.ErrMsgDeleteUnsuccessful) && strings.Contains(err.Error(), "err_code="+strconv.Itoa(errNoMessageToDelete))
}

// load returns a pending notification by work-stream sequence.
func (s *Store) load(ctx context.Context, id int64, m jetstream.Msg) (subscribe.Notification, error) {
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	if m != nil {
		return decode(m.Headers(), m.Data(), uint64(id), subscribe.StatePending)
	}
	raw, err := s.work.GetMsg(ctx, uint64(id))
	if err != nil {
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return subscribe.Notification{}, fmt.Errorf("subscribe/jetstream: no pending notification %d", id)
		}
		return subscribe.Notification{}, fmt.Errorf("subscribe/jetstream: reading notification %d: %w", id, err)
	}
	return decode(raw.Header, raw.Data, raw.Sequence, subscribe.StatePending)
}

// Delivered implements subscribe.Store.
func (s *Store) Delivered(ctx context.Context, id int64, _ time.Time) error {
	return s.settle(ctx, id, s.take(id))
}

// Retry implements subscribe.Store: the notification is republished due
// at next with its attempt count and error, then the old message dropped.
// A crash in between leaves both, and the notification may be sent twice
// (with the same idempotency key).
func (s *Store) Retry(ctx context.Context, id int64, next time.Time, errText string, countAttempt bool) error {
	m := s.take(id)
	n, err := s.load(ctx, id, m)
	if err != nil {
		return err
	}
	if countAttempt {
		n.Attempts++
	}
	n.NextAt, n.LastError = next, errText
	msg := s.message(s.o.Subject, &n, MsgID(&n)+"/r"+strconv.FormatInt(id, 10))
	if _, err := s.publish(ctx, []*nats.Msg{msg}); err != nil {
		return err
	}
	return s.settle(ctx, id, m)
}

// Dead implements subscribe.Store: the notification moves to the
// dead-letter stream.
func (s *Store) Dead(ctx context.Context, id int64, errText string) error {
	m := s.take(id)
	n, err := s.load(ctx, id, m)
	if err != nil {
		return err
	}
	n.Attempts++
	n.LastError = errText
	msg := s.message(s.o.Subject+"-dead", &n, MsgID(&n)+"/d"+strconv.FormatInt(id, 10))
	if _, err := s.publish(ctx, []*nats.Msg{msg}); err != nil {
		return err
	}
	return s.settle(ctx, id, m)
}

// Redeliver implements subscribe.Store: id is a dead-letter stream
// sequence (from List(StateDead)); the notification goes back to the work
// queue, due at now, with its attempt count reset.
func (s *Store) Redeliver(ctx context.Context, id int64, now time.Time) error {
	if id <= 0 {
		return fmt.Errorf("subscribe/jetstream: redeliver: bad id %d", id)
	}
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	raw, err := s.dead.GetMsg(ctx, uint64(id))
	if err != nil {
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return fmt.Errorf("subscribe/jetstream: redeliver: no dead notification %d", id)
		}
		return fmt.Errorf("subscribe/jetstream: redeliver: reading %d: %w", id, err)
	}
	n, err := decode(raw.Header, raw.Data, raw.Sequence, subscribe.StateDead)
	if err != nil {
		return err
	}
	n.Attempts, n.NextAt = 0, now
	msg := s.message(s.o.Subject, &n, MsgID(&n)+"/x"+strconv.FormatInt(id, 10))
	if _, err := s.publish(ctx, []*nats.Msg{msg}); err != nil {
		return err
	}
	if err := s.dead.DeleteMsg(ctx, uint64(id)); err != nil && !gone(err) {
		return fmt.Errorf("subscribe/jetstream: redeliver: removing dead %d: %w", id, err)
	}
	return nil
}

// List implements subscribe.Store for StatePending (the work stream) and
// StateDead (the dead-letter stream), oldest first. It reads messages one
// by one: meant for inspection, not for large limits.
func (s *Store) List(ctx context.Context, state subscribe.State, limit int) ([]subscribe.Notification, error) {
	var st jetstream.Stream
	switch state {
	case subscribe.StatePending:
		st = s.work
	case subscribe.StateDead:
		st = s.dead
	case subscribe.StateDelivered:
		return nil, ErrNotKept
	default:
		return nil, fmt.Errorf("subscribe/jetstream: list: unknown state %q", state)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("subscribe/jetstream: list: %w", err)
	}
	var out []subscribe.Notification
	if info.State.Msgs == 0 {
		return out, nil
	}
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && len(out) < limit; seq++ {
		raw, err := st.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("subscribe/jetstream: list: reading %d: %w", seq, err)
		}
		n, err := decode(raw.Header, raw.Data, raw.Sequence, state)
		if err != nil {
			continue
		}
		out = append(out, n)
	}
	return out, nil
}

// Pending returns how many notifications the work queue holds (claimed,
// deferred or waiting).
func (s *Store) Pending(ctx context.Context) (uint64, error) {
	info, err := s.work.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("subscribe/jetstream: %w", err)
	}
	return info.State.Msgs, nil
}

// Counts implements subscribe.Counter from the message counts of the
// streams' subjects, without reading the messages: StatePending is the
// work stream (claimed, deferred or waiting), StateDead the dead-letter
// stream; delivered notifications are not kept, so there is no count in
// StateDelivered. The channel is the subject's last token, which is the
// channel's name for the package's channels (see subscribe.Channel). A
// notification whose Retry or Dead was interrupted by a crash may be
// counted twice until it is claimed again.
func (s *Store) Counts(ctx context.Context) ([]subscribe.Count, error) {
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	var out []subscribe.Count
	for _, x := range []struct {
		st     jetstream.Stream
		name   string
		prefix string
		state  subscribe.State
	}{
		{s.work, s.o.Stream, s.o.Subject + ".", subscribe.StatePending},
		{s.dead, s.o.DeadStream, s.o.Subject + "-dead.", subscribe.StateDead},
	} {
		info, err := x.st.Info(ctx, jetstream.WithSubjectFilter(x.prefix+">"))
		if err != nil {
			return nil, fmt.Errorf("subscribe/jetstream: counting the messages of stream %s: %w", x.name, err)
		}
		for subj, n := range info.State.Subjects {
			if n == 0 {
				continue
			}
			ch, ok := strings.CutPrefix(subj, x.prefix)
			if !ok {
				continue // not a subject this store publishes on
			}
			out = append(out, subscribe.Count{Channel: subscribe.Channel(ch), State: x.state, N: int(n)})
		}
	}
	slices.SortFunc(out, func(a, b subscribe.Count) int {
		if c := strings.Compare(string(a.Channel), string(b.Channel)); c != 0 {
			return c
		}
		return strings.Compare(string(a.State), string(b.State))
	})
	return out, nil
}
