// Package jetstream runs a feed across several instances on NATS
// JetStream: pollers publish what they list to one durable stream, where the
// server drops the duplicates two pollers send (the message ID is the
// activity's ID and revision); a lease in a key-value bucket makes one
// instance at a time poll each source, and moves the polling to another
// instance when the holder dies; every instance follows the stream into its
// own feed, so each serves the whole feed to its clients.
//
//	nc, _ := nats.Connect(url)
//	js, _ := jetstream.New(nc)
//	cl, err := arcjs.Open(ctx, js, arcjs.Options{Instance: "node-1"})
//	feed := activities.NewFeed(activities.FeedOptions{Store: store, Bus: cl.Bus(), Lease: cl.Lease()})
//	go cl.Follow(ctx, feed)   // the stream → this instance's store and subscribers
//	go feed.Run(ctx)          // polls the sources whose lease this instance holds
//
// Schedules must keep Interval and Timeout well under Options.LeaseTTL: the
// holder renews its lease before each poll, and a poll that outlasts the
// lease could overlap with the next holder's.
package jetstream

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/internal/natsx"
)

// Options configures the cluster's streams. Zero fields take the defaults.
type Options struct {
	// Instance names this instance; unique among the instances (default:
	// random). It names the instance's durable consumer and lease values.
	Instance string
	// Stream is the activity stream's name (default "ARCSECOND_ACTIVITIES").
	Stream string
	// Subject prefix of activity messages (default "arcsecond.activities");
	// each is published on <prefix>.<source>.
	Subject string
	// DuplicateWindow is how long the server remembers message IDs to drop
	// duplicates (default 10 minutes). Later repeats are dropped by the
	// instances' stores.
	DuplicateWindow time.Duration
	// MaxAge is how long the stream keeps activities (default 7 days).
	MaxAge time.Duration
	// LeaseBucket is the key-value bucket holding the poll leases (default
	// "arcsecond_leases"); LeaseTTL is a lease's life without renewal
	// (default 30 s).
	LeaseBucket string
	LeaseTTL    time.Duration
	// Replicas of the stream and bucket in a clustered server (default 1).
	Replicas int
	// AckWait is how long Follow's durable consumer waits for this
	// instance to record a message before sending it again (default 30 s):
	// after a crash, the messages the instance had received but not
	// recorded come back to its next run after AckWait.
	AckWait time.Duration
}

func (o *Options) defaults() error {
	if o.Instance == "" {
		var b [6]byte
		rand.Read(b[:])
		o.Instance = "instance-" + hex.EncodeToString(b[:])
	}
	if strings.ContainsAny(o.Instance, ".*> \t") {
		return fmt.Errorf("jetstream: instance name %q may not hold '.', '*', '>' or spaces", o.Instance)
	}
	if o.Stream == "" {
		o.Stream = "ARCSECOND_ACTIVITIES"
	}
	if o.Subject == "" {
		o.Subject = "arcsecond.activities"
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = 10 * time.Minute
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 7 * 24 * time.Hour
	}
	if o.LeaseBucket == "" {
		o.LeaseBucket = "arcsecond_leases"
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 30 * time.Second
	}
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.AckWait <= 0 {
		o.AckWait = 30 * time.Second
	}
	return nil
}

// Cluster is one instance's handle on the shared streams.
type Cluster struct {
	js     jetstream.JetStream
	opts   Options
	stream jetstream.Stream
	leases jetstream.KeyValue
}

// Open creates (or updates) the stream and the lease bucket.
func Open(ctx context.Context, js jetstream.JetStream, o Options) (*Cluster, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	st, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:       o.Stream,
		Subjects:   []string{o.Subject + ".>"},
		Retention:  jetstream.LimitsPolicy,
		MaxAge:     o.MaxAge,
		Duplicates: o.DuplicateWindow,
		Storage:    jetstream.FileStorage,
		Replicas:   o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("jetstream: creating stream %s: %w", o.Stream, err)
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      o.LeaseBucket,
		Description: "arcsecond poll leases: source -> instance",
		TTL:         o.LeaseTTL,
		History:     1,
		Replicas:    o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("jetstream: creating lease bucket %s: %w", o.LeaseBucket, err)
	}
	return &Cluster{js: js, opts: o, stream: st, leases: kv}, nil
}

// Instance is this instance's name.
func (c *Cluster) Instance() string { return c.opts.Instance }

// MsgID is the JetStream message ID of an activity: its ID and revision.
func MsgID(a *activities.Activity) string { return a.ID + "@" + strconv.FormatInt(a.Revision, 10) }

// Bus returns the activities.Bus that publishes to the stream.
func (c *Cluster) Bus() activities.Bus { return bus{c} }

type bus struct{ c *Cluster }

func (b bus) Publish(ctx context.Context, acts []activities.Activity) error {
	msgs := make([]*nats.Msg, len(acts))
	for i := range acts {
		a := &acts[i]
		data, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("jetstream: encoding %s: %w", a.ID, err)
		}
		msgs[i] = &nats.Msg{Subject: b.c.opts.Subject + "." + natsx.Token(a.Source), Data: data, Header: nats.Header{}}
		msgs[i].Header.Set(jetstream.MsgIDHeader, MsgID(a))
	}
	if _, err := natsx.PublishAll(ctx, b.c.js, msgs); err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}
	return nil
}

// Lease returns the activities.Leaser backed by the lease bucket.
func (c *Cluster) Lease() activities.Leaser { return lease{c} }

type lease struct{ c *Cluster }

// Hold acquires the source's lease when nobody holds it, renews it when
// this instance does, and reports false when another instance does.
func (l lease) Hold(ctx context.Context, source string) (bool, error) {
	key := natsx.Token(source)
	me := []byte(l.c.opts.Instance)
	e, err := l.c.leases.Get(ctx, key)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		_, err := l.c.leases.Create(ctx, key, me)
		if err == nil {
			return true, nil
		}
		if errors.Is(err, jetstream.ErrKeyExists) {
			return false, nil // another instance was quicker
		}
		return false, fmt.Errorf("jetstream: acquiring lease on %s: %w", source, err)
	case err != nil:
		return false, fmt.Errorf("jetstream: reading lease on %s: %w", source, err)
	case string(e.Value()) != l.c.opts.Instance:
		return false, nil
	}
	if _, err := l.c.leases.Update(ctx, key, me, e.Revision()); err != nil {
		// Lost in a race with expiry and another instance's acquisition.
		return false, nil
	}
	return true, nil
}

// Holder returns the instance holding the source's lease, or "" when none.
func (c *Cluster) Holder(ctx context.Context, source string) (string, error) {
	e, err := c.leases.Get(ctx, natsx.Token(source))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return string(e.Value()), nil
}

// Follow feeds the stream into feed.Ingest until ctx ends, through this
// instance's durable consumer: each message is acknowledged once the feed's
// store has recorded it, so an instance that restarts resumes where it
// stopped, and redeliveries are dropped by the store's de-duplication.
func (c *Cluster) Follow(ctx context.Context, feed *activities.Feed) error {
	cons, err := c.stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       "feed-" + c.opts.Instance,
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait:       c.opts.AckWait,
		MaxAckPending: 4096,
	})
	if err != nil {
		return fmt.Errorf("jetstream: creating consumer: %w", err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(512))
	if err != nil {
		return fmt.Errorf("jetstream: consuming: %w", err)
	}
	defer it.Stop()
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	for ctx.Err() == nil {
		// Block for the first message, then take what is already there,
		// so the store records a batch in one transaction.
		var msgs []jetstream.Msg
		var acts []activities.Activity
		m, err := it.Next()
		for err == nil {
			var a activities.Activity
			if uerr := json.Unmarshal(m.Data(), &a); uerr != nil || a.Validate() != nil {
				m.Term() // a message no instance can use: never redeliver it
			} else {
				msgs = append(msgs, m)
				acts = append(acts, a)
			}
			if len(msgs) >= 256 {
				break
			}
			m, err = it.Next(jetstream.NextMaxWait(5 * time.Millisecond))
		}
		if err != nil && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, jetstream.ErrMsgIteratorClosed) {
			return fmt.Errorf("jetstream: consuming: %w", err)
		}
		if len(acts) > 0 {
			if _, err := feed.Ingest(ctx, acts...); err != nil {
				for _, m := range msgs {
					m.Nak()
				}
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("jetstream: ingesting: %w", err)
			}
			for _, m := range msgs {
				m.Ack()
			}
		}
	}
	return nil
}
