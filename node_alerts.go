package arcsecond

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
	"github.com/arcsecond-go/arcsecond/connectors/gcn"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// nodeAlerts is the node's side of transient alerts: the store of their
// latest revisions, the GCN source feeding it, and the live streams.
type nodeAlerts struct {
	store alerts.Store
	gcn   *gcn.Source
	live  alertFanout
}

// openAlerts makes the alert store, the GCN source when NodeOptions.GCN is
// set, and feeds every matched activity to the coincidence subscriptions.
func (n *Node) openAlerts(ctx context.Context) error {
	n.alerts = &nodeAlerts{store: alerts.NewMemoryStore()}
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

// primeCoincidences feeds the coincidence index with the stored
// activities that an alert arriving now could still coincide with (those
// ending within twice the largest window, and an hour, of now), so that a
// restarted node matches an alert with the observations made before the
// restart. Their coincidences with alerts already seen were notified
// before; the index holds no alert yet, so nothing fires.
func (n *Node) primeCoincidences(ctx context.Context) error {
	w := n.index.co.Window()
	if w == 0 {
		return nil
	}
	q := activities.Query{Window: activities.Window{Start: time.Now().Add(-2*w - time.Hour)}, Limit: 1000}
	primed := 0
	for primed < maxPrimed {
		page, err := n.store.Find(ctx, q)
		if err != nil {
			return fmt.Errorf("arcsecond: reading the recent activities for the coincidence subscriptions: %w", err)
		}
		for _, a := range page.Activities {
			n.index.co.Activity(a)
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

// Alerts is the node's alert store.
func (n *Node) Alerts() alerts.Store { return n.alerts.store }

// IngestAlert records an alert: a new event or a higher revision of a
// known one replaces what the store holds (a retraction is recorded as
// the event's latest state), is published on the live alert streams and
// matched against the alert and coincidence subscriptions, whose
// notifications go through the outbox. An alert at or below the revision
// held is ignored (false), so that a replayed notice changes nothing.
func (n *Node) IngestAlert(ctx context.Context, a alerts.Alert) (bool, error) {
	if err := a.Validate(); err != nil {
		return false, fmt.Errorf("arcsecond: alert %q: %w", a.ID, err)
	}
	ok, err := n.alerts.store.Put(ctx, a)
	if err != nil || !ok {
		return false, err
	}
	n.alerts.live.publish(a)
	return true, n.deliverCoincidences(ctx, n.index.co.Alert(a))
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

// consumeGCN runs the GCN source: a notice's activities go to the feed,
// its alerts to IngestAlert. An error stops the source with the notice
// uncommitted, so that a restart handles it again.
func (n *Node) consumeGCN(ctx context.Context) error {
	return n.alerts.gcn.Run(ctx, func(ctx context.Context, m gcn.Message) error {
		if len(m.Notice.Activities) > 0 {
			if _, err := n.feed.Ingest(ctx, m.Notice.Activities...); err != nil {
				return err
			}
		}
		for _, a := range m.Notice.Alerts {
			if _, err := n.IngestAlert(ctx, a); err != nil {
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
