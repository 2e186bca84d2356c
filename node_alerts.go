package arcsecond

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
	alertsqlite "github.com/arcsecond-go/arcsecond/alerts/sqlitestore"
	"github.com/arcsecond-go/arcsecond/connectors/gcn"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// nodeAlerts is the node's side of transient alerts: the store of their
// latest revisions, the GCN source feeding it, and the live streams.
type nodeAlerts struct {
	store alerts.Store
	gcn   *gcn.Source
	live  alertFanout
	// trace, when set (by the latency benchmark), is told when an alert
	// passes each stage of its way: "polled", "decoded" (gcn.Message),
	// "matched" and "outbox" (its notifications committed).
	trace func(alertID, stage string, at time.Time)
}

// traced tells trace that the alert passed stage at t.
func (na *nodeAlerts) traced(alertID, stage string, t time.Time) {
	if na.trace != nil {
		na.trace(alertID, stage, t)
	}
}

// openAlerts makes the alert store (in the node's database when it has
// one, else in memory), the GCN source when NodeOptions.GCN is set, and
// feeds every matched activity to the coincidence subscriptions.
func (n *Node) openAlerts(ctx context.Context) error {
	n.alerts = &nodeAlerts{store: alerts.NewMemoryStore()}
	if n.db != nil {
		st, err := alertsqlite.New(n.db)
		if err != nil {
			return fmt.Errorf("arcsecond: database %s: %w", n.opts.DBPath, err)
		}
		n.alerts.store = st
	}
	if o := n.opts.GCN; o != nil {
		oo := *o
		if oo.Logger == nil {
			oo.Logger = n.log
		}
		src, err := gcn.NewSource(oo)
		if err != nil {
			return fmt.Errorf("arcsecond: %w", err)
		}
		n.alerts.gcn = src
	}
	n.index.onActivity = func(a *activities.Activity) {
		n.deliverCoincidences(context.Background(), n.index.co.Activity(*a))
	}
	return n.primeCoincidences(ctx)
}

// maxPrimed bounds the activities primeCoincidences reads.
const maxPrimed = 200_000

// primeCoincidences feeds the coincidence index with the stored alerts
// and activities that could still coincide with what arrives now (those
// within twice the largest window, and an hour, of now), so that a
// restarted node matches an alert with the observations made before the
// restart, and an observation with the alerts. What they make together
// was notified before the restart (an alert is stored after its
// notifications, an activity handled before the outbox cursor passes it),
// so the matches priming returns are dropped; the activities the cursor
// has not passed are left out, for the dispatcher's replay to match them.
func (n *Node) primeCoincidences(ctx context.Context) error {
	w := n.index.co.Window()
	if w == 0 {
		return nil
	}
	horizon := time.Now().Add(-2*w - time.Hour)
	als, err := n.alerts.store.Find(ctx, alerts.Query{From: horizon, IncludeTests: true, Limit: maxPrimed})
	if err != nil {
		return fmt.Errorf("arcsecond: reading the recent alerts for the coincidence subscriptions: %w", err)
	}
	for _, a := range als {
		n.index.co.Alert(a)
	}
	replayed, err := n.unhandledActivities(ctx)
	if err != nil {
		return err
	}
	q := activities.Query{Window: activities.Window{Start: horizon}, Limit: 1000}
	primed := 0
	for primed < maxPrimed {
		page, err := n.store.Find(ctx, q)
		if err != nil {
			return fmt.Errorf("arcsecond: reading the recent activities for the coincidence subscriptions: %w", err)
		}
		for _, a := range page.Activities {
			if !replayed[a.ID] {
				n.index.co.Activity(a)
			}
		}
		primed += len(page.Activities)
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	if primed >= maxPrimed {
		n.log.Warn("coincidence index primed with only the first activities", "count", primed)
	}
	return nil
}

// unhandledActivities returns the IDs of the stored activities after the
// outbox's cursor: the dispatcher hands them to the index again.
func (n *Node) unhandledActivities(ctx context.Context) (map[string]bool, error) {
	cur, err := n.outbox.Cursor(ctx)
	if err != nil {
		return nil, fmt.Errorf("arcsecond: reading the outbox cursor: %w", err)
	}
	ids := map[string]bool{}
	for {
		es, err := n.store.Since(ctx, cur, 1000)
		if err != nil {
			return nil, fmt.Errorf("arcsecond: reading the activities after the outbox cursor: %w", err)
		}
		for _, e := range es {
			ids[e.Activity.ID] = true
			cur = e.Seq
		}
		if len(es) < 1000 {
			return ids, nil
		}
	}
}

// Alerts is the node's alert store.
func (n *Node) Alerts() alerts.Store { return n.alerts.store }

// IngestAlert records an alert: a new event or a higher revision of a
// known one is matched against the alert and coincidence subscriptions,
// whose notifications are committed to the outbox, then stored (a
// retraction is recorded as the event's latest state) and published on
// the live alert streams. An alert at or below the revision held is not
// stored (false), and a replayed notice notifies nothing new.
func (n *Node) IngestAlert(ctx context.Context, a alerts.Alert) (bool, error) {
	k, err := n.ingestAlerts(ctx, []alerts.Alert{a})
	return k == 1, err
}

// ingestAlerts is IngestAlert for the alerts of a batch of notices: their
// notifications committed to the outbox in one transaction, before the
// alerts are stored, so that a stored alert has been notified (a crash in
// between leaves the notice uncommitted, redelivered and notified then,
// the outbox keys removing what was already recorded). It returns the
// number of alerts stored. An invalid alert is an error that records
// nothing.
func (n *Node) ingestAlerts(ctx context.Context, as []alerts.Alert) (int, error) {
	for i := range as {
		if err := as[i].Validate(); err != nil {
			return 0, fmt.Errorf("arcsecond: alert %q: %w", as[i].ID, err)
		}
	}
	// What the store holds at an equal or higher revision was notified
	// (or superseded) before.
	held := map[string]int64{}
	var fresh []alerts.Alert
	var ms []subscribe.CoincidenceMatch
	for _, a := range as {
		rev, ok := held[a.ID]
		if !ok {
			old, found, err := n.alerts.store.Get(ctx, a.ID)
			if err != nil {
				return 0, fmt.Errorf("arcsecond: reading alert %q: %w", a.ID, err)
			}
			rev, ok = old.Revision, found
		}
		if ok && rev >= a.Revision {
			continue
		}
		held[a.ID] = a.Revision
		fresh = append(fresh, a)
		ms = append(ms, n.index.co.Alert(a)...)
		n.alerts.traced(a.ID, "matched", time.Now())
	}
	if err := n.deliverCoincidences(ctx, ms); err != nil {
		return 0, err
	}
	if n.alerts.trace != nil {
		now := time.Now()
		for _, a := range fresh {
			n.alerts.traced(a.ID, "outbox", now)
		}
	}
	stored := 0
	for _, a := range fresh {
		ok, err := n.alerts.store.Put(ctx, a)
		if err != nil {
			return stored, fmt.Errorf("arcsecond: storing alert %q: %w", a.ID, err)
		}
		if ok {
			stored++
			n.alerts.live.publish(a)
		}
	}
	return stored, nil
}

// deliverCoincidences records the matches in the history and the outbox.
func (n *Node) deliverCoincidences(ctx context.Context, ms []subscribe.CoincidenceMatch) error {
	if len(ms) == 0 {
		return nil
	}
	now := time.Now()
	for _, m := range ms {
		sep := m.Separation
		r := subscribe.Reason{Criterion: "coincidence", Value: m.Alert.ID}
		a := m.Activity
		if a == nil {
			r.Criterion = "alert"
			a = &activities.Activity{ID: m.Alert.ID, Revision: m.Alert.Revision, Source: m.Alert.Source}
		} else {
			r.DistanceDeg = &sep
		}
		n.metrics.matches.WithLabelValues(a.Source).Inc()
		n.subs.recordMatch(subscribe.Match{Subscription: m.Subscription, Reasons: []subscribe.Reason{r}}, a, now)
	}
	if _, err := n.dispatcher.HandleCoincidences(ctx, ms); err != nil {
		n.log.Error("recording coincidence notifications", "err", err)
		return fmt.Errorf("arcsecond: recording coincidence notifications: %w", err)
	}
	return nil
}

// deliveryKey is the idempotency key of the notifications of a match in
// the history: that of a coincidence or alert match (recorded by
// deliverCoincidences with one reason naming the alert), else that of an
// activity match.
func deliveryKey(sub string, m *MatchRecord) string {
	if len(m.Reasons) == 1 {
		switch r := m.Reasons[0]; r.Criterion {
		case "coincidence":
			return subscribe.CoincidenceKey(sub, m.Activity, r.Value)
		case "alert":
			return subscribe.CoincidenceKey(sub, "", m.Activity)
		}
	}
	return subscribe.IdempotencyKey(sub, m.Activity, m.Revision)
}

// consumeGCN runs the GCN source, a poll's notices at a time: their
// activities go to the feed, their alerts to ingestAlerts (one outbox
// transaction for the batch). An error stops the source with the batch
// uncommitted, so that a restart handles it again.
func (n *Node) consumeGCN(ctx context.Context) error {
	var acts []activities.Activity
	var als []alerts.Alert
	return n.alerts.gcn.RunBatch(ctx, func(ctx context.Context, batch []gcn.Message) error {
		acts, als = acts[:0], als[:0]
		for _, m := range batch {
			acts = append(acts, m.Notice.Activities...)
			for _, a := range m.Notice.Alerts {
				if err := a.Validate(); err != nil { // the decoder's bug: skipped, not retried forever
					n.log.Error("gcn: skipping an invalid alert", "topic", m.Topic, "partition", m.Partition, "offset", m.Offset, "err", err)
					continue
				}
				n.alerts.traced(a.ID, "polled", m.Polled)
				n.alerts.traced(a.ID, "decoded", m.Decoded)
				als = append(als, a)
			}
		}
		if len(acts) > 0 {
			if _, err := n.feed.Ingest(ctx, acts...); err != nil {
				return err
			}
		}
		if len(als) > 0 {
			if _, err := n.ingestAlerts(ctx, als); err != nil {
				return err
			}
		}
		return nil
	})
}

// GCNStats reports what the GCN source did, and whether there is one.
func (n *Node) GCNStats() (gcn.Stats, bool) {
	if n.alerts.gcn == nil {
		return gcn.Stats{}, false
	}
	return n.alerts.gcn.Stats(), true
}

// isAlertSubscription reports whether s is matched by Coincidences.
func isAlertSubscription(s *subscribe.Subscription) bool {
	return s.Criteria.Alerts != nil || s.Criteria.Coincidence != nil
}

// Add implements subscribe.Index: alert and coincidence subscriptions go
// to the coincidence index, the others to the activity matcher.
func (x *recordingIndex) Add(s *subscribe.Subscription) error {
	if isAlertSubscription(s) {
		if err := x.co.Add(s); err != nil {
			return err
		}
		x.Matcher.Remove(s.ID)
		return nil
	}
	if err := x.Matcher.Add(s); err != nil {
		return err
	}
	x.co.Remove(s.ID)
	return nil
}

// Remove implements subscribe.Index.
func (x *recordingIndex) Remove(id string) bool {
	a := x.Matcher.Remove(id)
	b := x.co.Remove(id)
	return a || b
}

// Get implements subscribe.Index.
func (x *recordingIndex) Get(id string) *subscribe.Subscription {
	if s := x.Matcher.Get(id); s != nil {
		return s
	}
	return x.co.Get(id)
}

// Len implements subscribe.Index.
func (x *recordingIndex) Len() int { return x.Matcher.Len() + x.co.Len() }

// alertFanout hands each published alert to every live stream; a stream
// too slow to keep up is closed.
type alertFanout struct {
	mu   sync.Mutex
	subs map[chan alerts.Alert]struct{}
}

func (f *alertFanout) subscribe() chan alerts.Alert {
	c := make(chan alerts.Alert, 256)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subs == nil {
		f.subs = map[chan alerts.Alert]struct{}{}
	}
	f.subs[c] = struct{}{}
	return c
}

// unsubscribe removes c (closing it unless publish already did).
func (f *alertFanout) unsubscribe(c chan alerts.Alert) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.subs[c]; ok {
		delete(f.subs, c)
		close(c)
	}
}

func (f *alertFanout) publish(a alerts.Alert) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.subs {
		select {
		case c <- a:
		default:
			delete(f.subs, c)
			close(c)
		}
	}
}
