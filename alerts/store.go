package alerts

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
)

// Store keeps every revision of each alert (its updates and retraction),
// and answers with the latest. Implementations must be safe for concurrent
// use: MemoryStore, and alerts/sqlitestore in an SQLite database.
type Store interface {
	// Put records a. It becomes the event's latest state unless the store
	// holds its ID at an equal or higher revision; an older revision not
	// seen before is kept among Revisions only. It reports whether a
	// became the latest (a new event, or a newer revision of a known one).
	Put(ctx context.Context, a Alert) (bool, error)
	// Get returns the latest revision of the alert with this ID and
	// whether it is known.
	Get(ctx context.Context, id string) (Alert, bool, error)
	// Revisions returns every revision recorded of the alert with this
	// ID, lowest first (none for an unknown ID).
	Revisions(ctx context.Context, id string) ([]Alert, error)
	// Find lists the latest revisions that match q, by trigger time then
	// ID.
	Find(ctx context.Context, q Query) ([]Alert, error)
}

// Query selects alerts; its zero value selects all of them.
type Query struct {
	// Mission, when set, is matched case-insensitively.
	Mission string
	// EventType, when set, is matched exactly.
	EventType string
	// From and To bound the trigger time (inclusive From, exclusive To).
	From, To time.Time
	// Contains, when set, keeps the alerts whose localization holds this
	// (RA, Dec) position in degrees.
	Contains *[2]float64
	// IncludeRetracted keeps retracted alerts; IncludeTests keeps test ones.
	IncludeRetracted, IncludeTests bool
	// Limit caps the result (0: no cap).
	Limit int
}

// Matches reports whether a satisfies q.
func (q *Query) Matches(a *Alert) bool {
	switch {
	case q.Mission != "" && !strings.EqualFold(q.Mission, a.Mission),
		q.EventType != "" && q.EventType != a.EventType,
		!q.From.IsZero() && a.TriggerTime.Before(q.From),
		!q.To.IsZero() && !a.TriggerTime.Before(q.To),
		!q.IncludeRetracted && a.Status == StatusRetracted,
		!q.IncludeTests && a.Test:
		return false
	case q.Contains != nil:
		return a.Localization.Contains(q.Contains[0], q.Contains[1])
	}
	return true
}

// MemoryStore is a Store in memory, safe for concurrent use. Its zero value
// is an empty store ready to use.
type MemoryStore struct {
	mu   sync.RWMutex
	byID map[string]Alert
	revs map[string][]Alert // by ID, by revision
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

var errNoID = errors.New("alerts: cannot store an alert without an ID")

// Put implements Store.
func (s *MemoryStore) Put(ctx context.Context, a Alert) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if a.ID == "" {
		return false, errNoID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID == nil {
		s.byID, s.revs = map[string]Alert{}, map[string][]Alert{}
	}
	rs := s.revs[a.ID]
	i, found := slices.BinarySearchFunc(rs, a.Revision, func(x Alert, r int64) int { return cmp.Compare(x.Revision, r) })
	if !found {
		s.revs[a.ID] = slices.Insert(rs, i, clone(a))
	}
	if old, ok := s.byID[a.ID]; ok && old.Revision >= a.Revision {
		return false, nil
	}
	s.byID[a.ID] = clone(a)
	return true, nil
}

// Revisions implements Store.
func (s *MemoryStore) Revisions(ctx context.Context, id string) ([]Alert, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Alert
	for _, a := range s.revs[id] {
		out = append(out, clone(a))
	}
	return out, nil
}

// Get implements Store.
func (s *MemoryStore) Get(ctx context.Context, id string) (Alert, bool, error) {
	if err := ctx.Err(); err != nil {
		return Alert{}, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.byID[id]
	if !ok {
		return Alert{}, false, nil
	}
	return clone(a), true, nil
}

// Find implements Store.
func (s *MemoryStore) Find(ctx context.Context, q Query) ([]Alert, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var out []Alert
	for _, a := range s.byID {
		if q.Matches(&a) {
			out = append(out, clone(a))
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(x, y Alert) int {
		if c := x.TriggerTime.Compare(y.TriggerTime); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// clone copies the slices and pointers of a so that stored alerts are not
// shared with callers.
func clone(a Alert) Alert {
	a.Names = slices.Clone(a.Names)
	a.Links = slices.Clone(a.Links)
	if a.Localization != nil {
		l := *a.Localization
		l.Vertices = slices.Clone(l.Vertices)
		a.Localization = &l
	}
	if a.SkyMap != nil {
		m := *a.SkyMap
		a.SkyMap = &m
	}
	return a
}
