package arcsecond

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// The subscriptions live in the node's database (table
// activityd_subscriptions, the subscription's JSON encoding) so that a
// restarted node keeps them; every match is recorded in activityd_matches,
// the match history the API serves. (The tables keep the names they had
// when the node was the activityd binary, so existing databases open.)
const subsSchema = `
CREATE TABLE IF NOT EXISTS activityd_subscriptions (
	id      TEXT PRIMARY KEY,
	body    TEXT NOT NULL,
	created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS activityd_paused (
	id TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS activityd_matches (
	subscription TEXT NOT NULL,
	activity     TEXT NOT NULL,
	revision     INTEGER NOT NULL,
	reasons      TEXT NOT NULL,
	at           INTEGER NOT NULL,
	PRIMARY KEY (subscription, activity, revision)
);
`

// subscriptionStore keeps the subscriptions and their match history.
type subscriptionStore interface {
	// all returns the stored subscriptions and their keys (see subKey)
	// in creation order.
	all(ctx context.Context) ([]storedSub, error)
	// ids lists the stored subscriptions' keys in creation order.
	ids(ctx context.Context) ([]string, error)
	// put adds or replaces the subscription of key.
	put(ctx context.Context, key string, sub *subscribe.Subscription) error
	delete(ctx context.Context, key string) error
	// setPaused records whether the subscription of key is paused.
	setPaused(ctx context.Context, key string, paused bool) error
	// paused lists the keys of the paused subscriptions.
	paused(ctx context.Context) (map[string]bool, error)
	// rekey gives the subscription of old, and its match history, the key
	// new (a database written before IDs were scoped per owner).
	rekey(ctx context.Context, old, new string) error
	// recordMatch adds a match to the history (best effort: the history
	// is informative, the outbox is the record of deliveries).
	recordMatch(m subscribe.Match, a *activities.Activity, at time.Time)
	// hasMatches reports whether the history holds matches of id.
	hasMatches(ctx context.Context, id string) bool
	// matches returns up to limit matches of id, newest first, without
	// their deliveries.
	matches(ctx context.Context, id string, limit int) ([]MatchRecord, error)
}

// storedSub is a stored subscription and its key.
type storedSub struct {
	key string
	sub *subscribe.Subscription
}

// sqlSubscriptions keeps the subscriptions in the node's database.
type sqlSubscriptions struct{ db *sql.DB }

func newSQLSubscriptions(ctx context.Context, db *sql.DB) (sqlSubscriptions, error) {
	if _, err := db.ExecContext(ctx, subsSchema); err != nil {
		return sqlSubscriptions{}, err
	}
	return sqlSubscriptions{db}, nil
}

// all returns the stored subscriptions in creation order.
func (s sqlSubscriptions) all(ctx context.Context) ([]storedSub, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, body FROM activityd_subscriptions ORDER BY created`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedSub
	for rows.Next() {
		var id, body string
		if err := rows.Scan(&id, &body); err != nil {
			return nil, err
		}
		sub, err := subscribe.ParseSubscription([]byte(body))
		if err != nil {
			return nil, fmt.Errorf("stored subscription %q: %w", id, err)
		}
		out = append(out, storedSub{id, sub})
	}
	return out, rows.Err()
}

// ids lists the stored subscriptions' IDs in creation order.
func (s sqlSubscriptions) ids(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM activityd_subscriptions ORDER BY created`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (s sqlSubscriptions) put(ctx context.Context, key string, sub *subscribe.Subscription) error {
	body, err := json.Marshal(sub)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO activityd_subscriptions (id, body, created) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET body = excluded.body`, key, string(body), time.Now().UnixNano())
	return err
}

func (s sqlSubscriptions) delete(ctx context.Context, id string) error {
	// The match history goes with the subscription: a later one with the
	// same ID starts afresh.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM activityd_subscriptions WHERE id = ?`, id); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM activityd_paused WHERE id = ?`, id); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM activityd_matches WHERE subscription = ?`, id)
	return err
}

func (s sqlSubscriptions) setPaused(ctx context.Context, key string, paused bool) error {
	q := `DELETE FROM activityd_paused WHERE id = ?`
	if paused {
		q = `INSERT OR IGNORE INTO activityd_paused (id) VALUES (?)`
	}
	_, err := s.db.ExecContext(ctx, q, key)
	return err
}

func (s sqlSubscriptions) paused(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM activityd_paused`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func (s sqlSubscriptions) rekey(ctx context.Context, old, new string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE activityd_subscriptions SET id = ? WHERE id = ?`, new, old); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE activityd_matches SET subscription = ? WHERE subscription = ?`, new, old); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE activityd_paused SET id = ? WHERE id = ?`, new, old); err != nil {
		return err
	}
	return tx.Commit()
}

func (s sqlSubscriptions) recordMatch(m subscribe.Match, a *activities.Activity, at time.Time) {
	reasons, _ := json.Marshal(m.Reasons)
	s.db.Exec(`INSERT OR IGNORE INTO activityd_matches (subscription, activity, revision, reasons, at) VALUES (?, ?, ?, ?, ?)`,
		m.Subscription.ID, a.ID, a.Revision, string(reasons), at.UnixMilli())
}

// hasMatches reports whether the history holds matches of id.
func (s sqlSubscriptions) hasMatches(ctx context.Context, id string) bool {
	var n int
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM activityd_matches WHERE subscription = ? LIMIT 1`, id).Scan(&n)
	return n > 0
}

func (s sqlSubscriptions) matches(ctx context.Context, id string, limit int) ([]MatchRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT activity, revision, reasons, at FROM activityd_matches
		WHERE subscription = ? ORDER BY at DESC, activity LIMIT ?`, id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []MatchRecord{}
	for rows.Next() {
		var m MatchRecord
		var reasons string
		var at int64
		if err := rows.Scan(&m.Activity, &m.Revision, &reasons, &at); err != nil {
			return nil, err
		}
		m.At = time.UnixMilli(at).UTC()
		json.Unmarshal([]byte(reasons), &m.Reasons)
		m.Deliveries = []DeliveryState{}
		out = append(out, m)
	}
	return out, rows.Err()
}

// memorySubscriptions keeps the subscriptions and the latest
// maxMemoryMatches matches of each in memory.
type memorySubscriptions struct {
	mu      sync.Mutex
	order   []string
	subs    map[string]*subscribe.Subscription
	history map[string][]MatchRecord // oldest first
	seen    map[matchKey]bool        // the matches in history
}

type matchKey struct {
	sub, activity string
	revision      int64
}

const maxMemoryMatches = 1000

func newMemorySubscriptions() *memorySubscriptions {
	return &memorySubscriptions{subs: map[string]*subscribe.Subscription{}, history: map[string][]MatchRecord{}, seen: map[matchKey]bool{}}
}

func (s *memorySubscriptions) all(context.Context) ([]storedSub, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []storedSub
	for _, id := range s.order {
		out = append(out, storedSub{id, s.subs[id]})
	}
	return out, nil
}

func (s *memorySubscriptions) ids(context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.order), nil
}

func (s *memorySubscriptions) put(_ context.Context, key string, sub *subscribe.Subscription) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.subs[key]; !ok {
		s.order = append(s.order, key)
	}
	s.subs[key] = sub
	return nil
}

// setPaused and paused: a memory store starts empty, and the node keeps
// the paused subscriptions apart (Node.paused).
func (s *memorySubscriptions) setPaused(context.Context, string, bool) error { return nil }
func (s *memorySubscriptions) paused(context.Context) (map[string]bool, error) {
	return nil, nil
}

// rekey cannot be needed: a memory store starts empty.
func (s *memorySubscriptions) rekey(context.Context, string, string) error { return nil }

func (s *memorySubscriptions) delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.subs[id]; ok {
		delete(s.subs, id)
		s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == id })
	}
	for _, m := range s.history[id] {
		delete(s.seen, matchKey{id, m.Activity, m.Revision})
	}
	delete(s.history, id)
	return nil
}

func (s *memorySubscriptions) recordMatch(m subscribe.Match, a *activities.Activity, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := m.Subscription.ID
	k := matchKey{id, a.ID, a.Revision}
	if s.seen[k] {
		return
	}
	h := s.history[id]
	if len(h) >= maxMemoryMatches {
		delete(s.seen, matchKey{id, h[0].Activity, h[0].Revision})
		h = h[1:]
	}
	s.seen[k] = true
	s.history[id] = append(h, MatchRecord{Activity: a.ID, Revision: a.Revision, At: at.UTC().Truncate(time.Millisecond), Reasons: m.Reasons})
}

func (s *memorySubscriptions) hasMatches(_ context.Context, id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.history[id]) > 0
}

func (s *memorySubscriptions) matches(_ context.Context, id string, limit int) ([]MatchRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.history[id]
	out := []MatchRecord{}
	for i := len(h) - 1; i >= 0 && len(out) < limit; i-- {
		m := h[i]
		m.Deliveries = []DeliveryState{}
		out = append(out, m)
	}
	return out, nil
}

// recordingIndex is the dispatcher's index: the indexed matcher, plus a
// record of every match in the history.
type recordingIndex struct {
	*subscribe.Matcher
	co      *subscribe.Coincidences // the alert and coincidence subscriptions (node_alerts.go)
	subs    subscriptionStore
	metrics *metrics
	// onActivity, when set, sees every activity matched (node_alerts.go).
	onActivity func(*activities.Activity)
}

// newRecordingIndex loads the stored subscriptions, keyed by keyed (see
// subKey), rekeying those stored under another key; the paused ones it
// returns apart, out of the matcher.
func newRecordingIndex(ctx context.Context, subs subscriptionStore, m *metrics, keyed func(*subscribe.Subscription) *subscribe.Subscription) (*recordingIndex, map[string]*subscribe.Subscription, error) {
	x := &recordingIndex{Matcher: subscribe.NewMatcher(), co: subscribe.NewCoincidences(), subs: subs, metrics: m}
	all, err := subs.all(ctx)
	if err != nil {
		return nil, nil, err
	}
	paused, err := subs.paused(ctx)
	if err != nil {
		return nil, nil, err
	}
	pausedSubs := map[string]*subscribe.Subscription{}
	for _, st := range all {
		k := keyed(st.sub)
		if k.ID != st.key {
			if err := subs.rekey(ctx, st.key, k.ID); err != nil {
				return nil, nil, fmt.Errorf("stored subscription %q: rekeying as %q: %w", st.key, k.ID, err)
			}
		}
		if paused[st.key] {
			pausedSubs[k.ID] = k
			continue
		}
		if err := x.Add(k); err != nil {
			return nil, nil, fmt.Errorf("stored subscription %q: %w", st.key, err)
		}
	}
	return x, pausedSubs, nil
}

// Match implements subscribe.Index, recording the matches.
func (x *recordingIndex) Match(a *activities.Activity) []subscribe.Match {
	ms := x.Matcher.Match(a)
	if x.onActivity != nil {
		x.onActivity(a)
	}
	now := time.Now()
	for _, m := range ms {
		x.metrics.matches.WithLabelValues(a.Source).Inc()
		x.subs.recordMatch(m, a, now)
	}
	return ms
}

// putSubscription stores sub (its ID as its owner gave it) and adds it to
// the matcher under its key. An existing subscription with its key is an
// error unless replace is set; a replaced one is swapped in the matcher at
// once (no activity sees neither), and a paused one stays paused.
func (n *Node) putSubscription(ctx context.Context, sub *subscribe.Subscription, replace bool) error {
	return n.storeSubscription(ctx, sub, replace, false)
}

// replaceSubscription replaces an existing subscription with sub (same
// owner and ID), answering errNotFound when there is none.
func (n *Node) replaceSubscription(ctx context.Context, sub *subscribe.Subscription) error {
	return n.storeSubscription(ctx, sub, true, true)
}

func (n *Node) storeSubscription(ctx context.Context, sub *subscribe.Subscription, replace, mustExist bool) error {
	k := n.keyed(sub)
	if err := k.Validate(); err != nil {
		return err // an ID that, qualified by its owner, is too long
	}
	n.subsMu.Lock()
	defer n.subsMu.Unlock()
	old, paused := n.lookupLocked(k.ID)
	if old != nil && !replace {
		return errExists
	}
	if old == nil && mustExist {
		return errNotFound
	}
	if old == nil && !replace && n.atCap() {
		return errTooMany
	}
	if paused {
		// Checked as the index would, without adding it.
		if err := (&recordingIndex{Matcher: subscribe.NewMatcher(), co: subscribe.NewCoincidences()}).Add(k); err != nil {
			return err
		}
		if err := n.subs.put(ctx, k.ID, sub); err != nil {
			return err
		}
		n.paused[k.ID] = k
		return nil
	}
	if err := n.index.Add(k); err != nil { // replaces old, or leaves it
		return err
	}
	if err := n.subs.put(ctx, k.ID, sub); err != nil {
		if old != nil {
			n.index.Add(old)
		} else {
			n.index.Remove(k.ID)
		}
		return err
	}
	return nil
}

// lookup returns the subscription of key as the matcher holds it (its ID
// is its key), and whether it is paused.
func (n *Node) lookup(key string) (*subscribe.Subscription, bool) {
	n.subsMu.Lock()
	defer n.subsMu.Unlock()
	return n.lookupLocked(key)
}

func (n *Node) lookupLocked(key string) (*subscribe.Subscription, bool) {
	if s := n.index.Get(key); s != nil {
		return s, false
	}
	s := n.paused[key]
	return s, s != nil
}

// setPaused pauses or resumes the subscription of key, reporting whether
// it exists. A paused subscription stays stored and listed but is out of
// the matcher: it matches nothing, so nothing is recorded or delivered
// for it until it is resumed (activities are not replayed then).
func (n *Node) setPaused(ctx context.Context, key string, pause bool) (bool, error) {
	n.subsMu.Lock()
	defer n.subsMu.Unlock()
	sub, paused := n.lookupLocked(key)
	if sub == nil || paused == pause {
		return sub != nil, nil
	}
	if err := n.subs.setPaused(ctx, key, pause); err != nil {
		return true, err
	}
	if pause {
		n.index.Remove(key)
		n.paused[key] = sub
		return true, nil
	}
	if err := n.index.Add(sub); err != nil {
		n.subs.setPaused(context.WithoutCancel(ctx), key, true)
		return true, err
	}
	delete(n.paused, key)
	return true, nil
}

// removeSubscription removes the subscription of key, reporting whether it
// existed.
func (n *Node) removeSubscription(ctx context.Context, id string) bool {
	n.subsMu.Lock()
	defer n.subsMu.Unlock()
	ok := n.index.Remove(id)
	if _, p := n.paused[id]; p {
		delete(n.paused, id)
		ok = true
	}
	if err := n.subs.delete(context.WithoutCancel(ctx), id); err != nil {
		n.log.Error("deleting a subscription", "id", id, "err", err)
	}
	return ok
}
